# Knot DNS: authoritative for every eng/peers/zones/*.zone.in, on $MH_DNS_IP:$MH_DNS_PORT.
# Started last so that zone templates can refer to keys and certificates the other peers made.
#
# Template tokens, replaced at start:
#   @NET@              the peers' /16 prefix ($MH_NET), as in  mx1 A @NET@.1.25
#   @TLSA:usage:selector:mtype:CERT@   TLSA data for $MH_STATE/certs/CERT.pem, as in
#                      _25._tcp.mx1 TLSA @TLSA:3:1:1:smtp-good@
# A file named in-addr.zone.in is the reverse zone of $MH_NET (see mh_reverse_zone).

# The sender-naming benchmark's pool of addresses, inside 2001:db8::/32 (RFC 3849).
KNOT_POOL_NET="2001:db8:5f::/48"

knot_zone_name() {
  local base; base="$(basename "$1" .zone.in)"
  if [ "$base" = in-addr ]; then mh_reverse_zone; else echo "$base"; fi
}

# knot_tlsa USAGE SELECTOR MTYPE CERTFILE: RDATA of a TLSA record (RFC 6698 section 2.1).
knot_tlsa() {
  local usage="$1" selector="$2" mtype="$3" cert="$4" der
  if [ "$selector" = 0 ]; then der() { openssl x509 -in "$cert" -outform DER; }
  else der() { openssl x509 -in "$cert" -pubkey -noout | openssl pkey -pubin -outform DER; }; fi
  case "$mtype" in
    0) echo "$usage $selector $mtype $(der | od -An -v -tx1 | tr -d ' \n')" ;;
    1) echo "$usage $selector $mtype $(der | openssl dgst -sha256 -r | cut -d' ' -f1)" ;;
    2) echo "$usage $selector $mtype $(der | openssl dgst -sha512 -r | cut -d' ' -f1)" ;;
  esac
}

knot_render() {
  local in="$1" out="$2" line token spec
  sed "s/@NET@/$MH_NET/g" "$in" >"$out.tmp"
  while token="$(grep -o '@TLSA:[0-9]:[0-9]:[0-9]:[A-Za-z0-9_.-]*@' "$out.tmp" | head -n1)" && [ -n "$token" ]; do
    spec="${token#@TLSA:}"; spec="${spec%@}"
    IFS=: read -r u s m c <<<"$spec"
    line="$(knot_tlsa "$u" "$s" "$m" "$MH_STATE/certs/$c.pem")"
    sed -i "s|$token|$line|g" "$out.tmp"
  done
  mv "$out.tmp" "$out"
}

knot_start() {
  mh_need knotd knot
  local dir="$MH_STATE/knot" conf f zone
  mkdir -p "$dir/zones" "$dir/db"
  knot_stop 2>/dev/null || true
  {
    echo "server:"
    echo "  rundir: \"$dir\""
    echo "  listen: $MH_DNS_IP@$MH_DNS_PORT"
    echo "  udp-max-payload: 4096"
    echo "database:"
    echo "  storage: \"$dir/db\""
    echo "log:"
    echo "  - target: \"$dir/knot.log\""
    echo "    any: info"
    echo "template:"
    echo "  - id: default"
    echo "    storage: \"$dir/zones\""
    echo "    file: \"%s.zone\""
    echo "    zonefile-load: whole"
    echo "    journal-content: none"
    echo "    semantic-checks: off"
    # Names made up on the fly for the sender-naming benchmark (bench/NamingBench): every address
    # of $KNOT_POOL_NET has the PTR pool-<address with dashes>.senders.test, whose AAAA is that
    # address (forward-confirmed), as an ISP's pool names would be.
    echo "mod-synthrecord:"
    echo "  - id: pool-reverse"
    echo "    type: reverse"
    echo "    prefix: pool-"
    echo "    origin: senders.test"
    echo "    network: $KNOT_POOL_NET"
    echo "  - id: pool-forward"
    echo "    type: forward"
    echo "    prefix: pool-"
    echo "    network: $KNOT_POOL_NET"
    echo "zone:"
  } >"$dir/knot.conf"
  for f in "$MH_REPO"/eng/peers/zones/*.zone.in; do
    [ -e "$f" ] || continue
    zone="$(knot_zone_name "$f")"
    knot_render "$f" "$dir/zones/$zone.zone"
    echo "  - domain: $zone" >>"$dir/knot.conf"
    case "$zone" in
      senders.test) echo "    module: mod-synthrecord/pool-forward" >>"$dir/knot.conf" ;;
      8.b.d.0.1.0.0.2.ip6.arpa) echo "    module: mod-synthrecord/pool-reverse" >>"$dir/knot.conf" ;;
    esac
  done
  knotc -c "$dir/knot.conf" conf-check >/dev/null
  knotd -c "$dir/knot.conf" -d
  mh_wait_port "$MH_DNS_IP" "$MH_DNS_PORT" 10
  # Fail loudly when a zone did not load: a test then fails for the real reason.
  local tries=50
  while [ $tries -gt 0 ] && knotc -c "$dir/knot.conf" zone-status 2>&1 | grep -q 'serial: none\|not loaded'; do
    sleep 0.1; tries=$((tries - 1))
  done
  if knotc -c "$dir/knot.conf" zone-status 2>&1 | grep -q 'serial: none'; then
    knotc -c "$dir/knot.conf" zone-status >&2; tail -n 20 "$dir/knot.log" >&2; return 1
  fi
}

knot_stop() {
  local conf="$MH_STATE/knot/knot.conf"
  [ -f "$conf" ] && knotc -c "$conf" stop >/dev/null 2>&1 || true
}
