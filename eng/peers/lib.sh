# Helpers for the peer scripts. Sourced after env.sh.

mh_log() { printf '[peers] %s\n' "$*" >&2; }

# mh_need CMD PACKAGE...: install the Debian packages when CMD is missing.
mh_need() {
  local cmd="$1"; shift
  command -v "$cmd" >/dev/null 2>&1 && return 0
  mh_log "installing $* (for $cmd)"
  if [ -z "${MH_APT_UPDATED:-}" ]; then
    apt-get update -qq >/dev/null
    MH_APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# mh_need_file FILE PACKAGE...: install the Debian packages when FILE is missing (data, not a command).
mh_need_file() {
  local file="$1"; shift
  [ -e "$file" ] && return 0
  mh_log "installing $* (for $file)"
  if [ -z "${MH_APT_UPDATED:-}" ]; then
    apt-get update -qq >/dev/null
    MH_APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# mh_credentials FILE USER: the password in FILE (lines user=... and password=...), made once with
# a random password for USER when FILE is missing; a peer's state keeps it across restarts.
mh_credentials() {
  local file="$1" user="$2"
  if [ ! -s "$file" ]; then
    printf 'user=%s\npassword=%s\n' "$user" "$(openssl rand -hex 12)" >"$file"
    chmod 600 "$file"
  fi
  sed -n 's/^password=//p' "$file"
}

# mh_wait_port IP PORT [SECONDS]: wait until a TCP port accepts connections.
mh_wait_port() {
  local ip="$1" port="$2" tries=$(( ${3:-20} * 10 ))
  while [ "$tries" -gt 0 ]; do
    (exec 3<>"/dev/tcp/$ip/$port") 2>/dev/null && return 0
    sleep 0.1; tries=$((tries - 1))
  done
  mh_log "nothing listens on $ip:$port"; return 1
}

# mh_reverse_zone: the in-addr.arpa zone of $MH_NET (127.53 -> 53.127.in-addr.arpa).
mh_reverse_zone() {
  local a b; IFS=. read -r a b <<<"$MH_NET"; echo "$b.$a.in-addr.arpa"
}

# mh_cert NAME NOT_BEFORE NOT_AFTER DNS_NAME...: a leaf certificate signed by the test CA.
#   The first name is the CN, so it must be a DNS name.
#   Dates are YYYYMMDDHHMMSSZ or an offset in days such as +90 or -30 (from now).
#   Writes $MH_STATE/certs/NAME.key, NAME.pem and NAME.chain.pem (leaf + CA, as Postfix wants).
mh_cert() {
  local name="$1" from="$2" to="$3"; shift 3
  local dir="$MH_STATE/certs" ca="$MH_STATE/ca"
  mkdir -p "$dir"
  local san="" n
  # A name given as IP:ADDRESS becomes an IP address SAN (for clients that connect by address).
  for n in "$@"; do case "$n" in IP:*) san="${san:+$san,}$n" ;; *) san="${san:+$san,}DNS:$n" ;; esac; done
  # Kept while it names the same hosts: an address SAN made under another MH_NET is made again.
  [ -s "$dir/$name.pem" ] && grep -qxF "subjectAltName=$san" "$dir/$name.ext" 2>/dev/null && return 0
  openssl req -new -newkey rsa:2048 -nodes -keyout "$dir/$name.key" -out "$dir/$name.csr" \
    -subj "/CN=$1" 2>/dev/null
  printf 'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=%s\n' "$san" >"$dir/$name.ext"
  openssl ca -batch -config "$ca/ca.cnf" -in "$dir/$name.csr" -out "$dir/$name.pem" -notext \
    -startdate "$(mh_date "$from")" -enddate "$(mh_date "$to")" -extfile "$dir/$name.ext" 2>"$dir/$name.log" \
    || { cat "$dir/$name.log" >&2; return 1; }
  cat "$dir/$name.pem" "$ca/ca.pem" >"$dir/$name.chain.pem"
  chmod 644 "$dir/$name.key"
}

# mh_self_signed NAME DNS_NAME: a self-signed leaf (not from the test CA).
mh_self_signed() {
  local name="$1" host="$2" dir="$MH_STATE/certs"
  mkdir -p "$dir"
  [ -s "$dir/$name.pem" ] && return 0
  openssl req -x509 -newkey rsa:2048 -nodes -days 365 -keyout "$dir/$name.key" -out "$dir/$name.pem" \
    -subj "/CN=$host" -addext "subjectAltName=DNS:$host" 2>/dev/null
  cp "$dir/$name.pem" "$dir/$name.chain.pem"
  chmod 644 "$dir/$name.key"
}

mh_date() {
  case "$1" in
    [+-]*) date -u -d "$1 days" +%Y%m%d%H%M%SZ ;;
    *) echo "$1" ;;
  esac
}

# Under libfaketime (`faketime -f +40d eng/test.sh`, the suite run with the clock ahead:
# docs/testing.md) bind9's tools hang in its clock hook (libisc calls clock_gettime while
# libfaketime initialises). They run on the real clock instead: dig only asks, and what
# dnssec-signzone dates is given explicitly from `date`, which follows the faked clock.
if [[ "${LD_PRELOAD:-}" == *faketime* ]]; then
  for mh_tool in dig dnssec-keygen dnssec-signzone dnssec-dsfromkey; do
    eval "$mh_tool() { env -u LD_PRELOAD -u FAKETIME $mh_tool \"\$@\"; }"
  done
  unset mh_tool
fi

# mh_stop_pidfile FILE: stop the process whose pid FILE holds, wait up to 5 s for it, remove FILE.
mh_stop_pidfile() {
  local file="$1" pid tries=50
  pid="$(cat "$file" 2>/dev/null || true)"
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    while [ $tries -gt 0 ] && kill -0 "$pid" 2>/dev/null; do sleep 0.1; tries=$((tries - 1)); done
  fi
  rm -f "$file"
}

# mh_unbound_server IP DIR: the server: clause every loopback unbound shares (a private daemon
# in DIR, logs there, one thread, allowed to ask loopback servers); the caller appends the rest.
mh_unbound_server() {
  cat <<CONF
server:
  interface: $1
  port: 53
  do-ip6: no
  do-daemonize: yes
  username: ""
  chroot: ""
  directory: "$2"
  pidfile: "$2/unbound.pid"
  use-syslog: no
  logfile: "$2/unbound.log"
  verbosity: 1
  num-threads: 1
  do-not-query-localhost: no
  access-control: 127.0.0.0/8 allow
  # Knot answers on loopback, but on two cores busy with the test suites an answer can take
  # longer than unbound's first retry timeout (376 ms): unbound then counts the server as slow,
  # backs off, and after enough of them answers SERVFAIL for everything until the host's infra
  # entry expires. Wait at least a second before asking again; keep probing a server judged down.
  infra-cache-min-rtt: 1000
  infra-keep-probing: yes
CONF
}
