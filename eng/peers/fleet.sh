#!/usr/bin/env bash
# The internet-like fleet, on demand (never by peers.sh: the suite stays fast). Start the peers
# first (eng/peers/peers.sh start, same MH_NET), then:
#   eng/peers/fleet.sh start [N]   N domains (default 10000, at most 10000), seed MH_FLEET_SEED (17);
#                                  the first start of a size takes about a minute (Knot signs)
#   eng/peers/fleet.sh stop
#   eng/peers/fleet.sh delay MS    the link's one-way delay from now on (default 20; 0: none)
#   eng/peers/fleet.sh stats       the proxy's counters and the resolver's (JSON, then unbound's)
#
# What runs (addresses in $MH_NET; state in $MH_STATE/fleet):
#   .80.53        Knot, authoritative for internet.test, every domain's own zone (a share of them
#                 signed by Knot, the parent holding their DS), mx.internet.test, the providers'
#                 zones and the reverse zone of the fleet's addresses (eng/peers/fleet/generate.py)
#   .80.54:53     the delaying proxy's DNS link (UDP and TCP) to Knot: every name server of the
#                 fleet is here, so the resolver pays the delay each way on every question
#   .80.55:53     unbound, the fleet's resolver (the monitor's --dns; no delay to it), validating
#                 with internet.test's key as trust anchor, caching by TTL (no cap), statistics
#                 through unbound-control on .80.55@8953; names under test. go to the peers' Knot
#   .100.1-.139.250:25  each domain's own MX address, .140.1-6:25 the providers' MX hosts, and
#                 .141.1:443 every MTA-STS policy host: listening sockets of the delaying proxy,
#                 relayed with the delay each way to Postfix's fleet listeners (.80.25-28:25, one
#                 certificate valid for *.mx.internet.test and *.providerK.internet.test) and to
#                 an nginx of the fleet's own (.80.80:443, certificates of 100 policy hosts each)
#   .80.59:5300   the proxy's control port (delay MS, stats)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/env.sh"
source "$here/lib.sh"
source "$here/start.d/30-postfix.sh"

FLEET_DIR="$MH_STATE/fleet"
FLEET_KNOT="$MH_NET.80.53"
FLEET_LINK="$MH_NET.80.54"
FLEET_RESOLVER="$MH_NET.80.55"
FLEET_CONTROL="$MH_NET.80.59:5300"
FLEET_DELAY_MS="${MH_FLEET_DELAY_MS:-20}"
FLEET_SEED="${MH_FLEET_SEED:-17}"
FLEET_PROXY="$MH_REPO/bench/LatencyProxy/bin/Release/net10.0/LatencyProxy.dll"
FLEET_MARK="# internet-like fleet (eng/peers/fleet.sh)"

fleet_generate() {
  local count="$1" stamp="$count $FLEET_SEED $MH_NET"
  if [ "$(cat "$FLEET_DIR/gen/stamp" 2>/dev/null)" != "$stamp" ]; then
    rm -rf "$FLEET_DIR/gen"
    python3 "$here/fleet/generate.py" zones --count "$count" --seed "$FLEET_SEED" --net "$MH_NET" \
      --out "$FLEET_DIR/gen" --dkim "$here/fleet/dkim"
    # The parent as generated: its DS records are added to a copy once Knot has signed the domains.
    cp "$FLEET_DIR/gen/zones/internet.test.zone" "$FLEET_DIR/gen/parent.zone.orig"
    echo "$stamp" >"$FLEET_DIR/gen/stamp"
    # The policy hosts' certificates name them: made again for a new fleet.
    rm -f "$MH_STATE"/certs/fleet-sts*
  fi
}

# fleet_cert NAME FILE: a certificate from the test CA whose SANs are the lines of FILE (too many
# for mh_cert's one-line extension).
fleet_cert() {
  local name="$1" names="$2" dir="$MH_STATE/certs" ca="$MH_STATE/ca"
  [ -s "$dir/$name.pem" ] && return 0
  openssl req -new -newkey rsa:2048 -nodes -keyout "$dir/$name.key" -out "$dir/$name.csr" \
    -subj "/CN=$(head -n1 "$names")" 2>/dev/null
  { printf 'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=@alt\n[alt]\n'
    awk '{ printf "DNS.%d = %s\n", NR, $0 }' "$names"; } >"$dir/$name.ext"
  openssl ca -batch -config "$ca/ca.cnf" -in "$dir/$name.csr" -out "$dir/$name.pem" -notext \
    -startdate "$(mh_date -1)" -enddate "$(mh_date +365)" -extfile "$dir/$name.ext" 2>"$dir/$name.log" \
    || { cat "$dir/$name.log" >&2; return 1; }
  cat "$dir/$name.pem" "$MH_STATE/ca/ca.pem" >"$dir/$name.chain.pem"
  chmod 644 "$dir/$name.key"
}

