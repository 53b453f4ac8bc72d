#!/usr/bin/env bash
# `aresolv resolve --count` with the cache fixtures (tests/cache/fixtures, TTL
# 60): the first answer comes from DNS with its TTL, the second from the
# in-process cache (no new question in dnsmasq's log); ARESOLV_CACHE=0 asks
# every time.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/tool_lib.sh"
[[ ${ARESOLV_SANDBOX:-} == 1 ]] || { aresolv_log "run me through scripts/sandbox.sh"; exit 2; }
T=$ARESOLV_TOOL

questions() { grep -cF "[A] $1 from" "$ARESOLV_DNSMASQ_LOG" || true; }

out=$("$T" resolve a4.test --family 4 --count 2 2>&1) || true
if grep -qE '^  198\.51\.100\.1 +dns +60 s$' <<<"$out"; then tool_ok "round 1 from DNS with TTL 60"; else tool_fail "round 1 from DNS with TTL 60" "$out"; fi
if grep -qE '^  198\.51\.100\.1 +cache +(59|60) s$' <<<"$out"; then tool_ok "round 2 from the cache"; else tool_fail "round 2 from the cache" "$out"; fi

before=$(questions dual.test)
"$T" resolve dual.test --family 4 --count 3 >/dev/null
after=$(questions dual.test)
if ((after - before == 1)); then tool_ok "three rounds, one question to the server"; else tool_fail "three rounds, one question to the server" "$((after - before)) questions"; fi

out=$(ARESOLV_CACHE=0 "$T" resolve a4.test --family 4 --count 2 2>&1) || true
if ! grep -q ' cache ' <<<"$out" && [[ $(grep -cE ' dns +60 s$' <<<"$out") -eq 2 ]]; then
  tool_ok "ARESOLV_CACHE=0: both rounds from DNS"
else
  tool_fail "ARESOLV_CACHE=0: both rounds from DNS" "$out"
fi

tool_finish cache_test
