#!/usr/bin/env bash
# crash_surface_test.sh PROGRAM: for each resolver entry point PROGRAM reaches,
# proves that the door to NSS is really closed by libaresolv.so:
#   1. with `hosts: files dns` (glibc alone) the call resolves (status 0);
#   2. with `hosts: crash files dns` and no libaresolv the process dies in
#      the faulting module (SIGSEGV; the Go runtime's fatal error names the
#      libc function), and ld.so's log shows libnss_crash.so.2 was loaded;
#   3. with the crashing configuration and libaresolv.so preloaded it
#      resolves, prints what glibc printed in 1, and libnss_crash.so.2 is
#      never even loaded.
# PROGRAM `services` does the same for the services database: with
# nsswitch-crash-services.conf (`services: crashsvc files` as well) glibc dies
# in libnss_crashsvc.so.2 on a named service or a service by port; with
# libaresolv, which has its own /etc/services parser, neither module is loaded.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../e2e/e2e_lib.sh"

program=${1:?usage: crash_surface_test.sh python|perl|getent|go|gai_a|services}
[[ -e $ARESOLV_LIB ]] || { aresolv_log "no $ARESOLV_LIB: build first"; exit 1; }
if [[ $program == go* || $program == services ]] && [[ ! -x $ARESOLV_GOLOOKUP ]]; then
  aresolv_log "no $ARESOLV_GOLOOKUP (go missing? run scripts/setup.sh)"; exit 1
fi
python_call() { printf 'import socket, sys; print(%s)' "$1"; }

# Each case: DESCRIPTION|Go C function (go only)|command words, one per
# array element after the split.
CASES=()
add_case() { local IFS=$'\x1f'; CASES+=("$*"); }
case $program in
  python)
    add_case "python socket.gethostbyname" "" "$ARESOLV_PYTHON" -c "$(python_call 'socket.gethostbyname(sys.argv[1])')" dual.test
    add_case "python socket.gethostbyname_ex" "" "$ARESOLV_PYTHON" -c "$(python_call 'socket.gethostbyname_ex(sys.argv[1])')" cname1.test
    add_case "python socket.gethostbyaddr" "" "$ARESOLV_PYTHON" -c "$(python_call 'socket.gethostbyaddr(sys.argv[1])')" 198.51.100.2
    add_case "python socket.getnameinfo" "" "$ARESOLV_PYTHON" -c "$(python_call 'socket.getnameinfo((sys.argv[1], 80), 0)')" 192.0.2.10 ;;
  perl)
    add_case "perl gethostbyname" "" perl -MSocket=inet_ntoa -e 'my @h = gethostbyname($ARGV[0]) or exit 1; print "$h[0] $h[1] ", join(" ", map { inet_ntoa($_) } @h[4..$#h]), "\n"' filemulti.test
    add_case "perl gethostbyaddr" "" perl -MSocket=inet_aton,AF_INET -e 'my @h = gethostbyaddr(inet_aton($ARGV[0]), AF_INET) or exit 1; print "@h[0..1]\n"' 198.51.100.1 ;;
  getent)
    add_case "getent hosts NAME (gethostbyname2)" "" getent hosts dual.test
    add_case "getent hosts ADDRESS (gethostbyaddr)" "" getent hosts 192.0.2.18
    add_case "getent ahosts (getaddrinfo AF_UNSPEC)" "" getent ahosts cname-many.test
    add_case "getent ahostsv4 (getaddrinfo AF_INET)" "" getent ahostsv4 localhost
    add_case "getent ahostsv6 (getaddrinfo AF_INET6 V4MAPPED)" "" getent ahostsv6 a4.test ;;
  go)
    add_case "go LookupHost" "getaddrinfo" env GODEBUG=netdns=cgo "$ARESOLV_GOLOOKUP" host multidual.test
    add_case "go LookupCNAME" "getaddrinfo" env GODEBUG=netdns=cgo "$ARESOLV_GOLOOKUP" cname cname3.test
    add_case "go LookupAddr" "getnameinfo" env GODEBUG=netdns=cgo "$ARESOLV_GOLOOKUP" addr 198.51.100.1
    # getaddrinfo(NULL, service): glibc never consults the hosts database
    # for it, so there is no hosts door to close (see README).
    add_case "go LookupPort" "-" env GODEBUG=netdns=cgo "$ARESOLV_GOLOOKUP" port tcp aresolv-tcp ;;
  gai_a)
    add_case "getaddrinfo_a (C program)" "" "$ARESOLV_GAI_A_LOOKUP" dual.test filehost.test ;;
  services)
    : "${ARESOLV_SVC_NSS_DIR:?ARESOLV_SVC_NSS_DIR must name the directory of libnss_crashsvc.so.2}"
    add_case "go LookupPort tcp (getaddrinfo, named service)" "getaddrinfo" env GODEBUG=netdns=cgo "$ARESOLV_GOLOOKUP" port tcp aresolv-tcp
    add_case "go LookupPort udp (getaddrinfo, named service)" "getaddrinfo" env GODEBUG=netdns=cgo "$ARESOLV_GOLOOKUP" port udp domain
    add_case "python getaddrinfo(None, 'http')" "" "$ARESOLV_PYTHON" -c "$(python_call 'socket.getaddrinfo(None, sys.argv[1])')" http
    add_case "python getaddrinfo(name, service)" "" "$ARESOLV_PYTHON" -c "$(python_call 'socket.getaddrinfo(sys.argv[1], "domain", 0, socket.SOCK_DGRAM)')" dual.test
    add_case "python getnameinfo (service by port)" "" "$ARESOLV_PYTHON" -c "$(python_call 'socket.getnameinfo((sys.argv[1], 40001), socket.NI_NUMERICHOST)')" 192.0.2.10
    add_case "perl Socket::getaddrinfo (named service)" "" perl -MSocket=getaddrinfo -e 'my ($e, @r) = getaddrinfo($ARGV[0], "aresolv-both"); die "$e\n" if $e; print scalar(@r), "\n"' a4.test
    # The same setups with both doors crashing.
    run_crash() {
      aresolv_use_nsswitch "$ARESOLV_ROOT/tests/e2e_surface/nsswitch-crash-services.conf" &&
        timeout -k 2 "$E2E_CASE_TIMEOUT" env -u LD_PRELOAD LD_LIBRARY_PATH="$ARESOLV_NSS_DIR:$ARESOLV_SVC_NSS_DIR" "$@"
    }
    run_shim() {
      aresolv_use_nsswitch "$ARESOLV_ROOT/tests/e2e_surface/nsswitch-crash-services.conf" &&
        timeout -k 2 "$E2E_CASE_TIMEOUT" env LD_LIBRARY_PATH="$ARESOLV_NSS_DIR:$ARESOLV_SVC_NSS_DIR" \
          LD_PRELOAD="${ARESOLV_PRELOAD_EXTRA:+$ARESOLV_PRELOAD_EXTRA:}$ARESOLV_LIB" "$@"
    }
    CRASH_MODULES='libnss_crash(svc)?' CRASH_EXPECTED=libnss_crashsvc ;;
  *) aresolv_log "unknown program $program"; exit 2 ;;
