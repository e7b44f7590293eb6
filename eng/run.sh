#!/usr/bin/env bash
# Runs MailHealth on this machine without internet: starts the loopback peers (a real Postfix,
# Knot DNS, unbound, rbldnsd, nginx and Azurite: see eng/peers/), builds the `mailhealth` CLI and
#   - with no arguments: runs the monitor (`mailhealth serve`) on the demo fleet of eng/demo/
#     (five domains of monitor.test, one of them flapping), until Ctrl+C, its alerts sent by
#     e-mail into the peers' alerts Maildir and by webhook to eng/demo/webhook-receiver.mjs (the
#     banner says where to read both; `mailhealth notify test` shows both channels work);
#   - with arguments: runs them after `mailhealth`, pointed at the peers, e.g.
#       eng/run.sh check demo.test --json
#       eng/run.sh spf --ip 127.53.10.1 --sender user@demo.test
# Environment: MH_NET (default 127.53) picks the peers' loopback /16; MH_SERVE_URL (default
# http://$MH_NET.0.80:8080) where serve listens; MH_FLAP_PERIOD (default 120) seconds between flaps.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
export MH_NET="${MH_NET:-127.53}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

command -v dotnet >/dev/null || { echo "run.sh: the .NET SDK is not installed" >&2; exit 1; }
# In a session of their own, so that Ctrl+C on serve does not reach the peers it started (Azurite
# runs in the background and would take the terminal's SIGINT too): they keep running.
setsid -w eng/peers/peers.sh start
mkdir -p artifacts
# Published for this machine's runtime with ReadyToRun code (the CLI's PublishReadyToRun): the
# methods a check runs are compiled ahead of time, so a one-shot check starts in about half the
# time of a plain build's (0.6 s against 1.0 s on the 2-core machine).
dotnet publish src/MailHealth.Cli -c Release --use-current-runtime --self-contained false -o artifacts/mailhealth \
  -nologo -v:quiet >artifacts/run-build.log 2>&1 \
  || { cat artifacts/run-build.log >&2; echo "run.sh: the build failed" >&2; exit 1; }
source eng/peers/env.sh
source eng/peers/lib.sh
mailhealth=(dotnet "artifacts/mailhealth/mailhealth.dll")
# unbound on $MH_NET.0.55 answers for every test zone and the blocklists behind them.
dns="$MH_NET.0.55"

if [ $# -gt 0 ]; then
  case "$1" in
    # The peers are on loopback, which the address policy refuses unless allowed.
    check) set -- "$@" --dns "$dns" --ca-file "$MH_STATE/ca/ca.pem" --allow-network "$MH_NET.0.0/16" ;;
    spf) set -- "$@" --dns "$dns" ;;
  esac
  echo "+ mailhealth $*" >&2
  set +e
  "${mailhealth[@]}" "$@"
  code=$?
  echo "(exit code $code; the peers keep running until: eng/peers/peers.sh stop)" >&2
  exit $code
fi

# --- the monitor on the demo fleet ---
mh_need curl curl
mh_need node nodejs
url="${MH_SERVE_URL:-http://$MH_NET.0.80:8080}"
config="$MH_STATE/demo/serve.json"
mkdir -p "$MH_STATE/demo"
sed -e "s|@NET@|$MH_NET|g" -e "s|@STATE@|$MH_STATE|g" -e "s|@URL@|$url|g" eng/demo/serve.json.in >"$config"

# Where the demo's alerts go (the channels of eng/demo/serve.json.in). E-mail: the peers' Postfix
# delivers mail for alerts.test into this Maildir (made anew at each peers start). The SASL password
# goes in the environment, as a real monitor's secrets should, not in the config file.
maildir="$(cat "$MH_STATE/postfix/alerts-maildir")"
export MailHealth__Notifications__Channels__mail__Password="$(sed -n 's/^password=//p' "$MH_STATE/postfix/credentials")"
# Webhook: the receiver saves each delivery here, one JSON file each (this run's only).
hook_url="http://$MH_NET.72.1:8025/mailhealth"
hooks="$MH_STATE/demo/webhooks"
rm -rf "$hooks"

