#!/usr/bin/env bash
# Installation and packages from the build directory: `cmake --install`
# puts the command in bin and the library in the configured library directory
# (lib/<multiarch> when CMAKE_INSTALL_PREFIX is /usr), and the installed
# command finds the library next to itself; `cpack -G DEB` makes a .deb with
# the library, the command, aresolv-preload and a prerm that disables
# preloading. Needs no root.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/tool_lib.sh"
: "${ARESOLV_BUILD_DIR:?}" "${ARESOLV_INSTALL_LIBDIR:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
libdir=$ARESOLV_INSTALL_LIBDIR
if [[ $libdir != lib/* ]]; then
  printf 'note  CMAKE_INSTALL_LIBDIR is %s, not lib/<multiarch>: configure with -DCMAKE_INSTALL_PREFIX=/usr for Debian packages\n' "$libdir"
fi

# ---- cmake --install ------------------------------------------------------------
cmake --install "$ARESOLV_BUILD_DIR" --prefix "$tmp/usr" >"$tmp/install.log" 2>&1 ||
  { tool_fail "cmake --install" "$(cat "$tmp/install.log")"; tool_finish package_test; exit 1; }
tool_ok "cmake --install"
for f in bin/aresolv sbin/aresolv-preload "$libdir/libaresolv.so"; do
  [[ -e $tmp/usr/$f ]] && tool_ok "installed $f" || tool_fail "installed $f" "$(cd "$tmp" && find . -type f)"
done
expect "the installed command runs" 0 '^aresolv [0-9]' "$tmp/usr/bin/aresolv" --version
expect "the installed command finds the installed library" 0 "^$tmp/usr/$libdir/libaresolv.so" \
  "$tmp/usr/bin/aresolv" run -- sh -c 'echo "$LD_PRELOAD"'
expect "run through the installed library" 0 'getaddrinfo name=localhost result=0' \
  "$tmp/usr/bin/aresolv" run --debug -- getent ahosts localhost
readelf -S "$tmp/usr/$libdir/libaresolv.so" | grep -q '\.symtab' &&
  tool_ok "the installed library keeps .symtab (aresolv stats)" || tool_fail "the installed library keeps .symtab (aresolv stats)"

# ---- cpack -G DEB ------------------------------------------------------------------
if ! command -v dpkg-deb >/dev/null; then
  printf 'note  no dpkg-deb: no .deb case\n'
  tool_finish package_test
  exit $?
fi
(cd "$ARESOLV_BUILD_DIR" && cpack -G DEB -B "$tmp/packages") >"$tmp/cpack.log" 2>&1 ||
  { tool_fail "cpack -G DEB" "$(tail -30 "$tmp/cpack.log")"; tool_finish package_test; exit 1; }
deb=$(ls "$tmp"/packages/*.deb 2>/dev/null | head -n 1)
[[ -n $deb ]] && tool_ok "cpack made $(basename "$deb")" || { tool_fail "cpack made a .deb" "$(ls -R "$tmp/packages")"; tool_finish package_test; exit 1; }
contents=$(dpkg-deb -c "$deb")
for f in ./usr/bin/aresolv ./usr/sbin/aresolv-preload "./usr/$libdir/libaresolv.so"; do
  grep -qF " $f" <<<"$contents" && tool_ok ".deb holds $f" || tool_fail ".deb holds $f" "$contents"
done
expect ".deb: package name" 0 "^aresolv$" dpkg-deb -f "$deb" Package
expect ".deb: architecture" 0 "^$(dpkg --print-architecture)$" dpkg-deb -f "$deb" Architecture
expect ".deb: depends on libc6" 0 'libc6' dpkg-deb -f "$deb" Depends
dpkg-deb -e "$deb" "$tmp/control"
expect ".deb: the prerm disables preloading on removal" 0 'aresolv-preload" disable' cat "$tmp/control/prerm"
[[ -x $tmp/control/prerm ]] && tool_ok ".deb: prerm is executable" || tool_fail ".deb: prerm is executable"
dpkg-deb -x "$deb" "$tmp/root"
expect "the packaged command runs" 0 '^aresolv [0-9]' "$tmp/root/usr/bin/aresolv" --version

tool_finish package_test
