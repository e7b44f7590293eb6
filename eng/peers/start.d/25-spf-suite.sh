# The RFC 7208 test suite for the SPF evaluator's tests (see eng/peers/spf-suite.sh). Not a server.
# Not fatal: without it the other peers still start, and SpfSuiteTests fails saying what is missing.
spf_suite_start() { "$MH_REPO/eng/peers/spf-suite.sh" || mh_log "WARNING: could not fetch the RFC 7208 test suite (python3-spf)"; }
spf_suite_stop() { :; }
