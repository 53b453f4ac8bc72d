#!/usr/bin/env bash
# surface_test.sh PROGRAM: the resolver entry points beyond getaddrinfo, used
# by real programs with libaresolv.so preloaded under `hosts: crash files dns`,
# must answer every fixture question exactly as glibc does with
# `hosts: files dns` (same output, same exit status). Complements
# tests/e2e/shim_test.sh: the names and entry points it does not cover.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../e2e/e2e_lib.sh"
HERE=$ARESOLV_ROOT/tests/e2e_surface

program=${1:?usage: surface_test.sh PROGRAM}
[[ -e $ARESOLV_LIB ]] || { aresolv_log "no $ARESOLV_LIB: build first"; exit 1; }
go_lookup=(env GODEBUG=netdns=cgo "$ARESOLV_GOLOOKUP")
if [[ $program == go* && ! -x $ARESOLV_GOLOOKUP ]]; then
  aresolv_log "no $ARESOLV_GOLOOKUP (go missing? run scripts/setup.sh)"; exit 1
fi
: "${ARESOLV_GAI_A_LOOKUP:?ARESOLV_GAI_A_LOOKUP must name the built gai_a_lookup}"

# Fixture names tests/e2e does not ask (tests/fixtures/README.md): more hosts
# lines, CNAME chains of length 2 and 3, a second zone, fully qualified
# search-list names, a PTR-only name, commented-out and unknown names.
EXTRA_NAMES=(
  ip6-loopback ip6-allnodes sandbox.corp.test filehost filemulti-alias.test mixedcase.test
  spaced.test second-of-two.test canon-a.test split-v6.test commented-out.test
  cname2.test cname3.test target.example intra.corp.test labhost.lab.test shared.lab.test
  multi4.test. wild.test ptr-only.test www.example.com web.test web-file.test
)
ALL_NAMES=("${E2E_NAMES[@]}" "${EXTRA_NAMES[@]}")
# Reverse lookups: addresses in /etc/hosts (first line wins, aliases, both
# families, v4-mapped), in DNS (A, AAAA, large answers, the search-list zones,
# a PTR without forward record), and in neither.
E2E_ADDRESSES=(127.0.0.1 ::1 192.0.2.10 192.0.2.18 2001:db8:f::14 198.51.100.1 198.51.100.2
  2001:db8:1::2 198.51.100.99 203.0.113.1 192.0.2.250 2001:db8:ffff::1)
EXTRA_ADDRESSES=(
  127.0.1.1 ff02::1 192.0.2.11 192.0.2.12 2001:db8:f::11 192.0.2.13 192.0.2.17 192.0.2.19
  192.0.2.20 192.0.2.21 2001:db8:f::21 10.200.0.1 203.0.113.5 2001:db8:3::5 198.51.100.41
  2001:db8:1::41 2001:db8:2::1 203.0.113.135 198.51.100.31 ::ffff:192.0.2.10
  ::ffff:198.51.100.1 fe80::1 0.0.0.0 :: 192.0.2.99
)
ALL_ADDRESSES=("${E2E_ADDRESSES[@]}" "${EXTRA_ADDRESSES[@]}")

case $program in
  python)
    # getnameinfo is new here; gethostbyname(_ex)/gethostbyaddr for the names
    # and addresses tests/e2e does not ask.
    for address in "${ALL_ADDRESSES[@]}" fe80::1%lo; do
      expect_same "python getnameinfo $address" "$ARESOLV_PYTHON" "$HERE/pysurface.py" nameinfo "$address"
    done
    for name in "${EXTRA_NAMES[@]}"; do
      expect_same "python gethostbyname(_ex) $name" "$ARESOLV_PYTHON" "$HERE/pysurface.py" byname "$name"
    done
    for address in "${EXTRA_ADDRESSES[@]}"; do
      expect_same "python gethostbyaddr $address" "$ARESOLV_PYTHON" "$HERE/pysurface.py" byaddr "$address"
    done ;;
  perl)
    for name in "${ALL_NAMES[@]}"; do
      expect_same "perl gethostbyname $name" perl "$HERE/perlsurface.pl" byname "$name"
    done
    for address in "${ALL_ADDRESSES[@]}"; do
      expect_same "perl gethostbyaddr $address" perl "$HERE/perlsurface.pl" byaddr "$address"
    done ;;
  getent)
    for name in "${EXTRA_NAMES[@]}" "${EXTRA_ADDRESSES[@]}"; do
      expect_same "getent hosts $name" getent hosts "$name"
    done
    for key in "${EXTRA_NAMES[@]}" "${ALL_ADDRESSES[@]}"; do
      for db in ahosts ahostsv4 ahostsv6; do expect_same "getent $db $key" getent "$db" "$key"; done
    done
    # Several keys in one process: gethostbyname2's and gethostbyaddr's
    # static storage is reused from one call to the next.
    expect_same "getent hosts (many keys)" getent hosts a4.test localhost 192.0.2.10 dual.test \
      nx.test cname4.test 2001:db8:1::2 filemulti.test 198.51.100.99 big4.test
    expect_same "getent -s files hosts" getent -s files hosts filehost.test
    expect_same "getent -s dns ahosts" getent -s dns ahosts dual.test ;;
  go)
    for name in "${EXTRA_NAMES[@]}"; do
      expect_same "go cname $name" "${go_lookup[@]}" cname "$name"
      expect_same "go host $name" "${go_lookup[@]}" host "$name"
    done
    for address in "${EXTRA_ADDRESSES[@]}"; do expect_same "go addr $address" "${go_lookup[@]}" addr "$address"; done
    for network in tcp4 tcp6 udp4 udp6; do
      for service in http domain aresolv-tcp aresolv-udp aresolv-both 8080 nosuchservice; do
        expect_same "go port $network $service" "${go_lookup[@]}" port "$network" "$service"
      done
    done ;;
  gai_a)
    # One batch of every name, then smaller batches (a single request, a
    # request repeated within its batch).
    expect_same "getaddrinfo_a all names (${#ALL_NAMES[@]} x 3 requests)" "$ARESOLV_GAI_A_LOOKUP" "${ALL_NAMES[@]}"
    expect_same "getaddrinfo_a dual.test" "$ARESOLV_GAI_A_LOOKUP" dual.test
    expect_same "getaddrinfo_a nx.test" "$ARESOLV_GAI_A_LOOKUP" nx.test
    expect_same "getaddrinfo_a repeated" "$ARESOLV_GAI_A_LOOKUP" cname4.test cname4.test big4.test big4.test localhost
    for name in filemulti.test bigdual.test intra cname-nodata.test 2001:db8::1; do
      expect_same "getaddrinfo_a $name" "$ARESOLV_GAI_A_LOOKUP" "$name"
    done ;;
  *) aresolv_log "unknown program $program"; exit 2 ;;
esac
e2e_finish "surface $program"
