#!/usr/bin/env bash
# The aresolv command outside the sandbox: --help, --version, usage errors and
# their exit codes, and `aresolv audit` on real binaries of every kind
# (dynamic glibc, static glibc, static musl, cgo and pure-Go, big-endian s390x,
# not ELF at all). The binaries come from CTest's environment (AUDIT_*).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/tool_lib.sh"

expect "--help exits 0 and lists the commands" 0 'resolve NAME.*' "$ARESOLV_TOOL" --help
expect "--help documents the exit codes" 0 'Exit status: 0 success; 1' "$ARESOLV_TOOL" --help
expect "--version" 0 '^aresolv [0-9]+\.[0-9]+\.[0-9]+ \(c-ares 1\.[0-9]+' "$ARESOLV_TOOL" --version
expect "no arguments: usage, exit 2" 2 'Usage: aresolv' "$ARESOLV_TOOL"
expect "unknown command: exit 2" 2 "unknown command 'frobnicate'" "$ARESOLV_TOOL" frobnicate
expect "resolve without a name: exit 2" 2 'which name' "$ARESOLV_TOOL" resolve
expect "bad --family: exit 2" 2 'needs 4 or 6' "$ARESOLV_TOOL" resolve x --family 5
expect "run without a program: exit 2" 2 'which program' "$ARESOLV_TOOL" run --
expect "stats with a bad pid: exit 2" 2 'not a process id' "$ARESOLV_TOOL" stats abc
expect "stats of a missing process: exit 3" 3 'no process' "$ARESOLV_TOOL" stats 999999999
expect "stats of a process without the library: exit 1" 1 'no libaresolv.so loaded' "$ARESOLV_TOOL" stats $$
expect "run: a missing program exits 127" 127 'No such file' "$ARESOLV_TOOL" run --library "$ARESOLV_LIB" -- /nonexistent/program
expect "run: a missing library exits 3" 3 'No such file' "$ARESOLV_TOOL" run --library /nonexistent/libaresolv.so -- true
if [[ -z ${ARESOLV_TOOL_SANITIZED:-} ]]; then
expect "run passes the program's exit status" 7 '' "$ARESOLV_TOOL" run --library "$ARESOLV_LIB" -- sh -c 'exit 7'
expect "run preloads the library" 0 "^$ARESOLV_LIB" "$ARESOLV_TOOL" run --library "$ARESOLV_LIB" -- sh -c 'echo "$LD_PRELOAD"'
expect "run --debug: one line per lookup" 0 '^aresolv\[[0-9]+\]: getaddrinfo name=localhost result=0 source=hosts' \
  "$ARESOLV_TOOL" run --library "$ARESOLV_LIB" --debug -- getent ahosts localhost
expect_not "no debug line without ARESOLV_DEBUG" '^aresolv\[' \
  env -u ARESOLV_DEBUG "$ARESOLV_TOOL" run --library "$ARESOLV_LIB" -- getent ahosts localhost
fi

# ---- audit ------------------------------------------------------------------
expect "audit /bin/true: dynamic glibc, covered" 0 'covered: dynamically linked against glibc' "$ARESOLV_TOOL" audit /bin/true
expect "audit getent: lists the imported entry points" 0 'imports .*getaddrinfo.*gethostbyname2' "$ARESOLV_TOOL" audit getent
expect "audit the library itself is dynamic" 0 'ELF 64-bit little-endian' "$ARESOLV_TOOL" audit "$ARESOLV_LIB"
expect "audit a text file: exit 3" 3 'not an ELF file' "$ARESOLV_TOOL" audit "${BASH_SOURCE[0]}"
expect "audit a missing file: exit 3" 3 'cannot open' "$ARESOLV_TOOL" audit /nonexistent/binary
truncated=$(mktemp)
head -c 100 /bin/true >"$truncated"
expect "audit a truncated ELF: an error, no crash" 3 'bad program header table|truncated' "$ARESOLV_TOOL" audit "$truncated"
rm -f "$truncated"
if [[ -n ${AUDIT_GLIBC_STATIC:-} ]]; then
  expect "audit glibc -static: not affected" 1 'statically linked: NOT affected' "$ARESOLV_TOOL" audit "$AUDIT_GLIBC_STATIC"
else
  tool_fail "no glibc -static program was built"
fi
if [[ -n ${AUDIT_MUSL_STATIC:-} ]]; then
  expect "audit musl -static: not affected" 1 'statically linked: NOT affected' "$ARESOLV_TOOL" audit "$AUDIT_MUSL_STATIC"
else
  printf 'note  musl-gcc not found: no static musl case\n'
fi
if [[ -n ${AUDIT_GO_CGO:-} && -e ${AUDIT_GO_CGO:-} ]]; then
  expect "audit golookup (cgo): covered, imports getaddrinfo" 0 'Go program built with cgo: imports .*getaddrinfo' "$ARESOLV_TOOL" audit "$AUDIT_GO_CGO"
else
  tool_fail "the cgo Go program was not built"
fi
if [[ -n ${AUDIT_GO_PURE:-} && -e ${AUDIT_GO_PURE:-} ]]; then
  expect "audit golookup CGO_ENABLED=0: not affected" 1 'statically linked Go program: NOT affected' "$ARESOLV_TOOL" audit "$AUDIT_GO_PURE"
else
  tool_fail "the CGO_ENABLED=0 Go program was not built"
fi
if [[ -n ${AUDIT_S390X:-} && -e ${AUDIT_S390X:-} ]]; then
  expect "audit an s390x program: big-endian" 0 'ELF 64-bit big-endian s390' "$ARESOLV_TOOL" audit "$AUDIT_S390X"
  expect "audit an s390x program: its imports" 0 'imports .*getaddrinfo' "$ARESOLV_TOOL" audit "$AUDIT_S390X"
  expect "audit an s390x program: another machine's build needed" 0 'needs a libaresolv.so built for s390' "$ARESOLV_TOOL" audit "$AUDIT_S390X"
else
  printf 'note  no s390x cross compiler: no big-endian case\n'
fi
if [[ -n ${AUDIT_I386:-} && -e ${AUDIT_I386:-} ]]; then
  expect "audit an i386 library: 32-bit little-endian" 0 'ELF 32-bit little-endian i386' "$ARESOLV_TOOL" audit "$AUDIT_I386"
  expect "audit an i386 library: its soname and imports" 0 'shared library libprobe32\.so' "$ARESOLV_TOOL" audit "$AUDIT_I386"
  expect "audit an i386 library: imports getaddrinfo" 0 'imports getaddrinfo' "$ARESOLV_TOOL" audit "$AUDIT_I386"
fi
if [[ -n ${AUDIT_S390_32:-} && -e ${AUDIT_S390_32:-} ]]; then
  expect "audit an s390 (31-bit) library: 32-bit big-endian" 0 'ELF 32-bit big-endian s390' "$ARESOLV_TOOL" audit "$AUDIT_S390_32"
  expect "audit an s390 (31-bit) library: imports getaddrinfo" 0 'imports getaddrinfo' "$ARESOLV_TOOL" audit "$AUDIT_S390_32"
fi

tool_finish cli_test
