# scripts/bench.sh create: writes by 16 concurrent writers, signed in by API key, every answer a durable insert — link
# creation (POST /api/v1/links) and posts (POST /api/v1/posts) — on the embedded default (SQLite, WAL, synchronous
# commits) vs one server on PostgreSQL (server 1 of `scripts/cluster.sh up --nodes 1`: primary + streaming replica,
# Redis, RabbitMQ), same run, alternated. wrk with CONNECTIONS writers for writes/s; Atrium.LoadGen at RATE on as
# many connections for the latency. Runs as root (cluster.sh). Env: WRITES ("links posts"), CONNECTIONS (16),
# THREADS (2), RATE (1000 writes/s), and cluster.sh's ports (SERVER_PORT 5101, GATEWAY_PORT, PG_PORT, REDIS_PORT, ...).
# Not measured here: follows (each needs a pair never followed before) and sign-ups (PBKDF2 by design).

CONNECTIONS=${CONNECTIONS:-16}
THREADS=${THREADS:-2}
RATE=${RATE:-1000}
WRITES=${WRITES:-links posts}
LOADGEN_CONNECTIONS=$CONNECTIONS
CREATE_SQLITE=http://127.0.0.1:5390
CREATE_PG=http://127.0.0.1:${SERVER_PORT:-5101}

bench_create_settings() { echo "WRITES=\"$WRITES\" CONNECTIONS=$CONNECTIONS THREADS=$THREADS RATE=$RATE"; }

write_path() { case $1 in links) echo /api/v1/links ;; posts) echo /api/v1/posts ;; *) bench_die "unknown write $1 (WRITES: links posts)" ;; esac; }
write_body() { case $1 in links) echo '{"url":"https://example.com/landing"}' ;; posts) echo '{"text":"a benchmark post"}' ;; esac; }

# api_key URL: a new user and an API key of theirs.
api_key() {
  local user="bench$RANDOM$RANDOM" token
  curl -fs -X POST "$1/api/v1/accounts" -H 'Content-Type: application/json' -d "{\"username\":\"$user\",\"password\":\"correct horse battery staple\"}" >/dev/null
  token=$(curl -fs -X POST "$1/api/v1/sessions" -H 'Content-Type: application/json' -d "{\"username\":\"$user\",\"password\":\"correct horse battery staple\"}" | sed -n 's/.*"accessToken" *: *"\([^"]*\)".*/\1/p')
  curl -fs -X POST "$1/api/v1/api-keys" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' -d '{"name":"bench"}' | sed -n 's/.*"key" *: *"\([^"]*\)".*/\1/p'
}

cluster_down() { ./scripts/cluster.sh down >>"$BENCH_TMP/cluster.log" 2>&1; }

