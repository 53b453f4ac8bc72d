#!/usr/bin/env bash
# `aresolv resolve`, `run` and `doctor` inside the sandbox, on fixture names
# (tests/fixtures/README.md): where each answer came from, TTLs, failures and
# their exit codes, a program with the crashing NSS module run through
# `aresolv run`, and what doctor says about the sandbox's configuration.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/tool_lib.sh"
[[ ${ARESOLV_SANDBOX:-} == 1 ]] || { aresolv_log "run me through scripts/sandbox.sh"; exit 2; }
T=$ARESOLV_TOOL
aresolv_use_nsswitch nsswitch.conf

# ---- resolve ------------------------------------------------------------------
expect "a name from /etc/hosts" 0 '^  192\.0\.2\.10 +hosts +-$' "$T" resolve filehost.test
expect "an alias gives the canonical name" 0 'canonical name filehost\.test' "$T" resolve FileAlias.test
expect "a DNS name (A only)" 0 '^  198\.51\.100\.1 +dns +0 s$' "$T" resolve a4.test
expect "both families from DNS" 0 'dual\.test: 2 addresses' "$T" resolve dual.test
out=$("$T" resolve dual.test)
if [[ $(grep -E '^  [0-9a-f:.]+ ' <<<"$out" | awk '{print $1}' | tr '\n' ' ') == "2001:db8:1::2 198.51.100.2 " ]]; then
  tool_ok "dual.test in getaddrinfo's order"
else
  tool_fail "dual.test in getaddrinfo's order" "$out"
fi
expect "--family 4" 0 '^1 address|: 1 address' "$T" resolve dual.test --family 4
expect_not "--family 4 gives no IPv6" '2001:db8' "$T" resolve dual.test --family 4
expect "--family 6" 0 '2001:db8:1::2 +dns' "$T" resolve dual.test --family 6
expect "a search-list name" 0 'canonical name labhost\.lab\.test' "$T" resolve labhost
expect "a CNAME chain" 0 'canonical name dual\.test' "$T" resolve cname1.test
expect "a numeric address" 0 '^  192\.0\.2\.1 +numeric' "$T" resolve 192.0.2.1
expect "localhost from files" 0 '127\.0\.0\.1 +hosts' "$T" resolve localhost
expect "--service http: its ports" 0 'service http: 80/tcp' "$T" resolve a4.test --service http
expect "an unknown service: exit 1" 1 'Servname not supported|not known' "$T" resolve a4.test --service no-such-service
expect "NXDOMAIN: exit 1" 1 'Name or service not known \(-2\)' "$T" resolve nx.test
expect "a name without addresses (TXT only): exit 1" 1 'No address associated with hostname \(-5\)' "$T" resolve txtonly.test --family 4
expect "--reverse from /etc/hosts" 0 '^192\.0\.2\.10: filehost\.test \(source hosts\)' "$T" resolve --reverse 192.0.2.10
expect "--reverse with aliases" 0 'alias FileAlias\.test' "$T" resolve --reverse 192.0.2.10
expect "--reverse of an unknown address: exit 1" 1 'Unknown host' "$T" resolve --reverse 198.51.100.250
expect "--reverse needs an address: exit 2" 2 'needs an IPv4 or IPv6 address' "$T" resolve --reverse not-an-address
expect "--count 2 prints two rounds" 0 '^\[2\] a4\.test: 1 address' "$T" resolve a4.test --count 2
# The sandbox's zones have TTL 0: nothing is cached, the second round asks DNS again.
expect_not "TTL 0 answers are not cached" ' cache ' "$T" resolve a4.test --count 2
# The same resolver as the library: dnsmasq's log shows the questions it asked.
: >"$ARESOLV_DNSMASQ_LOG.mark"
before=$(grep -c 'query\[A\] multi4.test ' "$ARESOLV_DNSMASQ_LOG" || true)
"$T" resolve multi4.test >/dev/null
after=$(grep -c 'query\[A\] multi4.test ' "$ARESOLV_DNSMASQ_LOG" || true)
if ((after > before)); then tool_ok "resolve asks the sandbox's DNS server"; else tool_fail "resolve asks the sandbox's DNS server" "no query for multi4.test in the dnsmasq log"; fi

