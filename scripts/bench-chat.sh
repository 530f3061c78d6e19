#!/usr/bin/env bash
# Kept for old references: the chat benchmark is a mode of scripts/bench.sh now (see there and scripts/lib/bench-chat.sh).
exec "$(dirname "$0")/bench.sh" chat
