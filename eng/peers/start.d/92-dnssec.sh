# A signed zone and a validating resolver, so that DANE's "DNSSEC-authenticated" (AD bit) can be
# seen set: Knot on $MH_NET.45.53 signs eng/peers/dnssec/dnssec.test.zone.in (keys made on first
# start), unbound on $MH_NET.45.54 validates it with the zone's DS as trust anchor and sets AD.
# Started after 90-knot.sh, whose knot_render fills in the @NET@ and @TLSA...@ tokens.

dnssec_start() {
  mh_need knotd knot
  mh_need unbound unbound
  mh_need dig bind9-dnsutils
  local dir="$MH_STATE/dnssec" knot_ip="$MH_NET.45.53" unbound_ip="$MH_NET.45.54"
  mkdir -p "$dir/zones" "$dir/db"
  dnssec_stop
  dnssec_children "$dir"
  cat >"$dir/knot.conf" <<CONF
server:
  rundir: "$dir"
  listen: $knot_ip@53
database:
  storage: "$dir/db"
log:
  - target: "$dir/knot.log"
    any: info
policy:
  - id: test
    algorithm: ecdsap256sha256
    nsec3: off
template:
  - id: default
    storage: "$dir/zones"
    file: "%s.zone"
    zonefile-load: whole
    semantic-checks: off
    dnssec-signing: on
    dnssec-policy: test
  - id: presigned
    storage: "$dir/zones"
    file: "%s.zone"
    zonefile-load: whole
    semantic-checks: off
    dnssec-signing: off
zone:
  - domain: dnssec.test
$(for z in $DNSSEC_CHILDREN; do printf '  - domain: %s.dnssec.test\n    template: presigned\n' "$z"; done)
CONF
  knot_render "$MH_REPO/eng/peers/dnssec/dnssec.test.zone.in" "$dir/zones/dnssec.test.zone"
  cat "$dir/children/ds" >>"$dir/zones/dnssec.test.zone"
  knotc -c "$dir/knot.conf" conf-check >/dev/null
  knotd -c "$dir/knot.conf" -d
  mh_wait_port "$knot_ip" 53 10
  local tries=50
  while [ $tries -gt 0 ] && ! dig +short +time=1 +tries=1 "@$knot_ip" dnssec.test DNSKEY 2>/dev/null | grep -q .; do
    sleep 0.1; tries=$((tries - 1))
  done
  keymgr -c "$dir/knot.conf" dnssec.test ds | grep ' 2 ' >"$dir/trust-anchor.ds"
  [ -s "$dir/trust-anchor.ds" ] || { mh_log "no DS for dnssec.test"; tail -n 20 "$dir/knot.log" >&2; return 1; }

  { mh_unbound_server "$unbound_ip" "$dir"; cat <<CONF
  module-config: "validator iterator"
  trust-anchor-file: "$dir/trust-anchor.ds"
  qname-minimisation: no
  local-zone: "test." nodefault
  cache-max-ttl: 5
  cache-max-negative-ttl: 1
stub-zone:
  name: "dnssec.test."
  stub-addr: $knot_ip@53
remote-control:
  control-enable: no
CONF
  } >"$dir/unbound.conf"
  unbound-checkconf "$dir/unbound.conf" >/dev/null
  unbound -c "$dir/unbound.conf"
  tries=50
  while [ $tries -gt 0 ] && ! dig +time=1 +tries=1 +dnssec "@$unbound_ip" mx.dnssec.test A 2>/dev/null | grep -q 'flags:.* ad'; do
    sleep 0.1; tries=$((tries - 1))
  done
  [ $tries -gt 0 ] || { mh_log "unbound on $unbound_ip does not validate dnssec.test"; tail -n 20 "$dir/unbound.log" >&2; return 1; }
}

DNSSEC_CHILDREN="signed expiring expired badds insecure"

# dnssec_children DIR: signs the child zones of dnssec.test with dnssec-signzone, whose
# signature times can be set (Knot signs with the current time only), and writes their DS
# records to DIR/children/ds. Keys are made once and kept.
dnssec_children() {
  mh_need dnssec-signzone bind9-utils
  local dir="$1/children" z name ksk zsk start end
  mkdir -p "$dir"
  : >"$dir/ds"
  for z in $DNSSEC_CHILDREN; do
    name="$z.dnssec.test"
    knot_render "$MH_REPO/eng/peers/dnssec/children/$name.zone.in" "$dir/$name.zone.in"
    if [ "$z" = insecure ]; then cp "$dir/$name.zone.in" "$1/zones/$name.zone"; continue; fi
    ksk="$(grep -l 'key-signing' "$dir"/K"$name".+013+*.key 2>/dev/null | head -n1 || true)"
    if [ -z "$ksk" ]; then
      dnssec-keygen -q -K "$dir" -a ECDSAP256SHA256 -f KSK "$name" >/dev/null
      dnssec-keygen -q -K "$dir" -a ECDSAP256SHA256 "$name" >/dev/null
      ksk="$(grep -l 'key-signing' "$dir"/K"$name".+013+*.key | head -n1)"
    fi
    cat "$dir"/K"$name".+013+*.key >>"$dir/$name.zone.in"
    # Absolute times from `date`, not signzone's own "+N" (now by its clock, which is the real one
    # under faketime): the signatures are as old as the rest of the peers' material.
    start="$(date -u -d '-1 hour' +%Y%m%d%H%M%S)"; end="$(date -u -d '+30 days' +%Y%m%d%H%M%S)"
    case "$z" in
      expiring) end="$(date -u -d '+2 days' +%Y%m%d%H%M%S)" ;;
      expired) start=20200101000000; end=20200201000000 ;;
    esac
    # -P: no verification after signing (it would reject the deliberately expired signatures).
    dnssec-signzone -q -P -K "$dir" -d "$dir" -o "$name" -s "$start" -e "$end" -f "$1/zones/$name.zone" "$dir/$name.zone.in" >/dev/null
    if [ "$z" = badds ]; then
      # A DS for a key the zone does not publish: validators find no key matching it.
      if [ ! -f "$dir/stray.key" ]; then
        mkdir -p "$dir/stray"
        cp "$dir/stray/$(dnssec-keygen -q -K "$dir/stray" -a ECDSAP256SHA256 -f KSK "$name").key" "$dir/stray.key"
      fi
      dnssec-dsfromkey -2 "$dir/stray.key" >>"$dir/ds"
    else
      dnssec-dsfromkey -2 "$ksk" >>"$dir/ds"
    fi
  done
}

dnssec_stop() {
  local dir="$MH_STATE/dnssec"
  [ -f "$dir/knot.conf" ] && knotc -c "$dir/knot.conf" stop >/dev/null 2>&1 || true
  mh_stop_pidfile "$dir/unbound.pid"
}
