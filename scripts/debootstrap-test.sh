#!/usr/bin/env bash
# End-to-end test of the container recipe without Docker: a minimal Debian 12
# root made with debootstrap (Debian's default mirror), the aresolv .deb
# installed into it with dpkg, system-wide preloading enabled inside it with
# the packaged installer (scripts/install.sh, installed as aresolv-preload),
# and then getent, python3 and the cgo Go program run in it (chroot) with the
# faulting NSS module first on the hosts line: they resolve, nothing crashes.
# Removing the package disables preloading again.
#
#   scripts/debootstrap-test.sh        (as root; ARESOLV_BUILD_DIR, default build/)
#
# The root is made once and kept as a tarball under
# $ARESOLV_BUILD_DIR/debootstrap/ (about 170 MB): later runs unpack it in
# seconds. It is made again when a week old, or with ARESOLV_DEBOOTSTRAP_REFRESH=1.
# Times on a 2-core machine: debootstrap 1.5 to 3.5 minutes, the rest about 5 s
# (plus one build of the library and the command when the package needs it). The package comes
# from $ARESOLV_BUILD_DIR when it was configured with CMAKE_INSTALL_PREFIX=/usr
# (the Debian layout), else from a build of its own in
# $ARESOLV_BUILD_DIR/deb-build. Everything runs inside scripts/sandbox.sh: a
# private mount and network namespace whose dnsmasq serves the fixture names.
# Exit status 0 passed, 1 failed, 77 cannot run here (not root).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

