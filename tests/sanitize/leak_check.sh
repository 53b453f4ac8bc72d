#!/usr/bin/env bash
# Leak check: every kind of lookup (tests/sanitize/leak_driver.c) ITERATIONS
# times with libaresolv.so preloaded, inside scripts/sandbox.sh, under
# valgrind (a normal build of the library) or LeakSanitizer (an ASan build).
#
#   leak_check.sh --library PATH/libaresolv.so [--mode valgrind|lsan]
#                 [--iterations N] [--threads] [--workdir DIR]
#
# valgrind: --leak-check=full --errors-for-leak-kinds=definite,indirect; a
#   definitely or indirectly lost block fails. Per-thread buffers and one-time
#   caches still referenced at exit are "still reachable", not leaks.
# lsan: the driver is built with -fsanitize=address,undefined and the ASan
#   build of the library is preloaded; LeakSanitizer checks at exit.
# --threads runs each kind in its own thread, all at once (faster, and
#   threads that exit must give back what they took).
# Exit status: 0 no leak and every answer right; 1 otherwise; 77 when the
# sandbox cannot run (1 when CI=true or ARESOLV_REQUIRE_ROOT=1).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)

library= mode=valgrind iterations=10000 threads= workdir=
while (($#)); do
  case $1 in
    --library) library=$2; shift 2 ;;
    --mode) mode=$2; shift 2 ;;
    --iterations) iterations=$2; shift 2 ;;
    --threads) threads=--threads; shift ;;
    --workdir) workdir=$2; shift 2 ;;
    *) echo "leak_check.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
[[ -f $library ]] || { echo "leak_check.sh: no library ${library:-(--library missing)}" >&2; exit 1; }
library=$(cd "$(dirname "$library")" && pwd)/$(basename "$library")
workdir=${workdir:-$(dirname "$library")/leak-check-$mode}
mkdir -p "$workdir"
driver=$workdir/leak_driver

case $mode in
  valgrind)
    command -v valgrind >/dev/null || { echo "leak_check.sh: valgrind is not installed" >&2; exit 1; }
    gcc -O1 -g -Wall -Wextra -pthread -o "$driver" "$here/leak_driver.c" -lresolv
    run=(env LD_PRELOAD="$library" valgrind -q --leak-check=full
      --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect
      --error-exitcode=1 "$driver" "$iterations" $threads)
    ;;
  lsan)
    gcc -O1 -g -Wall -Wextra -pthread -fsanitize=address,undefined -fno-sanitize-recover=all \
      -o "$driver" "$here/leak_driver.c" -lresolv
    run=(env ASAN_OPTIONS=detect_leaks=1:halt_on_error=1:verify_asan_link_order=0
      UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
      LD_PRELOAD="$library" "$driver" "$iterations" $threads)
    ;;
  *) echo "leak_check.sh: --mode valgrind or lsan" >&2; exit 2 ;;
esac

status=0
"$root/scripts/sandbox.sh" -- "${run[@]}" >"$workdir/out.txt" 2>"$workdir/err.txt" || status=$?
cat "$workdir/out.txt"
if ((status == 77)); then
  cat "$workdir/err.txt" >&2
  exit 77
fi
if ((status != 0)); then
  echo "leak_check ($mode): FAILED (exit $status)"
  head -80 "$workdir/err.txt"
  exit 1
fi
if grep -q "LeakSanitizer\|definitely lost\|indirectly lost" "$workdir/err.txt"; then
  echo "leak_check ($mode): FAILED (leak reported)"
  head -80 "$workdir/err.txt"
  exit 1
fi
total=$(awk '{ sum += $2 } END { print sum }' "$workdir/out.txt")
echo "leak_check ($mode): no leak after $total lookups ($iterations of each kind${threads:+, one thread per kind})"
