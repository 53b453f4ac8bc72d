#!/usr/bin/env bash
# kill_switch_test.sh (inside scripts/sandbox.sh): the kill switch and the NSS
# fallback hand calls to libc.
#
# With `hosts: crash files dns`, glibc's NSS path dies in libnss_crash.so.2
# and ours never enters it: a probe that crashes was passed through to libc,
# one that answers was not. The crash module is listed in /etc/ld.so.preload
# after the library, so that glibc's NSS finds it (by its soname) in setuid
# processes too, where LD_LIBRARY_PATH is ignored.
#
#  - ARESOLV_DISABLE=1 forwards in plain processes, is ignored by setuid ones;
#  - getaddrinfo, gethostbyname, getaddrinfo_a, getnameinfo and res_search
#    all forward (libc's answers come from the real files, ours from the
#    files ARESOLV_HOSTS and ARESOLV_RESOLV_CONF name);
#  - /etc/aresolv/disable forwards in both, and reaches a running process
#    within a second of its creation and of its removal;
#  - the file is looked at no more than once a second (strace);
#  - ARESOLV_NSS_FALLBACK=1 and /etc/aresolv/nss-fallback forward the lookup
#    entry points only when the hosts line names a source we skip.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/security_lib.sh"
sec_setup
[[ -r ${ARESOLV_NSS_CRASH:-} ]] || { aresolv_log "ARESOLV_NSS_CRASH is not set"; exit 2; }

alt_hosts=$SEC/alt-hosts
printf '192.0.2.99 filehost.test\n' > "$alt_hosts"
chmod 0644 "$alt_hosts"
mkdir -p /etc/aresolv
chmod 0755 /etc/aresolv
rm -f /etc/aresolv/disable /etc/aresolv/nss-fallback

sec_preload "$SEC/libaresolv.so" "$SEC/libnss_crash.so.2"
aresolv_use_nsswitch nsswitch-crash.conf

queries=(gai4:dual.test ghbn:dual.test gni:198.51.100.1)
answers="gai4:dual.test 198.51.100.2"$'\n'"ghbn:dual.test 198.51.100.2"$'\n'"gni:198.51.100.1 a4.test"

# expect_answers DESCRIPTION: the last sec_run answered every query.
expect_answers() {
  sec_expect "$1: answers (our resolver; the crash module is never entered)" \
    "0"$'\n'"$answers" "$SEC_STATUS"$'\n'"$SEC_OUT" "$SEC_ERR"
}
# died_in_module STATUS OUTPUT: killed by SIGSEGV, or (sanitized builds, with
# ARESOLV_PRELOAD_EXTRA) a sanitizer's SEGV report with the module's function.
died_in_module() {
  [[ $1 == 139 ]] || [[ $1 != 0 && $2 == *SEGV* && $2 == *_nss_crash_* ]]
}
# expect_crash DESCRIPTION: the last sec_run died in the module.
expect_crash() {
  if died_in_module "$SEC_STATUS" "$SEC_ERR"; then
    sec_ok "$1: dies in libnss_crash.so.2 (passed through to libc)"
  else
    sec_fail "$1: dies in libnss_crash.so.2 (passed through to libc)" \
      "status $SEC_STATUS"$'\n'"$SEC_OUT"$'\n'"$(head -5 <<<"$SEC_ERR")"
  fi
}

# ---- the environment variable ------------------------------------------------
sec_run plain -- "${queries[@]}"
expect_answers "plain, no switch"
sec_run suid -- "${queries[@]}"
expect_answers "setuid, no switch"
for query in "${queries[@]}"; do
  sec_run plain ARESOLV_DISABLE=1 -- "$query"
  expect_crash "plain, ARESOLV_DISABLE=1, ${query%%:*}"
done
sec_run plain ARESOLV_DISABLE=0 -- "${queries[@]}"
expect_answers "plain, ARESOLV_DISABLE=0"
sec_run suid ARESOLV_DISABLE=1 -- "${queries[@]}"
expect_answers "setuid, ARESOLV_DISABLE=1 (ignored under AT_SECURE)"

# ---- the file ------------------------------------------------------------------
touch /etc/aresolv/disable
for query in "${queries[@]}"; do
  sec_run plain -- "$query"
  expect_crash "plain, /etc/aresolv/disable, ${query%%:*}"
  sec_run suid -- "$query"
  expect_crash "setuid, /etc/aresolv/disable, ${query%%:*}"
done
rm -f /etc/aresolv/disable
sec_run suid -- "${queries[@]}"
expect_answers "setuid, /etc/aresolv/disable removed"

