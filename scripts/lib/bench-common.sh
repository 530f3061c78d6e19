# Shared by scripts/bench.sh and its modes (scripts/lib/bench-*.sh); source it from the repository root.
# One mechanism each, written once: settings, building, starting and stopping processes by pid, the report
# (commit, machine, load average at start and end, settings, a results table, every round's raw output),
# rounds alternated baseline vs subject, medians, and the two load tools:
#   wrk                 closed loop: the most requests per second a target answers (throughput columns);
#   bench/Atrium.LoadGen open loop at a fixed rate, latency from each request's intended start (latency columns).

ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-20s}
WARMUP=${WARMUP:-5s}
BENCH_TMP=${BENCH_TMP:-}
BENCH_PIDS=()
BENCH_CLEANUPS=()

bench_say() { printf 'bench: %s\n' "$*" >&2; }
bench_die() { printf 'bench: %s\n' "$*" >&2; exit 1; }

# seconds 20s -> 20 (the C# tools take plain seconds; wrk takes either).
seconds() { local v=${1%s}; printf '%s' "${v:-0}"; }

bench_require() { # TOOL...: each must be on PATH
  local t
  for t in "$@"; do command -v "$t" >/dev/null || bench_die "$t is missing (scripts/install-deps.sh installs it)"; done
}

bench_build() { # PROJECT...: Release builds, quietly (none with NO_BUILD=1: `all` builds everything once first)
  local p
  [ "${NO_BUILD:-0}" = 1 ] && return 0
  for p in "$@"; do
    bench_say "building $p (Release)"
    dotnet build "$p" -c Release -nologo -v:quiet >"$BENCH_TMP/build.log" 2>&1 || { cat "$BENCH_TMP/build.log" >&2; bench_die "build of $p failed"; }
  done
}

bench_free() { # URL: nothing may answer there yet
  if curl -s -o /dev/null --max-time 2 "$1"; then bench_die "something already listens on $1"; fi
}

# bench_start NAME CMD...: starts CMD in the background (log: $BENCH_TMP/NAME.log); its pid lands in BENCH_PID
# and in the list cleanup stops. `dotnet app.dll` runs the app in that very process, so the pid is the server's.
bench_start() {
  local name=$1
  shift
  "$@" >"$BENCH_TMP/$name.log" 2>&1 &
  BENCH_PID=$!
  BENCH_PIDS+=("$BENCH_PID")
}

bench_stop() { # PID: SIGTERM, up to 15 s, then SIGKILL
  local p=$1 i
  kill "$p" 2>/dev/null || return 0
  for ((i = 0; i < 30; i++)); do kill -0 "$p" 2>/dev/null || break; sleep 0.5; done
  kill -9 "$p" 2>/dev/null || true
  wait "$p" 2>/dev/null || true
}

bench_wait() { # NAME URL PID: polls URL until it answers at all (any status), for up to 90 s
  local i
  for ((i = 0; i < 180; i++)); do
    curl -s -o /dev/null --max-time 2 "$2" && { bench_say "$1 is up ($2)"; return 0; }
    kill -0 "$3" 2>/dev/null || break
    sleep 0.5
  done
  bench_say "$1 did not answer on $2; its log:"
  tail -n 40 "$BENCH_TMP/$1.log" >&2 || true
  exit 1
}

bench_cleanup() {
  local p f
  for p in "${BENCH_PIDS[@]}"; do bench_stop "$p"; done
  for f in "${BENCH_CLEANUPS[@]}"; do "$f" || true; done
  BENCH_PIDS=()
  BENCH_CLEANUPS=()
  [ -n "$BENCH_TMP" ] && rm -rf "$BENCH_TMP"
  BENCH_TMP=
}

# --- the report --------------------------------------------------------------------------------------------------
# bench_begin NAME TITLE: reports/NAME.md is assembled by bench_end from the pieces gathered meanwhile.
bench_begin() {
  BENCH_NAME=$1
  BENCH_TITLE=$2
  BENCH_TMP=$(mktemp -d)
  trap bench_cleanup EXIT
  REPORT=reports/$1.md
  BENCH_STARTED=$(date -u '+%Y-%m-%d %H:%M:%S UTC')
  BENCH_LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
  : >"$BENCH_TMP/settings.md"
  : >"$BENCH_TMP/table.md"
  : >"$BENCH_TMP/notes.md"
  : >"$BENCH_TMP/raw.md"
  mkdir -p reports
  bench_say "$1: $2"
}

