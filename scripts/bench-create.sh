#!/usr/bin/env bash
# Measures link creation (POST /api/v1/links, signed in by API key) on the two shapes, same machine, same run,
# alternating: embedded (SQLite, WAL, synchronous commits) vs distributed (one server of scripts/cluster.sh:
# PostgreSQL primary + replica, Redis, RabbitMQ). Every answer is a durable insert (201) of a new link.
# Prints a Markdown table and writes it to reports/bench-create.md. Run as root (cluster.sh needs it).
# Env: ROUNDS (3), DURATION (15s), CONNECTIONS (16), THREADS (2), WARMUP (5s).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/wrk.sh

ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-15s}
CONNECTIONS=${CONNECTIONS:-16}
THREADS=${THREADS:-2}
WARMUP=${WARMUP:-5s}
SQLITE_URL=http://127.0.0.1:5390
PG_URL=http://127.0.0.1:${SERVER_PORT:-5101}   # server 1 of scripts/cluster.sh
REPORT=reports/bench-create.md
WRK_LOG=reports/bench-create.wrk.txt

command -v wrk >/dev/null || { echo "bench: wrk is missing (scripts/install-deps.sh installs it)" >&2; exit 1; }
if curl -s -o /dev/null --max-time 2 "$SQLITE_URL/"; then echo "bench: something already listens on $SQLITE_URL" >&2; exit 1; fi
if curl -s -o /dev/null --max-time 2 "$PG_URL/alive"; then echo "bench: a cluster is already up; run scripts/cluster.sh down first" >&2; exit 1; fi

# Both shapes take the same settings: creation limits out of the way (this measures the write path, not the limiter).
export Links__CreatePerMinute=100000000 Links__CreateBurst=1000000 Logging__LogLevel__Default=Warning

echo "bench: building (Release)"
dotnet build src/Atrium.Server -c Release -nologo -v:quiet
dotnet build src/Atrium.Gateway -c Release -nologo -v:quiet

tmp=$(mktemp -d)
pid=
cleanup() {
  [ -n "$pid" ] && { kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; }
  ./scripts/cluster.sh down >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT

Atrium__DataDirectory="$tmp/data" dotnet src/Atrium.Server/bin/Release/net10.0/Atrium.Server.dll --urls "$SQLITE_URL" >"$tmp/sqlite.log" 2>&1 &
pid=$!
echo "bench: starting the cluster (1 server) on PostgreSQL, Redis, RabbitMQ"
./scripts/cluster.sh up --nodes 1 --no-build >"$tmp/cluster.log" 2>&1 || { cat "$tmp/cluster.log" >&2; exit 1; }
for i in $(seq 1 120); do curl -fs -o /dev/null "$SQLITE_URL/health" && break; sleep 0.5; done

# api_key URL: a new user and an API key of theirs.
api_key() {
  local user="bench$RANDOM$RANDOM" token
  curl -fs -X POST "$1/api/v1/accounts" -H 'Content-Type: application/json' -d "{\"username\":\"$user\",\"password\":\"correct horse battery staple\"}" >/dev/null
  token=$(curl -fs -X POST "$1/api/v1/sessions" -H 'Content-Type: application/json' -d "{\"username\":\"$user\",\"password\":\"correct horse battery staple\"}" | sed -n 's/.*"accessToken" *: *"\([^"]*\)".*/\1/p')
  curl -fs -X POST "$1/api/v1/api-keys" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' -d '{"name":"bench"}' | sed -n 's/.*"key" *: *"\([^"]*\)".*/\1/p'
}
SQLITE_KEY=$(api_key "$SQLITE_URL")
PG_KEY=$(api_key "$PG_URL")
[ -n "$SQLITE_KEY" ] && [ -n "$PG_KEY" ] || { echo "bench: could not get API keys" >&2; exit 1; }

cat >"$tmp/create.lua" <<'LUA'
wrk.method = "POST"
wrk.body = '{"url":"https://example.com/landing"}'
wrk.headers["Content-Type"] = "application/json"
LUA

# run_wrk DURATION URL KEY: prints "req/s p50_ms p99_ms errors" (errors = non-2xx/3xx + socket errors).
run_wrk() {
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$1" --latency -s "$tmp/create.lua" -H "X-Api-Key: $3" "$2/api/v1/links" | tee -a "$WRK_LOG" | wrk_summary
}

mkdir -p reports
: >"$WRK_LOG"
echo "bench: warming up ($WARMUP each)"
run_wrk "$WARMUP" "$SQLITE_URL" "$SQLITE_KEY" >/dev/null
run_wrk "$WARMUP" "$PG_URL" "$PG_KEY" >/dev/null

rows=()
for r in $(seq 1 "$ROUNDS"); do
  echo "bench: round $r/$ROUNDS: SQLite, then PostgreSQL ($DURATION each)"
  read -r s_rps s_p50 s_p99 s_err < <(run_wrk "$DURATION" "$SQLITE_URL" "$SQLITE_KEY")
  read -r p_rps p_p50 p_p99 p_err < <(run_wrk "$DURATION" "$PG_URL" "$PG_KEY")
  rows+=("| $r | $s_rps | $s_p50 / $s_p99 | $p_rps | $p_p50 / $p_p99 | $s_err / $p_err |")
done

{
  echo "# Link creation: embedded (SQLite) vs distributed (PostgreSQL)"
  echo
  echo "| round | SQLite req/s | SQLite p50 / p99 (ms) | PostgreSQL req/s | PostgreSQL p50 / p99 (ms) | errors SQLite / PostgreSQL |"
  echo "|---|---|---|---|---|---|"
  printf '%s\n' "${rows[@]}"
  echo
  echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'), commit: $(git rev-parse --short HEAD 2>/dev/null || echo none)"
  echo "- machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), kernel $(uname -r), .NET SDK $(dotnet --version)"
  echo "- \`wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency\`, POST /api/v1/links {\"url\":\"https://example.com/landing\"} with an X-Api-Key;"
  echo "  wrk, the server(s) and the databases share the same cores; rounds alternate after a $WARMUP warm-up of each."
  echo "- SQLite: one embedded server (WAL). PostgreSQL: server 1 of \`scripts/cluster.sh up --nodes 1\` (primary with a streaming"
  echo "  replica, Redis, RabbitMQ running), default PostgreSQL 15 settings (fsync on, synchronous_commit on)."
} | tee "$REPORT"
echo "bench: wrote $REPORT (raw wrk output: $WRK_LOG)"
