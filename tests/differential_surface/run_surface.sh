#!/bin/sh
# Differential test of gethostby* and getnameinfo: glibc against libaresolv.so, in the sandbox.
#   run_surface.sh --probe PATH/surface_probe --library PATH/libaresolv.so \
#       --queries FILE --workdir DIR
# Runs the probe twice through glibc (the two must agree) and once with
# LD_PRELOAD, diffs per query, and ends with
#   differential surface: N of TOTAL identical
# Exit 0 when identical, 1 on differences, 77 when the sandbox cannot run.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
probe= library= queries= workdir=${TMPDIR:-/tmp}/aresolv-surface
while [ $# -gt 0 ]; do
  case $1 in
    --probe) probe=$2; shift 2 ;;
    --library) library=$2; shift 2 ;;
    --queries) queries=$2; shift 2 ;;
    --workdir) workdir=$2; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
mkdir -p "$workdir"
if [ -z "$queries" ]; then
  queries=$workdir/surface_queries.txt
  python3 "$here/gen_surface_queries.py" --fixtures "$root/tests/fixtures/sandbox" --output "$queries"
fi
set +e
"$root/scripts/sandbox.sh" -- sh -c '
  "$1" < "$2" > "$3/glibc1.txt" 2>"$3/glibc1.err"
  "$1" < "$2" > "$3/glibc2.txt" 2>"$3/glibc2.err"
  LD_PRELOAD="$4" "$1" < "$2" > "$3/aresolv.txt" 2>"$3/aresolv.err"
' sh "$probe" "$queries" "$workdir" "$library"
status=$?
set -e
[ $status -eq 77 ] && exit 77
exec python3 - "$workdir" <<'PY'
import sys
work = sys.argv[1]
def blocks(name):
    out, cur = {}, None
    for line in open(f"{work}/{name}"):
        if line.startswith("### "):
            cur = line.split()[1]
            out[cur] = [line]
        elif cur:
            out[cur].append(line)
    return out
g1, g2, a = blocks("glibc1.txt"), blocks("glibc2.txt"), blocks("aresolv.txt")
total = len(g1)
same = 0
unstable = [k for k in g1 if g1[k] != g2.get(k)]
for k in g1:
    if g1[k] == a.get(k):
        same += 1
    else:
        print("--- glibc\n" + "".join(g1[k]) + "+++ aresolv\n" + "".join(a.get(k, ["(missing)\n"])))
if unstable:
    print(f"glibc itself differed between runs on {len(unstable)} queries: {' '.join(unstable[:20])}")
print(f"differential surface: {same} of {total} identical")
sys.exit(0 if same == total and total > 0 and not unstable else 1)
PY
