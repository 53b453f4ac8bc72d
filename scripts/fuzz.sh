#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz/) with clang, ASan and UBSan into
# build-fuzz/ and runs each for a bounded time, starting from its seed corpus
# (tests/fuzz/corpus/<target>/, copied: the repository is never written).
# Fails on any crash, sanitizer report, leak, timeout or out-of-memory.
#
#   scripts/fuzz.sh [TARGET...]        (default: every target)
#   ARESOLV_FUZZ_SECONDS=45            time per target
#   ARESOLV_FUZZ_JOBS=<nproc>          targets run at once
#   ARESOLV_FUZZ_BUILD_DIR=build-fuzz  where to build
#
# Prints one line per target ("fuzz <target>: N executions in S s, ...") and a
# summary; a crashing input is kept in the build directory's fuzz-work/<target>/
# and printed in full.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${ARESOLV_FUZZ_BUILD_DIR:-$root/build-fuzz}
seconds=${ARESOLV_FUZZ_SECONDS:-45}
jobs=${ARESOLV_FUZZ_JOBS:-$(nproc 2>/dev/null || echo 2)}
all_targets=(hosts services host_conf nsswitch resolv_conf gai_conf dns_addrinfo dns_hostent)
targets=("${@:-${all_targets[@]}}")

cc=$(command -v clang-14 || command -v clang || true)
cxx=$(command -v clang++-14 || command -v clang++ || true)
if [[ -z $cc || -z $cxx ]]; then
  echo "fuzz.sh: clang is not installed (scripts/setup.sh installs it)" >&2
  exit 1
fi

start=$(date +%s)
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER="$cc" -DCMAKE_CXX_COMPILER="$cxx" \
  -DARESOLV_FUZZ=ON -DARESOLV_SANITIZE=address,undefined \
  -DCMAKE_C_FLAGS=-fno-sanitize-recover=all -DCMAKE_CXX_FLAGS=-fno-sanitize-recover=all >/dev/null
cmake --build "$build" -j"$jobs" --target fuzz_targets >/dev/null
built=$(date +%s)

export ASAN_OPTIONS=halt_on_error=1:detect_leaks=1:allocator_may_return_null=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1

# run_target NAME: fuzzes one target; its log is fuzz-work/NAME/log.
run_target() {
  local name=$1 work=$build/fuzz-work/$1
  rm -rf "$work"
  mkdir -p "$work/corpus" "$work/artifacts"
  cp "$root/tests/fuzz/corpus/$name/"* "$work/corpus/"
  local status=0
  "$build/tests/fuzz/fuzz_$name" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$work/artifacts/" "$work/corpus" \
    >"$work/log" 2>&1 || status=$?
  echo "$status" >"$work/status"
}

running=0
for name in "${targets[@]}"; do
  [[ -d $root/tests/fuzz/corpus/$name ]] || { echo "fuzz.sh: no target $name" >&2; exit 2; }
  run_target "$name" &
  running=$((running + 1))
  if ((running >= jobs)); then
    wait -n || true
    running=$((running - 1))
  fi
done
wait

failed=0 total=0
for name in "${targets[@]}"; do
  work=$build/fuzz-work/$name
  status=$(cat "$work/status")
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log" | tail -1)
  coverage=$(grep -o 'cov: [0-9]*' "$work/log" | tail -1 | cut -d' ' -f2)
  corpus=$(find "$work/corpus" -type f | wc -l)
  total=$((total + ${runs:-0}))
  if [[ $status != 0 ]]; then
    failed=$((failed + 1))
    echo "fuzz $name: FAILED (exit $status) after ${runs:-?} executions; log $work/log"
    grep -E -A40 '^==[0-9]+==ERROR|runtime error|^SUMMARY|deadly signal|timeout after' "$work/log" | head -60
    for artifact in "$work/artifacts/"*; do
      [[ -e $artifact ]] || continue
      echo "  input $artifact:"
      od -A d -c "$artifact" | head -20 | sed 's/^/    /'
    done
  else
    echo "fuzz $name: ${runs:-?} executions in ${seconds} s, coverage ${coverage:-?} edges, corpus $corpus inputs"
  fi
done
finish=$(date +%s)
echo "fuzz: ${#targets[@]} targets, $total executions, $failed failed" \
  "(build $((built - start)) s, fuzzing $((finish - built)) s)"
((failed == 0))
