#!/usr/bin/env bash
# Feed measurements in one run on one machine (issue 5): home-timeline read latency at a steady rate, fan-out
# throughput in timeline inserts per second against redis-benchmark's pipelined ZADD rate on the same Redis, and
# the time from a post to its visibility in all 10,000 followers' timelines. Starts its own Redis (no persistence),
# runs `redis-benchmark -P 16 -t zadd` against it, then bench/Atrium.FeedBench (the real Atrium on Kestrel,
# in-process, timelines in that Redis), and writes reports/feed.md.
# Env: REDIS_PORT (6391), ZADD_REQUESTS (1000000), SHAPE (embedded | distributed: PostgreSQL + RabbitMQ from
# tests/Atrium.Testing for data and queue), and BENCH_ARGS for the bench (e.g. "--rate 300 --seconds 30").
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

REDIS_PORT=${REDIS_PORT:-6391}
ZADD_REQUESTS=${ZADD_REQUESTS:-1000000}
SHAPE=${SHAPE:-embedded}
REPORT="$root/reports/feed.md"

for tool in redis-server redis-benchmark redis-cli; do
  command -v "$tool" >/dev/null || { echo "bench-feed: $tool is missing (scripts/install-deps.sh installs redis-server and redis-tools)" >&2; exit 1; }
done
if redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1; then
  echo "bench-feed: something already answers on port $REDIS_PORT; set REDIS_PORT" >&2; exit 1
fi

echo "bench-feed: building (Release)"
dotnet build bench/Atrium.FeedBench -c Release -nologo -v:quiet

tmp=$(mktemp -d)
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize no --dir "$tmp" >"$tmp/redis.log" 2>&1 &
redis_pid=$!
cleanup() {
  kill "$redis_pid" 2>/dev/null || true
  wait "$redis_pid" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT
for _ in $(seq 1 100); do
  redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break
  sleep 0.1
done
redis-cli -p "$REDIS_PORT" ping >/dev/null || { echo "bench-feed: Redis did not start:" >&2; cat "$tmp/redis.log" >&2; exit 1; }

# The reference: how fast this Redis takes pipelined ZADDs from redis-benchmark (random members, one sorted set).
echo "bench-feed: redis-benchmark -P 16 -t zadd -n $ZADD_REQUESTS"
zadd=$(redis-benchmark -h 127.0.0.1 -p "$REDIS_PORT" -P 16 -t zadd -n "$ZADD_REQUESTS" -r 1000000 -q | tr '\r' '\n' \
  | awk '/^ZADD:/ { rps = $2 } END { print rps + 0 }')
echo "bench-feed: ZADD $zadd/s"
redis-cli -p "$REDIS_PORT" flushall >/dev/null

# Run from the output folder: the test host finds the server's content root from there.
mkdir -p "$root/reports"
distributed=()
if [ "$SHAPE" = distributed ]; then distributed=(env ATRIUM_TEST_SHAPE=distributed); fi
(cd bench/Atrium.FeedBench/bin/Release/net10.0 && Logging__LogLevel__Default=Error "${distributed[@]}" dotnet Atrium.FeedBench.dll \
  --redis "127.0.0.1:$REDIS_PORT" --zadd-rps "$zadd" --report "$REPORT" ${BENCH_ARGS:-})

# The reference again after the bench, on the same (now filled) Redis: how much the machine's load moved it.
after=$(redis-benchmark -h 127.0.0.1 -p "$REDIS_PORT" -P 16 -t zadd -n "$ZADD_REQUESTS" -r 1000000 -q | tr '\r' '\n' \
  | awk '/^ZADD:/ { rps = $2 } END { print rps + 0 }')
printf '\nredis-benchmark `-P 16 -t zadd` again after the bench: %s ZADD/s (before: %s).\n' "$after" "$zadd" >> "$REPORT"
echo "bench-feed: wrote $REPORT"
