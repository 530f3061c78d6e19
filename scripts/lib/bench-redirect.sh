# scripts/bench.sh redirect: the hottest path, GET /{code} -> 301 of a cached link (clicks counted), against a bare
# ASP.NET Core minimal API answering a constant 301 (bench/Atrium.Baseline), same machine, same run, alternated.
# Each round and target: wrk for the most requests per second (closed loop), then Atrium.LoadGen at RATE for the
# latency (open loop, from each request's intended start).
# Env: CONNECTIONS (32), THREADS (2), RATE (5000 req/s), LOADGEN_CONNECTIONS (64).

CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}
RATE=${RATE:-5000}
LOADGEN_CONNECTIONS=${LOADGEN_CONNECTIONS:-64}
REDIRECT_BASELINE=http://127.0.0.1:5380
REDIRECT_ATRIUM=http://127.0.0.1:5381
CHROME_UA='Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36'

bench_redirect_settings() { echo "CONNECTIONS=$CONNECTIONS THREADS=$THREADS RATE=$RATE LOADGEN_CONNECTIONS=$LOADGEN_CONNECTIONS"; }

bench_redirect() {
  bench_begin redirect "Redirect of a cached link: Atrium vs a bare Kestrel 301"
  bench_require wrk curl
  bench_free "$REDIRECT_BASELINE/"
  bench_free "$REDIRECT_ATRIUM/"
  bench_build bench/Atrium.Baseline src/Atrium.Server bench/Atrium.LoadGen
  export Logging__LogLevel__Default=Warning
  bench_start baseline dotnet bench/Atrium.Baseline/bin/Release/net10.0/Atrium.Baseline.dll --urls "$REDIRECT_BASELINE"
  bench_wait baseline "$REDIRECT_BASELINE/abc1234" "$BENCH_PID"
  bench_start atrium env Atrium__DataDirectory="$BENCH_TMP/data" \
    dotnet src/Atrium.Server/bin/Release/net10.0/Atrium.Server.dll --urls "$REDIRECT_ATRIUM"
  bench_wait atrium "$REDIRECT_ATRIUM/alive" "$BENCH_PID"

  local created code status
  created=$(curl -s -X POST "$REDIRECT_ATRIUM/api/v1/links" -H 'Content-Type: application/json' -d '{"url":"https://example.com/landing"}')
  code=$(printf '%s' "$created" | sed -n 's/.*"code" *: *"\([^"]*\)".*/\1/p')
  [ -n "$code" ] || bench_die "could not create a link: $created"
  status=$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' -A "$CHROME_UA" "$REDIRECT_ATRIUM/$code")
  case "$status" in 30[12]" https://example.com/landing") ;; *) bench_die "unexpected redirect: $status" ;; esac

  bench_say "warming up ($WARMUP each)"
  run_wrk "warm-up, baseline" "$WARMUP" -t"$THREADS" -c"$CONNECTIONS" "$REDIRECT_BASELINE/abc1234" >/dev/null
  run_wrk "warm-up, Atrium" "$WARMUP" -t"$THREADS" -c"$CONNECTIONS" -H "User-Agent: $CHROME_UA" "$REDIRECT_ATRIUM/$code" >/dev/null

  WRK_EXTRA=(-H "User-Agent: $CHROME_UA")
  LOADGEN_EXTRA=(--header "User-Agent: $CHROME_UA")
  redirect_baseline() { http_round baseline "$1" "$REDIRECT_BASELINE/abc1234"; }
  redirect_atrium() { http_round atrium "$1" "$REDIRECT_ATRIUM/$code"; }
  bench_alternate redirect_baseline redirect_atrium

  bench_setting "targets: baseline \`GET $REDIRECT_BASELINE/abc1234\` (bench/Atrium.Baseline: a constant 301); Atrium \`GET $REDIRECT_ATRIUM/$code\` → \`$status\` (embedded shape, a link made by an anonymous POST, cached after the first hit, clicks counted)"
  bench_setting "throughput: \`wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency\` with a Chrome user agent (closed loop: the most req/s)"
  bench_setting "latency: \`Atrium.LoadGen --rate $RATE --duration $(seconds "$DURATION") --connections $LOADGEN_CONNECTIONS\` (open loop, from each request's intended start, 1 s warm-up)"
  bench_setting "$WARMUP of wrk warm-up on each target first; $ROUNDS rounds, the order of the two flips every round; wrk, LoadGen and both servers share the machine's cores"
  http_table baseline baseline atrium Atrium
  bench_note "Goals (issue 16): Atrium / baseline ≥ 0.90 in req/s; Atrium's p99 within 2× of the baseline's (open loop, same rate)."
  bench_end
}
