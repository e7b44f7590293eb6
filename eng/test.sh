#!/usr/bin/env bash
# Runs the whole test suite against real peers on loopback, as CI does:
#   installs what is missing (Debian packages, NuGet restore), starts the peers
#   (eng/peers/peers.sh), builds with warnings as errors, checks formatting, runs every test
#   project, stops the peers, and ends with one line: "N passed, N failed".
# Environment: MH_NET (default 127.53) picks the loopback /16 the peers use.
set -uo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
export MH_NET="${MH_NET:-127.53}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
results="$repo/artifacts/test-results"
status=0

fail_early() {
  echo "test.sh: $1" >&2
  echo "0 passed, 1 failed"
  exit 1
}

command -v dotnet >/dev/null || fail_early "the .NET SDK is not installed (https://learn.microsoft.com/dotnet/core/install/linux-debian)"

echo "== peers"
eng/peers/peers.sh start || fail_early "the loopback peers did not start (see above)"
trap 'eng/peers/peers.sh stop >/dev/null 2>&1 || true' EXIT

echo "== build"
dotnet build Monitor.sln -c Release -nologo -clp:NoSummary -v:quiet || fail_early "the build failed"

echo "== format"
if ! dotnet format Monitor.sln --verify-no-changes --no-restore -v:quiet; then
  echo "test.sh: 'dotnet format Monitor.sln' would change files (run it and commit)" >&2
  status=1
fi

echo "== test"
rm -rf "$results"
run_status=0
dotnet test Monitor.sln -c Release --no-build -nologo \
  --logger "trx" --logger "console;verbosity=minimal" --results-directory "$results" || run_status=1

passed=0 failed=0
shopt -s nullglob
trx_files=("$results"/*.trx)
[ ${#trx_files[@]} -gt 0 ] || { echo "test.sh: no test results were written" >&2; status=1; failed=$((failed + 1)); }
for trx in "${trx_files[@]}"; do
  counters="$(grep -o '<Counters [^>]*>' "$trx" | head -n1)"
  p="$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")"
  f="$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")"
  e="$(sed -n 's/.* error="\([0-9]*\)".*/\1/p' <<<"$counters")"
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0} + ${e:-0}))
done
[ "$failed" -eq 0 ] || status=1
echo "$passed passed, $failed failed"
if [ "$run_status" -ne 0 ]; then
  status=1
  # A test host that crashed leaves results only for the tests it finished, all of them passed:
  # the counts above would read as green.
  [ "$failed" -ne 0 ] || echo "test.sh: the test run failed outside any test (a test host crashed or the run was aborted: look for 'aborted' above)" >&2
fi
exit "$status"
