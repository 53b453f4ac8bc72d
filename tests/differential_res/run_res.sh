#!/bin/sh
# Differential test of the res_* API: glibc against libaresolv.so, in the sandbox.
#   run_res.sh --probe PATH/res_probe --library PATH/libaresolv.so --workdir DIR
# Ends with "differential res: N of TOTAL identical". Exit 0 when identical,
# 1 on differences, 77 when the sandbox cannot run.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
probe= library= workdir=${TMPDIR:-/tmp}/aresolv-res
while [ $# -gt 0 ]; do
  case $1 in
    --probe) probe=$2; shift 2 ;;
    --library) library=$2; shift 2 ;;
    --workdir) workdir=$2; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
mkdir -p "$workdir"
set +e
"$root/scripts/sandbox.sh" -- sh -c '
  "$1" > "$2/glibc.txt" 2>"$2/glibc.err"
  LD_PRELOAD="$3" "$1" > "$2/aresolv.txt" 2>"$2/aresolv.err"
' sh "$probe" "$workdir" "$library"
status=$?
set -e
[ $status -eq 77 ] && exit 77
exec python3 - "$workdir" <<'PY'
import sys
work = sys.argv[1]
def blocks(name):
    out, cur = [], None
    for line in open(f"{work}/{name}"):
        if not line.startswith(" "):
            cur = [line]
            out.append(cur)
        elif cur is not None:
            cur.append(line)
    return out
glibc, ours = blocks("glibc.txt"), blocks("aresolv.txt")
same = sum(1 for g, a in zip(glibc, ours) if g == a)
total = max(len(glibc), len(ours))
shown = 0
for g, a in zip(glibc, ours):
    if g != a and shown < 15:
        shown += 1
        print("--- glibc\n" + "".join(g) + "+++ aresolv\n" + "".join(a))
print(f"differential res: {same} of {total} identical")
sys.exit(0 if same == total and total > 0 else 1)
PY
