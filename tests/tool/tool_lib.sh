# Helpers for the tests of the aresolv command (tests/tool/*.sh).
source "$(cd "$(dirname "${BASH_SOURCE[0]}")/../../scripts" && pwd)/lib.sh"

: "${ARESOLV_TOOL:?the aresolv command (set by CTest)}"
: "${ARESOLV_LIB:?libaresolv.so (set by CTest)}"

TOOL_CASES=0 TOOL_FAILED=0
tool_ok() { TOOL_CASES=$((TOOL_CASES + 1)); printf 'ok    %s\n' "$1"; }
tool_fail() {
  TOOL_CASES=$((TOOL_CASES + 1)) TOOL_FAILED=$((TOOL_FAILED + 1))
  printf 'FAIL  %s\n' "$1"
  [[ -n ${2:-} ]] && printf '%s\n' "$2" | sed 's/^/      /'
  return 0
}

# expect DESC STATUS PATTERN CMD...: CMD exits with STATUS and its output
# (stdout and stderr) matches the extended regular expression PATTERN.
expect() {
  local desc=$1 want_status=$2 pattern=$3 out status=0
  shift 3
  out=$("$@" 2>&1) || status=$?
  if [[ $status -ne $want_status ]]; then
    tool_fail "$desc" "exit status $status, expected $want_status; output:"$'\n'"$out"
  elif ! grep -qE -- "$pattern" <<<"$out"; then
    tool_fail "$desc" "output does not match /$pattern/:"$'\n'"$out"
  else
    tool_ok "$desc"
  fi
}

# expect_not DESC PATTERN CMD...: the output of CMD (any status) does not match.
expect_not() {
  local desc=$1 pattern=$2 out
  shift 2
  out=$("$@" 2>&1) || true
  if grep -qE -- "$pattern" <<<"$out"; then
    tool_fail "$desc" "output matches /$pattern/:"$'\n'"$out"
  else
    tool_ok "$desc"
  fi
}

tool_finish() {
  printf '%s: cases %d, failed %d\n' "${1:-tool}" "$TOOL_CASES" "$TOOL_FAILED"
  ((TOOL_CASES > 0 && TOOL_FAILED == 0))
}
