# The RFC 7208 test suite for the SPF evaluator's tests (see eng/peers/spf-suite.sh). Not a server.
spf_suite_start() { "$MH_REPO/eng/peers/spf-suite.sh"; }
spf_suite_stop() { :; }
