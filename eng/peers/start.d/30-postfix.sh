# Postfix: the probed mail servers of the smtp.test zone (eng/peers/zones/smtp.test.zone.in).
# One private instance (postfix -c DIR, DIR from postfix_run_dir) plays every host: one master.cf
# line per IP:PORT listener, each host on its own address $MH_NET.10.N with ports 25 (STARTTLS),
# 587 (STARTTLS required, AUTH after TLS) and 465 (implicit TLS, AUTH), and per-host overrides
# that make exactly one thing wrong. Nothing is delivered (every transport is discard:) except
# mail for alerts.test, which reaches a Maildir the notification tests read (see postfix_alerts).
#
# SASL test user for the submission ports: $POSTFIX_SASL_USER, its password in
# $MH_STATE/postfix/credentials (lines user=... and password=...), made once at first start.

POSTFIX_SASL_USER="probe@smtp.test"

# postfix_host NAME IP CERT OPTS25 OPTS587 OPTS465: the three listeners of one host.
#   CERT is a name under $MH_STATE/certs ("" for no TLS at all); OPTS are extra -o overrides
#   (later -o settings win over the defaults before them).
postfix_host() {
  local name="$1" ip="$2" cert="$3" o25="${4:-}" o587="${5:-}" o465="${6:-}" tls=""
  [ -n "$cert" ] && tls="-o smtpd_tls_chain_files=$MH_STATE/certs/$cert.key,$MH_STATE/certs/$cert.chain.pem"
  echo "$ip:25 inet n - n - - smtpd -o myhostname=$name $tls -o smtpd_tls_security_level=may $o25"
  echo "$ip:587 inet n - n - - smtpd -o myhostname=$name $tls -o smtpd_tls_security_level=encrypt -o smtpd_sasl_auth_enable=yes -o smtpd_tls_auth_only=yes $o587"
  echo "$ip:465 inet n - n - - smtpd -o myhostname=$name $tls -o smtpd_tls_wrappermode=yes -o smtpd_tls_security_level=encrypt -o smtpd_sasl_auth_enable=yes $o465"
}

# The alert-receiving submission server: $MH_NET.70.1 ports 587 (STARTTLS, AUTH after TLS) and 465
# (implicit TLS, AUTH), certificate for submit.alerts.test and the address itself, the same SASL
# user as the smtp.test hosts. Mail for alerts.test goes to the virtual(8) delivery agent, into one
# Maildir under the run directory (virtual runs as the postfix user there, which owns the folder);
# every other domain is still discarded. $MH_STATE/postfix/alerts-maildir holds the Maildir's path.
POSTFIX_ALERTS_DOMAIN="alerts.test"

# The reports mailbox's MX: $MH_NET.76.1 port 25 takes mail for mailbox.test from anyone, without
# AUTH, as receivers send DMARC and TLS reports (STARTTLS offered), and hands mail for
# LOCAL@mailbox.test to the Dovecot peer's delivery agent (dovecot-lda, through pipe(8), as the
# dovecot user), which files it in the INBOX of Dovecot's user LOCAL (eng/peers/start.d/70-dovecot.sh).
POSTFIX_REPORTS_DOMAIN="mailbox.test"
POSTFIX_REPORTS_IP_SUFFIX="76.1"

postfix_alerts_listeners() {
  local ip="$MH_NET.70.1"
  local tls="-o myhostname=submit.alerts.test -o smtpd_tls_chain_files=$MH_STATE/certs/alerts-submit.key,$MH_STATE/certs/alerts-submit.chain.pem -o smtpd_sasl_auth_enable=yes"
  echo "# alerts.test submission (notification e-mail is delivered here)"
  echo "$ip:587 inet n - n - - smtpd $tls -o smtpd_tls_security_level=encrypt -o smtpd_tls_auth_only=yes"
  echo "$ip:465 inet n - n - - smtpd $tls -o smtpd_tls_wrappermode=yes -o smtpd_tls_security_level=encrypt"
}