bench_setting() { printf -- '- %s\n' "$*" >>"$BENCH_TMP/settings.md"; } # one line of the settings list
bench_row() { printf '%s\n' "$*" >>"$BENCH_TMP/table.md"; }             # one line of the results (Markdown)
bench_note() { printf '%s\n' "$*" >>"$BENCH_TMP/notes.md"; }            # a line under the results

# bench_raw TITLE: stdin (a tool's whole output) goes into the report's raw section, and through to stdout.
bench_raw() {
  local file=$BENCH_TMP/raw.$RANDOM.txt
  tee "$file"
  { printf '\n### %s\n\n```\n' "$1"; cat "$file"; printf '```\n'; } >>"$BENCH_TMP/raw.md"
  rm -f "$file"
}

bench_machine() {
  local cpu mem
  cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')
  mem=$(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
  printf '%s cores (nproc), %s, %s memory, kernel %s, .NET SDK %s' "$(nproc)" "${cpu:-unknown CPU}" "$mem" "$(uname -r)" "$(dotnet --version)"
}

bench_end() {
  local commit dirty=""
  commit=$(git rev-parse --short HEAD 2>/dev/null || echo none)
  [ -n "$(git status --porcelain --untracked-files=no 2>/dev/null)" ] && dirty=" (with uncommitted changes)"
  {
    printf '# %s\n\n' "$BENCH_TITLE"
    printf -- '- command: `%s`\n' "$BENCH_COMMAND"
    printf -- '- commit: %s%s; started %s, ended %s\n' "$commit" "$dirty" "$BENCH_STARTED" "$(date -u '+%Y-%m-%d %H:%M:%S UTC')"
    printf -- '- machine: %s\n' "$(bench_machine)"
    printf -- '- load average (1/5/15 min): %s at the start, %s at the end\n' "$BENCH_LOAD_START" "$(cut -d' ' -f1-3 /proc/loadavg)"
    cat "$BENCH_TMP/settings.md"
    printf '\n## Results\n\n'
    cat "$BENCH_TMP/table.md"
    if [ -s "$BENCH_TMP/notes.md" ]; then printf '\n'; cat "$BENCH_TMP/notes.md"; fi
    printf '\n## Raw output of every run\n'
    cat "$BENCH_TMP/raw.md"
  } >"$REPORT"
  bench_say "wrote $REPORT"
}

# --- rounds and medians ------------------------------------------------------------------------------------------
# bench_alternate BASELINE_FN SUBJECT_FN: ROUNDS rounds, each function called with the round number; the order
# flips every round (B S, S B, B S, ...) so a drift of the machine's load does not favour one side.
bench_alternate() {
  local r
  for ((r = 1; r <= ROUNDS; r++)); do
    bench_say "round $r/$ROUNDS"
    if ((r % 2)); then "$1" "$r"; "$2" "$r"; else "$2" "$r"; "$1" "$r"; fi
  done
}

median() { # VALUE...: the median (mean of the middle two for an even count)
  printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) { print "n/a"; exit } m = (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2); if (m == int(m)) printf "%d\n", m; else printf "%.2f\n", m }'
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f\n", a / b; else print "n/a" }'; }

# --- the load tools ----------------------------------------------------------------------------------------------
LOADGEN=bench/Atrium.LoadGen/bin/Release/net10.0/Atrium.LoadGen.dll

# wrk_summary: `wrk --latency` output on stdin -> "req/s p50_ms p99_ms errors" (errors: non-2xx/3xx + socket errors).
wrk_summary() {
  awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /^Requests\/sec:/ { rps = $2 }
    $1 == "50%" { p50 = ms($2) }
    $1 == "99%" { p99 = ms($2) }
    /Non-2xx or 3xx responses:/ { err += $NF }
    /Socket errors:/ { gsub(/,/, ""); err += $4 + $6 + $8 + $10 }
    END { printf "%.0f %.2f %.2f %d\n", rps, p50, p99, err }'
}

# run_wrk TITLE DURATION WRK_ARGS...: closed loop; the raw output goes to the report; prints wrk_summary's line.
run_wrk() {
  local title=$1 duration=$2
  shift 2
  wrk -d"$duration" --latency "$@" 2>&1 | bench_raw "$title: wrk -d$duration --latency $*" | wrk_summary
}

