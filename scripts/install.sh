#!/bin/sh
# Enables or disables aresolv for every program on this machine, through
# /etc/ld.so.preload.
#
#   install.sh enable  [--entry PATH] [--test-name NAME]
#   install.sh disable
#   install.sh status
#
# enable   adds PATH (default: /usr/$LIB/libaresolv.so) to /etc/ld.so.preload.
#          ld.so expands $LIB per process (lib/x86_64-linux-gnu, lib/i386-linux-gnu,
#          ...), so a 32-bit program on a multilib machine loads its own build or
#          nothing, never a library of the wrong class. Before touching the file it
#          runs getent with the library preloaded and checks that it starts,
#          resolves NAME (default: localhost) and that aresolv answered; afterwards
#          it checks again without LD_PRELOAD and puts the old file back if that
#          fails. Running it twice changes nothing.
# disable  removes every libaresolv entry and keeps all others; the file is
#          removed when nothing else is left in it.
# status   prints the entries; exit status 0 when aresolv is enabled, 1 when not.
#
# The file is replaced atomically (a temporary file in /etc, then rename), so a
# process starting meanwhile sees the old or the new list, never half of one.
# Exit status: 0 done, 1 a check failed (nothing changed), 2 usage error.
set -eu

PRELOAD_FILE=/etc/ld.so.preload
ENTRY='/usr/$LIB/libaresolv.so'
TEST_NAME=localhost

say() { printf 'aresolv-preload: %s\n' "$*"; }
die() { printf 'aresolv-preload: %s\n' "$*" >&2; exit 1; }
# The comment block at the top, with this script's name as it was called.
help_text() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0" | sed "s/install\.sh/$(basename "$0")/g"; }
usage() { help_text | sed -n '4,6p' | sed 's/^ *//' >&2; exit 2; }

# The multiarch directory this machine's native programs get for $LIB.
native_lib_dir() {
  if command -v dpkg-architecture >/dev/null 2>&1; then
    echo "lib/$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null)"
    return
  fi
  # ld.so reports the directory it searches libc in.
  dir=$(LD_DEBUG=libs /bin/true 2>&1 | sed -n 's|.*trying file=/\(.*\)/libc\.so\.6.*|\1|p' | head -n 1)
  [ -n "$dir" ] && echo "$dir" || echo lib
}

expand_entry() {
  printf '%s\n' "$1" | sed -e "s|\\\$LIB|$(native_lib_dir)|g" -e "s|\\\${LIB}|$(native_lib_dir)|g"
}

is_aresolv_entry() {
  case "$1" in
    *libaresolv.so*) return 0 ;;
    *) return 1 ;;
  esac
}

# The current entries, one per line (ld.so accepts blanks and newlines between them).
current_entries() {
  [ -f "$PRELOAD_FILE" ] || return 0
  tr ' \t' '\n\n' <"$PRELOAD_FILE" | sed '/^$/d'
}

# Writes stdin to the preload file atomically; empty input removes the file.
replace_preload_file() {
  tmp=$(mktemp /etc/.ld.so.preload.aresolv.XXXXXX)
  trap 'rm -f "$tmp"' EXIT
  cat >"$tmp"
  if [ ! -s "$tmp" ]; then
    rm -f "$tmp" "$PRELOAD_FILE"
    trap - EXIT
    return
  fi
  chmod 0644 "$tmp"
  sync "$tmp" 2>/dev/null || true
  mv -f "$tmp" "$PRELOAD_FILE"
  trap - EXIT
}

# Starts getent with `preload` (empty: none, i.e. through /etc/ld.so.preload)
# and checks that it ran, resolved TEST_NAME and that aresolv answered it.
check_resolves() {
  preload=$1
  out=$(mktemp) err=$(mktemp)
  rc=0
  if [ -n "$preload" ]; then
    env LD_PRELOAD="$preload" ARESOLV_DEBUG=1 getent ahosts "$TEST_NAME" >"$out" 2>"$err" || rc=$?
  else
    env -u LD_PRELOAD ARESOLV_DEBUG=1 getent ahosts "$TEST_NAME" >"$out" 2>"$err" || rc=$?
  fi
  ok=1
  if [ "$rc" -ne 0 ]; then
    say "check failed: getent ahosts $TEST_NAME exited with $rc"
    ok=0
  elif ! grep -q 'STREAM' "$out"; then
    say "check failed: getent ahosts $TEST_NAME printed no address"
    ok=0
  elif grep -q 'ld\.so' "$err"; then
    say "check failed: the loader complained: $(grep 'ld\.so' "$err" | head -n 1)"
    ok=0
  elif ! grep -q '^aresolv\[[0-9]*\]: getaddrinfo ' "$err"; then
    say "check failed: the lookup was not answered by aresolv (library not loaded, or the kill switch is on)"
    ok=0
  fi
  [ "$ok" -eq 1 ] || sed 's/^/  | /' "$err" >&2
  rm -f "$out" "$err"
  [ "$ok" -eq 1 ]
}