postfix_reports_listener() {
  local ip="$MH_NET.$POSTFIX_REPORTS_IP_SUFFIX" run
  run="$(postfix_run_dir)"
  # Not relay_domains: trivial-rewrite classifies addresses from main.cf, whatever smtpd's -o say.
  echo "$POSTFIX_REPORTS_DOMAIN OK" >"$run/reports-recipients"
  echo "# mailbox.test MX (receivers' reports are delivered here, for the Dovecot peer)"
  echo "dovecot-reports unix - n n - - pipe flags=DRhu user=dovecot argv=/usr/lib/dovecot/dovecot-lda -c /var/lib/mailhealth-peers/$MH_NET/dovecot/dovecot.conf -d \${user} -f \${sender}"
  echo "$ip:25 inet n - n - - smtpd -o myhostname=mx.mailbox.test -o smtpd_tls_chain_files=$MH_STATE/certs/mailbox.key,$MH_STATE/certs/mailbox.chain.pem -o smtpd_tls_security_level=may -o smtpd_relay_restrictions=check_recipient_access,texthash:$run/reports-recipients,reject"
}

postfix_alerts_mailbox() {
  local dir="$1" run="$2"
  mkdir -p "$run/mail/alerts"
  chown -R postfix:postfix "$run/mail"
  echo "$run/mail/alerts" >"$dir/alerts-maildir"
}

postfix_certs() {
  # Certificates whose point is their remaining lifetime are made anew at every start, so that a
  # long-lived $MH_STATE never turns "expires in 3 days" into "expired".
  rm -f "$MH_STATE"/certs/smtp-expiring3.* "$MH_STATE"/certs/smtp-expiring15.*
  mh_cert smtp-good -1 +365 mx.good.smtp.test mx.fallback.smtp.test
  mh_cert smtp-authplain -1 +365 mx.authplain.smtp.test
  mh_cert smtp-expired -90 -2 mx.expired.smtp.test
  mh_cert smtp-expiring3 -1 +3 mx.expiring3.smtp.test
  mh_cert smtp-expiring15 -1 +15 mx.expiring15.smtp.test
  mh_cert smtp-wrongname -1 +365 mail.elsewhere.test
  mh_self_signed smtp-selfsigned mx.selfsigned.smtp.test
  mh_cert smtp-openrelay -1 +365 mx.openrelay.smtp.test
  mh_cert smtp-noauth -1 +365 mx.noauth.smtp.test
  mh_cert smtp-ehlorejected -1 +365 mx.ehlorejected.smtp.test
  mh_cert smtp-legacytls -1 +365 mx.legacytls.smtp.test
  mh_cert alerts-submit -1 +365 submit.alerts.test "IP:$MH_NET.70.1"
  mh_cert mailbox -1 +365 imap.mailbox.test mx.mailbox.test "IP:$MH_NET.$POSTFIX_REPORTS_IP_SUFFIX"
}

# postfix_run_dir: the instance itself (main.cf, master.cf, queue, data, SASL database, log).
# Not under $MH_STATE: a checkout may sit below a directory the unprivileged postfix user cannot
# traverse (a mktemp folder is 0700), and Postfix's processes read these after dropping privileges.
postfix_run_dir() { echo "/var/lib/mailhealth-peers/$MH_NET/postfix"; }

postfix_sasl() {
  local dir="$1" run="$2" password
  mkdir -p "$run/sasl"
  password="$(mh_credentials "$dir/credentials" "$POSTFIX_SASL_USER")"
  cat >"$run/sasl/smtpd.conf" <<CONF
pwcheck_method: auxprop
auxprop_plugin: sasldb
mech_list: PLAIN LOGIN
sasldb_path: $run/sasl/sasldb2
CONF
  rm -f "$run/sasl/sasldb2"
  printf '%s' "$password" | saslpasswd2 -f "$run/sasl/sasldb2" -p -c -u "${POSTFIX_SASL_USER#*@}" "${POSTFIX_SASL_USER%@*}"
  chown postfix "$run/sasl/sasldb2"
  chmod 600 "$run/sasl/sasldb2"
}