# ---- run ----------------------------------------------------------------------
aresolv_use_nsswitch nsswitch-crash.conf
export LD_LIBRARY_PATH=$ARESOLV_NSS_DIR
status=0
getent ahosts a4.test >/dev/null 2>&1 || status=$?
if ((status == 139)); then tool_ok "without aresolv getent dies in the crashing NSS module"; else tool_fail "without aresolv getent dies in the crashing NSS module" "status $status"; fi
expect "aresolv run: getent resolves" 0 '198\.51\.100\.1 +STREAM a4\.test' "$T" run --library "$ARESOLV_LIB" -- getent ahosts a4.test
expect "aresolv run: python3 resolves" 0 "198\.51\.100\.2" "$T" run --library "$ARESOLV_LIB" -- "$ARESOLV_PYTHON" -c 'import socket; print(socket.gethostbyname("dual.test"))'
expect "aresolv run --debug: the line names the source" 0 'aresolv\[[0-9]+\]: getaddrinfo name=a4\.test result=0 source=dns time=[0-9.]+ms' \
  "$T" run --library "$ARESOLV_LIB" --debug -- getent ahosts a4.test
expect "aresolv run --debug: failures too" 2 'getaddrinfo name=nx\.test result=-2\(failed\) source=none' \
  "$T" run --library "$ARESOLV_LIB" --debug -- getent ahosts nx.test
expect "aresolv run --debug: gethostbyname from the hosts file" 0 'gethostbyname name=filehost\.test result=0 source=hosts' \
  "$T" run --library "$ARESOLV_LIB" --debug -- "$ARESOLV_PYTHON" -c 'import socket; socket.gethostbyname_ex("filehost.test")'
unset LD_LIBRARY_PATH

# ---- doctor -------------------------------------------------------------------
expect "doctor: the nameserver" 1 'nameserver 127\.0\.0\.1' "$T" doctor
expect "doctor: the search list" 1 'search corp\.test lab\.test' "$T" doctor
expect "doctor: the options as applied" 1 'options ndots:1 timeout:5 attempts:2' "$T" doctor
expect "doctor: the skipped NSS source" 1 'crash: SKIPPED' "$T" doctor
expect "doctor: files and dns answered by aresolv" 1 'files: read by aresolv' "$T" doctor
expect "doctor: the glibc version" 1 '^  glibc 2\.[0-9]+' "$T" doctor
expect "doctor: the c-ares version" 1 '^  c-ares 1\.[0-9]+\.[0-9]+ \(embedded' "$T" doctor
expect "doctor: kill switch off" 1 'kill switch off' "$T" doctor
expect "doctor: ARESOLV_DISABLE=1 is the kill switch" 1 'kill switch is ON \(ARESOLV_DISABLE' env ARESOLV_DISABLE=1 "$T" doctor
mkdir -p /etc/aresolv
touch /etc/aresolv/disable
expect "doctor: /etc/aresolv/disable is the kill switch" 1 'kill switch is ON \(/etc/aresolv/disable exists' "$T" doctor
rm -f /etc/aresolv/disable
aresolv_use_nsswitch nsswitch.conf
rm -f /etc/ld.so.preload
expect "doctor: a clean configuration has no warnings" 0 'no problems found' "$T" doctor
expect "doctor: no /etc/ld.so.preload" 0 'absent: aresolv is not enabled system-wide' "$T" doctor
printf 'options rotate frobnicate\nsortlist 10.0.0.0/255.0.0.0\nnameserver 127.0.0.1\n' >/etc/resolv.conf
expect "doctor: unknown options" 1 "option 'frobnicate' is unknown to glibc 2\.36" "$T" doctor
expect "doctor: sortlist is unsupported" 1 'sortlist is not supported' "$T" doctor
expect "doctor: rotate is applied" 1 'options ndots:1 timeout:5 attempts:2 rotate' "$T" doctor
printf '/nonexistent/libaresolv.so\n' >/etc/ld.so.preload 2>/dev/null
expect "doctor: a preload entry for a missing file" 1 'MISSING' "$T" doctor
rm -f /etc/ld.so.preload

tool_finish commands_test
