# IBM Z, big-endian: Debian's gcc-s390x-linux-gnu; c-ares from libc-ares-dev:s390x.
set(CMAKE_SYSTEM_PROCESSOR s390x)
set(ARESOLV_TRIPLET s390x-linux-gnu)
set(ARESOLV_MULTIARCH s390x-linux-gnu)
set(ARESOLV_QEMU qemu-s390x)
include(${CMAKE_CURRENT_LIST_DIR}/linux-gnu-common.cmake)
