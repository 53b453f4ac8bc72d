#!/usr/bin/env bash
# crash_test.sh PROGRAM: with `hosts: crash files dns` and no libaresolv,
# PROGRAM must die in glibc's NSS path (the sw64 failure we work around),
# after resolving the same name fine with `hosts: files dns`.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/e2e_lib.sh"

program=${1:?usage: crash_test.sh go|getent|python|curl}
name=dual.test
case $program in
  go) cmd=(env GODEBUG=netdns=cgo "$ARESOLV_GOLOOKUP" host "$name") ;;
  getent) cmd=(getent ahosts "$name") ;;
  python) cmd=("$ARESOLV_PYTHON" -c 'import socket,sys; print(socket.getaddrinfo(sys.argv[1], 80))' "$name") ;;
  curl)
    mkdir -p "$ARESOLV_SANDBOX_TMP/www" && echo "aresolv e2e page" > "$ARESOLV_SANDBOX_TMP/www/index.html"
    start_http_server "$ARESOLV_SANDBOX_TMP/www" 8080 || exit 1
    trap stop_http_server EXIT
    cmd=(curl -sS --max-time 20 http://web.test:8080/) ;;
  *) aresolv_log "unknown program $program"; exit 2 ;;
esac
if [[ $program == go && ! -x $ARESOLV_GOLOOKUP ]]; then
  aresolv_log "no $ARESOLV_GOLOOKUP (go missing? run scripts/setup.sh)"; exit 1
fi

sane=$(capture run_glibc "${cmd[@]}")
if [[ $sane == *$'\nstatus=0' ]]; then
  e2e_ok "$program resolves with hosts: files dns"
else
  e2e_fail "$program resolves with hosts: files dns" "$sane"
fi

crashed=$(capture run_crash "${cmd[@]}")
status=${crashed##*status=}
desc="$program dies with hosts: crash files dns (status $status)"
case $program in
  go)
    # The Go runtime turns the SIGSEGV in C code into a fatal error, exit 2.
    if [[ $status == 2 && $crashed == *"fatal error: unexpected signal during runtime execution"* &&
      $crashed == *"SIGSEGV"* && $crashed == *"net._C2func_getaddrinfo"* ]]; then
      e2e_ok "$desc"
      grep -m3 -E 'fatal error|signal SIGSEGV|net\._C2func_getaddrinfo' <<<"$crashed" | sed 's/^/      /'
    else
      e2e_fail "$desc" "$crashed"
    fi ;;
  *)
    # 139 = 128 + SIGSEGV; curl resolves in a thread, which takes it down too.
    if [[ $status == 139 ]]; then e2e_ok "$desc"; else e2e_fail "$desc" "$crashed"; fi ;;
esac
e2e_finish "crash $program"
