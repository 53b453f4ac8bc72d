# Shared part of the Debian-style cross toolchain files. The including file
# sets ARESOLV_TRIPLET (the GNU triplet of the compilers), ARESOLV_MULTIARCH
# (Debian's multiarch directory) and CMAKE_SYSTEM_PROCESSOR, and may set
# ARESOLV_QEMU (the qemu-user program for running target binaries).
#
#   ARESOLV_SYSROOT      the target's root (default: none; Debian multiarch
#                        packages live in the build machine's own root)
#   ARESOLV_TOOLCHAIN_PREFIX   compiler prefix (default: ${ARESOLV_TRIPLET}-)
set(CMAKE_SYSTEM_NAME Linux)

set(ARESOLV_SYSROOT "$ENV{ARESOLV_SYSROOT}" CACHE PATH "Target root file system (empty: multiarch on the build machine)")
if(NOT DEFINED ARESOLV_TOOLCHAIN_PREFIX)
  set(ARESOLV_TOOLCHAIN_PREFIX "${ARESOLV_TRIPLET}-")
endif()
set(CMAKE_C_COMPILER ${ARESOLV_TOOLCHAIN_PREFIX}gcc)
set(CMAKE_CXX_COMPILER ${ARESOLV_TOOLCHAIN_PREFIX}g++)
set(CMAKE_LIBRARY_ARCHITECTURE ${ARESOLV_MULTIARCH})

if(ARESOLV_SYSROOT)
  set(CMAKE_SYSROOT ${ARESOLV_SYSROOT})
  set(CMAKE_FIND_ROOT_PATH ${ARESOLV_SYSROOT})
else()
  # Debian multiarch: the target's -dev packages (libc-ares-dev:ARCH,
  # libgtest-dev:ARCH) install into /usr/lib/${ARESOLV_MULTIARCH}.
  set(CMAKE_FIND_ROOT_PATH /usr/${ARESOLV_TRIPLET} /)
endif()
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE BOTH)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# Run target programs (gtest discovery, CTest) under qemu-user when there is
# one. With a sysroot, qemu needs to know where the target's loader is.
if(ARESOLV_QEMU)
  find_program(ARESOLV_QEMU_PROGRAM NAMES ${ARESOLV_QEMU}-static ${ARESOLV_QEMU})
  if(ARESOLV_QEMU_PROGRAM)
    if(ARESOLV_SYSROOT)
      set(CMAKE_CROSSCOMPILING_EMULATOR ${ARESOLV_QEMU_PROGRAM} -L ${ARESOLV_SYSROOT})
    else()
      set(CMAKE_CROSSCOMPILING_EMULATOR ${ARESOLV_QEMU_PROGRAM})
    endif()
  endif()
endif()
