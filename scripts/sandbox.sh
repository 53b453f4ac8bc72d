#!/usr/bin/env bash
# Runs a command in a throw-away network and mount namespace that looks like a
# small Debian host: lo, a veth pair with 10.200.0.1/24, 2001:db8:200::1/64
# (global) and fd00:200::1/64 (unique local),
# default routes through it (nothing beyond is reachable), /etc with the
# fixture resolver files, no nscd, and dnsmasq on 127.0.0.1:53 / [::1]:53
# serving the fixture DNS data.
#
#   scripts/sandbox.sh [--fixtures DIR] [--nsswitch FILE] [--no-dns] -- COMMAND [ARGS...]
#
# --fixtures DIR   take resolv.conf, hosts, host.conf, nsswitch.conf, services,
#                  gai.conf and dnsmasq.conf from DIR (each file missing there
#                  comes from tests/fixtures/sandbox)
# --nsswitch FILE  use FILE as /etc/nsswitch.conf; a bare name is looked up in
#                  the fixture directory (e.g. --nsswitch nsswitch-crash.conf)
# --no-dns         start no DNS server (queries to 127.0.0.1:53 are refused)
#
# COMMAND sees ARESOLV_SANDBOX=1, ARESOLV_SANDBOX_TMP (a private tmpfs),
# ARESOLV_SANDBOX_FIXTURES, ARESOLV_SANDBOX_IPV4, ARESOLV_SANDBOX_IPV6(_ULA) and
# ARESOLV_DNSMASQ_LOG (every query is logged there). /etc is a private,
# writable copy: COMMAND may change it (see aresolv_use_nsswitch in lib.sh).
# The exit status is COMMAND's (128+N when it died by signal N); 77 means the
# sandbox could not be made (not root, unshare not permitted), which becomes 1
# when CI=true or ARESOLV_REQUIRE_ROOT=1.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

readonly SANDBOX_IPV4=10.200.0.1 SANDBOX_IPV6=2001:db8:200::1 SANDBOX_IPV6_ULA=fd00:200::1
readonly ETC_FILES=(resolv.conf hosts host.conf nsswitch.conf services gai.conf)

