# nginx: the MTA-STS policy hosts (RFC 8461 section 3.3), one HTTPS listener per policy host on
# $MH_NET.40.N:443, each with its own certificate from the test CA. Policies come from
# eng/peers/mta-sts/; names and what each shows are in eng/peers/zones/transport.test.zone.in.
# Also makes the certificates the DANE records of that zone are computed from (Knot starts later).

# nginx_site NAME OCTET CERT POLICY [EXTRA_DIRECTIVES] [HOST]: one policy host, by default
# mta-sts.NAME.transport.test.
nginx_site() {
  local name="$1" octet="$2" cert="$3" policy="$4" extra="${5:-}" host="${6:-mta-sts.$1.transport.test}" root="$MH_STATE/nginx/www/$1"
  mkdir -p "$root/.well-known"
  if [ -n "$policy" ]; then cp "$policy" "$root/.well-known/mta-sts.txt"; fi
  cat <<SITE
  server {
    listen $MH_NET.40.$octet:443 ssl;
    server_name $host;
    ssl_certificate $MH_STATE/certs/$cert.chain.pem;
    ssl_certificate_key $MH_STATE/certs/$cert.key;
    root $root;
    location / { return 404; }
    location = /.well-known/mta-sts.txt { $extra }
  }
SITE
}

nginx_certs() {
  local good="" n
  for n in enforce testing none malformed oversized redirect mismatch badtype notfound testingmismatch slow silent split e2e; do
    good="$good mta-sts.$n.transport.test"
  done
  # shellcheck disable=SC2086
  mh_cert sts-good -1 +90 $good
  mh_cert sts-wrongname -1 +90 mta-sts.elsewhere.transport.test
  mh_cert sts-expired -60 -2 mta-sts.expired.transport.test
  mh_cert sts-expiring -30 +10 mta-sts.expiring.transport.test
  mh_self_signed sts-selfsigned mta-sts.untrusted.transport.test
  # The MX hosts of the MTA-STS domains, for RFC 8461 section 4.2 (their certificate on port 25).
  mh_cert sts-mx -1 +90 mx1.transport.test mx.backup.transport.test rogue.transport.test
  # DANE (RFC 7672): the leaf the TLSA records name, another leaf that matches none, and the CA
  # under a certs/ name so that the zone's @TLSA:2:...:transport-ca@ tokens can find it.
  mh_cert dane-leaf -1 +90 '*.dane.transport.test'
  mh_cert dane-other -1 +90 '*.dane.transport.test'
  cp "$MH_STATE/ca/ca.pem" "$MH_STATE/certs/transport-ca.pem"
  # The demo domain's policy host (eng/peers/zones/demo.test.zone.in, shown by eng/run.sh).
  mh_cert demo-sts -1 +90 mta-sts.demo.test
  mh_cert bimi-logos -1 +90 logos.bimi.test
}

# bimi_vmc NAME FROM TO: a mark certificate (VMC-like) from the test CA: the BIMI extended key
# usage and a logotype extension (RFC 3709; its content is not read by the check).
bimi_vmc() {
  local name="$1" from="$2" to="$3" dir="$MH_STATE/certs" ca="$MH_STATE/ca"
  [ -s "$dir/$name.pem" ] && return 0
  openssl req -new -newkey rsa:2048 -nodes -keyout "$dir/$name.key" -out "$dir/$name.csr" -subj "/CN=MailHealth Test Brand/O=MailHealth Test" 2>/dev/null
  printf 'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=1.3.6.1.5.5.7.3.31\nsubjectAltName=DNS:good.bimi.test\n1.3.6.1.5.5.7.1.12=DER:3000\n' >"$dir/$name.ext"
  openssl ca -batch -config "$ca/ca.cnf" -in "$dir/$name.csr" -out "$dir/$name.pem" -notext \
    -startdate "$(mh_date "$from")" -enddate "$(mh_date "$to")" -extfile "$dir/$name.ext" 2>"$dir/$name.log" \
    || { cat "$dir/$name.log" >&2; return 1; }
}

