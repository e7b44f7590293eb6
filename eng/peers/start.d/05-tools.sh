# Command-line tools the documentation's examples use (docs/api.md's curl and jq), which the
# tests run as written.
tools_start() {
  mh_need curl curl
  mh_need jq jq
}

tools_stop() { :; }
