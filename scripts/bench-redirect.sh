#!/usr/bin/env bash
# Measures the hottest path, GET /{code} -> 301, against a bare ASP.NET Core baseline
# (bench/Atrium.Baseline) on the same machine in the same run, alternating the two.
# Prints a Markdown table and writes it to reports/bench-redirect.md.
# Env: ROUNDS (3), DURATION (20s), CONNECTIONS (32), THREADS (2), WARMUP (5s).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/wrk.sh

ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-20s}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}
WARMUP=${WARMUP:-5s}
BASELINE_URL=http://127.0.0.1:5380
ATRIUM_URL=http://127.0.0.1:5381
UA='Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36'
REPORT=reports/bench-redirect.md
WRK_LOG=reports/bench-redirect.wrk.txt  # raw wrk output of every run

command -v wrk >/dev/null || { echo "bench: wrk is missing (scripts/install-deps.sh installs it)" >&2; exit 1; }
for url in "$BASELINE_URL" "$ATRIUM_URL"; do
  if curl -s -o /dev/null --max-time 2 "$url/"; then echo "bench: something already listens on $url" >&2; exit 1; fi
done

echo "bench: building (Release)"
dotnet build bench/Atrium.Baseline -c Release -nologo -v:quiet
dotnet build src/Atrium.Server -c Release -nologo -v:quiet

tmp=$(mktemp -d)
pids=()
cleanup() {
  local p
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT

BASELINE_CMD="dotnet bench/Atrium.Baseline/bin/Release/net10.0/Atrium.Baseline.dll --urls $BASELINE_URL"
ATRIUM_CMD="dotnet src/Atrium.Server/bin/Release/net10.0/Atrium.Server.dll --urls $ATRIUM_URL"
export Logging__LogLevel__Default=Warning
$BASELINE_CMD >"$tmp/baseline.log" 2>&1 &
pids+=($!)
Atrium__DataDirectory="$tmp/data" $ATRIUM_CMD >"$tmp/atrium.log" 2>&1 &
pids+=($!)

# wait_until NAME URL PID: polls URL until it answers at all (any status), for up to 60 s.
wait_until() {
  local i
  for i in $(seq 1 120); do
    curl -s -o /dev/null --max-time 2 "$2" && { echo "bench: $1 is up"; return 0; }
    kill -0 "$3" 2>/dev/null || break
    sleep 0.5
  done
  echo "bench: $1 did not answer on $2; its log:" >&2
  cat "$tmp/$1.log" >&2
  exit 1
}
wait_until baseline "$BASELINE_URL/abc1234" "${pids[0]}"
wait_until atrium "$ATRIUM_URL/alive" "${pids[1]}"

created=$(curl -s -X POST "$ATRIUM_URL/api/v1/links" -H 'Content-Type: application/json' \
  -d '{"url":"https://example.com/landing"}')
code=$(printf '%s' "$created" | sed -n 's/.*"code" *: *"\([^"]*\)".*/\1/p')
[ -n "$code" ] || { echo "bench: could not create a link: $created" >&2; exit 1; }
atrium_status=$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' -A "$UA" "$ATRIUM_URL/$code")
echo "bench: created /$code -> $atrium_status"
case "$atrium_status" in 30[12]" https://example.com/landing") ;; *) echo "bench: unexpected redirect" >&2; exit 1 ;; esac

# run_wrk DURATION URL: prints "req/s p50_ms p99_ms errors" (errors = non-2xx/3xx + socket errors).
run_wrk() {
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$1" --latency -H "User-Agent: $UA" "$2" | tee -a "$WRK_LOG" | wrk_summary
}

mkdir -p reports
: >"$WRK_LOG"
echo "bench: warming up ($WARMUP each)"
run_wrk "$WARMUP" "$BASELINE_URL/abc1234" >/dev/null
run_wrk "$WARMUP" "$ATRIUM_URL/$code" >/dev/null

rows=()
ratios=()
for r in $(seq 1 "$ROUNDS"); do
  echo "bench: round $r/$ROUNDS: baseline, then Atrium ($DURATION each)"
  read -r b_rps b_p50 b_p99 b_err < <(run_wrk "$DURATION" "$BASELINE_URL/abc1234")
  read -r a_rps a_p50 a_p99 a_err < <(run_wrk "$DURATION" "$ATRIUM_URL/$code")
  [ "${b_rps:-0}" != 0 ] && [ "${a_rps:-0}" != 0 ] || { echo "bench: a wrk run failed, see $WRK_LOG" >&2; exit 1; }
  ratio=$(awk -v a="$a_rps" -v b="$b_rps" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
  ratios+=("$ratio")
  rows+=("| $r | $b_rps | $a_rps | $ratio | $a_p50 | $a_p99 | $b_p50 / $b_p99 | $b_err / $a_err |")
done
median=$(printf '%s\n' "${ratios[@]}" | sort -n | awk '{ v[NR] = $1 } END { printf "%.2f", (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }')

wrk_cmd="wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency -H 'User-Agent: $UA'"
{
  echo "# Redirect benchmark: Atrium vs a bare ASP.NET Core 301"
  echo
  echo "| round | baseline req/s | Atrium req/s | Atrium / baseline | Atrium p50 (ms) | Atrium p99 (ms) | baseline p50 / p99 (ms) | errors baseline / Atrium |"
  echo "|---|---|---|---|---|---|---|---|"
  printf '%s\n' "${rows[@]}"
  echo
  echo "**Median ratio (Atrium / baseline): $median**"
  echo
  echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'), commit: $(git rev-parse --short HEAD 2>/dev/null || echo none)"
  echo "- machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), kernel $(uname -r), .NET SDK $(dotnet --version), $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2)"
  echo "- wrk runs on the same host as both servers; rounds alternate baseline and Atrium after a $WARMUP warm-up of each."
  echo "- Atrium answered \`GET /$code\` with \`$atrium_status\`; errors count non-2xx/3xx responses plus socket errors."
  echo
  echo "Commands (servers with \`Logging__LogLevel__Default=Warning\`; Atrium with \`Atrium__DataDirectory=<temp dir>\`):"
  echo
  echo '```'
  echo "$BASELINE_CMD"
  echo "$ATRIUM_CMD"
  echo "curl -s -X POST $ATRIUM_URL/api/v1/links -H 'Content-Type: application/json' -d '{\"url\":\"https://example.com/landing\"}'"
  echo "$wrk_cmd $BASELINE_URL/abc1234"
  echo "$wrk_cmd $ATRIUM_URL/$code"
  echo '```'
} | tee "$REPORT"
echo "bench: wrote $REPORT (raw wrk output: $WRK_LOG)"