# run_loadgen TITLE LOADGEN_ARGS...: open loop; prints "req/s p50 p99 p99.9 max errors" (ms).
run_loadgen() {
  local title=$1
  shift
  dotnet "$LOADGEN" "$@" 2>&1 | bench_raw "$title: Atrium.LoadGen $*" | awk '/^loadgen:/ { print $2, $3, $4, $5, $6, $7; found = 1 } END { if (!found) print "0 0 0 0 0 -1" }'
}

# --- HTTP rounds (redirect, create, gateway) ----------------------------------------------------------------------
# http_round LABEL ROUND URL: wrk (THREADS, CONNECTIONS, DURATION, plus WRK_EXTRA) then LoadGen (RATE,
# LOADGEN_CONNECTIONS, plus LOADGEN_EXTRA) against URL; sets R_<LABEL>_<ROUND> to
# "req/s wrk_p50 wrk_p99 wrk_errors | open-loop req/s p50 p99 p99.9 max errors".
http_round() {
  local label=$1 round=$2 url=$3 w l
  w=$(run_wrk "round $round, $label, throughput" "$DURATION" -t"$THREADS" -c"$CONNECTIONS" "${WRK_EXTRA[@]}" "$url")
  l=$(run_loadgen "round $round, $label, latency" --url "$url" --rate "$RATE" --duration "$(seconds "$DURATION")" \
    --warmup 1 --connections "$LOADGEN_CONNECTIONS" "${LOADGEN_EXTRA[@]}")
  printf -v "R_${label}_$round" '%s %s' "$w" "$l"
}

# http_table BASELINE_LABEL BASELINE_NAME SUBJECT_LABEL SUBJECT_NAME: every round and the medians, from R_*.
http_table() {
  local b=$1 bn=$2 s=$3 sn=$4 r v ratios=() p99r=() brps=() srps=() bp99=() sp99=() bw99=() sw99=()
  local b_rps b_w50 b_w99 b_err b_p50 b_p99 b_p999 b_oerr s_rps s_w50 s_w99 s_err s_p50 s_p99 s_p999 s_oerr
  bench_row "| round | $bn req/s | $sn req/s | $sn / $bn | $bn wrk p50 / p99 (ms) | $sn wrk p50 / p99 (ms) | $bn open loop p50 / p99 / p99.9 (ms) | $sn open loop p50 / p99 / p99.9 (ms) | $sn p99 / $bn p99 (open loop) | errors $bn / $sn |"
  bench_row "|---|---|---|---|---|---|---|---|---|---|"
  for ((r = 1; r <= ROUNDS; r++)); do
    v="R_${b}_$r"; read -r b_rps b_w50 b_w99 b_err _ b_p50 b_p99 b_p999 _ b_oerr <<<"${!v}"
    v="R_${s}_$r"; read -r s_rps s_w50 s_w99 s_err _ s_p50 s_p99 s_p999 _ s_oerr <<<"${!v}"
    ratios+=("$(ratio "$s_rps" "$b_rps")"); p99r+=("$(ratio "$s_p99" "$b_p99")")
    brps+=("$b_rps"); srps+=("$s_rps"); bp99+=("$b_p99"); sp99+=("$s_p99"); bw99+=("$b_w99"); sw99+=("$s_w99")
    bench_row "| $r | $b_rps | $s_rps | ${ratios[-1]} | $b_w50 / $b_w99 | $s_w50 / $s_w99 | $b_p50 / $b_p99 / $b_p999 | $s_p50 / $s_p99 / $s_p999 | ${p99r[-1]} | $((b_err + b_oerr)) / $((s_err + s_oerr)) |"
  done
  bench_row "| **median** | $(median "${brps[@]}") | $(median "${srps[@]}") | **$(median "${ratios[@]}")** | p99 $(median "${bw99[@]}") | p99 $(median "${sw99[@]}") | p99 $(median "${bp99[@]}") | p99 $(median "${sp99[@]}") | **$(median "${p99r[@]}")** | |"
  [ -n "${HTTP_TABLE_NOTED:-}" ] && return 0
  HTTP_TABLE_NOTED=1
  bench_note "Columns: req/s and \"wrk\" latency from \`wrk -t$THREADS -c$CONNECTIONS -d$DURATION\` (closed loop: each connection waits for its answer, so its latency omits queueing); \"open loop\" from Atrium.LoadGen at $RATE req/s on up to $LOADGEN_CONNECTIONS connections, from each request's intended start. Errors: non-2xx/3xx answers and socket errors of both tools."
}
