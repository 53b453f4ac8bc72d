#!/usr/bin/env bash
# check_library.sh LIBRARY EXPORTS_MAP: libaresolv.so must be self-contained.
#  - it needs libc only (libpthread/libdl tolerated for glibc < 2.34);
#  - it exports exactly the libc names listed in the version script;
#  - every symbol it imports comes from glibc (versioned GLIBC_*);
#  - none of the heavy C++ runtime is inside (exceptions, unwinder, RTTI
#    names, demangler, iostreams, locales), and no c-ares symbol is visible;
#  - loading runs no constructor of ours (only the toolchain's frame_dummy);
#  - it is marked NODELETE.
set -uo pipefail
library=${1:?usage: check_library.sh LIBRARY EXPORTS_MAP}
map=${2:?usage: check_library.sh LIBRARY EXPORTS_MAP}
failures=0
pass() { echo "ok:   $*"; }
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

needed=$(readelf -d "$library" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | sort)
extra=$(grep -vE '^(libc\.so\.6|libpthread\.so\.0|libdl\.so\.2|ld-linux[-a-z0-9_.]*\.so\.[0-9]+)$' <<<"$needed")
if [[ -z $extra ]]; then pass "NEEDED: $(tr '\n' ' ' <<<"$needed")"; else fail "NEEDED beyond libc: $extra"; fi

# dlclose() must leave it mapped: its thread-exit destructor and fork
# handlers stay registered with libc.
if readelf -d "$library" | grep -E '\(FLAGS_1\)' | grep -q NODELETE; then
  pass "marked NODELETE (a dlclose leaves it mapped)"
else
  fail "not marked NODELETE (-Wl,-z,nodelete)"
fi

# ... and a thread that resolved through a dlopen()ed copy may outlive its
# dlclose(): the thread's memo is freed at its exit by our destructor.
machine_of() { readelf -h "$1" 2>/dev/null | sed -n 's/^ *Machine: *//p'; }
if [[ $(machine_of "$library") != "$(machine_of /proc/self/exe)" ]]; then
  echo "note: $(machine_of "$library") library, not this machine's: the dlclose run is left to a native build"
elif command -v python3 >/dev/null; then
  if out=$(python3 - "$library" 2>&1 <<'PY'
import ctypes, sys, threading
library = ctypes.CDLL(sys.argv[1], mode=ctypes.RTLD_LOCAL)
lookup_done, may_exit = threading.Event(), threading.Event()
result = []
def resolve():
    res = ctypes.c_void_p()
    result.append(library.getaddrinfo(b"127.0.0.1", None, None, ctypes.byref(res)))
    library.freeaddrinfo(res)
    lookup_done.set()
    may_exit.wait()
thread = threading.Thread(target=resolve)
thread.start()
lookup_done.wait()
ctypes.CDLL(None).dlclose(ctypes.c_void_p(library._handle))
may_exit.set()
thread.join()
print("rc", result[0])
PY
  ) && [[ $out == "rc 0" ]]; then
    pass "a thread that resolved through a dlclose()d copy exits cleanly"
  else
    fail "thread exit after dlclose: $out"
  fi
fi

# The names between "global:" and "local:" in the version script.
wanted=$(sed -n '/global:/,/local:/p' "$map" | sed 's,/\*.*\*/,,' | tr -d ' \t;' |
  grep -vE '^(global:|local:|)$' | sort -u)
exported=$(nm -D --defined-only "$library" | awk '$2 != "A" {print $3}' | sed 's/@.*//' | sort -u)
unexpected=$(comm -13 <(echo "$wanted") <(echo "$exported"))
missing=$(comm -23 <(echo "$wanted") <(echo "$exported"))
if [[ -z $unexpected ]]; then pass "exports only the $(wc -l <<<"$wanted") listed libc names"; else fail "exports names not in $map: $(tr '\n' ' ' <<<"$unexpected")"; fi
if [[ -z $missing ]]; then pass "exports every listed name"; else fail "listed but not exported: $(tr '\n' ' ' <<<"$missing")"; fi