# The BIMI logo host: logos and mark certificates from eng/peers/bimi/ and made here.
nginx_bimi_site() {
  local root="$MH_STATE/nginx/www/bimi"
  mkdir -p "$root"
  cp "$MH_REPO"/eng/peers/bimi/*.svg "$root/"
  # Over the 32 KiB receivers accept: a valid logo padded with a comment.
  { head -n 2 "$MH_REPO/eng/peers/bimi/good.svg"; printf '<!-- %040000d -->\n' 0; tail -n +3 "$MH_REPO/eng/peers/bimi/good.svg"; } >"$root/big.svg"
  printf '\211PNG\r\n\032\n' >"$root/logo.png"
  bimi_vmc bimi-vmc -1 +365
  bimi_vmc bimi-vmc-expired -400 -5
  cat "$MH_STATE/certs/bimi-vmc.pem" "$MH_STATE/ca/ca.pem" >"$root/vmc.pem"
  cat "$MH_STATE/certs/bimi-vmc-expired.pem" "$MH_STATE/ca/ca.pem" >"$root/vmc-expired.pem"
  cp "$MH_STATE/certs/bimi-logos.pem" "$root/plain.pem"
  # A PEM block whose body is no certificate, and a file with no PEM block at all.
  printf -- '-----BEGIN CERTIFICATE-----\nTm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n' >"$root/broken.pem"
  printf 'This is not a certificate.\n' >"$root/text.pem"
  cat <<SITE
  server {
    listen $MH_NET.40.30:443 ssl;
    server_name logos.bimi.test;
    ssl_certificate $MH_STATE/certs/bimi-logos.chain.pem;
    ssl_certificate_key $MH_STATE/certs/bimi-logos.key;
    root $root;
    location ~ \.svg\$ { default_type image/svg+xml; }
    location ~ \.png\$ { default_type image/png; }
    location ~ \.pem\$ { default_type application/pem-certificate-chain; }
  }
SITE
}

nginx_start() {
  mh_need nginx nginx
  local dir="$MH_STATE/nginx" src="$MH_REPO/eng/peers/mta-sts"
  mkdir -p "$dir/tmp" "$dir/www"
  nginx_stop 2>/dev/null || true
  nginx_certs
  # A valid policy padded with an extension field past the 64 KiB limit MailHealth applies.
  mkdir -p "$dir/www/oversized/.well-known"
  { cat "$src/enforce.txt"; for _ in $(seq 1 700); do printf 'x-padding: %0100d\r\n' 0; done; } \
    >"$dir/oversized.txt"
  {
    echo "user root;"
    echo "worker_processes 1;"
    echo "daemon on;"
    echo "pid $dir/nginx.pid;"
    echo "error_log $dir/error.log warn;"
    echo "events { worker_connections 256; }"
    echo "http {"
    echo "  access_log $dir/access.log;"
    echo "  client_body_temp_path $dir/tmp/body;"
    echo "  proxy_temp_path $dir/tmp/proxy;"
    echo "  fastcgi_temp_path $dir/tmp/fastcgi;"
    echo "  uwsgi_temp_path $dir/tmp/uwsgi;"
    echo "  scgi_temp_path $dir/tmp/scgi;"
    echo "  types { }"
    echo "  default_type text/plain;"
    echo "  charset utf-8;"
    echo "  charset_types text/plain;"
    nginx_site enforce 1 sts-good "$src/enforce.txt"
    nginx_site testing 2 sts-good "$src/testing.txt"
    nginx_site none 3 sts-good "$src/none.txt"
    nginx_site malformed 4 sts-good "$src/malformed.txt"
    nginx_site oversized 5 sts-good "$dir/oversized.txt"
    nginx_site redirect 6 sts-good "" "return 301 https://mta-sts.enforce.transport.test/.well-known/mta-sts.txt;"
    nginx_site wrongcert 7 sts-wrongname "$src/enforce.txt"
    nginx_site expired 8 sts-expired "$src/enforce.txt"
    nginx_site mismatch 9 sts-good "$src/mismatch.txt"
    nginx_site expiring 10 sts-expiring "$src/enforce.txt"
    nginx_site untrusted 11 sts-selfsigned "$src/enforce.txt"
    nginx_site badtype 12 sts-good "$src/enforce.txt" "default_type text/html;"
    nginx_site notfound 13 sts-good "" "return 404;"
    nginx_site testingmismatch 14 sts-good "$src/testingmismatch.txt"
    nginx_site demo 20 demo-sts "$MH_REPO/eng/peers/demo/mta-sts.txt" "" mta-sts.demo.test
    nginx_bimi_site
    echo "}"
  } >"$dir/nginx.conf"
  nginx -t -q -c "$dir/nginx.conf" -p "$dir" 2>"$dir/check.log" || { cat "$dir/check.log" >&2; return 1; }
  nginx -c "$dir/nginx.conf" -p "$dir"
  mh_wait_port "$MH_NET.40.1" 443 10
}

nginx_stop() {
  mh_stop_pidfile "$MH_STATE/nginx/nginx.pid"
}