# A 32-bit (or other foreign) libc without its own libaresolv.so: with a $LIB
# entry its programs still start, but ld.so prints that the entry is ignored.
warn_other_abis() {
  native=$(native_lib_dir)
  for libc in /lib/*/libc.so.6 /usr/lib/*/libc.so.6 /lib32/libc.so.6 /usr/lib32/libc.so.6; do
    [ -e "$libc" ] || continue
    dir=${libc%/libc.so.6}
    dir=${dir#/usr/}
    dir=${dir#/}
    [ "$dir" = "$native" ] && continue
    candidate=$(printf '%s\n' "$ENTRY" | sed -e "s|\\\$LIB|$dir|g" -e "s|\\\${LIB}|$dir|g")
    [ "$candidate" = "$ENTRY" ] && continue
    [ -e "$candidate" ] && continue
    say "note: programs of /$dir find no $candidate: they start without aresolv and ld.so prints a one-line notice (install that architecture's package to cover them)"
  done
}

enable() {
  for e in $(current_entries); do
    if [ "$e" = "$ENTRY" ]; then
      say "already enabled ($ENTRY in $PRELOAD_FILE)"
      return 0
    fi
  done
  library=$(expand_entry "$ENTRY")
  [ -f "$library" ] || die "$library not found (is the package installed?); nothing changed"
  check_resolves "$library" || die "the test with LD_PRELOAD=$library failed; $PRELOAD_FILE unchanged"

  backup=$(mktemp)
  had_file=0
  if [ -f "$PRELOAD_FILE" ]; then
    cp -p "$PRELOAD_FILE" "$backup"
    had_file=1
  fi
  # Other libaresolv entries (an older path) give way to this one.
  { current_entries | while read -r e; do is_aresolv_entry "$e" || printf '%s\n' "$e"; done
    printf '%s\n' "$ENTRY"; } | replace_preload_file
  if ! check_resolves ""; then
    if [ "$had_file" -eq 1 ]; then replace_preload_file <"$backup"; else rm -f "$PRELOAD_FILE"; fi
    rm -f "$backup"
    die "programs did not resolve through $PRELOAD_FILE; the previous file is back"
  fi
  rm -f "$backup"
  say "enabled: $ENTRY in $PRELOAD_FILE (new processes load aresolv; running ones are unaffected)"
  warn_other_abis
}

disable() {
  found=0
  for e in $(current_entries); do
    if is_aresolv_entry "$e"; then found=1; fi
  done
  if [ "$found" -eq 0 ]; then
    say "not enabled; nothing to do"
    return 0
  fi
  current_entries | while read -r e; do is_aresolv_entry "$e" || printf '%s\n' "$e"; done |
    replace_preload_file
  say "disabled: libaresolv removed from $PRELOAD_FILE (new processes use libc's resolver)"
}

status() {
  enabled=1
  if [ -f "$PRELOAD_FILE" ]; then
    for e in $(current_entries); do
      mark=""
      if is_aresolv_entry "$e"; then
        enabled=0
        mark=" (aresolv)"
      fi
      expanded=$(expand_entry "$e")
      if [ -e "$expanded" ]; then
        say "$e$mark: present"
      else
        say "$e$mark: MISSING ($expanded)"
      fi
    done
  else
    say "$PRELOAD_FILE absent"
  fi
  if [ -e /etc/aresolv/disable ]; then say "kill switch on: /etc/aresolv/disable exists"; fi
  if [ "$enabled" -eq 0 ]; then say "aresolv is enabled system-wide"; else say "aresolv is not enabled system-wide"; fi
  return "$enabled"
}

[ $# -ge 1 ] || usage
action=$1
shift
while [ $# -gt 0 ]; do
  case "$1" in
    --entry) [ $# -ge 2 ] || usage; ENTRY=$2; shift 2 ;;
    --test-name) [ $# -ge 2 ] || usage; TEST_NAME=$2; shift 2 ;;
    -h|--help) help_text; exit 0 ;;
    *) usage ;;
  esac
done

case "$action" in
  enable|disable|status)
    if [ "$action" != status ] && [ "$(id -u)" -ne 0 ]; then die "$action needs root (it edits $PRELOAD_FILE)"; fi
    "$action"
    ;;
  -h|--help) help_text ;;
  *) usage ;;
esac
