#!/usr/bin/env bash
# The benchmark suite of issue 5 in one go: builds into build-bench/ (Release
# flags as test.sh uses), then in scripts/sandbox.sh measures getaddrinfo per
# call and per thread against glibc, glibc + nscd, static musl and
# LD_PRELOAD=libaresolv.so, the cost of preloading into /bin/true, the memory
# added and the size of the library; prints the table and PASS/FAIL for each
# bar of the issue and writes the table as Markdown to tests/bench/results.md.
# A benchmark, not a test: it exits 0 when a bar fails (and says so), non-zero
# only when it could not measure. Takes about three minutes; needs root.
#   ARESOLV_SKIP_SETUP=1         do not run scripts/setup.sh
#   ARESOLV_BUILD_DIR=DIR        build somewhere else than build-bench/
#   ARESOLV_BENCH_MARKDOWN=FILE  write the Markdown table somewhere else
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${ARESOLV_BUILD_DIR:-$root/build-bench}
markdown=${ARESOLV_BENCH_MARKDOWN:-$root/tests/bench/results.md}

[[ ${ARESOLV_SKIP_SETUP:-} == 1 ]] || "$root/scripts/setup.sh"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >&2
cmake --build "$build" -j"$(nproc 2>/dev/null || echo 2)" >&2 --target \
  aresolv resolve_bench resolve_bench_musl bench_empty_preload exec_bench rss_probe \
  scaling_bench scaling_bench_musl
exec "$root/tests/bench/run_bench.sh" --build "$build" --out "$build/bench-results" \
  --markdown "$markdown"
