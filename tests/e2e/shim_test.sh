#!/usr/bin/env bash
# shim_test.sh PROGRAM: PROGRAM with libaresolv.so preloaded under
# `hosts: crash files dns` must answer every fixture question exactly as glibc
# does with `hosts: files dns` (same output, same exit status).
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/e2e_lib.sh"

program=${1:?usage: shim_test.sh PROGRAM}
[[ -e $ARESOLV_LIB ]] || { aresolv_log "no $ARESOLV_LIB: build first"; exit 1; }
go_lookup=(env GODEBUG=netdns=cgo "$ARESOLV_GOLOOKUP")
if [[ $program == go* && ! -x $ARESOLV_GOLOOKUP ]]; then
  aresolv_log "no $ARESOLV_GOLOOKUP (go missing? run scripts/setup.sh)"; exit 1
fi

SERVICES=(http domain ssh aresolv-tcp aresolvalias aresolv-udp aresolv-both aresolv-sctp
  aresolv-case Aresolv-Case aresolv-dup 8080 nosuchservice)
ADDRESSES=(127.0.0.1 ::1 192.0.2.10 192.0.2.18 2001:db8:f::14 198.51.100.1 198.51.100.2
  2001:db8:1::2 198.51.100.99 203.0.113.1 192.0.2.250 2001:db8:ffff::1)

case $program in
  go)
    for name in "${E2E_NAMES[@]}"; do
      expect_same "go host $name" "${go_lookup[@]}" host "$name"
      expect_same "go ip $name" "${go_lookup[@]}" ip "$name"
    done
    for name in dual.test multidual.test filemulti.test a6.test a4.test localhost; do
      expect_same "go ip4 $name" "${go_lookup[@]}" ip4 "$name"
      expect_same "go ip6 $name" "${go_lookup[@]}" ip6 "$name"
    done ;;
  getent)
    for name in "${E2E_NAMES[@]}"; do
      for db in ahosts ahostsv4 ahostsv6; do expect_same "getent $db $name" getent "$db" "$name"; done
    done ;;
  python)
    for name in "${E2E_NAMES[@]}"; do
      expect_same "python getaddrinfo $name" "$ARESOLV_PYTHON" "$E2E_DIR/pylookup.py" getaddrinfo "$name"
    done
    for service in "${SERVICES[@]}"; do
      expect_same "python getaddrinfo service $service" "$ARESOLV_PYTHON" "$E2E_DIR/pylookup.py" service "$service"
    done ;;
  perl)
    for name in "${E2E_NAMES[@]}"; do expect_same "perl getaddrinfo $name" perl "$E2E_DIR/perllookup.pl" "$name"; done ;;
  curl)
    mkdir -p "$ARESOLV_SANDBOX_TMP/www" && echo "aresolv e2e page" > "$ARESOLV_SANDBOX_TMP/www/index.html"
    start_http_server "$ARESOLV_SANDBOX_TMP/www" 8080 || exit 1
    trap stop_http_server EXIT
    for url in http://web.test:8080/ http://web-file.test:8080/ http://WEB.test:8080/index.html http://nx.test:8080/; do
      expect_same "curl $url" curl -sS --max-time 20 "$url"
    done
    # Equal is not enough: the page must actually arrive.
    page=$(run_shim curl -sS --max-time 20 http://web.test:8080/ 2>&1)
    if [[ $page == "aresolv e2e page" ]]; then e2e_ok "curl fetches the page through libaresolv"
    else e2e_fail "curl fetches the page through libaresolv" "$page"; fi ;;
  # ---- label surface: entry points beyond getaddrinfo (later issue) ----
  go_port)
    for service in "${SERVICES[@]}"; do
      expect_same "go port tcp $service" "${go_lookup[@]}" port tcp "$service"
      expect_same "go port udp $service" "${go_lookup[@]}" port udp "$service"
    done ;;
  go_cname)
    for name in "${E2E_NAMES[@]}"; do expect_same "go cname $name" "${go_lookup[@]}" cname "$name"; done ;;
  go_addr)
    for address in "${ADDRESSES[@]}"; do expect_same "go addr $address" "${go_lookup[@]}" addr "$address"; done ;;
  getent_hosts)
    for name in "${E2E_NAMES[@]}" "${ADDRESSES[@]}"; do expect_same "getent hosts $name" getent hosts "$name"; done ;;
  python_gethostbyname)
    for name in "${E2E_NAMES[@]}"; do
      expect_same "python gethostbyname $name" "$ARESOLV_PYTHON" "$E2E_DIR/pylookup.py" gethostbyname "$name"
    done ;;
  python_gethostbyaddr)
    for address in "${ADDRESSES[@]}"; do
      expect_same "python gethostbyaddr $address" "$ARESOLV_PYTHON" "$E2E_DIR/pylookup.py" gethostbyaddr "$address"
    done ;;
  *) aresolv_log "unknown program $program"; exit 2 ;;
esac
e2e_finish "shim $program"