fleet_postfix_start() {
  local run n
  run="$(postfix_run_dir)"
  [ -f "$run/master.cf" ] || { mh_log "the peers' Postfix is not running: eng/peers/peers.sh start first"; return 1; }
  printf '*.mx.internet.test\n*.provider1.internet.test\n*.provider2.internet.test\n*.provider3.internet.test\n' >"$FLEET_DIR/mx-names.txt"
  fleet_cert fleet-mx "$FLEET_DIR/mx-names.txt"
  fleet_postfix_stop
  {
    echo "$FLEET_MARK"
    for n in 25 26 27 28; do
      # 200 smtpd processes per listener: the fleet's runs open many connections at once.
      echo "$MH_NET.80.$n:25 inet n - n - 200 smtpd -o myhostname=mx.internet.test -o smtpd_tls_chain_files=$MH_STATE/certs/fleet-mx.key,$MH_STATE/certs/fleet-mx.chain.pem -o smtpd_tls_security_level=may"
    done
  } >>"$run/master.cf"
  postfix -c "$run" reload >/dev/null 2>&1
  mh_wait_port "$MH_NET.80.25" 25 10
}

fleet_postfix_stop() {
  local run
  run="$(postfix_run_dir)"
  [ -f "$run/master.cf" ] && grep -q "^$FLEET_MARK" "$run/master.cf" || return 0
  sed -i "\\|^$FLEET_MARK|,\$d" "$run/master.cf"
  postfix -c "$run" reload >/dev/null 2>&1 || true
}

# The policy hosts' names in certificates of at most 100 names each, one nginx server per
# certificate (chosen by SNI): a certificate naming every host would be unlike any real policy
# host's, and decoding its thousands of names costs the client megabytes per handshake.
FLEET_STS_PER_CERT=100

fleet_nginx_start() {
  local dir="$FLEET_DIR/nginx" chunk name
  mkdir -p "$dir/tmp" "$dir/names"
  rm -f "$dir"/names/sts-*
  split -l "$FLEET_STS_PER_CERT" -d -a 3 "$FLEET_DIR/gen/sts-hosts.txt" "$dir/names/sts-"
  mh_stop_pidfile "$dir/nginx.pid"
  {
    cat <<CONF
user root;
worker_processes 1;
daemon on;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $dir/tmp/body;
  proxy_temp_path $dir/tmp/proxy;
  fastcgi_temp_path $dir/tmp/fastcgi;
  uwsgi_temp_path $dir/tmp/uwsgi;
  scgi_temp_path $dir/tmp/scgi;
  server_names_hash_max_size 16384;
  server_names_hash_bucket_size 128;
  types { }
  default_type text/plain;
CONF
    for chunk in "$dir"/names/sts-*; do
      name="fleet-$(basename "$chunk")"
      fleet_cert "$name" "$chunk"
      cat <<CONF
  server {
    listen $MH_NET.80.80:443 ssl;
    server_name $(tr '\n' ' ' <"$chunk");
    ssl_certificate $MH_STATE/certs/$name.chain.pem;
    ssl_certificate_key $MH_STATE/certs/$name.key;
    root $FLEET_DIR/gen/www/\$host;
    location / { return 404; }
    location = /.well-known/mta-sts.txt { }
  }
CONF
    done
    echo "}"
  } >"$dir/nginx.conf"
  nginx -t -q -c "$dir/nginx.conf" -p "$dir" 2>"$dir/check.log" || { cat "$dir/check.log" >&2; return 1; }
  nginx -c "$dir/nginx.conf" -p "$dir"
  mh_wait_port "$MH_NET.80.80" 443 10
}

# fleet_knot_template ID [POLICY]: a zone template reading the generated files as they are (Knot
# signs in memory at every load and never writes them back), signed by POLICY when given.
fleet_knot_template() {
  printf '  - id: %s\n    storage: "%s"\n    file: "%%s.zone"\n' "$1" "$FLEET_DIR/gen/zones"
  printf '    zonefile-load: whole\n    zonefile-sync: -1\n    journal-content: none\n    semantic-checks: off\n'
  if [ -n "${2:-}" ]; then printf '    dnssec-signing: on\n    dnssec-policy: %s\n' "$2"; fi
}

