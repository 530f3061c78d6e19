# scripts/bench.sh chat: CLIENTS WebSocket clients (bench/Atrium.ChatBench, one process) against Atrium (embedded
# shape) and against a bare Kestrel WebSocket broadcast server (bench/Atrium.Baseline, ChatBroadcast.cs), in 1:1
# conversations and in groups of GROUP_SIZE, rounds alternated in the same run. Open-loop sends; every client acks
# what it received every 250 ms as the web client does; loss and duplicates are counted per recipient.
# Env: CLIENTS (1000), GROUP_SIZE (100), DIRECT_RATE (sends/s, 1000), GROUP_RATE (sends/s, 50).

CLIENTS=${CLIENTS:-1000}
GROUP_SIZE=${GROUP_SIZE:-100}
DIRECT_RATE=${DIRECT_RATE:-1000}
GROUP_RATE=${GROUP_RATE:-50}
CHAT_BASELINE=http://127.0.0.1:5392
CHAT_ATRIUM=http://127.0.0.1:5393

bench_chat_settings() { echo "CLIENTS=$CLIENTS GROUP_SIZE=$GROUP_SIZE DIRECT_RATE=$DIRECT_RATE GROUP_RATE=$GROUP_RATE"; }

# The bench signs up its users through the API: registration limits and password hashing are set for that, and the
# send limits are raised so that the offered load, not the per-user token bucket, is what is measured.
CHAT_ATRIUM_ENV=(Accounts__PasswordIterations=1000 Accounts__RegistrationBurst=100000 Accounts__RegistrationsPerHour=1000000
  Chat__UserSendsPerSecond=100000 Chat__UserSendBurst=100000 Chat__ConversationSendsPerSecond=100000 Chat__ConversationSendBurst=100000)

# raise_fd_limit SOCKETS: the soft limit of open files up to what SOCKETS sockets and their peers need (root may
# raise the hard limit too).
raise_fd_limit() {
  local want=$(($1 + 4096))
  if [ "$(ulimit -Hn)" != unlimited ] && [ "$(ulimit -Hn)" -lt "$want" ]; then ulimit -Hn "$want" 2>/dev/null || true; fi
  if [ "$(ulimit -Sn)" != unlimited ] && [ "$(ulimit -Sn)" -lt "$want" ]; then ulimit -Sn "$(ulimit -Hn)"; fi
  [ "$(ulimit -Sn)" = unlimited ] || [ "$(ulimit -Sn)" -ge "$want" ] || bench_die "open files limit $(ulimit -Sn) < $want; raise it (ulimit -n) or lower the socket count"
}

bench_chat() {
  bench_begin chat "Chat: Atrium vs a bare Kestrel WebSocket broadcast server"
  bench_require curl
  bench_free "$CHAT_BASELINE/"
  bench_free "$CHAT_ATRIUM/"
  raise_fd_limit "$CLIENTS"
  bench_build bench/Atrium.Baseline src/Atrium.Server bench/Atrium.ChatBench
  export Logging__LogLevel__Default=Warning
  bench_start baseline dotnet bench/Atrium.Baseline/bin/Release/net10.0/Atrium.Baseline.dll --urls "$CHAT_BASELINE"
  bench_wait baseline "$CHAT_BASELINE/abc1234" "$BENCH_PID"
  bench_start atrium env Atrium__DataDirectory="$BENCH_TMP/data" "${CHAT_ATRIUM_ENV[@]}" \
    dotnet src/Atrium.Server/bin/Release/net10.0/Atrium.Server.dll --urls "$CHAT_ATRIUM"
  bench_wait atrium "$CHAT_ATRIUM/alive" "$BENCH_PID"

  dotnet bench/Atrium.ChatBench/bin/Release/net10.0/Atrium.ChatBench.dll \
    --atrium "$CHAT_ATRIUM" --baseline "$CHAT_BASELINE" --clients "$CLIENTS" --group-size "$GROUP_SIZE" \
    --direct-rate "$DIRECT_RATE" --group-rate "$GROUP_RATE" --warmup "$(seconds "$WARMUP")" --seconds "$(seconds "$DURATION")" \
    --rounds "$ROUNDS" --report "$BENCH_TMP/table.md" 2>&1 | bench_raw "Atrium.ChatBench (every round, both servers)" >&2
  [ -s "$BENCH_TMP/table.md" ] || bench_die "the chat bench wrote no results"

  bench_setting "$CLIENTS clients; 1:1 conversations (pairs of neighbours) at $DIRECT_RATE sends/s; groups of $GROUP_SIZE at $GROUP_RATE sends/s ($((GROUP_RATE * (GROUP_SIZE - 1))) deliveries/s offered)"
  bench_setting "Atrium: embedded shape (\`$CHAT_ATRIUM\`, SQLite), delivery receipts on, send limits raised out of the way; baseline: bench/Atrium.Baseline's /ws broadcast (\`$CHAT_BASELINE\`)"
  bench_setting "$ROUNDS rounds per scenario, the order of the two servers flips every round; $(seconds "$WARMUP") s warm-up and $(seconds "$DURATION") s measured per run"
  bench_note "Goals (issue 16): 1:1 at 1,000 sends/s p99 ≤ 20 ms, every message once (missing 0, duplicates 0); groups of 100 at 50 sends/s p99 ≤ 50 ms."
  if grep -qiE "fail|exception" "$BENCH_TMP/atrium.log"; then
    bench_note ""
    bench_note "Atrium logged failures during the run (first lines):"
    bench_note '```'
    grep -iE "fail|exception" "$BENCH_TMP/atrium.log" | head -20 >>"$BENCH_TMP/notes.md"
    bench_note '```'
  fi
  bench_end
}
