# scripts/bench.sh gateway: the redirect of a cached link through Atrium.Gateway (YARP) in front of 2 servers vs
# one of those servers directly, on the distributed cluster (`scripts/cluster.sh up --nodes 2`: PostgreSQL primary +
# replica, Redis, RabbitMQ), same run, alternated. wrk for req/s, Atrium.LoadGen at RATE for the latency.
# Runs as root (cluster.sh). Env: CONNECTIONS (32), THREADS (2), RATE (2000 req/s), LOADGEN_CONNECTIONS (64), and
# cluster.sh's ports (GATEWAY_PORT 5100, SERVER_PORT 5101, PG_PORT, REDIS_PORT, RABBIT_PORT, ...).

CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}
RATE=${RATE:-2000}
LOADGEN_CONNECTIONS=${LOADGEN_CONNECTIONS:-64}
GATEWAY_URL=http://127.0.0.1:${GATEWAY_PORT:-5100}
GATEWAY_SERVER1=http://127.0.0.1:${SERVER_PORT:-5101}
GATEWAY_UA='Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36'

bench_gateway_settings() { echo "CONNECTIONS=$CONNECTIONS THREADS=$THREADS RATE=$RATE LOADGEN_CONNECTIONS=$LOADGEN_CONNECTIONS"; }

gateway_cluster_down() { ./scripts/cluster.sh down >>"$BENCH_TMP/cluster.log" 2>&1; }

bench_gateway() {
  bench_begin gateway "Gateway: the redirect through Atrium.Gateway → 2 servers vs one server directly"
  bench_require wrk curl
  [ "$(id -u)" = 0 ] || bench_die "gateway runs as root (scripts/cluster.sh starts PostgreSQL and RabbitMQ as their own users)"
  if curl -s -o /dev/null --max-time 2 "$GATEWAY_SERVER1/alive" || curl -s -o /dev/null --max-time 2 "$GATEWAY_URL/"; then
    bench_die "a cluster is already up; run scripts/cluster.sh down first"
  fi
  bench_build src/Atrium.Server src/Atrium.Gateway bench/Atrium.LoadGen
  export Logging__LogLevel__Default=Warning
  bench_say "starting the cluster (2 servers and the gateway) on PostgreSQL, Redis, RabbitMQ"
  BENCH_CLEANUPS+=(gateway_cluster_down)
  ./scripts/cluster.sh up --nodes 2 --no-build >"$BENCH_TMP/cluster.log" 2>&1 || { cat "$BENCH_TMP/cluster.log" >&2; bench_die "the cluster did not start"; }

  local created code direct via
  created=$(curl -s -X POST "$GATEWAY_URL/api/v1/links" -H 'Content-Type: application/json' -d '{"url":"https://example.com/landing"}')
  code=$(printf '%s' "$created" | sed -n 's/.*"code" *: *"\([^"]*\)".*/\1/p')
  [ -n "$code" ] || bench_die "could not create a link through the gateway: $created"
  direct=$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' -A "$GATEWAY_UA" "$GATEWAY_SERVER1/$code")
  via=$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' -A "$GATEWAY_UA" "$GATEWAY_URL/$code")
  [ "$direct" = "$via" ] && [[ $direct == 30[12]" https://example.com/landing" ]] || bench_die "unexpected redirects: direct $direct, gateway $via"

  WRK_EXTRA=(-H "User-Agent: $GATEWAY_UA")
  LOADGEN_EXTRA=(--header "User-Agent: $GATEWAY_UA")
  bench_say "warming up ($WARMUP each)"
  run_wrk "warm-up, one server" "$WARMUP" -t"$THREADS" -c"$CONNECTIONS" "${WRK_EXTRA[@]}" "$GATEWAY_SERVER1/$code" >/dev/null
  run_wrk "warm-up, gateway" "$WARMUP" -t"$THREADS" -c"$CONNECTIONS" "${WRK_EXTRA[@]}" "$GATEWAY_URL/$code" >/dev/null

  gateway_direct() { http_round direct "$1" "$GATEWAY_SERVER1/$code"; }
  gateway_via() { http_round gateway "$1" "$GATEWAY_URL/$code"; }
  bench_alternate gateway_direct gateway_via

  bench_setting "cluster: \`scripts/cluster.sh up --nodes 2\` (2 Atrium servers on PostgreSQL primary + replica, Redis, RabbitMQ; Atrium.Gateway at \`$GATEWAY_URL\` spreading over both); link \`/$code\` made through the gateway, answered \`$via\`"
  bench_setting "one server directly: server 1 (\`$GATEWAY_SERVER1\`); gateway: \`$GATEWAY_URL\` → both servers"
  bench_setting "throughput: \`wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency\`; latency: \`Atrium.LoadGen --rate $RATE --connections $LOADGEN_CONNECTIONS --duration $(seconds "$DURATION")\` (open loop)"
  bench_setting "$WARMUP of wrk warm-up on each first; $ROUNDS rounds, the order flips every round; on one machine the gateway, both servers, the databases and the load tools share the same cores, so this measures the hop's cost, not scale-out"
  http_table direct "one server" gateway gateway
  bench_end
}
