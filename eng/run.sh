#!/usr/bin/env bash
# Runs MailHealth on this machine without internet: builds the `mailhealth` CLI, starts the
# loopback peers (a real Postfix, Knot DNS, rbldnsd, nginx: see eng/peers/) and checks the
# demo domain they serve. Any arguments replace the default ones after `mailhealth`, e.g.
#   eng/run.sh check demo.test --json
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
export MH_NET="${MH_NET:-127.53}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

command -v dotnet >/dev/null || { echo "run.sh: the .NET SDK is not installed" >&2; exit 1; }
eng/peers/peers.sh start
mkdir -p artifacts
dotnet build src/MailHealth.Cli -c Release -nologo -v:quiet >artifacts/run-build.log 2>&1 \
  || { cat artifacts/run-build.log >&2; echo "run.sh: the build failed" >&2; exit 1; }
source eng/peers/env.sh
# unbound on $MH_NET.0.55 answers for every test zone and the blocklists behind them.
dns="$MH_NET.0.55"

if [ $# -eq 0 ]; then
  set -- check demo.test --dkim-selector mail --dnsbl bl.rep.test --dnsbl dbl.rep.test
fi
case "$1" in
  check) set -- "$@" --dns "$dns" --ca-file "$MH_STATE/ca/ca.pem" ;;
  spf) set -- "$@" --dns "$dns" ;;
esac
echo "+ mailhealth $*" >&2
set +e
dotnet "src/MailHealth.Cli/bin/Release/net10.0/mailhealth.dll" "$@"
code=$?
echo "(exit code $code; the peers keep running until: eng/peers/peers.sh stop)" >&2
exit $code