fleet_knot_start() {
  local dir="$FLEET_DIR/knot" conf zone kind
  mkdir -p "$dir/db"
  fleet_knot_stop
  conf="$dir/knot.conf"
  {
    cat <<CONF
server:
  rundir: "$dir"
  listen: $FLEET_KNOT@53
  udp-max-payload: 1232
database:
  storage: "$dir/db"
log:
  - target: "$dir/knot.log"
    any: warning
policy:
  # Every signed domain shares one KSK, so the parent's DS records are computed from one key.
  - id: child
    algorithm: ecdsap256sha256
    ksk-shared: on
    nsec3: off
  - id: parent
    algorithm: ecdsap256sha256
template:
CONF
    fleet_knot_template default
    fleet_knot_template signed child
    fleet_knot_template parent parent
    echo "zone:"
    # zones.txt names each zone's kind: unsigned (the default template), signed or parent.
    while read -r zone kind; do
      printf '  - domain: %s\n' "$zone"
      if [ "$kind" != unsigned ]; then printf '    template: %s\n' "$kind"; fi
    done <"$FLEET_DIR/gen/zones.txt"
  } >"$conf"
  knotc -c "$conf" conf-check >/dev/null
  knotd -c "$conf" -d
  mh_wait_port "$FLEET_KNOT" 53 30
  # A signed domain's DNSKEY set shows the shared KSK (flags 257) once Knot has signed it.
  local first key="" tries=300
  first="$(awk '$2 == "signed" { print $1; exit }' "$FLEET_DIR/gen/zones.txt")"
  while [ $tries -gt 0 ]; do
    key="$(dig +short +time=1 +tries=1 "@$FLEET_KNOT" "$first" DNSKEY 2>/dev/null | awk '$1 == 257' | head -n1 || true)"
    [ -n "$key" ] && break
    sleep 0.2; tries=$((tries - 1))
  done
  [ -n "$key" ] || { mh_log "Knot did not sign $first"; tail -n 20 "$dir/knot.log" >&2; return 1; }
  { cat "$FLEET_DIR/gen/parent.zone.orig"
    awk '$2 == "signed" { print $1 }' "$FLEET_DIR/gen/zones.txt" | python3 "$here/fleet/generate.py" ds --dnskey "$key"
  } >"$FLEET_DIR/gen/zones/internet.test.zone"
  knotc -c "$conf" zone-reload internet.test >/dev/null
  keymgr -c "$conf" internet.test ds | grep ' 2 ' >"$dir/trust-anchor.ds"
  [ -s "$dir/trust-anchor.ds" ] || { mh_log "no DS for internet.test"; return 1; }
  # Every zone loaded (a zone Knot could not read would pass for a missing domain).
  tries=300
  while [ $tries -gt 0 ] && knotc -c "$conf" zone-status 2>&1 | grep -q 'serial: none\|not loaded'; do
    sleep 0.2; tries=$((tries - 1))
  done
  if knotc -c "$conf" zone-status 2>&1 | grep -q 'serial: none'; then
    knotc -c "$conf" zone-status 2>&1 | grep 'serial: none' | head >&2; return 1
  fi
}

fleet_knot_stop() {
  local conf="$FLEET_DIR/knot/knot.conf"
  [ -f "$conf" ] && knotc -c "$conf" stop >/dev/null 2>&1 || true
  if [ -f "$FLEET_DIR/gen/parent.zone.orig" ]; then
    cp "$FLEET_DIR/gen/parent.zone.orig" "$FLEET_DIR/gen/zones/internet.test.zone"
  fi
}

fleet_proxy_start() {
  local dir="$FLEET_DIR/proxy"
  mkdir -p "$dir"
  fleet_proxy_stop
  if [ ! -f "$FLEET_PROXY" ]; then
    dotnet build "$MH_REPO/bench/LatencyProxy" -c Release -v:quiet -nologo >&2
  fi
  # One listening socket per address, two sockets per relayed connection: the soft limit goes up
  # to the hard one (20,000 on these machines, which give no CAP_SYS_RESOURCE to go further).
  ulimit -n "$(ulimit -Hn)"
  local routes
  routes="$(wc -l <"$FLEET_DIR/gen/tcp-map.txt")"
  if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt $((routes + 4000)) ]; then
    mh_log "open files limit $(ulimit -n) is too low for $routes listeners and their connections"; return 1
  fi
  nohup dotnet "$FLEET_PROXY" serve --delay "$FLEET_DELAY_MS" --tcp-map "$FLEET_DIR/gen/tcp-map.txt" \
    --dns "$FLEET_LINK:53=$FLEET_KNOT:53" --control "$FLEET_CONTROL" >"$dir/proxy.log" 2>&1 &
  echo $! >"$dir/proxy.pid"
  mh_wait_port "${FLEET_CONTROL%:*}" "${FLEET_CONTROL#*:}" 60
}

