#!/usr/bin/env bash
# Installs everything aresolv needs to build and test on a fresh Debian 12.
# Idempotent: does nothing when every package is already installed.
set -euo pipefail

packages=(
  build-essential cmake pkg-config
  libc-ares-dev libgtest-dev googletest libgmock-dev libbenchmark-dev
  dnsmasq-base golang-go python3 python3-dnspython perl curl iproute2 procps
  clang lld libclang-rt-14-dev llvm musl-tools valgrind nscd strace debootstrap
)

missing=()
for package in "${packages[@]}"; do
  # One line per installed architecture (multiarch): any installed one counts.
  statuses=$(dpkg-query -W -f='${db:Status-Status}\n' "$package" 2>/dev/null || true)
  grep -qx installed <<<"$statuses" || missing+=("$package")
done

if ((${#missing[@]} == 0)); then
  echo "setup: all ${#packages[@]} packages already installed"
  exit 0
fi

if ((EUID != 0)); then
  echo "setup: missing packages: ${missing[*]}" >&2
  echo "setup: run this script as root to install them" >&2
  exit 1
fi

echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${packages[@]}"
