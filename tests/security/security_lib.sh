# Helpers for the security tests (source it inside scripts/sandbox.sh).
#
# The library is preloaded through /etc/ld.so.preload (the sandbox's /etc is
# a private copy): the loader ignores LD_PRELOAD paths for setuid programs,
# but reads ld.so.preload for every process. Everything the unprivileged
# user runs or reads is copied into $SEC, a tmpfs that allows setuid.
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"

SECURITY_FAILURES=0
SECURITY_CHECKS=0
sec_ok() {
  SECURITY_CHECKS=$((SECURITY_CHECKS + 1))
  printf 'ok:   %s\n' "$1"
}
sec_fail() {
  SECURITY_CHECKS=$((SECURITY_CHECKS + 1))
  SECURITY_FAILURES=$((SECURITY_FAILURES + 1))
  printf 'FAIL: %s\n' "$1"
  [[ -n ${2:-} ]] && printf '%s\n' "$2" | sed 's/^/      /'
  return 0
}
# sec_expect DESCRIPTION EXPECTED ACTUAL [DETAILS]
sec_expect() {
  if [[ $3 == "$2" ]]; then sec_ok "$1"; else sec_fail "$1" "expected: $2"$'\n'"actual:   $3${4:+$'\n'$4}"; fi
}
sec_finish() {
  echo "$1: $((SECURITY_CHECKS - SECURITY_FAILURES)) of $SECURITY_CHECKS checks passed"
  ((SECURITY_FAILURES == 0))
}

sec_setup() {
  [[ ${ARESOLV_SANDBOX:-} == 1 ]] || { aresolv_log "run me inside scripts/sandbox.sh"; exit 2; }
  local need
  for need in ARESOLV_LIB ARESOLV_SECURE_PROBE; do
    [[ -r ${!need:-} ]] || { aresolv_log "$need is not set to a readable file"; exit 2; }
  done
  # A process with no_new_privs set gets no privileges from a setuid bit.
  if grep -qE '^NoNewPrivs:[[:space:]]+1' /proc/self/status; then
    aresolv_skip "no_new_privs is set for this process tree: setuid cannot take effect"
  fi
  SEC_UID=$(id -u nobody 2>/dev/null) && SEC_GID=$(id -g nobody 2>/dev/null) ||
    aresolv_skip "no user nobody"

  SEC=$ARESOLV_SANDBOX_TMP/security
  mkdir -p "$SEC"
  if findmnt -no OPTIONS --target "$SEC" | tr ',' '\n' | grep -qx nosuid; then
    mount -t tmpfs -o mode=0755 aresolv-security "$SEC"
  fi
  chmod 0755 "$SEC"
  install -m 0755 "$ARESOLV_LIB" "$SEC/libaresolv.so"
  install -m 0755 "$ARESOLV_SECURE_PROBE" "$SEC/probe-plain"
  install -m 4755 -o root -g root "$ARESOLV_SECURE_PROBE" "$SEC/probe-suid"
  if [[ -n ${ARESOLV_NSS_CRASH:-} ]]; then
    install -m 0755 "$ARESOLV_NSS_CRASH" "$SEC/libnss_crash.so.2"
  fi
  # A sanitizer runtime for sanitized builds must be loaded first.
  SEC_PRELOAD_EXTRA=()
  local extra
  local IFS=:
  for extra in ${ARESOLV_PRELOAD_EXTRA:-}; do
    SEC_PRELOAD_EXTRA+=("$extra")
  done
  mkdir -p "$SEC/out"
  trap 'rm -f /etc/ld.so.preload' EXIT
}

# sec_preload LIBRARY...: what every process started from now on preloads.
sec_preload() {
  printf '%s\n' "${SEC_PRELOAD_EXTRA[@]}" "$@" | grep -v '^$' > /etc/ld.so.preload
}

# sec_run plain|suid [VAR=VALUE...] -- QUERY...: runs the probe as nobody in a
# clean environment with the variables given. Sets SEC_OUT (stdout),
# SEC_ERR (stderr) and SEC_STATUS.
sec_run() {
  local kind=$1
  shift
  local vars=()
  while (($#)) && [[ $1 != -- ]]; do
    vars+=("$1")
    shift
  done
  shift
  SEC_STATUS=0
  # The group keeps bash's report of a crash ("Segmentation fault") quiet.
  { (cd "$SEC" && setpriv --reuid="$SEC_UID" --regid="$SEC_GID" --clear-groups -- \
    env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin "${vars[@]}" "$SEC/probe-$kind" "$@") \
    > "$SEC/out/stdout" 2> "$SEC/out/stderr"; } 2>/dev/null || SEC_STATUS=$?
  SEC_OUT=$(cat "$SEC/out/stdout")
  SEC_ERR=$(cat "$SEC/out/stderr")
}

# The answer part of the probe's line for QUERY in SEC_OUT.
sec_answer() {
  local query=$1 line
  while IFS= read -r line; do
    if [[ $line == "$query "* || $line == "$query" ]]; then
      printf '%s\n' "${line#"$query"}" | sed 's/^ //'
      return
    fi
  done <<<"$SEC_OUT"
  echo "<no answer>"
}
