#!/usr/bin/env bash
# secure_exec_test.sh (inside scripts/sandbox.sh): a setuid-root program run
# by nobody, with libaresolv.so preloaded through /etc/ld.so.preload, ignores
# every variable that would redirect its configuration (ARESOLV_* paths,
# LOCALDOMAIN, RES_OPTIONS, RESOLV_HOST_CONF) and writes nothing on stderr,
# even with ARESOLV_DEBUG=1. The same program without the setuid bit honours
# each variable, which shows that each check can fail. The environment is read
# once: changing it after the first lookup changes nothing. Under strace, the
# setuid process opens no file for writing and no redirected file at all.
# (For sanitized builds, ARESOLV_PRELOAD_EXTRA names the runtime to preload
# first; LeakSanitizer cannot run under strace and is turned off there.)
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/security_lib.sh"
sec_setup

alt=$SEC/alt
mkdir -p "$alt"
printf '192.0.2.99 filehost.test\n' > "$alt/hosts"
printf 'nameserver 127.0.0.1\nsearch lab.test\n' > "$alt/resolv.conf"
printf 'hosts: dns\n' > "$alt/nsswitch.conf"
printf 'aresolv-tcp 49999/tcp\n' > "$alt/services"
printf 'multi off\n' > "$alt/host.conf"
printf 'precedence ::ffff:0:0/96 100\n' > "$alt/gai.conf"
chmod -R a+rX "$alt"

sec_preload "$SEC/libaresolv.so"

# ---- the setup itself --------------------------------------------------------
sec_run plain -- whoami
sec_expect "plain probe: not secure, library preloaded" \
  "at_secure=0 ruid=$SEC_UID euid=$SEC_UID aresolv=yes" "$(sec_answer whoami)" "$SEC_ERR"
sec_run suid -- whoami
sec_expect "setuid probe run by nobody: AT_SECURE, euid 0, library preloaded" \
  "at_secure=1 ruid=$SEC_UID euid=0 aresolv=yes" "$(sec_answer whoami)" "$SEC_ERR"
if [[ $(sec_answer whoami) != "at_secure=1 "* ]]; then
  sec_finish "secure execution"
  exit 1
fi

# ---- one variable at a time ------------------------------------------------
# VARIABLE=VALUE | QUERY | answer from the real files | answer when redirected
cases=(
  "ARESOLV_HOSTS=$alt/hosts|gai4:filehost.test|192.0.2.10|192.0.2.99"
  "ARESOLV_HOSTS=$alt/hosts|ghbn:filehost.test|192.0.2.10|192.0.2.99"
  "ARESOLV_RESOLV_CONF=$alt/resolv.conf|gai4:shared|198.51.100.33|198.51.100.34"
  "LOCALDOMAIN=lab.test|gai4:shared|198.51.100.33|198.51.100.34"
  "RES_OPTIONS=no-aaaa|gai:dual.test|2001:db8:1::2 198.51.100.2|198.51.100.2"
  "ARESOLV_NSSWITCH_CONF=$alt/nsswitch.conf|gai4:filehost.test|192.0.2.10|error -2"
  "ARESOLV_SERVICES=$alt/services|port:aresolv-tcp|40001|49999"
  "ARESOLV_HOST_CONF=$alt/host.conf|ghbn:filemulti.test|192.0.2.11 192.0.2.12|192.0.2.11"
  "RESOLV_HOST_CONF=$alt/host.conf|ghbn:filemulti.test|192.0.2.11 192.0.2.12|192.0.2.11"
  "ARESOLV_GAI_CONF=$alt/gai.conf|gai:dual.test|2001:db8:1::2 198.51.100.2|198.51.100.2 2001:db8:1::2"
)
all_vars=()
all_queries=()
for entry in "${cases[@]}"; do
  IFS='|' read -r var query real redirected <<<"$entry"
  name=${var%%=*}
  all_vars+=("$var")
  all_queries+=("$query")

  sec_run plain -- "$query"
  sec_expect "plain, no $name: $query answers from the real files" "$real" "$(sec_answer "$query")"
  sec_run plain "$var" -- "$query"
  sec_expect "plain, $name set: $query is redirected (the variable works)" \
    "$redirected" "$(sec_answer "$query")"
  sec_run suid "$var" -- "$query"
  sec_expect "setuid, $name set: $query still answers from the real files" \
    "$real" "$(sec_answer "$query")"
  sec_expect "setuid, $name set: nothing on stderr" "" "$SEC_ERR"
done

# ---- the environment is read once, at the first call -----------------------------
sec_run plain -- gai4:filehost.test "setenv:ARESOLV_HOSTS=$alt/hosts" gai4:filehost.test ghbn:filehost.test
sec_expect "plain: ARESOLV_HOSTS set after the first lookup changes nothing" \
  "192.0.2.10"$'\n'"192.0.2.10"$'\n'"192.0.2.10" "$(sed -n '1p;3p;4p' <<<"$SEC_OUT" | awk '{print $2}')"
sec_run plain "ARESOLV_HOSTS=$alt/hosts" -- gai4:filehost.test unsetenv:ARESOLV_HOSTS \
  "setenv:ARESOLV_HOSTS=/nonexistent" gai4:filehost.test
