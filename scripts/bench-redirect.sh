#!/usr/bin/env bash
# Kept for old references: the redirect benchmark is a mode of scripts/bench.sh now (see there and scripts/lib/bench-redirect.sh).
exec "$(dirname "$0")/bench.sh" redirect