foreign=$(nm -D --undefined-only "$library" | awk '{print $2}' |
  grep -vE '@GLIBC_[0-9.]+$' | grep -vE '^(_ITM_deregisterTMCloneTable|_ITM_registerTMCloneTable|__gmon_start__)$')
if [[ -z $foreign ]]; then pass "imports glibc symbols only"; else fail "imports from outside glibc: $(tr '\n' ' ' <<<"$foreign")"; fi

# Nothing that enters NSS or loads code may even be imported (getaddrinfo_a
# may start threads, so pthread_create is allowed).
nss=$(nm -D --undefined-only "$library" | awk '{print $2}' | sed 's/@.*//' |
  grep -E '^(getserv|gethostby|getpw|getgr|getaddrinfo$|getnameinfo$|__nss_|dlopen|dlmopen|_nss_)' | sort -u)
if [[ -z $nss ]]; then pass "imports nothing that enters NSS or loads code"; else fail "imports NSS or loader entry points: $(tr '\n' ' ' <<<"$nss")"; fi

heavy=$(nm "$library" 2>/dev/null | awk '{print $NF}' |
  grep -E '__cxa_throw|__cxa_begin_catch|__gxx_personality|_Unwind_RaiseException|__cxa_demangle|_ZTI|_ZTS|_ZSt4cout|ios_base|_ZNSt6locale|__cxa_guard_acquire|_Znwm$|_ZdlPv' | sort -u | head -20)
if [[ -z $heavy ]]; then pass "no C++ runtime machinery inside (exceptions, RTTI, demangler, iostreams, locales, operator new)"; else fail "C++ runtime parts inside: $(tr '\n' ' ' <<<"$heavy")"; fi

visible_cares=$(nm -D "$library" | awk '{print $NF}' | grep -E '^ares_' | head)
if [[ -z $visible_cares ]]; then pass "c-ares is embedded and hidden"; else fail "c-ares symbols visible: $visible_cares"; fi
symbols=$(nm "$library")
if grep -qE ' [tT] ares_init_options$' <<<"$symbols"; then pass "c-ares is linked in statically"; else fail "no c-ares inside"; fi

# Constructors: every .init_array entry must be one of the toolchain's own
# (crtbegin's frame_dummy; libgcc's outline-atomics probe on aarch64).
constructors=$(python3 - "$library" <<'PY'
import subprocess, sys
lib = sys.argv[1]
header = subprocess.run(["readelf", "-h", lib], capture_output=True, text=True).stdout
little = "little endian" in header
word = 8 if "ELF64" in header else 4
dump = subprocess.run(["readelf", "-x", ".init_array", lib], capture_output=True, text=True).stdout
data = bytearray()
for line in dump.splitlines():
    parts = line.split()
    if parts and parts[0].startswith("0x"):
        for chunk in parts[1:5]:
            if all(c in "0123456789abcdef" for c in chunk) and len(chunk) <= 8:
                data += bytes.fromhex(chunk)
symbols = {}
for line in subprocess.run(["nm", lib], capture_output=True, text=True).stdout.splitlines():
    f = line.split()
    if len(f) == 3 and f[1] in "tT":
        symbols[int(f[0], 16)] = f[2]
for i in range(0, len(data) - word + 1, word):
    address = int.from_bytes(data[i:i + word], "little" if little else "big")
    print(symbols.get(address, hex(address)))
PY
)
unexpected_ctors=$(grep -vxE 'frame_dummy|init_have_lse_atomics' <<<"$constructors" | grep -v '^$' || true)
if [[ -z $unexpected_ctors ]]; then pass "no constructors of ours (only $(tr '\n' ' ' <<<"$constructors"))"; else fail "constructors run at load time: $unexpected_ctors"; fi

size=$(stat -c %s "$library")
echo "size: $size bytes"
if ((failures == 0)); then echo "self-contained: all checks passed"; exit 0; fi
echo "self-contained: $failures check(s) failed"
exit 1