fleet_proxy_stop() {
  mh_stop_pidfile "$FLEET_DIR/proxy/proxy.pid"
}

fleet_unbound_start() {
  local dir="$FLEET_DIR/unbound"
  mkdir -p "$dir"
  fleet_unbound_stop
  { mh_unbound_server "$FLEET_RESOLVER" "$dir"; cat <<CONF
  module-config: "validator iterator"
  trust-anchor-file: "$FLEET_DIR/knot/trust-anchor.ds"
  local-zone: "test." nodefault
  local-zone: "127.in-addr.arpa." nodefault
  # A resolver's caches, as one next to a monitor would have: answers live for their TTL.
  msg-cache-size: 128m
  rrset-cache-size: 256m
  key-cache-size: 32m
  neg-cache-size: 32m
  num-queries-per-thread: 4096
  outgoing-range: 8192
  so-rcvbuf: 4m
  extended-statistics: yes
  statistics-cumulative: yes
stub-zone:
  name: "internet.test."
  stub-addr: $FLEET_LINK@53
stub-zone:
  name: "$(mh_reverse_zone)."
  stub-addr: $FLEET_LINK@53
# The peers' own zones (the blocklists under rep.test) without delay.
stub-zone:
  name: "test."
  stub-addr: $MH_DNS_IP@$MH_DNS_PORT
forward-zone:
  name: "."
  forward-addr: $MH_DNS_IP@$MH_DNS_PORT
remote-control:
  control-enable: yes
  control-interface: $FLEET_RESOLVER
  control-port: 8953
  control-use-cert: no
CONF
  } >"$dir/unbound.conf"
  unbound-checkconf "$dir/unbound.conf" >/dev/null
  unbound -c "$dir/unbound.conf"
  local tries=100
  while [ $tries -gt 0 ] && ! dig +time=2 +tries=1 +dnssec "@$FLEET_RESOLVER" internet.test SOA 2>/dev/null | grep -q 'flags:.* ad'; do
    sleep 0.2; tries=$((tries - 1))
  done
  [ $tries -gt 0 ] || { mh_log "unbound on $FLEET_RESOLVER does not validate internet.test"; tail -n 20 "$dir/unbound.log" >&2; return 1; }
}

fleet_unbound_stop() {
  mh_stop_pidfile "$FLEET_DIR/unbound/unbound.pid"
}

fleet_start() {
  local count="${1:-10000}"
  mh_need knotd knot
  mh_need unbound unbound
  mh_need dig bind9-dnsutils
  mh_need nginx nginx
  mh_need python3 python3
  mkdir -p "$FLEET_DIR"
  fleet_generate "$count"
  fleet_postfix_start
  fleet_nginx_start
  fleet_knot_start
  fleet_proxy_start
  fleet_unbound_start
  mh_log "fleet of $count domains up: resolver $FLEET_RESOLVER (--dns), ${FLEET_DELAY_MS} ms each way to the mail hosts and from the resolver to Knot; domains in $FLEET_DIR/gen/domains.tsv"
}

fleet_stop() {
  fleet_unbound_stop
  fleet_proxy_stop
  fleet_knot_stop
  mh_stop_pidfile "$FLEET_DIR/nginx/nginx.pid"
  fleet_postfix_stop
}

fleet_control() {
  exec 3<>"/dev/tcp/${FLEET_CONTROL%:*}/${FLEET_CONTROL#*:}"
  printf '%s\n' "$1" >&3
  head -n1 <&3
  exec 3<&-
}

case "${1:-}" in
  start) fleet_start "${2:-10000}" ;;
  stop) fleet_stop ;;
  delay) fleet_control "delay ${2:?milliseconds}" ;;
  stats) fleet_control stats; unbound-control -c "$FLEET_DIR/unbound/unbound.conf" stats_noreset | grep -E '^total\.num\.queries=|^num\.query\.type\.' ;;
  *) echo "usage: $0 start [N] | stop | delay MS | stats" >&2; exit 2 ;;
esac