bench_create() {
  bench_begin create "Writes (links, posts): embedded (SQLite) vs distributed (PostgreSQL)"
  bench_require wrk curl
  [ "$(id -u)" = 0 ] || bench_die "create runs as root (scripts/cluster.sh starts PostgreSQL and RabbitMQ as their own users)"
  bench_free "$CREATE_SQLITE/"
  if curl -s -o /dev/null --max-time 2 "$CREATE_PG/alive"; then bench_die "a cluster is already up; run scripts/cluster.sh down first"; fi
  bench_build src/Atrium.Server src/Atrium.Gateway bench/Atrium.LoadGen
  # Both shapes take the same settings: creation limits out of the way (this measures the write path, not the limiter).
  export Links__CreatePerMinute=100000000 Links__CreateBurst=1000000 Feed__PostsPerMinute=100000000 Feed__PostsBurst=1000000 \
    Logging__LogLevel__Default=Warning

  bench_start sqlite env Atrium__DataDirectory="$BENCH_TMP/data" \
    dotnet src/Atrium.Server/bin/Release/net10.0/Atrium.Server.dll --urls "$CREATE_SQLITE"
  local sqlite_pid=$BENCH_PID
  bench_say "starting the cluster (1 server) on PostgreSQL, Redis, RabbitMQ"
  BENCH_CLEANUPS+=(cluster_down)
  ./scripts/cluster.sh up --nodes 1 --no-build >"$BENCH_TMP/cluster.log" 2>&1 || { cat "$BENCH_TMP/cluster.log" >&2; bench_die "the cluster did not start"; }
  bench_wait sqlite "$CREATE_SQLITE/health" "$sqlite_pid"

  local sqlite_key pg_key
  sqlite_key=$(api_key "$CREATE_SQLITE")
  pg_key=$(api_key "$CREATE_PG")
  [ -n "$sqlite_key" ] && [ -n "$pg_key" ] || bench_die "could not get API keys"
  local kind path body
  for kind in $WRITES; do
    path=$(write_path "$kind")
    body=$(write_body "$kind")
    printf '%s\n' 'wrk.method = "POST"' "wrk.body = '$body'" 'wrk.headers["Content-Type"] = "application/json"' >"$BENCH_TMP/$kind.lua"
    bench_say "$kind: warming up ($WARMUP each)"
    run_wrk "$kind, warm-up, SQLite" "$WARMUP" -t"$THREADS" -c"$CONNECTIONS" -s "$BENCH_TMP/$kind.lua" -H "X-Api-Key: $sqlite_key" "$CREATE_SQLITE$path" >/dev/null
    run_wrk "$kind, warm-up, PostgreSQL" "$WARMUP" -t"$THREADS" -c"$CONNECTIONS" -s "$BENCH_TMP/$kind.lua" -H "X-Api-Key: $pg_key" "$CREATE_PG$path" >/dev/null
    create_pg() {
      WRK_EXTRA=(-s "$BENCH_TMP/$kind.lua" -H "X-Api-Key: $pg_key")
      LOADGEN_EXTRA=(--method POST --body "$body" --header "X-Api-Key: $pg_key")
      http_round "pg_$kind" "$1" "$CREATE_PG$path"
    }
    create_sqlite() {
      WRK_EXTRA=(-s "$BENCH_TMP/$kind.lua" -H "X-Api-Key: $sqlite_key")
      LOADGEN_EXTRA=(--method POST --body "$body" --header "X-Api-Key: $sqlite_key")
      http_round "sqlite_$kind" "$1" "$CREATE_SQLITE$path"
    }
    bench_alternate create_pg create_sqlite
    [ -s "$BENCH_TMP/table.md" ] && bench_row ""
    bench_row "### $kind: \`POST $path $body\`"
    bench_row ""
    http_table "pg_$kind" PostgreSQL "sqlite_$kind" SQLite
  done

  bench_setting "writes: $WRITES (\`POST /api/v1/links\`, \`POST /api/v1/posts\`) with an \`X-Api-Key\`; every 201 is a durable insert of a new row (and, for a post, its outbox event)"
  bench_setting "SQLite: one embedded server (\`$CREATE_SQLITE\`, WAL, synchronous commits). PostgreSQL: server 1 of \`scripts/cluster.sh up --nodes 1\` (\`$CREATE_PG\`; primary + streaming replica, Redis, RabbitMQ), default PostgreSQL 15 settings (fsync on, synchronous_commit on)"
  bench_setting "writers: \`wrk -t$THREADS -c$CONNECTIONS -d$DURATION\` (closed loop, $CONNECTIONS concurrent writers); latency: \`Atrium.LoadGen --rate $RATE --connections $CONNECTIONS --duration $(seconds "$DURATION")\`"
  bench_setting "$WARMUP of wrk warm-up on each first; $ROUNDS rounds, the order flips every round; the load tools, the servers and the databases share the machine's cores"
  bench_note "Goals (issue 16), embedded with 16 writers: links p99 ≤ 25 ms (the wrk p99 column), ≥ 3,000 creations/s, 0 errors; posts p99 ≤ 25 ms."
  bench_end
}
