#!/usr/bin/env bash
# Cross-builds libaresolv.so and its tests for other architectures with
# Debian's cross compilers and multiarch -dev packages, and runs the unit,
# self-containment and differential tests under qemu-user (binfmt_misc), in
# the sandbox like the native ones.
#   scripts/cross.sh [ARCH...]     ARCH: aarch64 s390x riscv64 (default: aarch64 s390x)
#   ARESOLV_SKIP_SETUP=1           do not install packages
# Needs root (apt-get, binfmt_misc, the sandbox).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

archs=("$@")
((${#archs[@]})) || archs=(aarch64 s390x)

debian_arch() {
  case $1 in
    aarch64) echo arm64 ;;
    s390x) echo s390x ;;
    riscv64) echo riscv64 ;;
    *) echo "cross: unknown architecture $1" >&2; exit 2 ;;
  esac
}

if [[ ${ARESOLV_SKIP_SETUP:-} != 1 ]]; then
  packages=(qemu-user-static binfmt-support)
  for arch in "${archs[@]}"; do
    d=$(debian_arch "$arch")
    dpkg --print-foreign-architectures | grep -qx "$d" || dpkg --add-architecture "$d"
    packages+=("g++-${arch//_/-}-linux-gnu" "libc6:$d" "libstdc++6:$d" "libc-ares-dev:$d" "libgtest-dev:$d")
  done
  missing=()
  for p in "${packages[@]}"; do
    statuses=$(dpkg-query -W -f='${db:Status-Status}\n' "$p" 2>/dev/null || true)
    grep -qx installed <<<"$statuses" || missing+=("$p")
  done
  if ((${#missing[@]})); then
    echo "cross: installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
fi

# Target programs run through qemu-user via binfmt_misc, so that scripts can
# exec them (and LD_PRELOAD reaches the target's loader, not qemu).
if [[ ! -e /proc/sys/fs/binfmt_misc/register ]]; then
  mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc
fi
for arch in "${archs[@]}"; do
  if [[ ! -e /proc/sys/fs/binfmt_misc/qemu-$arch ]]; then
    update-binfmts --enable "qemu-$arch" >/dev/null 2>&1 || true
  fi
  [[ -e /proc/sys/fs/binfmt_misc/qemu-$arch ]] || { echo "cross: no binfmt_misc entry for qemu-$arch" >&2; exit 1; }
done

status=0
for arch in "${archs[@]}"; do
  build=$ARESOLV_ROOT/build-cross-$arch
  echo "cross: $arch: configure and build in $build"
  cmake -S "$ARESOLV_ROOT" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_TOOLCHAIN_FILE="$ARESOLV_ROOT/toolchains/$arch-linux-gnu.cmake" >"$build.log" 2>&1 ||
    { tail -30 "$build.log"; exit 1; }
  cmake --build "$build" -j"$(nproc)" >>"$build.log" 2>&1 || { tail -30 "$build.log"; exit 1; }
  echo "cross: $arch: $(file -b "$build/libaresolv.so" | cut -d, -f1-2)"
  # The end-to-end tests run host programs (getent, python3, Go) that cannot
  # load a foreign library: only the tests of the library itself run here.
  # qemu-user cannot fork a process whose other threads hold locks (its own
  # translator locks deadlock): the fork tests run natively only.
  if ! ctest --test-dir "$build" --output-on-failure -j"$(nproc)" --timeout 300 \
      -L '^(unit|selfcontained|differential)$' -E 'Fork' 2>&1 | tee "$build/ctest.log" | tail -n 12; then
    status=1
  fi
  grep -hE 'identical|self-contained:' "$build/ctest.log" "$build"/Testing/Temporary/LastTest.log 2>/dev/null |
    sort -u | sed "s/^/cross: $arch: /" || true
done
exit "$status"
