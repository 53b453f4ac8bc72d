# 64-bit ARM, Debian's gcc-aarch64-linux-gnu; c-ares from libc-ares-dev:arm64.
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(ARESOLV_TRIPLET aarch64-linux-gnu)
set(ARESOLV_MULTIARCH aarch64-linux-gnu)
set(ARESOLV_QEMU qemu-aarch64)
include(${CMAKE_CURRENT_LIST_DIR}/linux-gnu-common.cmake)
