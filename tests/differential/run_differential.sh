#!/bin/sh
# Differential test of getaddrinfo: glibc against libaresolv.so.
#
#   run_differential.sh --probe PATH/gai_probe --library PATH/libaresolv.so \
#       --queries PATH/gai_queries.txt --workdir DIR \
#       [--sandbox scripts/sandbox.sh] [--fixtures DIR] [--max-full 30] \
#       [--query-timeout SECONDS]
#
# Inside scripts/sandbox.sh the probe answers every query three times: twice
# through plain glibc, the second time in reverse order (the two runs must
# agree, else an answer depends on earlier queries and the fixture is at
# fault), and once with LD_PRELOAD=libaresolv.so (no ARESOLV_* variable is
# needed).
# Each differing query is printed with both outputs as a unified diff
# ("-" glibc, "+" aresolv; the first 30 in full, the rest one line each),
# then the classes of differences, then the final line
#   differential getaddrinfo: N of TOTAL identical
# All outputs, the full report and the sandbox logs stay in --workdir.
#
# Exit status: 0 when all queries are identical and glibc is deterministic;
# 77 when the sandbox cannot run (not root, no sandbox script) unless CI=true
# or ARESOLV_REQUIRE_ROOT=1, then 1; 1 on any difference.
#
# Without --queries, the queries are generated from tests/fixtures/sandbox
# into the work directory.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)

have_queries=no
for arg in "$@"; do
  [ "$arg" = --queries ] && have_queries=yes
done
if [ "$have_queries" = no ]; then
  workdir=${TMPDIR:-/tmp}/aresolv-differential
  prev=
  for arg in "$@"; do
    [ "$prev" = --workdir ] && workdir=$arg
    prev=$arg
  done
  mkdir -p "$workdir"
  python3 "$here/gen_queries.py" --fixtures "$root/tests/fixtures/sandbox" \
    --output "$workdir/gai_queries.txt"
  set -- "$@" --queries "$workdir/gai_queries.txt"
fi

exec python3 "$here/differential.py" "$@"