postfix_main_cf() {
  local run="$1"
  cat >"$run/main.cf" <<CONF
compatibility_level = 3.6
queue_directory = $run/queue
data_directory = $run/data
maillog_file = $run/postfix.log
maillog_file_prefixes = $run
inet_protocols = ipv4
myhostname = peers.smtp.test
mydomain = smtp.test
mydestination =
alias_maps =
alias_database =
local_recipient_maps =
biff = no
# The probe connects from 127.0.0.1: no listener trusts it unless it says so (the open relay).
mynetworks = 127.255.255.254/32
smtpd_relay_restrictions = permit_mynetworks, permit_sasl_authenticated, reject_unauth_destination
smtpd_banner = \$myhostname ESMTP
# Never ask the machine's resolver anything, never deliver anything anywhere (discard).
smtpd_peername_lookup = no
smtp_dns_support_level = disabled
default_transport = discard:test peers deliver nothing
relay_transport = discard:test peers deliver nothing
local_transport = discard:test peers deliver nothing
smtpd_tls_security_level = none
smtpd_tls_loglevel = 0
smtpd_sasl_auth_enable = no
smtpd_sasl_type = cyrus
smtpd_sasl_path = smtpd
cyrus_sasl_config_path = $run/sasl
# alerts.test only: a Maildir (trailing slash) that every recipient of the domain shares. The
# domain is routed by transport_maps, not made a virtual mailbox domain: the other listeners still
# refuse it (reject_unauth_destination), and virtual_mailbox_domains must be empty because its
# default, \$virtual_mailbox_maps, would make the static map claim every domain (an open relay).
transport_maps = inline:{ $POSTFIX_ALERTS_DOMAIN=virtual:, $POSTFIX_REPORTS_DOMAIN=dovecot-reports: }
virtual_mailbox_domains =
virtual_mailbox_base = $run/mail
virtual_mailbox_maps = static:alerts/
# dovecot-lda delivers to one user (\${user}) per call.
dovecot-reports_destination_recipient_limit = 1
virtual_uid_maps = static:$(id -u postfix)
virtual_gid_maps = static:$(id -g postfix)
virtual_minimum_uid = 1
CONF
}

postfix_master_cf() {
  local dir="$1" n="$MH_NET"
  # The system's services without its inet listeners (the wildcard *:25 would take every
  # address), and without chroot so that certificate paths work as given.
  awk '
    /^[a-z]/ { skip = ($2 == "inet"); if (!skip && NF >= 8) $5 = "n" }
    /^[ \t]/ { if (skip) next }
    !skip { print }
  ' /etc/postfix/master.cf >"$dir/master.cf"
  {
    echo "# smtp.test hosts (see eng/peers/zones/smtp.test.zone.in)"
    postfix_host mx.good.smtp.test "$n.10.1" smtp-good
    postfix_host mx.notls.smtp.test "$n.10.2" "" \
      "-o smtpd_tls_security_level=none" \
      "-o smtpd_tls_security_level=none -o smtpd_sasl_auth_enable=no" \
      "-o smtpd_tls_wrappermode=no -o smtpd_tls_security_level=none -o smtpd_sasl_auth_enable=no"
    postfix_host mx.authplain.smtp.test "$n.10.3" smtp-authplain "" \
      "-o smtpd_tls_security_level=may -o smtpd_tls_auth_only=no" ""
    postfix_host mx.expired.smtp.test "$n.10.4" smtp-expired
    postfix_host mx.expiring3.smtp.test "$n.10.5" smtp-expiring3
    postfix_host mx.expiring15.smtp.test "$n.10.6" smtp-expiring15
    postfix_host mx.wrongname.smtp.test "$n.10.7" smtp-wrongname
    postfix_host mx.selfsigned.smtp.test "$n.10.8" smtp-selfsigned
    postfix_host mx.openrelay.smtp.test "$n.10.9" smtp-openrelay \
      "-o mynetworks=127.0.0.0/8 -o smtpd_relay_restrictions=permit_mynetworks,reject_unauth_destination" "" ""
    postfix_host mx.noauth.smtp.test "$n.10.10" smtp-noauth "" \
      "-o smtpd_sasl_auth_enable=no" "-o smtpd_sasl_auth_enable=no"
    local reject_helo="-o smtpd_delay_reject=no -o smtpd_helo_required=yes -o smtpd_helo_restrictions=reject"
    postfix_host mx.ehlorejected.smtp.test "$n.10.11" smtp-ehlorejected "$reject_helo" "$reject_helo" "$reject_helo"
    # TLS 1.0 only; OpenSSL 3 needs security level 0 for it (RFC 8996 deprecated TLS 1.0/1.1).
    local legacy="-o smtpd_tls_protocols=>=TLSv1,<=TLSv1 -o smtpd_tls_mandatory_protocols=>=TLSv1,<=TLSv1 -o tls_medium_cipherlist=DEFAULT:@SECLEVEL=0"
    postfix_host mx.legacytls.smtp.test "$n.10.12" smtp-legacytls "$legacy" "$legacy" "$legacy"
    postfix_alerts_listeners
    postfix_reports_listener
  } >>"$dir/master.cf"
}

