#!/usr/bin/env bash
# `aresolv stats PID` on a running process with libaresolv.so preloaded:
# python3 makes known lookups, then waits; the counters read from its memory
# must show them (per entry point, sources, the name server). The same with a
# stripped copy of the library (found by its magic instead of .symtab).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/tool_lib.sh"
[[ ${ARESOLV_SANDBOX:-} == 1 ]] || { aresolv_log "run me through scripts/sandbox.sh"; exit 2; }
T=$ARESOLV_TOOL
tmp=$ARESOLV_SANDBOX_TMP
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

# start_probe LIBRARY: starts python3 preloaded with LIBRARY; it makes the
# lookups below, says "ready" and waits for its standard input to close.
start_probe() {
  local library=$1 fifo=$tmp/probe-in.$RANDOM ready=$tmp/probe-ready.$RANDOM
  mkfifo "$fifo"
  LD_PRELOAD=$library "$ARESOLV_PYTHON" - "$ready" <"$fifo" 3<&0 <<'PY' &
import socket, sys, os
for name in ["a4.test", "a4.test", "dual.test", "filehost.test", "nx.test"]:
    try:
        socket.getaddrinfo(name, None)
    except socket.gaierror:
        pass
socket.gethostbyname_ex("filehost.test")
socket.getnameinfo(("192.0.2.10", 80), 0)
open(sys.argv[1], "w").close()
os.read(3, 1)
PY
  PROBE_PID=$!
  pids+=("$PROBE_PID")
  exec {PROBE_FD}>"$fifo"
  for _ in $(seq 100); do [[ -e $ready ]] && return 0; sleep 0.1; done
  return 1
}

check_stats() {
  local label=$1 out
  out=$("$T" stats "$PROBE_PID" 2>&1) || { tool_fail "$label: stats runs" "$out"; return; }
  grep -qE "^getaddrinfo +[5-9] +1 " <<<"$out" && tool_ok "$label: getaddrinfo calls, 1 failed" || tool_fail "$label: getaddrinfo calls, 1 failed" "$out"
  grep -qE '^gethostbyname +1 +0 ' <<<"$out" && tool_ok "$label: 1 gethostbyname call" || tool_fail "$label: 1 gethostbyname call" "$out"
  grep -qE '^getnameinfo +1 +0 ' <<<"$out" && tool_ok "$label: 1 getnameinfo call" || tool_fail "$label: 1 getnameinfo call" "$out"
  grep -qE 'hosts=[1-9]' <<<"$out" && grep -qE 'dns=[1-9]' <<<"$out" && tool_ok "$label: answers by source" || tool_fail "$label: answers by source" "$out"
  grep -qE '^127\.0\.0\.1 +[1-9][0-9]* +[1-9][0-9]* +0 +0 +[0-9.]+ ms +[0-9.]+ ms$' <<<"$out" &&
    tool_ok "$label: the name server with its latency" || tool_fail "$label: the name server with its latency" "$out"
}

start_probe "$ARESOLV_LIB" || { tool_fail "the probe process started"; tool_finish stats_test; exit 1; }
check_stats "with .symtab"
exec {PROBE_FD}>&-

cp "$ARESOLV_LIB" "$tmp/libaresolv.so"
strip "$tmp/libaresolv.so"
if readelf -S "$tmp/libaresolv.so" | grep -q '\.symtab'; then tool_fail "strip removed .symtab"; fi
start_probe "$tmp/libaresolv.so" || { tool_fail "the stripped probe started"; tool_finish stats_test; exit 1; }
check_stats "stripped library"
exec {PROBE_FD}>&-

# Another user may not read the counters (no ptrace permission).
start_probe "$ARESOLV_LIB"
out=$(setpriv --reuid=65534 --regid=65534 --clear-groups "$T" stats "$PROBE_PID" 2>&1) && status=0 || status=$?
if ((status == 3)); then tool_ok "stats as another user: refused (exit 3)"; else tool_fail "stats as another user: refused (exit 3)" "status $status: $out"; fi
exec {PROBE_FD}>&-

# ARESOLV_DEBUG never from a secure-execution process is settings.cc's rule;
# here: the debug line appears for a plain process.
out=$(ARESOLV_DEBUG=1 LD_PRELOAD=$ARESOLV_LIB getent hosts a4.test 2>&1 >/dev/null)
grep -qE '^aresolv\[[0-9]+\]: gethostbyname name=a4\.test result=0 source=dns' <<<"$out" &&
  tool_ok "ARESOLV_DEBUG=1: gethostbyname's line" || tool_fail "ARESOLV_DEBUG=1: gethostbyname's line" "$out"

tool_finish stats_test
