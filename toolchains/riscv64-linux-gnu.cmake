# 64-bit RISC-V: Debian's gcc-riscv64-linux-gnu; c-ares from libc-ares-dev:riscv64.
set(CMAKE_SYSTEM_PROCESSOR riscv64)
set(ARESOLV_TRIPLET riscv64-linux-gnu)
set(ARESOLV_MULTIARCH riscv64-linux-gnu)
set(ARESOLV_QEMU qemu-riscv64)
include(${CMAKE_CURRENT_LIST_DIR}/linux-gnu-common.cmake)
