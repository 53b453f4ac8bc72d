#!/usr/bin/env bash
# scripts/install.sh inside the sandbox (its /etc is a private copy, so
# /etc/ld.so.preload here touches no process outside): enable adds a
# $LIB-style entry after checking that getent resolves with the library,
# keeps the other entries, is idempotent and atomic; every program then
# resolves through aresolv (the crashing NSS module is never loaded); disable
# removes only our entry; failed checks change nothing.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/tool_lib.sh"
[[ ${ARESOLV_SANDBOX:-} == 1 ]] || { aresolv_log "run me through scripts/sandbox.sh"; exit 2; }
INSTALL=$ARESOLV_ROOT/scripts/install.sh
tmp=$ARESOLV_SANDBOX_TMP
multiarch=${ARESOLV_MULTIARCH:-$(gcc -print-multiarch)}

# The library where the $LIB entry finds it for this ABI.
mkdir -p "$tmp/prefix/lib/$multiarch"
cp "$ARESOLV_LIB" "$tmp/prefix/lib/$multiarch/libaresolv.so"
entry="$tmp/prefix/\$LIB/libaresolv.so"
# Another preload entry that must survive: a harmless real library.
other=/lib/$multiarch/libdl.so.2
[[ -e $other ]] || other=$(ls /lib/"$multiarch"/libm.so.6)

aresolv_use_nsswitch nsswitch-crash.conf
printf '%s\n' "$other" >/etc/ld.so.preload
crash_getent() { env -u LD_PRELOAD LD_LIBRARY_PATH="$ARESOLV_NSS_DIR" getent ahosts a4.test; }

status=0
crash_getent >/dev/null 2>&1 || status=$?
((status == 139)) && tool_ok "before: getent dies in the crashing NSS module" || tool_fail "before: getent dies in the crashing NSS module" "status $status"

expect "enable" 0 "enabled: $tmp/prefix/\\\$LIB/libaresolv.so in /etc/ld.so.preload" "$INSTALL" enable --entry "$entry"
if [[ $(cat /etc/ld.so.preload) == "$other"$'\n'"$entry" ]]; then tool_ok "the file keeps the other entry, ours last"; else tool_fail "the file keeps the other entry, ours last" "$(cat /etc/ld.so.preload)"; fi
expect "after enable: getent resolves system-wide, no LD_PRELOAD" 0 '198\.51\.100\.1 +STREAM a4\.test' crash_getent
expect "after enable: python3 too" 0 '198\.51\.100\.2' env -u LD_PRELOAD LD_LIBRARY_PATH="$ARESOLV_NSS_DIR" "$ARESOLV_PYTHON" -c 'import socket; print(socket.gethostbyname("dual.test"))'
expect "after enable: aresolv answers (debug line)" 0 'aresolv\[[0-9]+\]: getaddrinfo name=a4\.test' env ARESOLV_DEBUG=1 LD_LIBRARY_PATH="$ARESOLV_NSS_DIR" getent ahosts a4.test
expect "status: enabled (exit 0)" 0 'aresolv is enabled system-wide' "$INSTALL" status
expect "doctor sees it (and warns about the skipped crash source)" 1 'aresolv is enabled system-wide' "$ARESOLV_TOOL" doctor
expect_not "no ld.so complaint from programs" 'ld\.so' getent hosts localhost

cp /etc/ld.so.preload "$tmp/preload.before"
expect "enable again: nothing to do" 0 'already enabled' "$INSTALL" enable --entry "$entry"
cmp -s /etc/ld.so.preload "$tmp/preload.before" && tool_ok "enable is idempotent" || tool_fail "enable is idempotent" "$(cat /etc/ld.so.preload)"
if ls /etc/.ld.so.preload.aresolv.* >/dev/null 2>&1; then tool_fail "no temporary file left in /etc"; else tool_ok "no temporary file left in /etc"; fi

expect "disable" 0 'disabled: libaresolv removed' "$INSTALL" disable
[[ $(cat /etc/ld.so.preload) == "$other" ]] && tool_ok "disable keeps the other entry" || tool_fail "disable keeps the other entry" "$(cat /etc/ld.so.preload)"
status=0
crash_getent >/dev/null 2>&1 || status=$?
((status == 139)) && tool_ok "after disable: libc's NSS path again" || tool_fail "after disable: libc's NSS path again" "status $status"
expect "disable again: nothing to do" 0 'not enabled; nothing to do' "$INSTALL" disable
expect "status: not enabled (exit 1)" 1 'not enabled system-wide' "$INSTALL" status

rm -f /etc/ld.so.preload
expect "enable without a preload file" 0 'enabled' "$INSTALL" enable --entry "$entry"
expect "disable removes the file it made" 0 'disabled' "$INSTALL" disable
[[ ! -e /etc/ld.so.preload ]] && tool_ok "no empty file left behind" || tool_fail "no empty file left behind" "$(cat /etc/ld.so.preload)"

# Checks that fail change nothing.
printf '%s\n' "$other" >/etc/ld.so.preload
cp /etc/ld.so.preload "$tmp/preload.before"
expect "enable with a missing library fails" 1 'not found' "$INSTALL" enable --entry "/nonexistent/\$LIB/libaresolv.so"
mkdir -p "$tmp/broken/lib/$multiarch"
printf 'not a library\n' >"$tmp/broken/lib/$multiarch/libaresolv.so"
expect "enable with a broken library fails the test run" 1 'test with LD_PRELOAD=.* failed' "$INSTALL" enable --entry "$tmp/broken/\$LIB/libaresolv.so"
mkdir -p /etc/aresolv
touch /etc/aresolv/disable
expect "enable with the kill switch on fails (aresolv would not answer)" 1 'not answered by aresolv' "$INSTALL" enable --entry "$entry"
rm -f /etc/aresolv/disable
cmp -s /etc/ld.so.preload "$tmp/preload.before" && tool_ok "failed checks left the file alone" || tool_fail "failed checks left the file alone" "$(cat /etc/ld.so.preload)"
expect "usage error: exit 2" 2 'install.sh enable' "$INSTALL" frobnicate
expect "--help" 0 'disable  removes every libaresolv entry' "$INSTALL" --help
rm -f /etc/ld.so.preload

tool_finish install_test
