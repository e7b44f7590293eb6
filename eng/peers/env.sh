# Sourced by every peer script: where the loopback peers live.
#   MH_NET    first two octets of the loopback /16 the peers use (default 127.53): every peer
#             address is $MH_NET.X.Y, so two checkouts can run their peers side by side.
#   MH_STATE  runtime directory (configs, keys, logs, pids); default <repo>/.peers
MH_REPO="${MH_REPO:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
MH_NET="${MH_NET:-127.53}"
MH_STATE="${MH_STATE:-$MH_REPO/.peers}"
MH_DNS_IP="$MH_NET.0.53"
MH_DNS_PORT=53
export MH_REPO MH_NET MH_STATE MH_DNS_IP MH_DNS_PORT
