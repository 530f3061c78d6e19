# scripts/bench.sh replication: what each PostgreSQL replication mode costs a write (issue 14). Three Atrium servers,
# each on PostgreSQL alone, so the database's commit is what differs between them:
#   none   one PostgreSQL 15 server, no standby (initdb + pg_ctl)
#   async  Patroni + etcd, a primary streaming to one standby (a failover may lose the last commits)
#   sync   Patroni + etcd in synchronous mode (a commit is acknowledged once the standby has it)
# both through scripts/lib/pg-ha.sh, as `scripts/cluster.sh up --ha --replication async|sync` runs them. Measured with
# Atrium.LoadGen (open loop, latency from each request's intended start) at RATE requests/s: link creation
# (POST /api/v1/links by API key) and a chat send (POST /api/v1/conversations/{id}/messages, 1:1), rounds rotating
# the order of the three. No Redis or RabbitMQ: every answered request is one durable commit on PostgreSQL.
# Runs as root (PostgreSQL as the postgres user). Env: RATE (200 link creations/s), CHAT_RATE (50 sends/s, one
# conversation), CONNECTIONS (16), and the ports
# REPL_PORT (5394; 5395, 5396 for the next two servers), REPL_PG_PORT (54361; +2, +4, +6 and etcd +10, +12).

RATE=${RATE:-200}
# One conversation keeps its messages in order (one sequence per conversation), so its sends queue behind each other:
# a lower rate keeps the chat column about the commit, not that queue.
CHAT_RATE=${CHAT_RATE:-50}
CONNECTIONS=${CONNECTIONS:-16}
REPL_PORT=${REPL_PORT:-5394}
REPL_PG_PORT=${REPL_PG_PORT:-54361}
REPL_PG_BIN=/usr/lib/postgresql/15/bin

bench_replication_settings() { echo "RATE=$RATE CHAT_RATE=$CHAT_RATE CONNECTIONS=$CONNECTIONS"; }

repl_as_postgres() { runuser -u postgres -- "$@"; }

# A lone PostgreSQL server, default durability (fsync on, synchronous_commit on), in DIR on PORT.
repl_plain_up() {
  local dir=$1 port=$2
  install -d -o postgres -g postgres -m 700 "$dir"
  repl_as_postgres "$REPL_PG_BIN/initdb" -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 --locale=C >"$dir/initdb.log"
  printf "listen_addresses = '127.0.0.1'\nport = %s\nunix_socket_directories = '%s'\nmax_connections = 200\n" "$port" "$dir" >>"$dir/data/postgresql.conf"
  repl_as_postgres "$REPL_PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w start >/dev/null
}
repl_plain_down() { repl_as_postgres "$REPL_PG_BIN/pg_ctl" -D "$1/data" -m fast -w stop >/dev/null 2>&1 || true; }

repl_databases_down() {
  repl_plain_down "$BENCH_TMP/pg-none"
  local d
  for d in "$BENCH_TMP/pg-async" "$BENCH_TMP/pg-sync"; do [ -f "$d/topology.env" ] && pg_ha_down "$d" >/dev/null; done
  return 0
}

repl_create_db() { # PORT
  repl_as_postgres psql -h 127.0.0.1 -p "$1" -U postgres -qc "CREATE DATABASE atrium" >/dev/null
}

repl_token() { # URL USER: signs up USER and prints an access token
  curl -fs -X POST "$1/api/v1/accounts" -H 'Content-Type: application/json' -d "{\"username\":\"$2\",\"password\":\"correct horse battery staple\"}" >/dev/null
  curl -fs -X POST "$1/api/v1/sessions" -H 'Content-Type: application/json' -d "{\"username\":\"$2\",\"password\":\"correct horse battery staple\"}" | sed -n 's/.*"accessToken" *: *"\([^"]*\)".*/\1/p'
}

