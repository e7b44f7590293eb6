#!/usr/bin/env bash
# Fetches the public RFC 7208 test suite (rfc7208-tests.yml, the openspf/pyspf suite) into
# $MH_STATE/spf-suite/ from Debian's python3-spf package, which ships it gzipped as documentation.
# The file is never committed: tests/MailHealth.Core.Tests/Spf/SpfSuiteTests.cs reads it from there.
#   eng/peers/spf-suite.sh            (also run by peers.sh start through start.d/25-spf-suite.sh)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/env.sh"
source "$here/lib.sh"

dir="$MH_STATE/spf-suite"
out="$dir/rfc7208-tests.yml"
[ -s "$out" ] && exit 0
mkdir -p "$dir"
installed=/usr/share/doc/python3-spf/rfc7208-tests.yml.gz
if [ -s "$installed" ]; then
  gzip -dc "$installed" >"$out.tmp"
else
  # Without installing (dpkg may be told to drop /usr/share/doc): download the package and unpack it here.
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  if ! (cd "$work" && apt-get download python3-spf >/dev/null 2>&1); then
    apt-get update -qq >/dev/null
    (cd "$work" && apt-get download python3-spf >/dev/null)
  fi
  dpkg-deb -x "$work"/python3-spf_*.deb "$work/x"
  gzip -dc "$work/x$installed" >"$out.tmp"
fi
mv "$out.tmp" "$out"
mh_log "RFC 7208 test suite at $out"
