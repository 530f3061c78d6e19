#!/usr/bin/env bash
# Chat benchmark: 1,000 WebSocket clients (bench/Atrium.ChatBench) against Atrium (embedded shape) and against a bare
# Kestrel WebSocket broadcast server (bench/Atrium.Baseline, ChatBroadcast.cs), on the same machine in the same run,
# in 1:1 conversations and in groups of 100. Writes reports/chat.md.
# Env: REPORT (reports/chat.md), CLIENTS (1000), GROUP_SIZE (100), DIRECT_RATE (sends/s, 1000), GROUP_RATE (sends/s, 50), WARMUP (s, 5), DURATION (s, 20).
set -euo pipefail
cd "$(dirname "$0")/.."

CLIENTS=${CLIENTS:-1000}
GROUP_SIZE=${GROUP_SIZE:-100}
DIRECT_RATE=${DIRECT_RATE:-1000}
GROUP_RATE=${GROUP_RATE:-50}
WARMUP=${WARMUP:-5}
SECONDS_MEASURED=${DURATION:-20}
BASELINE_URL=http://127.0.0.1:5390
ATRIUM_URL=http://127.0.0.1:5391
REPORT=${REPORT:-reports/chat.md}

for url in "$BASELINE_URL" "$ATRIUM_URL"; do
  if curl -s -o /dev/null --max-time 2 "$url/"; then echo "bench-chat: something already listens on $url" >&2; exit 1; fi
done

echo "bench-chat: building (Release)"
dotnet build bench/Atrium.Baseline -c Release -nologo -v:quiet
dotnet build src/Atrium.Server -c Release -nologo -v:quiet
dotnet build bench/Atrium.ChatBench -c Release -nologo -v:quiet

tmp=$(mktemp -d)
pids=()
cleanup() {
  local p
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT

export Logging__LogLevel__Default=Warning
dotnet bench/Atrium.Baseline/bin/Release/net10.0/Atrium.Baseline.dll --urls "$BASELINE_URL" >"$tmp/baseline.log" 2>&1 &
pids+=($!)
# The bench signs up its users through the API: registration limits and password hashing are set for that, and the
# send limits are raised so that the offered load, not the per-user token bucket, is what is measured.
Atrium__DataDirectory="$tmp/data" \
  Accounts__PasswordIterations=1000 Accounts__RegistrationBurst=100000 Accounts__RegistrationsPerHour=1000000 \
  Chat__UserSendsPerSecond=100000 Chat__UserSendBurst=100000 \
  Chat__ConversationSendsPerSecond=100000 Chat__ConversationSendBurst=100000 \
  dotnet src/Atrium.Server/bin/Release/net10.0/Atrium.Server.dll --urls "$ATRIUM_URL" >"$tmp/atrium.log" 2>&1 &
pids+=($!)

wait_until() {
  local i
  for i in $(seq 1 120); do
    curl -s -o /dev/null --max-time 2 "$2" && { echo "bench-chat: $1 is up"; return 0; }
    kill -0 "$3" 2>/dev/null || break
    sleep 0.5
  done
  echo "bench-chat: $1 did not answer on $2; its log:" >&2
  cat "$tmp/$1.log" >&2
  exit 1
}
wait_until baseline "$BASELINE_URL/abc1234" "${pids[0]}"
wait_until atrium "$ATRIUM_URL/alive" "${pids[1]}"

mkdir -p reports
dotnet bench/Atrium.ChatBench/bin/Release/net10.0/Atrium.ChatBench.dll \
  --atrium "$ATRIUM_URL" --baseline "$BASELINE_URL" --clients "$CLIENTS" --group-size "$GROUP_SIZE" \
  --direct-rate "$DIRECT_RATE" --group-rate "$GROUP_RATE" --warmup "$WARMUP" --seconds "$SECONDS_MEASURED" --report "$REPORT"
{
  echo
  echo "- commit: $(git rev-parse --short HEAD 2>/dev/null || echo none); CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'); .NET SDK $(dotnet --version)."
  echo "- command: \`CLIENTS=$CLIENTS GROUP_SIZE=$GROUP_SIZE DIRECT_RATE=$DIRECT_RATE GROUP_RATE=$GROUP_RATE WARMUP=$WARMUP DURATION=$SECONDS_MEASURED scripts/bench-chat.sh\`"
} >>"$REPORT"
if grep -qiE "fail|exception" "$tmp/atrium.log"; then
  echo "bench-chat: Atrium logged failures:" >&2
  grep -iE "fail|exception" "$tmp/atrium.log" | head -20 >&2
fi
echo "bench-chat: wrote $REPORT"