sec_expect "plain: ARESOLV_HOSTS removed or changed after the first lookup changes nothing" \
  "192.0.2.99"$'\n'"192.0.2.99" "$(sed -n '1p;4p' <<<"$SEC_OUT" | awk '{print $2}')"

# ---- everything at once, with debug logging asked for -------------------------
sec_run suid "${all_vars[@]}" ARESOLV_DEBUG=1 -- whoami "${all_queries[@]}"
for entry in "${cases[@]}"; do
  IFS='|' read -r var query real redirected <<<"$entry"
  sec_expect "setuid, every variable and ARESOLV_DEBUG=1: $query from the real files (${var%%=*})" \
    "$real" "$(sec_answer "$query")"
done
sec_expect "setuid, every variable and ARESOLV_DEBUG=1: status 0" 0 "$SEC_STATUS"
sec_expect "setuid, ARESOLV_DEBUG=1: nothing logged on stderr" "" "$SEC_ERR"

sec_run plain ARESOLV_DEBUG=1 -- gai4:filehost.test
if [[ -n $SEC_ERR ]]; then
  sec_ok "plain, ARESOLV_DEBUG=1: debug lines on stderr (so the empty stderr above is meaningful): $(head -1 <<<"$SEC_ERR")"
else
  echo "note: ARESOLV_DEBUG=1 logs nothing in a plain process either (no debug logging in this build)"
fi

# ---- what the setuid process does, system call by system call -----------------
# strace -u runs the command as nobody and, being root, lets the setuid bit
# take effect. Nothing may be opened for writing, nothing written but the
# probe's own stdout, no socket but the nameserver's, and no redirected file
# even opened.
if command -v strace >/dev/null; then
  trace=$SEC/out/trace
  SEC_STATUS=0
  (cd "$SEC" && strace -f -qq -yy -s 64 -u nobody -o "$trace" \
    -e trace=open,openat,openat2,creat,write,writev,pwrite64,pwritev,pwritev2,sendto,sendmsg,sendmmsg,connect,unlink,unlinkat,rename,renameat,renameat2,mkdir,mkdirat \
    env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin "${all_vars[@]}" ARESOLV_DEBUG=1 \
    ${ARESOLV_PRELOAD_EXTRA:+ASAN_OPTIONS=detect_leaks=0} \
    "$SEC/probe-suid" whoami "${all_queries[@]}") > "$SEC/out/stdout" 2> "$SEC/out/stderr" ||
    SEC_STATUS=$?
  SEC_OUT=$(cat "$SEC/out/stdout")
  SEC_ERR=$(cat "$SEC/out/stderr")
  if [[ $(sec_answer whoami) == "at_secure=1 "* && $SEC_STATUS == 0 ]]; then
    sec_ok "strace -u nobody: the traced setuid probe is in secure execution"
    # The trace must show what the checks below look for, or they prove nothing.
    if grep -qE 'write\(1</' "$trace" && grep -qE 'openat\(.*"/etc/hosts"' "$trace" &&
      grep -qE '\([0-9]+<UDP:\[127\.0\.0\.1:[0-9]+->127\.0\.0\.1:53\]>' "$trace"; then
      sec_ok "the trace shows the probe's stdout, its /etc/hosts and its queries"
    else
      sec_fail "the trace shows the probe's stdout, its /etc/hosts and its queries" "$(head -40 "$trace")"
    fi
    writes=$(grep -E '(open|openat|openat2)\(.*O_(WRONLY|RDWR|CREAT|APPEND|TRUNC)|creat\(|unlink|rename|mkdir' "$trace" |
      grep -v -E '= -1 ' || true)
    sec_expect "setuid under strace: no file opened for writing, created, renamed or removed" "" "$writes"
    # -yy shows each descriptor's file or connection: 3</path>, 3<UDP:[a:p->b:53]>.
    other_writes=$(grep -E '(write|writev|pwrite64|pwritev2?)\(' "$trace" | grep -vE '\((1|2)<' |
      grep -vE '\([0-9]+<(UDP|TCP):\[127\.0\.0\.1:[0-9]+->127\.0\.0\.1:53\]>' || true)
    sec_expect "setuid under strace: nothing written but stdout and queries to the real nameserver" \
      "" "$other_writes"
    local_sockets=$(grep -E '(connect|sendto|sendmsg)\(.*AF_UNIX' "$trace" || true)
    sec_expect "setuid under strace: no local socket (no syslog, journald or nscd)" "" "$local_sockets"
    dns=$(grep -E '(connect|sendto|sendmsg)\(.*htons\(53\)' "$trace" |
      grep -vE 'sin_addr=inet_addr\("127\.0\.0\.1"\)' || true)
    sec_expect "setuid under strace: DNS goes to the real nameserver only" "" "$dns"
    redirected=$(grep -F "$alt/" "$trace" | grep -vE 'execve' || true)
    sec_expect "setuid under strace: no redirected file is even opened" "" "$redirected"
  else
    sec_fail "strace -u nobody: the traced setuid probe ran in secure execution" \
      "status $SEC_STATUS; $(head -3 <<<"$SEC_OUT") $(head -3 <<<"$SEC_ERR")"
  fi
else
  echo "note: no strace here: the system-call checks were not run (scripts/setup.sh should install strace)"
fi

sec_finish "secure execution"
