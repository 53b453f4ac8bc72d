#!/usr/bin/env bash
# End-to-end test of the DNS cache, inside scripts/sandbox.sh with
# tests/cache/fixtures (answers with TTLs, negative answers with an SOA):
# one process resolving a name twice asks dnsmasq once (its query log,
# $ARESOLV_DNSMASQ_LOG, counts the questions), twice with ARESOLV_CACHE=0,
# again after resolv.conf changed, once for each candidate of an NXDOMAIN
# search walk; the answers themselves are the same with and without cache.
#   run_cache_e2e.sh   (ARESOLV_LIB and ARESOLV_CACHE_PROBE in the environment)
set -uo pipefail
source "$(cd "$(dirname "${BASH_SOURCE[0]}")/../../scripts" && pwd)/lib.sh"
[[ ${ARESOLV_SANDBOX:-} == 1 ]] || { aresolv_log "run me through scripts/sandbox.sh"; exit 2; }
: "${ARESOLV_LIB:?}" "${ARESOLV_CACHE_PROBE:?}"

failed=0 cases=0
log_lines() { wc -l < "$ARESOLV_DNSMASQ_LOG"; }
# Questions for NAME (type TYPE) in the log after line FROM.
questions() {
  local from=$1 type=$2 name=$3
  tail -n +"$((from + 1))" "$ARESOLV_DNSMASQ_LOG" | grep -cF "[$type] $name from" || true
}
probe() { env LD_PRELOAD="${ARESOLV_PRELOAD_EXTRA:+$ARESOLV_PRELOAD_EXTRA:}$ARESOLV_LIB" "$@" "$ARESOLV_CACHE_PROBE" "${STEPS[@]}"; }

# check DESC EXPECTED TYPE NAME: after a run that started at log line $mark.
check() {
  local desc=$1 expected=$2 type=$3 name=$4 got
  got=$(questions "$mark" "$type" "$name")
  cases=$((cases + 1))
  if [[ $got == "$expected" ]]; then
    printf 'ok    %s: %s %s asked %s time(s)\n' "$desc" "$type" "$name" "$got"
  else
    failed=$((failed + 1))
    printf 'FAIL  %s: %s %s asked %s time(s), expected %s\n' "$desc" "$type" "$name" "$got" "$expected"
    printf '      output:\n%s\n' "$(sed 's/^/        /' <<< "$out")"
  fi
}
same_answers() {
  local desc=$1
  cases=$((cases + 1))
  # Every line of a run must equal the corresponding line of the uncached run.
  if [[ $out == "$uncached" ]]; then
    printf 'ok    %s: answers as without cache\n' "$desc"
  else
    failed=$((failed + 1))
    printf 'FAIL  %s: answers differ from the uncached run\n' "$desc"
    diff <(printf '%s\n' "$uncached") <(printf '%s\n' "$out") | sed 's/^/      /'
  fi
}

# A fresh name must make it through dnsmasq's log before we count.
aresolv_dns_answers 127.0.0.1 a4.test || { aresolv_log "dnsmasq does not answer"; exit 1; }

STEPS=(gai:dual.test gai:dual.test ghbn:dual.test ghbn:dual.test res:dual.test res:dual.test
       search:dual.test gai:cname1.test gai:cname1.test)
mark=$(log_lines); uncached=$(ARESOLV_CACHE=0 probe); sleep 0.2
check "ARESOLV_CACHE=0" 7 A dual.test
check "ARESOLV_CACHE=0" 2 AAAA dual.test
mark=$(log_lines); out=$(probe); sleep 0.2
# The A+AAAA pair of getaddrinfo and the single A question of the others
# are different requests: one question each.
check "same name twice" 2 A dual.test
check "same name twice" 1 AAAA dual.test
check "same name twice" 1 A cname1.test
same_answers "same name twice"

# The search walk: labhost.corp.test does not exist (NXDOMAIN with SOA),
# labhost.lab.test does; nx.test exists under no suffix at all.
STEPS=(gai:labhost gai:labhost gai:nx.test gai:nx.test search:nx.test search:nx.test)
mark=$(log_lines); uncached=$(ARESOLV_CACHE=0 probe); sleep 0.2
check "search walk, ARESOLV_CACHE=0" 2 A labhost.corp.test
check "NXDOMAIN search walk, ARESOLV_CACHE=0" 4 A nx.test.lab.test
mark=$(log_lines); out=$(probe); sleep 0.2
check "search walk" 1 A labhost.corp.test
check "search walk" 1 AAAA labhost.corp.test
check "search walk" 1 A labhost.lab.test
check "NXDOMAIN search walk" 2 A nx.test
check "NXDOMAIN search walk" 1 AAAA nx.test
check "NXDOMAIN search walk" 2 A nx.test.corp.test
check "NXDOMAIN search walk" 2 A nx.test.lab.test
same_answers "search walk"

# A changed resolv.conf is noticed (within a second) and empties the cache.
STEPS=(gai:a4.test gai:a4.test touch:/etc/resolv.conf sleep:1100 gai:a4.test gai:a4.test)
mark=$(log_lines); out=$(probe); sleep 0.2
check "resolv.conf changed" 2 A a4.test

# A name added to /etc/hosts after the file had been still for a while (its
# check is then remembered for a second) is found a second later, while
# a4.test, from DNS, stays cached.
STEPS=(gai:late.test gai:a4.test sleep:3000 gai:late.test addhost:late.test sleep:1100 gai:late.test
       gai:a4.test)
mark=$(log_lines); out=$(probe); sleep 0.2
cases=$((cases + 1))
if grep -qx 'gai late.test rc=0 192.0.2.99 canon=late.test' <<< "$out"; then
  printf 'ok    /etc/hosts changed: the new name is found\n'
else
  failed=$((failed + 1))
  printf 'FAIL  /etc/hosts changed: the new name is not found\n%s\n' "$(sed 's/^/        /' <<< "$out")"
fi
check "/etc/hosts changed" 1 A a4.test

# Each process has its own cache: a new process asks again.
STEPS=(gai:a4.test)
mark=$(log_lines); out=$(probe); sleep 0.2
check "new process" 1 A a4.test

printf 'cache e2e: %d of %d passed\n' "$((cases - failed))" "$cases"
((failed == 0))
