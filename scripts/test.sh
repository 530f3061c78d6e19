#!/usr/bin/env bash
# The one test command: installs the Debian packages the tests need, builds once, runs every test
# project in Atrium.slnx (embedded shape), then the behaviour suites (Atrium.Server.Tests, Platform, Links,
# Atrium.Accounts.Tests, Feed, Chat, Security) again in the distributed shape (ATRIUM_TEST_SHAPE=distributed: real
# PostgreSQL), and ends with one line of totals over all runs: "N passed, N failed, N skipped".
# Extra arguments go to every `dotnet test` (e.g. --filter-class Atrium.Links.Tests.CodecTests).
# Env: ATRIUM_SKIP_DEPS=1 skips install-deps.sh; ATRIUM_TEST_TIMEOUT (default 25m) bounds each run.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${ATRIUM_SKIP_DEPS:-0}" != 1 ]; then
  bash ./scripts/install-deps.sh
fi

echo "test: dotnet build Atrium.slnx -c Release"
dotnet build Atrium.slnx -c Release -nologo -v:minimal

log=$(mktemp)
trap 'rm -f "$log"' EXIT

extra=()
# With a filter most projects select no test, which the testing platform reports as exit code 8
# ("zero tests ran") per project; accept that then, and still fail below if none ran at all.
if [ $# -gt 0 ]; then extra=(--ignore-exit-code 8); fi

total=0 failed=0 succeeded=0 skipped=0 errors=0 rc=0

# One `dotnet test` run in one shape (ATRIUM_TEST_SHAPE); adds its counters to the totals.
# `dotnet test` (Microsoft.Testing.Platform mode) ends with a block like:
#   Test run summary: Failed!
#     <one line per test module>
#     error: 1          <- only when a test module crashed or ran no test
#     total: 6
#     failed: 1
#     succeeded: 4
#     skipped: 1
# The counters that follow the last "Test run summary:" line are the run's.
run_tests() {
  local shape=$1; shift
  echo "test: ATRIUM_TEST_SHAPE=$shape dotnet test $*"
  # `timeout` signals its whole process group, test hosts included; stdin from /dev/null keeps
  # dotnet from touching the terminal when this runs in the background of an interactive shell.
  set +e
  ATRIUM_TEST_SHAPE=$shape timeout --kill-after=30s "${ATRIUM_TEST_TIMEOUT:-25m}" \
    dotnet test "$@" </dev/null 2>&1 | tee "$log"
  local run_rc=${PIPESTATUS[0]}
  set -e
  local found t f p s e
  read -r found t f p s e < <(
    sed 's/\x1b\[[0-9;]*[A-Za-z]//g' "$log" | awk '
      /^Test run summary:/ { found=1; t=f=p=s=e=0; next }
      found && $1=="total:"     { t=$2 }
      found && $1=="failed:"    { f=$2 }
      found && $1=="succeeded:" { p=$2 }
      found && $1=="skipped:"   { s=$2 }
      found && $1=="error:"     { e=$2 }
      END { print found+0, t+0, f+0, p+0, s+0, e+0 }')
  if [ "$run_rc" -eq 124 ] || [ "$run_rc" -eq 137 ]; then
    echo "test: timed out after ${ATRIUM_TEST_TIMEOUT:-25m}"
  fi
  if [ "$found" -eq 0 ]; then
    echo "test: no test summary from dotnet test (exit code $run_rc)"
    e=$((e + 1))
  fi
  total=$((total + t)) failed=$((failed + f)) succeeded=$((succeeded + p)) skipped=$((skipped + s)) errors=$((errors + e))
  if [ "$run_rc" -ne 0 ]; then rc=$run_rc; fi
}

# Every test project in the embedded shape (SQLite, in-process), then the behaviour suites again in
# the distributed shape (real PostgreSQL primary + replica started by the tests; DESIGN.md §1).
run_tests embedded --solution Atrium.slnx -c Release --no-build "${extra[@]}" "$@"
for project in tests/Atrium.Server.Tests tests/Atrium.Platform.Tests tests/Atrium.Links.Tests tests/Atrium.Accounts.Tests tests/Atrium.Feed.Tests tests/Atrium.Chat.Tests tests/Atrium.Security.Tests; do
  run_tests distributed --project "$project" -c Release --no-build "${extra[@]}" "$@"
done

# The micro-benchmarks (bench/Atrium.Benchmarks) once each, in process (BenchmarkDotNet's dry job: seconds), so none
# can rot unnoticed; a benchmark that throws counts as a crashed module. Skipped when a filter was given.
if [ $# -eq 0 ]; then
  echo "test: dotnet bench/Atrium.Benchmarks (--job dry --inProcess)"
  if ! dotnet bench/Atrium.Benchmarks/bin/Release/net10.0/Atrium.Benchmarks.dll --filter '*' --job dry --inProcess </dev/null >"$log" 2>&1; then
    tail -n 40 "$log"
    echo "test: the micro-benchmarks failed"
    errors=$((errors + 1))
  fi
fi

if [ "$errors" -gt 0 ]; then
  # A crashed test module's tests are missing from the counts: count each such module as a failure.
  echo "test: $errors test module(s) crashed, timed out or ran no test (counted as failed below)"
fi
failed=$((failed + errors))
if [ "$total" -eq 0 ]; then echo "test: zero tests ran"; fi

echo "$succeeded passed, $failed failed, $skipped skipped"
if [ "$rc" -ne 0 ] || [ "$failed" -gt 0 ] || [ "$total" -eq 0 ]; then
  exit 1
fi
