# rbldnsd: the test DNS blocklists (RFC 5782) on $MH_NET.0.54 port 53, data in eng/peers/rbldnsd/.
# Knot's rep.test zone delegates each blocklist zone here; unbound (95-unbound.sh) follows the
# delegations, so tests and the CLI demo ask unbound and never rbldnsd directly.
RBLDNSD_IP_SUFFIX=0.54

rbldnsd_zones() {
  # zone:type:file,... (one dataset per argument; a zone named twice combines the datasets)
  local soa=generic:soa.common z
  echo "bl.rep.test:$soa bl.rep.test:ip4set:bl.ip4set bl.rep.test:ip6trie:bl.ip6trie"
  echo "err.rep.test:$soa err.rep.test:ip4set:err.ip4set"
  echo "refused.rep.test:$soa refused.rep.test:ip4set:refused.ip4set"
  echo "all.rep.test:$soa all.rep.test:ip4set:all.ip4set"
  echo "broken.rep.test:$soa broken.rep.test:ip4set:broken.ip4set"
  echo "dbl.rep.test:$soa dbl.rep.test:dnset:dbl.dnset"
  echo "v4only.rep.test:$soa v4only.rep.test:generic:v4only.generic"
  for z in 0 1 2 3 4 5 6 7 8 9; do echo "bench$z.rep.test:$soa bench$z.rep.test:ip4set:bench.ip4set"; done
}

rbldnsd_start() {
  mh_need rbldnsd rbldnsd
  mh_need dig bind9-dnsutils
  local dir="$MH_STATE/rbldnsd" f
  rbldnsd_stop
  mkdir -p "$dir/data"
  for f in "$MH_REPO"/eng/peers/rbldnsd/*; do
    sed "s/@NET@/$MH_NET/g" "$f" >"$dir/data/$(basename "$f")"
  done
  # rbldnsd drops root for the rbldns user: it must be able to read the data.
  chmod 755 "$dir" "$dir/data"; chmod 644 "$dir"/data/*
  # shellcheck disable=SC2046
  rbldnsd -b "$MH_NET.$RBLDNSD_IP_SUFFIX/53" -w "$dir/data" -p "$dir/rbldnsd.pid" -t 60 -c 0 -q \
    $(rbldnsd_zones) >"$dir/rbldnsd.log" 2>&1 || { cat "$dir/rbldnsd.log" >&2; return 1; }
  local tries=50
  while [ $tries -gt 0 ] && ! dig +short +time=1 +tries=1 "@$MH_NET.$RBLDNSD_IP_SUFFIX" 2.0.0.127.bl.rep.test A 2>/dev/null | grep -q 127.0.0.2; do
    sleep 0.1; tries=$((tries - 1))
  done
  [ $tries -gt 0 ] || { mh_log "rbldnsd does not answer on $MH_NET.$RBLDNSD_IP_SUFFIX"; return 1; }
}

rbldnsd_stop() {
  mh_stop_pidfile "$MH_STATE/rbldnsd/rbldnsd.pid"
}
