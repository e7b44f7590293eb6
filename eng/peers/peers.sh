#!/usr/bin/env bash
# Starts or stops the loopback peers the tests and the demo talk to.
#   eng/peers/peers.sh start|stop|restart
# Each start.d/NN-name.sh defines name_start and name_stop; they run in file order (stop: reverse).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/env.sh"
source "$here/lib.sh"

components=()
for f in "$here"/start.d/*.sh; do
  source "$f"
  n="$(basename "$f" .sh)"; components+=("${n#*-}")
done

start() {
  mkdir -p "$MH_STATE"
  for c in "${components[@]}"; do "${c//-/_}_start"; done
  mh_log "peers up on $MH_NET.0.0/16 (DNS $MH_DNS_IP:$MH_DNS_PORT, state $MH_STATE)"
}

stop() {
  local i
  for ((i=${#components[@]}-1; i>=0; i--)); do "${components[$i]//-/_}_stop" || true; done
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  restart) stop; start ;;
  *) echo "usage: $0 start|stop|restart" >&2; exit 2 ;;
esac
