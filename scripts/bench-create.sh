#!/usr/bin/env bash
# Kept for old references: the create benchmark is a mode of scripts/bench.sh now (see there and scripts/lib/bench-create.sh).
exec "$(dirname "$0")/bench.sh" create
