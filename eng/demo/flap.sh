#!/usr/bin/env bash
# Makes the demo's flap.monitor.test flap: every PERIOD seconds (default 120) its MX switches
# between the good Postfix host and one where nothing listens, by a Knot transaction on the running
# peers (the zone file itself is not touched). eng/run.sh starts it and stops it with SIGTERM,
# which puts the good MX back.
#   eng/demo/flap.sh [PERIOD]
set -euo pipefail
source "$(cd "$(dirname "${BASH_SOURCE[0]}")/../peers" && pwd)/env.sh"
period="${1:-120}"
conf="$MH_STATE/knot/knot.conf"
zone=monitor.test
sleeper=""

set_mx() {
  knotc -c "$conf" zone-begin "$zone" >/dev/null
  if knotc -c "$conf" zone-unset "$zone" flap MX >/dev/null \
    && knotc -c "$conf" zone-set "$zone" flap 5 MX "10 mx.$1.smtp.test." >/dev/null; then
    knotc -c "$conf" zone-commit "$zone" >/dev/null
  else
    knotc -c "$conf" zone-abort "$zone" >/dev/null
    return 1
  fi
}

finish() {
  [ -n "$sleeper" ] && kill "$sleeper" 2>/dev/null
  # A transaction this script left open (stopped between begin and commit) would block the next one.
  knotc -c "$conf" zone-abort "$zone" >/dev/null 2>&1 || true
  set_mx good || true
  exit 0
}
trap finish TERM INT

# The script that started this one: when it is gone (killed without cleaning up), stop too.
parent="$PPID"

set_mx good
state=good
while true; do
  for ((waited = 0; waited < period; waited++)); do
    kill -0 "$parent" 2>/dev/null || finish
    sleep 1 & sleeper=$!
    wait "$sleeper" || true
  done
  if [ "$state" = good ]; then state=down; else state=good; fi
  set_mx "$state"
done