bench_replication() {
  bench_begin replication "What a write costs per replication mode: none vs asynchronous vs synchronous standby (PostgreSQL)"
  bench_require curl patroni etcd
  [ "$(id -u)" = 0 ] || bench_die "replication runs as root (PostgreSQL runs as the postgres user)"
  source scripts/lib/pg-ha.sh
  local modes=(none async sync) i m url
  for i in 0 1 2; do bench_free "http://127.0.0.1:$((REPL_PORT + i))/"; done
  bench_build src/Atrium.Server bench/Atrium.LoadGen

  bench_say "starting PostgreSQL: alone, and Patroni async and sync (a minute or two)"
  chmod 755 "$BENCH_TMP"
  BENCH_CLEANUPS+=(repl_databases_down)
  repl_plain_up "$BENCH_TMP/pg-none" "$REPL_PG_PORT"
  pg_ha_up "$BENCH_TMP/pg-async" async $((REPL_PG_PORT + 10)) $((REPL_PG_PORT + 2)) $((REPL_PG_PORT + 4)) | bench_raw "pg_ha_up async"
  pg_ha_up "$BENCH_TMP/pg-sync" sync $((REPL_PG_PORT + 12)) $((REPL_PG_PORT + 6)) $((REPL_PG_PORT + 8)) | bench_raw "pg_ha_up sync"
  repl_create_db "$REPL_PG_PORT"
  repl_create_db "$(pg_ha_primary "$BENCH_TMP/pg-async")"
  repl_create_db "$(pg_ha_primary "$BENCH_TMP/pg-sync")"
  local cs_none="Host=127.0.0.1;Port=$REPL_PG_PORT;Username=postgres;Database=atrium"
  local cs_async="Host=127.0.0.1:$((REPL_PG_PORT + 2)),127.0.0.1:$((REPL_PG_PORT + 4));Username=postgres;Database=atrium;Target Session Attributes=read-write"
  local cs_sync="Host=127.0.0.1:$((REPL_PG_PORT + 6)),127.0.0.1:$((REPL_PG_PORT + 8));Username=postgres;Database=atrium;Target Session Attributes=read-write"

  # Limits out of the way: this measures the write path, not the limiters.
  export Links__CreatePerMinute=100000000 Links__CreateBurst=1000000 Chat__UserSendsPerSecond=1000000 \
    Chat__UserSendBurst=1000000 Chat__ConversationSendsPerSecond=1000000 Chat__ConversationSendBurst=1000000 \
    Logging__LogLevel__Default=Warning
  local pids=()
  for i in 0 1 2; do
    m=${modes[$i]}
    local cs_var="cs_$m"
    bench_start "$m" env Atrium__DataDirectory="$BENCH_TMP/data-$m" ConnectionStrings__Postgres="${!cs_var}" \
      dotnet src/Atrium.Server/bin/Release/net10.0/Atrium.Server.dll --urls "http://127.0.0.1:$((REPL_PORT + i))"
    pids+=("$BENCH_PID")
  done
  for i in 0 1 2; do bench_wait "${modes[$i]}" "http://127.0.0.1:$((REPL_PORT + i))/health" "${pids[$i]}"; done

  # Per server: a user with an API key (link creation) and a 1:1 conversation of theirs (chat sends).
  local key conversation token other
  for i in 0 1 2; do
    m=${modes[$i]} url="http://127.0.0.1:$((REPL_PORT + i))"
    token=$(repl_token "$url" "repl$m$RANDOM")
    other="replto$m$RANDOM"
    repl_token "$url" "$other" >/dev/null
    key=$(curl -fs -X POST "$url/api/v1/api-keys" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' -d '{"name":"bench"}' | sed -n 's/.*"key" *: *"\([^"]*\)".*/\1/p')
    conversation=$(curl -fs -X POST "$url/api/v1/conversations" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' -d "{\"members\":[\"$other\"]}" | grep -o '"id" *: *"[0-9]*"' | head -n1 | grep -o '[0-9][0-9]*')
    [ -n "$key" ] && [ -n "$conversation" ] && [ -n "$token" ] || bench_die "could not set up a user, key and conversation on $m"
    printf -v "KEY_$m" '%s' "$key"; printf -v "TOKEN_$m" '%s' "$token"; printf -v "CONV_$m" '%s' "$conversation"
  done

  repl_round() { # MODE ROUND
    local m=$1 r=$2 i url k t c create send
    for i in 0 1 2; do [ "${modes[$i]}" = "$m" ] && url="http://127.0.0.1:$((REPL_PORT + i))"; done
    k="KEY_$m"; t="TOKEN_$m"; c="CONV_$m"
    create=$(run_loadgen "round $r, $m, link creation" --url "$url/api/v1/links" --method POST \
      --body '{"url":"https://example.com/landing"}' --header "X-Api-Key: ${!k}" \
      --rate "$RATE" --duration "$(seconds "$DURATION")" --warmup 1 --connections "$CONNECTIONS")
    send=$(run_loadgen "round $r, $m, chat send" --url "$url/api/v1/conversations/${!c}/messages" --method POST \
      --body '{"clientMessageId":"{unique}","text":"hello"}' --header "Authorization: Bearer ${!t}" \
      --rate "$CHAT_RATE" --duration "$(seconds "$DURATION")" --warmup 1 --connections "$CONNECTIONS")
    printf -v "R_${m}_$r" '%s | %s' "$create" "$send"
  }

  local r order
  bench_say "warming up ($WARMUP each)"
  for m in "${modes[@]}"; do DURATION=$WARMUP repl_round "$m" 0 >/dev/null; done
  for ((r = 1; r <= ROUNDS; r++)); do
    bench_say "round $r/$ROUNDS"
    case $((r % 3)) in 1) order="none async sync" ;; 2) order="sync none async" ;; 0) order="async sync none" ;; esac
    for m in $order; do repl_round "$m" "$r"; done
  done

  bench_row "| round | mode | link creation p50 / p99 / p99.9 (ms) | errors | chat send p50 / p99 / p99.9 (ms) | errors |"
  bench_row "|---|---|---|---|---|---|"
  local v c50 c99 c999 cerr s50 s99 s999 serr
  declare -A cp99 sp99 cp50 sp50
  for ((r = 1; r <= ROUNDS; r++)); do
    for m in "${modes[@]}"; do
      v="R_${m}_$r"
      read -r _ c50 c99 c999 _ cerr _ _ s50 s99 s999 _ serr <<<"${!v}"
      bench_row "| $r | $m | $c50 / $c99 / $c999 | $cerr | $s50 / $s99 / $s999 | $serr |"
      cp50[$m]+="$c50 "; cp99[$m]+="$c99 "; sp50[$m]+="$s50 "; sp99[$m]+="$s99 "
    done
  done
  for m in "${modes[@]}"; do
    # shellcheck disable=SC2086
    bench_row "| **median** | **$m** | **$(median ${cp50[$m]}) / $(median ${cp99[$m]})** | | **$(median ${sp50[$m]}) / $(median ${sp99[$m]})** | |"
  done
  bench_setting "three Atrium servers (Release) on PostgreSQL only (no Redis, no RabbitMQ): \`none\` a lone PostgreSQL 15, \`async\` and \`sync\` Patroni 3.0.2 + etcd with a primary and one streaming standby (scripts/lib/pg-ha.sh; sync: \`synchronous_mode: true\`, \`synchronous_commit = on\`); default durability (fsync on)"
  bench_setting "load: Atrium.LoadGen, open loop at $RATE link creations/s and $CHAT_RATE chat sends/s (one conversation: its sends are ordered, so they queue behind each other) on up to $CONNECTIONS connections for $DURATION per run, latency from each request's intended start; link creation \`POST /api/v1/links\` (API key), chat send \`POST /api/v1/conversations/{id}/messages\` (1:1, a new client message id per request: each a new message)"
  bench_setting "$WARMUP of warm-up per mode and kind first; $ROUNDS rounds, the order of the three rotating every round; servers, databases and load generator share the machine's cores"
  bench_note "The standby is on the same machine: a synchronous commit waits for a loopback round trip and the standby's WAL flush, the least it can cost; across machines add the network's round trip."
  bench_end
}