# ---- the NSS fallback ------------------------------------------------------------
for query in "${queries[@]}"; do
  sec_run plain ARESOLV_NSS_FALLBACK=1 -- "$query"
  expect_crash "plain, ARESOLV_NSS_FALLBACK=1, hosts line names a skipped source, ${query%%:*}"
done
sec_run suid ARESOLV_NSS_FALLBACK=1 -- "${queries[@]}"
expect_answers "setuid, ARESOLV_NSS_FALLBACK=1 (ignored under AT_SECURE)"
touch /etc/aresolv/nss-fallback
for query in "${queries[@]}"; do
  sec_run suid -- "$query"
  expect_crash "setuid, /etc/aresolv/nss-fallback, ${query%%:*}"
done
sec_run plain -- "${queries[@]}"
expect_crash "plain, /etc/aresolv/nss-fallback"

# Without a skipped source the fallback changes nothing: ARESOLV_HOSTS marks
# an answer as ours (libc does not know it).
aresolv_use_nsswitch nsswitch.conf
sec_run plain ARESOLV_HOSTS="$alt_hosts" ARESOLV_NSS_FALLBACK=1 -- gai4:filehost.test ghbn:filehost.test
sec_expect "plain, hosts: files dns, fallback file and variable: still our resolver" \
  "gai4:filehost.test 192.0.2.99"$'\n'"ghbn:filehost.test 192.0.2.99" "$SEC_OUT" "$SEC_ERR"
rm -f /etc/aresolv/nss-fallback

# ---- every entry point, and the calls libc makes for it ---------------------------
# Markers without a crash: ARESOLV_HOSTS and ARESOLV_RESOLV_CONF (search
# lab.test only) are ours; libc reads the real files. getaddrinfo_a and
# res_search forward too; freeaddrinfo frees libc's lists.
alt_resolv=$SEC/alt-resolv.conf
printf 'nameserver 127.0.0.1\nsearch lab.test\n' > "$alt_resolv"
chmod 0644 "$alt_resolv"
aresolv_use_nsswitch nsswitch.conf
surface=(gai4:filehost.test ghbn:filehost.test gaia:filehost.test gni:192.0.2.99 res:shared)
ours="192.0.2.99 192.0.2.99 192.0.2.99 filehost.test 198.51.100.34"
libc="192.0.2.10 192.0.2.10 192.0.2.10 error -2 198.51.100.33"
answers_of() { awk '{ $1 = ""; sub(/^ /, ""); print }' <<<"$SEC_OUT" | paste -sd' '; }
sec_run plain ARESOLV_HOSTS="$alt_hosts" ARESOLV_RESOLV_CONF="$alt_resolv" -- "${surface[@]}"
sec_expect "plain, no switch: getaddrinfo, gethostbyname, getaddrinfo_a, getnameinfo, res_search are ours" \
  "$ours" "$(answers_of)" "$SEC_ERR"
sec_run plain ARESOLV_HOSTS="$alt_hosts" ARESOLV_RESOLV_CONF="$alt_resolv" ARESOLV_DISABLE=1 -- "${surface[@]}"
sec_expect "plain, ARESOLV_DISABLE=1: each of them is libc's" "$libc" "$(answers_of)" "$SEC_ERR"
touch /etc/aresolv/disable
sec_run plain ARESOLV_HOSTS="$alt_hosts" ARESOLV_RESOLV_CONF="$alt_resolv" -- "${surface[@]}"
sec_expect "plain, /etc/aresolv/disable: each of them is libc's" "$libc" "$(answers_of)" "$SEC_ERR"
rm -f /etc/aresolv/disable
# The NSS fallback leaves res_* (DNS only, no NSS) with us.
aresolv_use_nsswitch nsswitch-crash.conf
sec_run plain ARESOLV_RESOLV_CONF="$alt_resolv" ARESOLV_NSS_FALLBACK=1 -- res:shared
sec_expect "plain, ARESOLV_NSS_FALLBACK=1 with a skipped source: res_search stays ours" \
  "res:shared 198.51.100.34" "$SEC_OUT" "$SEC_ERR"
aresolv_use_nsswitch nsswitch.conf

# ---- a running process sees the file come and go within a second ---------------
# Same marker: 192.0.2.99 from us (ARESOLV_HOSTS), 192.0.2.10 from libc.
probe_now() { "$SEC/probe-plain" now | awk '{print $2}'; }
loop_out=$SEC/out/loop
(cd "$SEC" && setpriv --reuid="$SEC_UID" --regid="$SEC_GID" --clear-groups -- \
  env -i ARESOLV_HOSTS="$alt_hosts" "$SEC/probe-plain" --loop 5000 gai4:filehost.test) > "$loop_out" 2>&1 &
