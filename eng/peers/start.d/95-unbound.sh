# unbound: one resolver for everything, on $MH_NET.0.55 port 53 (pass it as --dns).
# It asks Knot ($MH_DNS_IP) for test., the reverse zone of $MH_NET and those of the documentation
# ranges the DMARC report tests' senders use (stub zones: it iterates, so
# it follows Knot's delegations of the rep.test blocklist zones to rbldnsd) and forwards any
# other name to Knot too: nothing leaves loopback. Started after Knot (90-knot.sh).
UNBOUND_IP_SUFFIX=0.55
# The reverse zones of the documentation ranges (RFC 5737, RFC 3849), served by Knot
# (zones/*.arpa.zone.in): unbound answers them itself by default (RFC 6303), as nothing.
UNBOUND_DOC_ZONES="2.0.192.in-addr.arpa 100.51.198.in-addr.arpa 113.0.203.in-addr.arpa 8.b.d.0.1.0.0.2.ip6.arpa"

unbound_start() {
  mh_need unbound unbound
  mh_need dig bind9-dnsutils
  local dir="$MH_STATE/unbound" ip="$MH_NET.$UNBOUND_IP_SUFFIX"
  unbound_stop
  mkdir -p "$dir"
  { mh_unbound_server "$ip" "$dir"; cat <<CONF
  # No DNSSEC validation: the test zones are unsigned and no trust anchor is configured.
  module-config: "iterator"
  # Knot is authoritative, not a root: ask it the full name (no RFC 9156 minimisation).
  qname-minimisation: no
  # unbound answers these itself by default (RFC 6761 names, loopback reverse zone).
  local-zone: "test." nodefault
  local-zone: "127.in-addr.arpa." nodefault
$(for z in $UNBOUND_DOC_ZONES; do printf '  local-zone: "%s." nodefault\n  domain-insecure: "%s."\n' "$z" "$z"; done)
  # authonly. is not served by Knot (see zones/corp.authonly.zone.in): NXDOMAIN here, as from a
  # real TLD, while names in corp.authonly. are resolved from Knot as usual.
  local-zone: "authonly." static
  local-zone: "corp.authonly." transparent
  domain-insecure: "test."
  domain-insecure: "127.in-addr.arpa."
  # Short caching, so that a restarted peer is seen quickly.
  cache-max-ttl: 60
  cache-max-negative-ttl: 5
  infra-host-ttl: 30
stub-zone:
  name: "test."
  stub-addr: $MH_DNS_IP@$MH_DNS_PORT
stub-zone:
  name: "$(mh_reverse_zone)."
  stub-addr: $MH_DNS_IP@$MH_DNS_PORT
$(for z in $UNBOUND_DOC_ZONES; do printf 'stub-zone:\n  name: "%s."\n  stub-addr: %s@%s\n' "$z" "$MH_DNS_IP" "$MH_DNS_PORT"; done)
forward-zone:
  name: "."
  forward-addr: $MH_DNS_IP@$MH_DNS_PORT
remote-control:
  control-enable: no
CONF
  } >"$dir/unbound.conf"
  unbound-checkconf "$dir/unbound.conf" >/dev/null
  unbound -c "$dir/unbound.conf"
  local tries=50
  while [ $tries -gt 0 ] && ! dig +short +time=1 +tries=1 "@$ip" ns.rep.test A 2>/dev/null | grep -q .; do
    sleep 0.1; tries=$((tries - 1))
  done
  [ $tries -gt 0 ] || { mh_log "unbound does not answer on $ip"; tail -n 20 "$dir/unbound.log" >&2; return 1; }
}

unbound_stop() {
  mh_stop_pidfile "$MH_STATE/unbound/unbound.pid"
}
