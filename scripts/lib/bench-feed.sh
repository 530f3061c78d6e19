# scripts/bench.sh feed: the feed on the real code (bench/Atrium.FeedBench: the server's Program on Kestrel, in
# process, SQLite for data and queue, production messaging timings) with a real Redis holding the home timelines:
#   - home-timeline read latency vs GET /alive of the same server, READ_RATE req/s open loop, rounds alternated;
#   - fan-out throughput in timeline inserts/s vs the same push script run by redis-benchmark (EVALSHA) on the same
#     Redis, the same unit, rounds alternated;
#   - the time from a post to its visibility in every one of FOLLOWERS timelines.
# Env: READ_RATE (2000 req/s), FOLLOWERS (10000), REDIS_PORT (6391), SHAPE (embedded | distributed: PostgreSQL +
# RabbitMQ from tests/Atrium.Testing for data and queue), FEED_ARGS (more FeedBench options, e.g. "--readers 200").

READ_RATE=${READ_RATE:-2000}
FOLLOWERS=${FOLLOWERS:-10000}
FEED_REDIS_PORT=${REDIS_PORT:-6391}
SHAPE=${SHAPE:-embedded}

bench_feed_settings() { echo "READ_RATE=$READ_RATE FOLLOWERS=$FOLLOWERS SHAPE=$SHAPE${FEED_ARGS:+ FEED_ARGS=\"$FEED_ARGS\"}"; }

bench_feed() {
  bench_begin feed "Feed: home-timeline reads, fan-out, visibility"
  bench_require redis-server redis-benchmark redis-cli
  if redis-cli -p "$FEED_REDIS_PORT" ping >/dev/null 2>&1; then bench_die "something already answers on port $FEED_REDIS_PORT; set REDIS_PORT"; fi
  bench_build bench/Atrium.FeedBench
  bench_start redis redis-server --port "$FEED_REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize no --dir "$BENCH_TMP"
  local i
  for i in $(seq 1 100); do redis-cli -p "$FEED_REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
  redis-cli -p "$FEED_REDIS_PORT" ping >/dev/null 2>&1 || { cat "$BENCH_TMP/redis.log" >&2; bench_die "Redis did not start"; }

  local shape=()
  [ "$SHAPE" = distributed ] && shape=(env ATRIUM_TEST_SHAPE=distributed)
  # Run from the output folder: the test host finds the server's content root from there.
  # shellcheck disable=SC2086 # FEED_ARGS is a list of options
  (cd bench/Atrium.FeedBench/bin/Release/net10.0 && Logging__LogLevel__Default=Error "${shape[@]}" dotnet Atrium.FeedBench.dll \
    --redis "127.0.0.1:$FEED_REDIS_PORT" --rounds "$ROUNDS" --rate "$READ_RATE" --seconds "$(seconds "$DURATION")" \
    --followers "$FOLLOWERS" --report "$BENCH_TMP/table.md" ${FEED_ARGS:-}) 2>&1 | bench_raw "Atrium.FeedBench (every round)" >&2
  [ -s "$BENCH_TMP/table.md" ] || bench_die "the feed bench wrote no results"

  bench_setting "shape: $SHAPE (Atrium in the bench's process on Kestrel at 127.0.0.1; one Redis, \`redis-server --save '' --appendonly no\`, holds the home timelines); the load generator runs in the same process"
  bench_setting "$ROUNDS rounds of each measurement, $(seconds "$DURATION") s per read window at $READ_RATE req/s; $FOLLOWERS followers for fan-out and visibility"
  bench_note "Goals: home timeline p99 ≤ 10 ms at 2,000 req/s open loop (issue 16); fan-out ≥ 50 % of the reference; post → visible p99 ≤ 1 s (issue 5)."
  bench_end
}
