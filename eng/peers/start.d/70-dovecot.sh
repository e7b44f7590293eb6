# Dovecot: the IMAP server of the reports mailbox (docs/reports.md, "The mailbox"), on
# $MH_NET.76.1 port 143 (STARTTLS) and 993 (implicit TLS), certificate imap.mailbox.test from the
# test CA; plain-text login is refused (ssl = required). Any user name logs in with the one
# password in $MH_STATE/dovecot/credentials (lines user=... and password=...; the user named there
# is the demo's): user LOCAL reads the Maildir that Postfix fills with mail for LOCAL@mailbox.test
# (eng/peers/start.d/30-postfix.sh, through dovecot-lda), so each test takes a mailbox of its own
# by its name. The Maildirs (made anew at each start) belong to the dovecot user, which the imap
# processes and the delivery agent run as (uid 0 is refused).

DOVECOT_USER="dmarc-reports"
# The same host as its MX (30-postfix.sh).
DOVECOT_IP_SUFFIX="$POSTFIX_REPORTS_IP_SUFFIX"

dovecot_start() {
  mh_need dovecot dovecot-imapd
  local dir="$MH_STATE/dovecot" ip="$MH_NET.$DOVECOT_IP_SUFFIX" password
  # The configuration and runtime live outside $MH_STATE for the same reason as Postfix's
  # (a checkout below a 0700 directory the postfix user cannot traverse); the mail is Postfix's.
  local run="/var/lib/mailhealth-peers/$MH_NET/dovecot"
  dovecot_stop
  rm -rf "$run"
  mkdir -p "$dir" "$run/mail"
  # The delivery agent logs there too, as the dovecot user.
  : >"$run/dovecot.log"
  chown dovecot:dovecot "$run/mail" "$run/dovecot.log"
  password="$(mh_credentials "$dir/credentials" "$DOVECOT_USER")"
  cat >"$run/dovecot.conf" <<CONF
base_dir = $run/base
state_dir = $run/state
log_path = $run/dovecot.log
listen = $ip
protocols = imap
ssl = required
ssl_cert = <$MH_STATE/certs/mailbox.chain.pem
ssl_key = <$MH_STATE/certs/mailbox.key
ssl_min_protocol = TLSv1.2
disable_plaintext_auth = yes
# XOAUTH2 (RFC 7628 style, as Microsoft 365 takes it): with the static passdb the bearer token is
# checked as the password, so a test hands the password over as the token.
auth_mechanisms = plain login xoauth2
passdb {
  driver = static
  args = password=$password
}
userdb {
  driver = static
  args = uid=dovecot gid=dovecot home=$run/mail/%n
}
first_valid_uid = 100
mail_location = maildir:~
service imap-login {
  inet_listener imap {
    address = $ip
    port = 143
  }
  inet_listener imaps {
    address = $ip
    port = 993
    ssl = yes
  }
}
CONF
  # dovecot-lda reads it as the dovecot user, from Postfix's pipe(8).
  chown root:dovecot "$run/dovecot.conf"
  chmod 640 "$run/dovecot.conf"
  # It daemonizes: its output must not be piped into something that waits for EOF.
  dovecot -c "$run/dovecot.conf" >"$run/start.log" 2>&1 || { cat "$run/start.log" "$run/dovecot.log" >&2 2>/dev/null; return 1; }
  mh_wait_port "$ip" 143 10
  mh_wait_port "$ip" 993 10
  mh_log "dovecot on $ip ports 143 (STARTTLS)/993 (TLS): user LOCAL reads mail for LOCAL@mailbox.test (password in $dir/credentials)"
}

dovecot_stop() {
  local conf="/var/lib/mailhealth-peers/$MH_NET/dovecot/dovecot.conf"
  [ -f "$conf" ] && doveadm -c "$conf" stop >/dev/null 2>&1 || true
}
