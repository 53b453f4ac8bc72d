# Helpers for the end-to-end test scripts; they run inside scripts/sandbox.sh.
source "$(cd "$(dirname "${BASH_SOURCE[0]}")/../../scripts" && pwd)/lib.sh"

E2E_DIR=$ARESOLV_ROOT/tests/e2e
[[ ${ARESOLV_SANDBOX:-} == 1 ]] || { aresolv_log "run me through scripts/sandbox.sh"; exit 2; }
: "${ARESOLV_LIB:=$ARESOLV_ROOT/build/libaresolv.so}"
: "${ARESOLV_NSS_DIR:=$ARESOLV_ROOT/build/tests/e2e}"
: "${ARESOLV_GOLOOKUP:=$ARESOLV_NSS_DIR/golookup}"
[[ -e $ARESOLV_NSS_DIR/libnss_crash.so.2 ]] || { aresolv_log "no $ARESOLV_NSS_DIR/libnss_crash.so.2: build first"; exit 1; }
ulimit -c 0 # the crashes are expected: no core files

# Fixture names for getaddrinfo, one per kind (tests/fixtures/README.md).
E2E_NAMES=(
  localhost ip6-localhost sandbox filehost.test FileAlias.test filemulti.test
  MIXEDCASE.test mixedalias.test filev6.test indns.test commented.test
  spaced-alias.test first-of-two.test alias-then-canon.test split.test
  a4.test a6.test dual.test dual.test. multi4.test multi6.test multidual.test
  web.test intra labhost shared dotted.sub cname-search
  cname1.test cname4.test cname-cross.test cname-nodata.test cname-many.test
  txtonly.test mxonly.test nx.test nosuchname fresh1.wild.test
  big4.test big6.test bigdual.test
  192.0.2.1 2001:db8::1 ::1 127.0.0.1 ::ffff:192.0.2.1
)

# One case may not hang the whole test: status 124 means it took too long.
E2E_CASE_TIMEOUT=${E2E_CASE_TIMEOUT:-15}
# run_glibc / run_crash / run_shim CMD...: the three setups under test.
# ARESOLV_PRELOAD_EXTRA (e.g. a sanitizer runtime, which must be loaded first)
# goes in front of the library in LD_PRELOAD.
run_glibc() {
  aresolv_use_nsswitch nsswitch.conf && timeout -k 2 "$E2E_CASE_TIMEOUT" env -u LD_PRELOAD "$@"
}
run_crash() {
  aresolv_use_nsswitch nsswitch-crash.conf &&
    timeout -k 2 "$E2E_CASE_TIMEOUT" env -u LD_PRELOAD LD_LIBRARY_PATH="$ARESOLV_NSS_DIR" "$@"
}
run_shim() {
  aresolv_use_nsswitch nsswitch-crash.conf &&
    timeout -k 2 "$E2E_CASE_TIMEOUT" env LD_LIBRARY_PATH="$ARESOLV_NSS_DIR" LD_PRELOAD="${ARESOLV_PRELOAD_EXTRA:+$ARESOLV_PRELOAD_EXTRA:}$ARESOLV_LIB" "$@"
}

# Output and status of CMD, stdout and stderr together; "status=N" last
# (128+N for death by signal N).
capture() {
  local status=0 out
  out=$("$@" 2>&1) || status=$?
  printf '%s\nstatus=%s\n' "$out" "$status"
}

E2E_CASES=0 E2E_FAILED=0
e2e_ok() { E2E_CASES=$((E2E_CASES + 1)); printf 'ok    %s\n' "$1"; }
e2e_fail() {
  E2E_CASES=$((E2E_CASES + 1)) E2E_FAILED=$((E2E_FAILED + 1))
  printf 'FAIL  %s\n' "$1"
  [[ -n ${2:-} ]] && printf '%s\n' "$2" | sed 's/^/      /'
  return 0
}

# expect_same DESC CMD...: libaresolv under the crashing nsswitch.conf must
# print exactly what glibc prints with `hosts: files dns`.
expect_same() {
  local desc=$1 expected actual
  shift
  expected=$(capture run_glibc "$@")
  actual=$(capture run_shim "$@")
  if [[ $expected == *$'\nstatus=12'[67] ]]; then
    e2e_fail "$desc" "cannot run: $expected"
  elif [[ $expected == "$actual" ]]; then
    e2e_ok "$desc"
  else
    e2e_fail "$desc" "$(diff <(printf '%s\n' "$expected") <(printf '%s\n' "$actual") |
      sed 's/^</glibc:   /; s/^>/aresolv: /' | grep -v '^---' | head -40)"
  fi
}

e2e_finish() {
  printf '%s: cases %d, failed %d\n' "${1:-e2e}" "$E2E_CASES" "$E2E_FAILED"
  ((E2E_CASES > 0 && E2E_FAILED == 0))
}

# Serves DIR over HTTP on the sandbox's IPv4 address; sets E2E_HTTP_PID.
start_http_server() {
  local dir=$1 port=$2 tries=0
  (cd "$dir" && exec timeout 290 "$ARESOLV_PYTHON" -m http.server --bind "$ARESOLV_SANDBOX_IPV4" "$port") \
    >"$ARESOLV_SANDBOX_TMP/http.log" 2>&1 &
  E2E_HTTP_PID=$!
  until "$ARESOLV_PYTHON" -c 'import socket,sys; socket.create_connection((sys.argv[1], int(sys.argv[2])), 1).close()' \
    "$ARESOLV_SANDBOX_IPV4" "$port" 2>/dev/null; do
    ((++tries < 50)) || { aresolv_log "http.server did not start"; cat "$ARESOLV_SANDBOX_TMP/http.log" >&2; return 1; }
    sleep 0.1
  done
}
stop_http_server() { [[ -n ${E2E_HTTP_PID:-} ]] && kill "$E2E_HTTP_PID" 2>/dev/null; wait 2>/dev/null || true; }
