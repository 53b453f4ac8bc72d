#!/bin/sh
# One process-level test of libaresolv.so inside scripts/sandbox.sh.
#   run_process.sh --probe PATH/process_probe --library PATH/libaresolv.so
#                  [--env NAME=VALUE]... MODE [ARGS...]
# MODE is a process_probe mode; "answers", "nofile" and "signals-slow" also
# run the probe without the library (plain glibc) and compare. Exit 0 when
# the guarantee held, 1 when not, 77 when the sandbox cannot be made.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
probe= library=
while [ $# -gt 0 ]; do
  case $1 in
    --probe) probe=$2; shift 2 ;;
    --library) library=$2; shift 2 ;;
    --env) export "${2?--env needs NAME=VALUE}"; shift 2 ;;
    *) break ;;
  esac
done
[ -n "$probe" ] && [ -n "$library" ] && [ $# -ge 1 ] || { echo "usage: $0 --probe P --library L MODE [ARGS]" >&2; exit 2; }
# Sanitizer runs load their runtime in front of the library.
library="${ARESOLV_PRELOAD_EXTRA:+$ARESOLV_PRELOAD_EXTRA:}$library"

# Runs inside the sandbox: $1 probe, $2 library, $3 mode, then the mode's arguments.
inner='
set -eu
probe=$1 library=$2 mode=$3
shift 3
out=$ARESOLV_SANDBOX_TMP
case $mode in
answers)
  "$probe" answers > "$out/glibc.txt"
  LD_PRELOAD=$library "$probe" answers > "$out/aresolv.txt"
  if diff "$out/glibc.txt" "$out/aresolv.txt"; then
    echo "answers: $(wc -l < "$out/glibc.txt") answers identical to glibc"
  else
    exit 1
  fi ;;
nofile)
  # glibc first, for the record: its answers are printed, not required.
  "$probe" nofile "$@" > "$out/glibc.txt" 2>&1 || true
  status=0
  LD_PRELOAD=$library "$probe" nofile "$@" > "$out/aresolv.txt" || status=$?
  grep "free=0" "$out/glibc.txt" | sed "s/^/glibc   /" | cut -c1-160
  grep "free=0" "$out/aresolv.txt" | sed "s/^/aresolv /" | cut -c1-160
  grep -v "^nofile-answer" "$out/aresolv.txt"
  exit $status ;;
signals-slow)
  # The only nameserver is a socket that never answers (bound by the probe).
  printf "nameserver 127.0.0.2\noptions timeout:1 attempts:1\n" > /etc/resolv.conf
  "$probe" signals-slow 127.0.0.2 > "$out/glibc.txt"
  LD_PRELOAD=$library "$probe" signals-slow 127.0.0.2 > "$out/aresolv.txt"
  sed "s/^/glibc   /" "$out/glibc.txt"
  sed "s/^/aresolv /" "$out/aresolv.txt"
  # Same answers as glibc; each lookup at most 1.5 times glibc s time + 0.5 s.
  exec "${ARESOLV_PYTHON:-/usr/bin/python3}" - "$out/glibc.txt" "$out/aresolv.txt" <<"PY"
import re, sys
def read(path):
    rows = {}
    for line in open(path):
        m = re.match(r"signals-slow (\S+) (\S+) ([\d.]+) s: (.*)", line)
        if m:
            rows[(m[1], m[2])] = (float(m[3]), m[4])
    return rows
glibc, ours = read(sys.argv[1]), read(sys.argv[2])
bad = 0
for key, (gt, ga) in glibc.items():
    ot, oa = ours.get(key, (None, None))
    if oa != ga:
        print(f"DIFF {key}: glibc {ga!r} aresolv {oa!r}"); bad += 1
    elif ot > 1.5 * gt + 0.5:
        print(f"SLOW {key}: glibc {gt:.2f} s aresolv {ot:.2f} s"); bad += 1
print(f"signals-slow: {len(glibc)} lookups against a silent server, quiet and with a signal every ms: {bad} problems")
sys.exit(1 if bad or not glibc else 0)
PY
  ;;
cancel)
  # The only nameserver is a socket that never answers (bound by the probe).
  printf "nameserver 127.0.0.2\noptions timeout:1 attempts:1\n" > /etc/resolv.conf
  exec env LD_PRELOAD=$library "$probe" cancel 127.0.0.2 ;;
*)
  exec env LD_PRELOAD=$library "$probe" "$mode" "$@" ;;
esac
'
exec "$root/scripts/sandbox.sh" -- sh -c "$inner" sh "$probe" "$library" "$@"
