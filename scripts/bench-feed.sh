#!/usr/bin/env bash
# Kept for old references: the feed benchmark is a mode of scripts/bench.sh now (see there and scripts/lib/bench-feed.sh).
exec "$(dirname "$0")/bench.sh" feed
