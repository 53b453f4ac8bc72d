# LoongArch64: Debian 12 has no cross compiler for it; use a vendor or
# crosstool-NG toolchain (ARESOLV_TOOLCHAIN_PREFIX) with a target root
# (ARESOLV_SYSROOT) and build c-ares from source (-DCARES_SOURCE_DIR=...).
set(CMAKE_SYSTEM_PROCESSOR loongarch64)
set(ARESOLV_TRIPLET loongarch64-linux-gnu)
set(ARESOLV_MULTIARCH loongarch64-linux-gnu)
set(ARESOLV_QEMU qemu-loongarch64)
include(${CMAKE_CURRENT_LIST_DIR}/linux-gnu-common.cmake)