esac

runs=0
# new_trace_dir: a fresh directory for ld.so's LD_DEBUG=files log of one run.
# $traced: the words that run a command with that log.
new_trace_dir() {
  LDDEBUG_DIR=$ARESOLV_SANDBOX_TMP/lddebug.$((++runs)) && mkdir -p "$LDDEBUG_DIR"
  traced=(env LD_DEBUG=files LD_DEBUG_OUTPUT="$LDDEBUG_DIR/log")
}
# loaded_crash_module [MODULE]: the log of the last run says ld.so loaded
# MODULE (default: any crashing module, $CRASH_MODULES).
: "${CRASH_MODULES:=libnss_crash}" "${CRASH_EXPECTED:=libnss_crash}"
loaded_crash_module() { grep -Eqs "file=${1:-$CRASH_MODULES}\.so\.2 " "$LDDEBUG_DIR"/log.*; }

for entry in "${CASES[@]}"; do
  IFS=$'\x1f' read -r -a words <<<"$entry"
  desc=${words[0]} go_function=${words[1]} cmd=("${words[@]:2}")

  sane=$(capture run_glibc "${cmd[@]}")
  if [[ $sane == *$'\nstatus=0' ]]; then
    e2e_ok "$desc resolves with hosts: files dns"
  else
    e2e_fail "$desc resolves with hosts: files dns" "$sane"
  fi

  new_trace_dir
  crashed=$(capture run_crash "${traced[@]}" "${cmd[@]}")
  status=${crashed##*status=}
  loaded=no
  loaded_crash_module "$CRASH_EXPECTED" && loaded=yes
  if [[ $go_function == - ]]; then
    if [[ $crashed == "$sane" && $loaded == no ]]; then
      e2e_ok "$desc: glibc does not enter hosts NSS for it (same answer, module not loaded)"
    else
      e2e_fail "$desc: glibc does not enter hosts NSS for it" "loaded=$loaded; $crashed"
    fi
  elif [[ -n $go_function ]]; then
    # The Go runtime turns the SIGSEGV in C code into a fatal error, exit 2.
    if [[ $status == 2 && $loaded == yes && $crashed == *"fatal error: unexpected signal during runtime execution"* &&
      $crashed == *"SIGSEGV"* && $crashed == *"net._C2func_$go_function"* ]]; then
      e2e_ok "$desc dies in $CRASH_EXPECTED.so.2 without libaresolv (status 2, SIGSEGV in $go_function)"
    else
      e2e_fail "$desc dies in $CRASH_EXPECTED.so.2 without libaresolv" "loaded=$loaded; $crashed"
    fi
  else
    # 139 = 128 + SIGSEGV (getaddrinfo_a: in glibc's helper thread).
    if [[ $status == 139 && $loaded == yes ]]; then
      e2e_ok "$desc dies in $CRASH_EXPECTED.so.2 without libaresolv (status 139)"
    else
      e2e_fail "$desc dies in $CRASH_EXPECTED.so.2 without libaresolv" "loaded=$loaded; $crashed"
    fi
  fi

  new_trace_dir
  shimmed=$(capture run_shim "${traced[@]}" "${cmd[@]}")
  loaded=no
  loaded_crash_module && loaded=yes
  if [[ $shimmed == "$sane" && $shimmed == *$'\nstatus=0' && $loaded == no ]]; then
    e2e_ok "$desc with libaresolv: glibc's answer, no crashing module loaded"
  else
    e2e_fail "$desc with libaresolv: glibc's answer, no crashing module loaded" \
      "loaded=$loaded; $(diff <(printf '%s\n' "$sane") <(printf '%s\n' "$shimmed") | head -20)"
  fi
done
e2e_finish "crash surface $program"