usage() {
  sed -n '9,17p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

inside_namespace() {
  local tmp=$ARESOLV_SANDBOX_TMP fixtures=$ARESOLV_SANDBOX_FIXTURES
  # Nothing mounted here propagates to the host, and it all vanishes with us.
  mount --make-rprivate /
  mount -t tmpfs -o mode=0755 aresolv-sandbox "$tmp"

  ip link set lo up
  sysctl -qw net.ipv6.conf.default.accept_dad=0 net.ipv6.conf.all.accept_dad=0 2>/dev/null || true
  ip link add veth0 type veth peer name veth1
  ip addr add "$SANDBOX_IPV4/24" dev veth0
  ip link set veth0 up
  ip link set veth1 up
  # A default route gives every destination a source address, as on a real
  # host, which getaddrinfo's RFC 3484/6724 sorting depends on.
  ip route add default dev veth0
  local have_ipv6=0
  if [[ -e /proc/net/if_inet6 ]]; then
    have_ipv6=1
    # A global address, so that dual-stack answers sort IPv6 first as on a
    # real host, and a unique local one for the RFC 6724 label rules.
    ip -6 addr add "$SANDBOX_IPV6/64" dev veth0 nodad
    ip -6 addr add "$SANDBOX_IPV6_ULA/64" dev veth0 nodad
    ip -6 route add default dev veth0
  fi

  # A private copy of /etc, so that files the host lacks (gai.conf) can be
  # there too, and tests may rewrite them.
  local etc=$tmp/etc file source
  mkdir "$etc"
  cp -a /etc/. "$etc/" 2>/dev/null || true
  for file in "${ETC_FILES[@]}"; do
    source=$fixtures/$file
    [[ -e $source ]] || source=$ARESOLV_FIXTURES_DEFAULT/$file
    [[ $file == nsswitch.conf && -n $ARESOLV_SANDBOX_NSSWITCH ]] && source=$ARESOLV_SANDBOX_NSSWITCH
    rm -f "$etc/$file"
    cp "$source" "$etc/$file"
    chmod 0644 "$etc/$file"
  done
  mount --bind "$etc" /etc
  # glibc must never ask a host nscd.
  local dir
  for dir in /run/nscd /var/run/nscd /var/cache/nscd; do
    [[ -d $dir ]] && mount -t tmpfs -o mode=0755 aresolv-no-nscd "$dir"
  done

  export ARESOLV_SANDBOX=1 ARESOLV_SANDBOX_IPV4=$SANDBOX_IPV4 ARESOLV_SANDBOX_IPV6=$SANDBOX_IPV6
  export ARESOLV_SANDBOX_IPV6_ULA=$SANDBOX_IPV6_ULA
  export ARESOLV_DNSMASQ_LOG=$tmp/dnsmasq.log
  : > "$ARESOLV_DNSMASQ_LOG"

  local dnsmasq_pid=""
  stop_dnsmasq() {
    if [[ -n $dnsmasq_pid ]]; then
      kill "$dnsmasq_pid" 2>/dev/null || true
      wait "$dnsmasq_pid" 2>/dev/null || true
      dnsmasq_pid=""
    fi
  }
  trap stop_dnsmasq EXIT
  trap 'stop_dnsmasq; exit 143' TERM
  trap 'stop_dnsmasq; exit 130' INT

  if [[ $ARESOLV_SANDBOX_DNS == 1 ]]; then
    local conf=$fixtures/dnsmasq.conf conf_dir
    [[ -e $conf ]] || conf=$ARESOLV_FIXTURES_DEFAULT/dnsmasq.conf
    conf_dir=$(cd "$(dirname "$conf")" && pwd)
    # Relative addn-hosts paths are relative to the configuration file.
    sed "s|^addn-hosts=\([^/]\)|addn-hosts=$conf_dir/\1|" "$conf" > "$tmp/dnsmasq.conf"
    local listen=127.0.0.1
    ((have_ipv6)) && listen+=,::1
    # setpriv: dnsmasq dies with this shell, whatever kills it.
    setpriv --pdeathsig TERM dnsmasq --keep-in-foreground --no-resolv --no-hosts \
      --bind-interfaces --listen-address="$listen" --port=53 \
      --conf-file="$tmp/dnsmasq.conf" --pid-file="$tmp/dnsmasq.pid" \
      --log-facility="$ARESOLV_DNSMASQ_LOG" --log-queries --user=root --group=root \
      </dev/null &
    dnsmasq_pid=$!
    local tries=0
    until aresolv_dns_answers 127.0.0.1; do
      if ! kill -0 "$dnsmasq_pid" 2>/dev/null || ((++tries >= 50)); then
        aresolv_log "sandbox: dnsmasq did not start; its log:"
        cat "$ARESOLV_DNSMASQ_LOG" >&2
        exit 1
      fi
      sleep 0.1
    done
  fi

  # In the background with our stdin, so that a TERM reaches the trap at once.
  local status=0
  "$@" <&3 3<&- &
  wait $! || status=$?
  stop_dnsmasq
  exit "$status"
}

if [[ ${__ARESOLV_SANDBOX_INNER:-} == 1 ]]; then
  unset __ARESOLV_SANDBOX_INNER
  exec 3<&0
  inside_namespace "$@"
fi

fixtures=$ARESOLV_FIXTURES_DEFAULT nsswitch="" dns=1
while (($#)); do
  case $1 in
    --fixtures) fixtures=${2:?--fixtures needs a directory}; shift 2 ;;
    --fixtures=*) fixtures=${1#*=}; shift ;;
    --nsswitch) nsswitch=${2:?--nsswitch needs a file}; shift 2 ;;
    --nsswitch=*) nsswitch=${1#*=}; shift ;;
    --no-dns) dns=0; shift ;;
    --) shift; break ;;
    -h|--help) usage ;;
    *) aresolv_log "sandbox: unknown option $1"; usage ;;
  esac
done
(($#)) || usage
fixtures=$(cd "$fixtures" && pwd)
if [[ -n $nsswitch ]]; then
  [[ $nsswitch == */* ]] || nsswitch=$fixtures/$nsswitch
  [[ -e $nsswitch ]] || nsswitch=$ARESOLV_FIXTURES_DEFAULT/$(basename "$nsswitch")
  [[ -r $nsswitch ]] || { aresolv_log "sandbox: no such nsswitch file: $nsswitch"; exit 2; }
  nsswitch=$(cd "$(dirname "$nsswitch")" && pwd)/$(basename "$nsswitch")
fi

((EUID == 0)) || aresolv_skip "scripts/sandbox.sh needs root (network and mount namespaces)"
for tool in unshare ip setpriv sysctl; do
  command -v "$tool" >/dev/null || aresolv_skip "scripts/sandbox.sh needs $tool (run scripts/setup.sh)"
done
if ((dns)); then
  command -v dnsmasq >/dev/null || aresolv_skip "scripts/sandbox.sh needs dnsmasq (run scripts/setup.sh)"
fi
[[ -x $ARESOLV_PYTHON ]] || aresolv_skip "scripts/sandbox.sh needs $ARESOLV_PYTHON (run scripts/setup.sh)"
unshare -mn true 2>/dev/null || aresolv_skip "unshare -mn is not permitted here (container without CAP_SYS_ADMIN?)"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/aresolv-sandbox.XXXXXX")
status=0
__ARESOLV_SANDBOX_INNER=1 ARESOLV_SANDBOX_TMP=$tmp ARESOLV_SANDBOX_FIXTURES=$fixtures \
  ARESOLV_SANDBOX_NSSWITCH=$nsswitch ARESOLV_SANDBOX_DNS=$dns \
  unshare --mount --net --fork --kill-child=TERM -- "$BASH" "${BASH_SOURCE[0]}" "$@" || status=$?
rmdir "$tmp" 2>/dev/null || rm -rf "$tmp"
exit "$status"