readonly SUITE=bookworm
# The packages the test needs beyond minbase; part of the cache key.
readonly INCLUDE=python3-minimal
build=${ARESOLV_BUILD_DIR:-$ARESOLV_ROOT/build}
[[ $build == /* ]] || build=$PWD/$build
cache_dir=$build/debootstrap
cache=$cache_dir/$SUITE-minbase-${INCLUDE//,/-}.tar

log() { printf 'debootstrap-test: %s\n' "$*" >&2; }
phase_start=$SECONDS
phase() {
  log "$1 ($((SECONDS - phase_start)) s so far)"
}

# ---- inside the sandbox: the test proper -------------------------------------
if [[ ${1:-} == --inside ]]; then
  deb=$2 golookup=$3 nss_crash=$4
  fixtures=$ARESOLV_SANDBOX_FIXTURES
  work=$ARESOLV_SANDBOX_TMP
  root=$work/root
  failures=0
  ok() { printf 'ok    %s\n' "$1"; }
  fail() {
    failures=$((failures + 1))
    printf 'FAIL  %s\n' "$1"
    [[ -n ${2:-} ]] && printf '%s\n' "$2" | sed 's/^/      /'
    return 0
  }
  # in_root CMD...: runs CMD in the chroot with a plain environment.
  in_root() {
    chroot "$root" /usr/bin/env -i PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin HOME=/root LANG=C.UTF-8 "$@"
  }
  # expect DESC STATUS PATTERN CMD...
  expect() {
    local desc=$1 want=$2 pattern=$3 out status=0
    shift 3
    out=$("$@" 2>&1) || status=$?
    if [[ $status -ne $want ]]; then
      fail "$desc" "exit status $status, expected $want:"$'\n'"$out"
    elif ! grep -qE -- "$pattern" <<<"$out"; then
      fail "$desc" "output does not match /$pattern/:"$'\n'"$out"
    elif [[ $want -eq 0 ]] && grep -qE 'Segmentation|SIGSEGV|ERROR: ld\.so' <<<"$out"; then
      fail "$desc" "a crash or loader complaint:"$'\n'"$out"
    else
      ok "$desc"
    fi
  }

  mkdir -p "$root"
  tar -xf "$cache" -C "$root"
  mount -t proc proc "$root/proc"
  mount --bind /dev "$root/dev"
  # The fixture configuration, with the faulting module first on the hosts line.
  for f in resolv.conf hosts host.conf; do cp "$fixtures/$f" "$root/etc/$f"; done
  cp "$fixtures/nsswitch-crash.conf" "$root/etc/nsswitch.conf"
  multiarch=$(gcc -print-multiarch)
  cp "$nss_crash" "$root/usr/lib/$multiarch/libnss_crash.so.2"
  install -m 0755 "$golookup" "$root/usr/local/bin/golookup"
  cp "$deb" "$root/tmp/aresolv.deb"

  expect "without aresolv: getent dies in the faulting NSS module" 139 '' in_root getent ahosts a4.test
  expect "without aresolv: the cgo Go program dies" 2 'SIGSEGV|signal' in_root env GODEBUG=netdns=cgo golookup host a4.test

  expect "dpkg -i the package" 0 'Setting up aresolv' in_root dpkg -i /tmp/aresolv.deb
  expect "the library is in the multiarch directory" 0 "libaresolv.so" ls "$root/usr/lib/$multiarch/libaresolv.so"
  expect "aresolv --version in the root" 0 '^aresolv [0-9]' in_root aresolv --version
  expect "aresolv-preload enable" 0 'enabled: /usr/\$LIB/libaresolv.so' in_root aresolv-preload enable
  expect "/etc/ld.so.preload holds the \$LIB entry" 0 '^/usr/\$LIB/libaresolv\.so$' cat "$root/etc/ld.so.preload"

  expect "getent ahosts (hosts file)" 0 '192\.0\.2\.10 +STREAM filehost\.test' in_root getent ahosts filehost.test
  expect "getent ahosts (DNS)" 0 '198\.51\.100\.1 +STREAM a4\.test' in_root getent ahosts a4.test
  expect "getent hosts (gethostbyname2)" 0 '2001:db8:1::2 +dual\.test' in_root getent hosts dual.test
  expect "python3 getaddrinfo" 0 "198\.51\.100\.2" in_root python3 -c \
    'import socket; print(sorted({a[4][0] for a in socket.getaddrinfo("dual.test", 80)}))'
  expect "python3 gethostbyaddr" 0 "filehost\.test" in_root python3 -c \
    'import socket; print(socket.gethostbyaddr("192.0.2.10")[0])'
  expect "cgo Go program (netdns=cgo)" 0 '^198\.51\.100\.1$' in_root env GODEBUG=netdns=cgo golookup host a4.test
  expect "cgo Go program (cgo chosen by the nsswitch line)" 0 '2001:db8:1::2' in_root golookup ip dual.test
  expect "cgo Go program, reverse" 0 'filehost\.test' in_root env GODEBUG=netdns=cgo golookup addr 192.0.2.10
  expect "an unknown name fails cleanly" 2 '' in_root getent ahosts nx.test
  expect "aresolv answered (debug line)" 0 'aresolv\[[0-9]+\]: getaddrinfo name=a4\.test result=0 source=dns' \
    in_root env ARESOLV_DEBUG=1 getent ahosts a4.test
  expect "aresolv doctor in the root" 1 'aresolv is enabled system-wide' in_root aresolv doctor
  expect "aresolv audit of the cgo program" 0 'Go program built with cgo' in_root aresolv audit /usr/local/bin/golookup

  expect "dpkg -r: prerm disables preloading" 0 'disabled' in_root dpkg -r aresolv
  [[ ! -e $root/etc/ld.so.preload ]] && ok "no /etc/ld.so.preload left" || fail "no /etc/ld.so.preload left" "$(cat "$root/etc/ld.so.preload")"
  expect "after removal: libc's NSS path again (the faulting module runs)" 139 '' in_root getent ahosts a4.test
  cp "$fixtures/nsswitch.conf" "$root/etc/nsswitch.conf"
  expect "after removal: programs start without loader complaints" 0 '198\.51\.100\.1' in_root getent ahosts a4.test

  umount "$root/dev" "$root/proc"
  if ((failures)); then
    log "FAILED: $failures case(s)"
    exit 1
  fi
  log "all cases passed"
  exit 0
fi

# ---- outside: package, root cache, then the sandbox ---------------------------
if [[ $(id -u) -ne 0 ]]; then aresolv_skip "debootstrap and chroot need root"; fi
if ! command -v debootstrap >/dev/null; then
  log "installing debootstrap"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
fi
for tool in dpkg-deb cpack chroot; do
  command -v "$tool" >/dev/null || { log "missing $tool"; exit 1; }
done

# The Debian-layout package.
phase "package"
libdir=$(sed -n 's/^CMAKE_INSTALL_LIBDIR:[A-Z]*=//p' "$build/CMakeCache.txt" 2>/dev/null || true)
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || gcc -print-multiarch)
package_build=$build
if [[ $libdir != "lib/$multiarch" ]]; then
  package_build=$build/deb-build
  log "configuring $package_build with CMAKE_INSTALL_PREFIX=/usr (lib/$multiarch)"
  cmake -S "$ARESOLV_ROOT" -B "$package_build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_INSTALL_PREFIX=/usr -DARESOLV_BUILD_TESTS=OFF >/dev/null
fi
cmake --build "$package_build" -j"$(nproc)" --target aresolv aresolv_command >/dev/null
rm -rf "$package_build/packages"
(cd "$package_build" && cpack -G DEB -B "$package_build/packages" >/dev/null)
deb=$(ls "$package_build"/packages/*.deb | head -n 1)
log "package: $deb"

# The programs under test, from the main build.
if [[ ! -x $build/tests/e2e/golookup || ! -e $build/tests/e2e/libnss_crash.so.2 ]]; then
  cmake --build "$build" --target golookup nss_crash >/dev/null
fi

# The Debian root, made once.
phase "root"
# A week-old root is made again: the archive moves on (security updates).
if [[ -s $cache && -n $(find "$cache" -mtime +7 2>/dev/null) ]]; then ARESOLV_DEBOOTSTRAP_REFRESH=1; fi
if [[ ! -s $cache || ${ARESOLV_DEBOOTSTRAP_REFRESH:-} == 1 ]]; then
  mkdir -p "$cache_dir"
  tmp_root=$(mktemp -d "$cache_dir/root.XXXXXX")
  log "debootstrap --variant=minbase --include=$INCLUDE $SUITE (Debian's default mirror)"
  if ! debootstrap --variant=minbase --include="$INCLUDE" "$SUITE" "$tmp_root" >"$cache_dir/debootstrap.log" 2>&1; then
    tail -20 "$cache_dir/debootstrap.log" >&2
    umount "$tmp_root/proc" 2>/dev/null || true
    rm -rf "$tmp_root"
    log "debootstrap failed (network to the Debian archive?)"
    exit 1
  fi
  umount "$tmp_root/proc" "$tmp_root/sys" 2>/dev/null || true
  tar -cf "$cache.tmp" -C "$tmp_root" --exclude=./proc/* --exclude=./sys/* --exclude=./dev/* \
    --exclude='./var/cache/apt/archives/*.deb' .
  mv -f "$cache.tmp" "$cache"
  rm -rf "$tmp_root"
  log "root cached in $cache ($(du -h "$cache" | cut -f1))"
else
  log "root from the cache $cache"
fi

phase "chroot tests"
status=0
"$ARESOLV_ROOT/scripts/sandbox.sh" -- "$ARESOLV_ROOT/scripts/debootstrap-test.sh" --inside \
  "$deb" "$build/tests/e2e/golookup" "$build/tests/e2e/libnss_crash.so.2" || status=$?
phase "done (status $status)"
exit "$status"