postfix_start() {
  if ! command -v postfix >/dev/null 2>&1; then
    echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
  fi
  mh_need postfix postfix
  mh_need saslpasswd2 sasl2-bin libsasl2-modules libsasl2-modules-db
  # The PLAIN/LOGIN and sasldb plugins are libraries, not commands: mh_need cannot see them.
  if ! dpkg -s libsasl2-modules libsasl2-modules-db >/dev/null 2>&1; then
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libsasl2-modules libsasl2-modules-db >/dev/null
  fi
  local dir="$MH_STATE/postfix" run
  run="$(postfix_run_dir)"
  postfix_stop 2>/dev/null || true
  rm -rf "$run"
  mkdir -p "$dir" "$run/queue" "$run/data"
  postfix_certs
  postfix_sasl "$dir" "$run"
  postfix_main_cf "$run"
  postfix_master_cf "$run"
  postfix_alerts_mailbox "$dir" "$run"
  cp /etc/postfix/dynamicmaps.cf "$run/"
  postfix -c "$run" set-permissions >/dev/null 2>&1 || true
  if ! postfix -c "$run" check >/dev/null 2>&1; then
    script -qc "postfix -c $run check" /dev/null >&2; tail -n 20 "$run/postfix.log" >&2 2>/dev/null; return 1
  fi
  postfix -c "$run" start >/dev/null 2>&1 || { tail -n 20 "$run/postfix.log" >&2; return 1; }
  mh_wait_port "$MH_NET.10.1" 25 10
  mh_wait_port "$MH_NET.10.12" 465 10
  mh_wait_port "$MH_NET.70.1" 465 10
  mh_wait_port "$MH_NET.$POSTFIX_REPORTS_IP_SUFFIX" 25 10
  mh_log "postfix on $MH_NET.10.1-12 ports 25/587/465 (SASL user $POSTFIX_SASL_USER, password in $dir/credentials)"
  mh_log "postfix alerts.test submission on $MH_NET.70.1 ports 587/465, Maildir $(cat "$dir/alerts-maildir")"
  mh_log "postfix mailbox.test MX on $MH_NET.$POSTFIX_REPORTS_IP_SUFFIX port 25 (LOCAL@mailbox.test to Dovecot's user LOCAL)"
}

postfix_stop() {
  local run
  run="$(postfix_run_dir)"
  [ -f "$run/main.cf" ] && postfix -c "$run" stop >/dev/null 2>&1 || true
}
