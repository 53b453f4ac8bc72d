# Sunway sw64 (uname -m: sw_64), with the vendor's cross compilers
# sw_64-sunway-linux-gnu-gcc/-g++ and a target root taken from a deepin or
# openEuler sw64 system (ARESOLV_SYSROOT, e.g. /opt/sw64-root). Those
# distributions ship c-ares 1.18.1 (libcares.a in their -dev package under
# the sysroot), or build it from source with -DCARES_SOURCE_DIR=...
# No public qemu runs sw64 binaries: build here, test on the machine.
set(CMAKE_SYSTEM_PROCESSOR sw_64)
set(ARESOLV_TRIPLET sw_64-sunway-linux-gnu)
set(ARESOLV_MULTIARCH sw_64-linux-gnu)
include(${CMAKE_CURRENT_LIST_DIR}/linux-gnu-common.cmake)
