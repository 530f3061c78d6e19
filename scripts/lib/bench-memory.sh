# scripts/bench.sh memory: SOCKETS idle chat WebSockets held HOLD seconds against one server, its resident memory
# (VmRSS) read before they connect and at the end of the hold, reported per socket. Atrium (embedded shape; every
# socket a signed-up user, signed in by its hello and welcomed) vs the bare Kestrel broadcast server (one room each).
# Every round starts both servers afresh (RSS only grows within a process), the order flipping every round.
# Env: SOCKETS (10000), HOLD (20 s). Raises the open-files limit for the sockets (the script's processes only).

SOCKETS=${SOCKETS:-10000}
HOLD=${HOLD:-20}
MEMORY_BASELINE=http://127.0.0.1:5394
MEMORY_ATRIUM=http://127.0.0.1:5395

bench_memory_settings() { echo "SOCKETS=$SOCKETS HOLD=$HOLD"; }

bench_memory() {
  # shellcheck source=bench-chat.sh
  source scripts/lib/bench-chat.sh # CHAT_ATRIUM_ENV, raise_fd_limit
  bench_begin memory "Memory: $SOCKETS idle chat WebSockets, Atrium vs a bare Kestrel WebSocket server"
  bench_require curl
  bench_free "$MEMORY_BASELINE/"
  bench_free "$MEMORY_ATRIUM/"
  raise_fd_limit "$SOCKETS"
  bench_build bench/Atrium.Baseline src/Atrium.Server bench/Atrium.ChatBench
  export Logging__LogLevel__Default=Warning

  # idle_round LABEL ROUND: a fresh server, SOCKETS sockets held, the server stopped; sets M_<LABEL>_<ROUND>.
  idle_round() {
    local label=$1 round=$2 url pid line
    if [ "$label" = baseline ]; then
      url=$MEMORY_BASELINE
      bench_start "baseline-$round" dotnet bench/Atrium.Baseline/bin/Release/net10.0/Atrium.Baseline.dll --urls "$url"
      pid=$BENCH_PID
      bench_wait "baseline-$round" "$url/abc1234" "$pid"
    else
      url=$MEMORY_ATRIUM
      bench_start "atrium-$round" env Atrium__DataDirectory="$BENCH_TMP/data-$round" "${CHAT_ATRIUM_ENV[@]}" \
        dotnet src/Atrium.Server/bin/Release/net10.0/Atrium.Server.dll --urls "$url"
      pid=$BENCH_PID
      bench_wait "atrium-$round" "$url/alive" "$pid"
    fi
    line=$(dotnet bench/Atrium.ChatBench/bin/Release/net10.0/Atrium.ChatBench.dll --idle "$SOCKETS" --hold "$HOLD" \
      --target "$label" --pid "$pid" --atrium "$MEMORY_ATRIUM" --baseline "$MEMORY_BASELINE" 2>&1 \
      | bench_raw "round $round, $label: Atrium.ChatBench --idle $SOCKETS --hold $HOLD" | awk '/^idle-result:/ { print $2, $3, $4, $5, $6, $7 }')
    bench_stop "$pid"
    [ -n "$line" ] || bench_die "round $round, $label: the idle run reported nothing (see the raw output in $REPORT)"
    printf -v "M_${label}_$round" '%s' "$line"
  }
  memory_baseline() { idle_round baseline "$1"; }
  memory_atrium() { idle_round atrium "$1"; }
  bench_alternate memory_baseline memory_atrium

  local r v label name per=() _n conn open before after kib
  bench_row "| round | server | sockets connected | still open after ${HOLD} s | RSS before (MiB) | RSS after (MiB) | KiB per socket |"
  bench_row "|---|---|---|---|---|---|---|"
  for label in baseline atrium; do
    per=()
    [ "$label" = baseline ] && name="bare Kestrel WebSocket" || name=Atrium
    for ((r = 1; r <= ROUNDS; r++)); do
      v="M_${label}_$r"; read -r _n conn open before after kib <<<"${!v}"
      per+=("$kib")
      bench_row "| $r | $name | $conn | $open | $((before / 1024)) | $((after / 1024)) | $kib |"
    done
    bench_row "| **median** | $name | | | | | **$(median "${per[@]}")** |"
  done
  bench_setting "$SOCKETS sockets from one client process (bench/Atrium.ChatBench --idle), held idle $HOLD s; RSS = VmRSS of the server process from /proc, read after sign-ups and a 5 s settle (before) and at the end of the hold (after); per socket = (after − before) / connected"
  bench_setting "Atrium: embedded shape (\`$MEMORY_ATRIUM\`), each socket a distinct signed-up user sending \`hello\` with its token and waiting for \`welcome\`; baseline: bench/Atrium.Baseline's /ws (\`$MEMORY_BASELINE\`), one room per socket"
  bench_setting "$ROUNDS rounds, both servers started afresh every round, the order flipping; open-files limit in the run: $(ulimit -Sn)"
  bench_note "Goal (issue 16): 10,000 idle WebSockets, ≤ 16 KiB per socket on the server."
  bench_end
}
