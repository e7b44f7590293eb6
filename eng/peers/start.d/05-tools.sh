# Command-line tools the documentation's examples use (docs/api.md's curl and jq), which the
# tests run as written; and the Public Suffix List the naming of report senders reads
# (MailHealth:Reports:Naming:PublicSuffixListPath, docs/reports.md).
tools_start() {
  mh_need curl curl
  mh_need jq jq
  mh_need_file /usr/share/publicsuffix/public_suffix_list.dat publicsuffix
}

tools_stop() { :; }
