#!/usr/bin/env bash
# Every published performance figure, reproducible by one command:
#
#   scripts/bench.sh [redirect|create|feed|chat|gateway|memory|all]      (default: all)
#
# Each mode writes reports/<mode>.md: the command, the commit, the machine (cores, CPU, memory, load average at the
# start and the end), the settings, a table of every round with the medians, and the raw output of every run.
# Method, in every mode: the baseline is measured in the same run; rounds alternate baseline and subject (the order
# flips every round); the median of ROUNDS (≥ 3) rounds is reported with every round shown; latency comes from an
# open-loop generator (bench/Atrium.LoadGen: fixed arrival rate, measured from each request's intended start).
#
#   redirect  GET /{code} of a cached link vs a bare Kestrel 301 (bench/Atrium.Baseline)
#   create    POST /api/v1/links, 16 writers: embedded (SQLite) vs one server on PostgreSQL (scripts/cluster.sh)
#   feed      home-timeline reads vs /alive at the same open-loop rate; fan-out inserts vs the same Lua script
#             run by redis-benchmark (EVALSHA); post → visible in every follower's timeline (bench/Atrium.FeedBench)
#   chat      1,000 WebSocket clients, 1:1 and groups: Atrium vs a bare Kestrel broadcast (bench/Atrium.ChatBench)
#   gateway   the redirect through Atrium.Gateway in front of 2 servers vs one server directly (scripts/cluster.sh)
#   memory    N idle signed-in chat WebSockets held: server RSS per socket, Atrium vs the bare broadcast server
#   replication  link creation and chat sends on PostgreSQL alone vs an asynchronous vs a synchronous standby (Patroni)
#
# Common settings (environment): ROUNDS (3), DURATION (20s, each measured run), WARMUP (5s), NO_BUILD (1: use the
# Release builds already there; `all` builds once, then sets it for every mode). Each mode lists its
# own in scripts/lib/bench-<mode>.sh. create and gateway start PostgreSQL, Redis and RabbitMQ through
# scripts/cluster.sh and so run as root. Short settings (ROUNDS=3 DURATION=3s WARMUP=1s) check that a mode runs;
# only figures from full settings on a quiet machine belong in README.
set -euo pipefail
cd "$(dirname "$0")/.."

MODES=(redirect create feed chat gateway memory replication)
usage() { local IFS='|'; echo "usage: scripts/bench.sh [${MODES[*]}|all]" >&2; exit 2; }

run_mode() { # MODE: in a subshell of its own, so one mode's processes and traps end with it
  (
    # shellcheck source=lib/bench-common.sh
    source scripts/lib/bench-common.sh
    # shellcheck disable=SC1090
    source "scripts/lib/bench-$1.sh"
    [ "$ROUNDS" -ge 1 ] || bench_die "ROUNDS must be at least 1"
    BENCH_COMMAND="ROUNDS=$ROUNDS DURATION=$DURATION WARMUP=$WARMUP $(bench_"$1"_settings) scripts/bench.sh $1"
    "bench_$1"
  )
}

mode=${1:-all}
case $mode in
  all)
    if [ "${NO_BUILD:-0}" != 1 ]; then
      for p in src/Atrium.Server src/Atrium.Gateway bench/Atrium.Baseline bench/Atrium.LoadGen bench/Atrium.ChatBench bench/Atrium.FeedBench; do
        echo "bench: building $p (Release)" >&2
        dotnet build "$p" -c Release -nologo -v:quiet >/dev/null || { echo "bench: build of $p failed" >&2; exit 1; }
      done
      export NO_BUILD=1
    fi
    failed=()
    for m in "${MODES[@]}"; do run_mode "$m" || failed+=("$m"); done
    [ ${#failed[@]} -eq 0 ] || { echo "bench: failed: ${failed[*]}" >&2; exit 1; }
    ;;
  -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' ;;
  *)
    [[ " ${MODES[*]} " == *" $mode "* ]] || usage
    run_mode "$mode"
    ;;
esac