# Receivers' reports for the demo domains, as Google and Microsoft send them, mailed through the
# peers' Postfix (mailbox.test's MX) into the Dovecot mailbox dmarc-reports (emptied at each peers
# start) that serve reads at start-up and every minute. Its password goes in the environment too.
mailbox_user=dmarc-reports
export MailHealth__Mailbox__Password="$(sed -n 's/^password=//p' "$MH_STATE/dovecot/credentials")"
mh_need python3 python3
demo_domains=(healthy.monitor.test expiring.monitor.test spf.monitor.test listed.monitor.test flap.monitor.test)
python3 eng/demo/deliver-reports.py --mx "$MH_NET.76.1" --ca "$MH_STATE/ca/ca.pem" --to "$mailbox_user@mailbox.test" "${demo_domains[@]}" >&2
report_messages=$((3 * ${#demo_domains[@]}))
# How many messages a folder of the reports mailbox holds (curl speaks IMAP; TLS, the test CA).
mailbox_count() {
  curl -s --cacert "$MH_STATE/ca/ca.pem" --user "$mailbox_user:$MailHealth__Mailbox__Password" \
    "imaps://$MH_NET.76.1/" -X "STATUS $1 (MESSAGES)" | sed -n 's/.*(MESSAGES \([0-9]*\)).*/\1/p'
}

# Helpers that end with this script: the flapping MX, and the banner printed once serve answers.
helpers=()
stop_helpers() {
  local pid
  for pid in "${helpers[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${helpers[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap stop_helpers EXIT
# A closed stderr (a pipe whose reader left) must not kill this script before it cleans up.
trap '' PIPE

eng/demo/flap.sh "${MH_FLAP_PERIOD:-120}" &
helpers+=($!)
# DEMO ONLY: the signing key of the "hook" channel in eng/demo/serve.json.in, published there.
MH_WEBHOOK_SECRET=demo-webhook-secret-DO-NOT-USE-0001 node eng/demo/webhook-receiver.mjs "$MH_NET.72.1" 8025 "$hooks" &
helpers+=($!)

banner() {
  until curl -sf -o /dev/null "$url/metrics"; do sleep 0.5; kill -0 $$ 2>/dev/null || exit 0; done
  cat >&2 <<TEXT

  MailHealth is running at $url (the peers' demo fleet, probed every minute)
    dashboard  $url/                open it in a browser and enter a key below
    API        $url/api            keys (DEMO ONLY): read demo-read-key-DO-NOT-USE-0001, admin demo-admin-key-DO-NOT-USE-0001
    metrics    $url/metrics
    try        curl -s -H 'x-functions-key: demo-read-key-DO-NOT-USE-0001' $url/api/targets/expiring/status
  Alerts are sent when they open and resolve (the demo's first ones within two minutes), to:
    e-mail     ops@alerts.test, through the peers' Postfix into the Maildir $maildir/new
               read the newest: cat "\$(ls -td $maildir/new/* | head -n1)"
    webhook    $hook_url (signed); the receiver saves each delivery as a JSON file in
               $hooks/
    test both  curl -s -X POST -H 'x-functions-key: demo-admin-key-DO-NOT-USE-0001' $url/api/notifications/test
  Receivers' reports: $report_messages messages (DMARC aggregate and TLS reports for the five domains)
    were mailed to $mailbox_user@mailbox.test; serve reads the IMAP mailbox at start and every
    minute, stores each report and moves the message to Processed (docs/reports.md, "The mailbox")
    by hand    MailHealth__Mailbox__Password=$MailHealth__Mailbox__Password ${mailhealth[*]} reports poll --config $config
  Ctrl+C stops it (the peers keep running until: eng/peers/peers.sh stop).

TEXT
  # Both channels at once, as `mailhealth notify test` reports them: the test message is the first
  # thing in the Maildir and the webhook folder.
  echo "+ mailhealth notify test --config $config" >&2
  "${mailhealth[@]}" notify test --config "$config" 2>&1 | sed 's/^/  /' >&2 || true
  echo >&2
  # The first stored result: a target's status with a run in it (read from storage, not cached).
  until curl -sf -H "x-functions-key: demo-read-key-DO-NOT-USE-0001" "$url/api/targets/healthy/status" | grep -q '"runId"'; do
    sleep 0.5; kill -0 $$ 2>/dev/null || exit 0
  done
  echo "run.sh: first results stored $SECONDS s after eng/run.sh started" >&2
  until [ "$(mailbox_count Processed)" = "$report_messages" ]; do
    sleep 0.5; kill -0 $$ 2>/dev/null || exit 0
  done
  echo "run.sh: receivers' reports stored, $report_messages messages in the mailbox's Processed folder $SECONDS s after eng/run.sh started" >&2
}
banner &
helpers+=($!)

echo "+ mailhealth serve --config $config --urls $url" >&2
set +e
# In the foreground, so Ctrl+C reaches it: it stops taking work, finishes or abandons what it
# holds (MailHealth:Serve:ShutdownTimeout) and exits 0. Two malloc arenas instead of glibc's eight
# per core: the runtime reads no setting for them, only this variable (docs/operations.md, Memory).
MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}" "${mailhealth[@]}" serve --config "$config" --urls "$url"
code=$?
exit $code
