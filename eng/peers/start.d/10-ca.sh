# The test CA: every TLS peer's certificate chains to $MH_STATE/ca/ca.pem (pass it as --ca-file).
ca_start() {
  local ca="$MH_STATE/ca"
  mh_need openssl openssl
  [ -s "$ca/ca.pem" ] && return 0
  mkdir -p "$ca/newcerts"
  : >"$ca/index.txt"
  echo 1000 >"$ca/serial"
  cat >"$ca/ca.cnf" <<CNF
[ ca ]
default_ca = test_ca
[ test_ca ]
dir = $ca
database = \$dir/index.txt
new_certs_dir = \$dir/newcerts
certificate = \$dir/ca.pem
private_key = \$dir/ca.key
serial = \$dir/serial
default_md = sha256
policy = any
unique_subject = no
copy_extensions = none
[ any ]
commonName = supplied
CNF
  openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -keyout "$ca/ca.key" -out "$ca/ca.pem" \
    -subj "/CN=MailHealth Test CA" -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
  mh_log "test CA at $ca/ca.pem"
}
ca_stop() { :; }