loop_pid=$!
sleep 1.2
t_on=$(probe_now)
touch /etc/aresolv/disable
sleep 1.8
t_off=$(probe_now)
rm -f /etc/aresolv/disable
wait "$loop_pid"
loop_status=$?
# first_after T ANSWER: the time of the first line at or after T with ANSWER.
first_after() { awk -v t="$1" -v a="$2" '$1 >= t && $3 == a {print $1; exit}' "$loop_out"; }
before=$(awk -v t="$t_on" '$1 < t && $3 != "192.0.2.99"' "$loop_out")
sec_expect "running process: our answers before the file appears (status $loop_status)" "" "$before"
t_seen_on=$(first_after "$t_on" 192.0.2.10)
t_seen_off=$(first_after "$t_off" 192.0.2.99)
if [[ -n $t_seen_on ]] && ((t_seen_on - t_on <= 1500)); then
  sec_ok "running process: libc answers $((t_seen_on - t_on)) ms after touch /etc/aresolv/disable"
else
  sec_fail "running process: libc answers within a second of touch /etc/aresolv/disable" "$(cat "$loop_out")"
fi
if [[ -n $t_seen_off ]] && ((t_seen_off - t_off <= 1500)); then
  sec_ok "running process: our answers again $((t_seen_off - t_off)) ms after rm /etc/aresolv/disable"
else
  sec_fail "running process: our answers again within a second of rm /etc/aresolv/disable" "$(cat "$loop_out")"
fi

# A running setuid process, with the crash module: it dies within a second.
aresolv_use_nsswitch nsswitch-crash.conf
# (The group keeps bash's "Segmentation fault" report out of the log.)
{ (cd "$SEC" && setpriv --reuid="$SEC_UID" --regid="$SEC_GID" --clear-groups -- \
  env -i "$SEC/probe-suid" --loop 4000 gai4:dual.test) > "$loop_out" 2>&1; } 2>/dev/null &
loop_pid=$!
sleep 1.2
t_on=$(probe_now)
touch /etc/aresolv/disable
wait "$loop_pid"
loop_status=$?
rm -f /etc/aresolv/disable
last=$(grep -E '^[0-9]+ gai4:' "$loop_out" | tail -1 | awk '{print $1}')
if died_in_module "$loop_status" "$(cat "$loop_out")" && [[ -n $last ]] && ((last - t_on <= 1500)); then
  sec_ok "running setuid process: dies in libc's NSS path $((last - t_on)) ms or less after touch /etc/aresolv/disable"
else
  sec_fail "running setuid process: passed through within a second of touch /etc/aresolv/disable" \
    "status $loop_status, touched at $t_on"$'\n'"$(tail -5 "$loop_out")"
fi

# ---- the files cost one stat a second, not one a call -----------------------------
aresolv_use_nsswitch nsswitch.conf
if command -v strace >/dev/null; then
  trace=$SEC/out/stat-trace
  (cd "$SEC" && strace -f -qq -o "$trace" -e trace=%%stat \
    setpriv --reuid="$SEC_UID" --regid="$SEC_GID" --clear-groups -- \
    env -i ARESOLV_NSS_FALLBACK=1 "$SEC/probe-plain" --loop 3000 gai4:filehost.test) > "$loop_out" 2>&1
  lookups=$(grep -c 'gai4:filehost.test 192.0.2.10' "$loop_out")
  disable_checks=$(grep -c '"/etc/aresolv/disable"' "$trace")
  if ((lookups >= 20 && disable_checks >= 2 && disable_checks <= 5)); then
    sec_ok "/etc/aresolv/disable looked at $disable_checks times in 3 s of $lookups lookups"
  else
    sec_fail "/etc/aresolv/disable looked at once a second" \
      "$disable_checks stat calls for $lookups lookups in 3 s"$'\n'"$(grep aresolv "$trace" | head)"
  fi
  fallback_checks=$(grep -c '"/etc/aresolv/nss-fallback"' "$trace")
  sec_expect "ARESOLV_NSS_FALLBACK=1: the nss-fallback file is not looked at" 0 "$fallback_checks"
else
  echo "note: no strace here: the once-a-second check was not measured (scripts/setup.sh should install strace)"
fi

sec_finish "kill switch and NSS fallback"
