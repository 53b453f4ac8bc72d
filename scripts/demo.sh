#!/usr/bin/env bash
# The README's first command: shows programs dying in glibc's NSS path (as on
# sw64) and resolving correctly with libaresolv.so preloaded. Needs root (it
# runs inside scripts/sandbox.sh); builds into build/ first if needed.
#   scripts/demo.sh [NAME]     (default dual.test, a fixture name with A and AAAA)
#   ARESOLV_SKIP_SETUP=1       do not run scripts/setup.sh (apt-get) first
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

build=${ARESOLV_BUILD_DIR:-$ARESOLV_ROOT/build}
e2e=$build/tests/e2e

if [[ ${__ARESOLV_DEMO_INNER:-} != 1 ]]; then
  # One command on a fresh machine: install what is missing first.
  if [[ ${ARESOLV_SKIP_SETUP:-} != 1 ]]; then
    "$ARESOLV_ROOT/scripts/setup.sh" >"${TMPDIR:-/tmp}/aresolv-setup.log" 2>&1 ||
      { cat "${TMPDIR:-/tmp}/aresolv-setup.log"; exit 1; }
  fi
  if [[ ! -f $build/CMakeCache.txt ]]; then
    echo "demo: configuring $build"
    cmake -S "$ARESOLV_ROOT" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >"$build.demo.log" 2>&1 ||
      { cat "$build.demo.log"; exit 1; }
  fi
  echo "demo: building libaresolv.so, the crashing NSS module and the Go program"
  cmake --build "$build" -j"$(nproc 2>/dev/null || echo 2)" --target aresolv nss_crash golookup \
    >"$build/demo-build.log" 2>&1 || { cat "$build/demo-build.log"; exit 1; }
  status=0
  __ARESOLV_DEMO_INNER=1 "$ARESOLV_ROOT/scripts/sandbox.sh" --nsswitch nsswitch-crash.conf -- \
    "$BASH" "${BASH_SOURCE[0]}" "$@" || status=$?
  ((status == 77)) && echo "demo: needs root (network and mount namespaces); run it as root"
  exit "$status"
fi

# ---- inside the sandbox ------------------------------------------------------
unset __ARESOLV_DEMO_INNER
name=${1:-dual.test}
lib=$build/libaresolv.so
ulimit -c 0
with_nsswitch() { cat "$ARESOLV_SANDBOX_FIXTURES/$1" > /etc/nsswitch.conf; }
# run SETUP CMD...: prints the output, sets out/status
run() {
  local setup=$1
  shift
  status=0
  case $setup in
    glibc) with_nsswitch nsswitch.conf; out=$("$@" 2>&1) || status=$? ;;
    crash) with_nsswitch nsswitch-crash.conf; out=$(LD_LIBRARY_PATH=$e2e "$@" 2>&1) || status=$? ;;
    shim) with_nsswitch nsswitch-crash.conf; out=$(LD_LIBRARY_PATH=$e2e LD_PRELOAD=$lib "$@" 2>&1) || status=$? ;;
  esac
}
indent() { sed '/^$/d; s/^/        /'; }
# The lines of a Go crash that matter: the signal and where it happened.
show_output() {
  if [[ $out == *"fatal error: unexpected signal"* ]]; then
    grep -E '^fatal error|^\[signal SIGSEGV|^net\._C2func_getaddrinfo\(|^net\.cgoLookupIPCNAME\(' <<<"$out" |
      sed 's/(.*)$/(...)/' | indent
  else
    head -"$1" <<<"$out" | indent
  fi
}
describe_status() {
  if ((status == 0)); then echo "ok"
  elif [[ $out == *"fatal error: unexpected signal"* ]]; then echo "DIED: Go runtime fatal error (SIGSEGV in C code)"
  elif ((status > 128)); then echo "DIED by signal $((status - 128)) ($(kill -l $((status - 128)) 2>/dev/null || echo ?))"
  else echo "FAILED (exit status $status)"; fi
}

echo
echo "In the sandbox /etc/nsswitch.conf says:  $(grep '^hosts:' /etc/nsswitch.conf | tr -s ' \t' ' ')"
echo "The 'crash' module (libnss_crash.so.2) faults on every lookup, like the broken sw64 NSS path."
echo "Asking for: $name (served by the sandbox's dnsmasq)"

crashed=0 fixed=0 programs=0
demo() {
  local title=$1
  shift
  programs=$((programs + 1))
  echo
  echo "== $title"
  run crash "$@"
  local crash_status=$status
  printf '   without aresolv:  %s\n' "$(describe_status)"
  show_output 3
  ((crash_status != 0)) && crashed=$((crashed + 1))
  run glibc "$@"
  local expected=$out expected_status=$status
  run shim "$@"
  printf '   with LD_PRELOAD=%s:  %s\n' "${lib#"$ARESOLV_ROOT"/}" "$(describe_status)"
  show_output 8
  if ((status == 0)) && [[ $out == "$expected" && $status == "$expected_status" ]]; then
    echo "   = what glibc answers with 'hosts: files dns'"
    fixed=$((fixed + 1))
  else
    echo "   != glibc with 'hosts: files dns', which says (status $expected_status):"
    head -8 <<<"$expected" | indent
  fi
}

demo "Go program (cgo resolver): net.LookupHost(\"$name\")" \
  env GODEBUG=netdns=cgo "$e2e/golookup" host "$name"
demo "getent ahosts $name" getent ahosts "$name"
demo "python3: socket.getaddrinfo(\"$name\", 80, type=SOCK_STREAM)" \
  "$ARESOLV_PYTHON" -c 'import socket, sys
for ai in socket.getaddrinfo(sys.argv[1], 80, type=socket.SOCK_STREAM): print(ai[4][0])' "$name"

echo
if ((crashed == programs && fixed == programs)); then
  echo "VERDICT: all $programs programs die in glibc's NSS path without aresolv, and with libaresolv.so"
  echo "         preloaded each resolves $name exactly as glibc does on a healthy system."
  exit 0
fi
echo "VERDICT: $crashed of $programs programs died without aresolv; $fixed of $programs resolved correctly with it."
exit 1
