#!/usr/bin/env bash
# The test suite under sanitizers:
#  - build-asan/ (ASan + UBSan, -fno-sanitize-recover): every CTest test except
#    the self-containment check (a sanitized library needs the sanitizer
#    runtime by design) and the benchmarks; programs we build are instrumented,
#    foreign programs (Go, python3, perl, getent, ...) get the ASan runtime
#    preloaded in front of the library (ARESOLV_PRELOAD_EXTRA); then
#    LeakSanitizer over 10,000 lookups of every kind (tests/sanitize/leak_check.sh).
#  - build-tsan/ (TSan): the unit tests, the process tests (threads, signals,
#    descriptors...; see below for the three left out) and
#    tests/sanitize/stress.c (8 threads resolving at once).
#  - valgrind: the leak check with the normal build's library
#    (ARESOLV_BUILD_DIR, default build/; scripts/test.sh builds it first).
# Any sanitizer report fails the test it happens in (halt_on_error).
#
#   ARESOLV_SANITIZE_STEPS="asan tsan valgrind"   which parts to run
#   ARESOLV_LEAK_ITERATIONS=10000                 lookups of each kind (LSan)
#   ARESOLV_VALGRIND_ITERATIONS=1000              lookups of each kind (valgrind)
#   ARESOLV_STRESS_ROUNDS=200                     rounds per stress thread
# Exit status 0 when everything passed; prints a summary of what ran.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
jobs=$(nproc 2>/dev/null || echo 2)
steps=${ARESOLV_SANITIZE_STEPS:-asan tsan valgrind}
leak_iterations=${ARESOLV_LEAK_ITERATIONS:-10000}
valgrind_iterations=${ARESOLV_VALGRIND_ITERATIONS:-1000}
stress_rounds=${ARESOLV_STRESS_ROUNDS:-200}
plain_build=${ARESOLV_BUILD_DIR:-$root/build}
asan=$root/build-asan tsan=$root/build-tsan

summary=() failed=0
note() { summary+=("$1"); }
seconds_since() { echo $(($(date +%s) - $1)); }

# run_ctest NAME DIR ENV... -- CTEST-ARGS...: ctest in DIR with the
# environment ENV; records "N tests" in the summary.
run_ctest() {
  local name=$1 dir=$2 log status=0 started line
  shift 2
  local envs=()
  while [[ $1 != -- ]]; do envs+=("$1"); shift; done
  shift
  started=$(date +%s)
  log=$(mktemp)
  (cd "$dir" && env "${envs[@]}" ctest --output-on-failure --timeout 900 -j"$jobs" "$@") >"$log" 2>&1 || status=$?
  grep -vE '^ *(Start +[0-9]+:|[0-9]+/[0-9]+ Test +#[0-9]+: .* Passed)' "$log" | grep -v '^$' || true
  line=$(grep -E 'tests passed, [0-9]+ tests failed out of [0-9]+' "$log" | tail -1)
  if grep -q 'No tests were found' "$log"; then line="no tests ran"; status=0; fi
  rm -f "$log"
  if ((status != 0)); then
    failed=1
    note "FAIL  $name: ${line:-ctest exit $status} ($(seconds_since "$started") s)"
  else
    note "ok    $name: ${line:-?} ($(seconds_since "$started") s)"
  fi
}

# step NAME COMMAND...: a non-CTest step.
step() {
  local name=$1 started status=0
  shift
  started=$(date +%s)
  "$@" || status=$?
  if ((status != 0)); then
    failed=1
    note "FAIL  $name (exit $status, $(seconds_since "$started") s)"
  else
    note "ok    $name ($(seconds_since "$started") s)"
  fi
}

configure_and_build() {
  local dir=$1 sanitize=$2 flags=$3
  shift 3
  cmake -S "$root" -B "$dir" -DCMAKE_BUILD_TYPE=Debug -DARESOLV_SANITIZE="$sanitize" \
    -DCMAKE_C_FLAGS="$flags" -DCMAKE_CXX_FLAGS="$flags" >/dev/null
  cmake --build "$dir" -j"$jobs" "$@" >"$dir/build.log" 2>&1 || {
    tail -40 "$dir/build.log"
    return 1
  }
}

start=$(date +%s)
if [[ " $steps " == *" asan "* ]]; then
  started=$(date +%s)
  if configure_and_build "$asan" address,undefined -fno-sanitize-recover=all; then
    note "ok    asan build ($(seconds_since "$started") s)"
    libasan=$(gcc -print-file-name=libasan.so)
    # The unit tests and the differential probes are ours and instrumented:
    # LeakSanitizer checks them too. The ASan runtime comes with the program,
    # after the preloaded library.
    run_ctest "asan+ubsan unit+differential (with LeakSanitizer)" "$asan" \
      ASAN_OPTIONS=halt_on_error=1:detect_leaks=1:verify_asan_link_order=0 \
      UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
      -- -L '^(unit|differential)$'
    # The fault, process, security, cache and end-to-end tests (a kind of
    # test joins this list once its scripts honour ARESOLV_PRELOAD_EXTRA). Foreign
    # programs (Go, python3, perl, getent...) need the runtime loaded first
    # (ARESOLV_PRELOAD_EXTRA, honoured by the scripts that start them); their
    # leaks, and those of the test probes, are not the library's (the leak
    # check below is). curl hangs with libasan preloaded even without our
    # library (Debian 12), so e2e_shim_curl is left out here; so are the
    # process_fork tests: a child of a threaded process deadlocks about once
    # in a hundred forks inside ASan's own allocator (a size-class lock held
    # by a parent thread at fork time; gcc 12's libasan takes no such lock
    # around fork), as gdb on a stuck child shows.
    run_ctest "asan+ubsan fault, process, security, cache, e2e" "$asan" \
      ARESOLV_PRELOAD_EXTRA="$libasan" \
      ASAN_OPTIONS=halt_on_error=1:detect_leaks=0:verify_asan_link_order=0 \
      UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
      -- -L '^(fault|process|security|cache|e2e|e2e_surface|surface)$' -E '^(e2e_shim_curl|process_fork.*)$'
    step "lsan leak check, $leak_iterations lookups of each kind" \
      "$root/tests/sanitize/leak_check.sh" --mode lsan --library "$asan/libaresolv.so" \
      --iterations "$leak_iterations" --threads
  else
    failed=1
    note "FAIL  asan build"
  fi
fi

if [[ " $steps " == *" tsan "* ]]; then
  started=$(date +%s)
  targets=(--target aresolv unit_tests)
  grep -q 'process_probe' "$root/tests/process/CMakeLists.txt" 2>/dev/null && targets+=(process_probe)
  if configure_and_build "$tsan" thread "" "${targets[@]}" &&
    gcc -O1 -g -Wall -Wextra -fsanitize=thread -pthread -o "$tsan/stress" "$root/tests/sanitize/stress.c" -ldl; then
    note "ok    tsan build ($(seconds_since "$started") s)"
    # Left out under TSan, for TSan's own limits: process_fork (TSan dies when
    # a child of a multi-threaded process starts threads), process_spawn
    # (its children, /bin/true, cannot load a TSan library without the
    # runtime) and process_answers (glibc's own NSS path segfaults under TSan
    # in the probe's glibc run, before our library is involved).
    run_ctest "tsan unit+process" "$tsan" TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 \
      -- -L '^(unit|process)$' -E '^process_(fork.*|spawn|answers)$'
    stress() {
      "$root/scripts/sandbox.sh" -- env TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 \
        LD_PRELOAD="$tsan/libaresolv.so" "$tsan/stress" 8 "$stress_rounds" libaresolv.so
    }
    step "tsan stress, 8 threads x $stress_rounds rounds" stress
  else
    failed=1
    note "FAIL  tsan build"
  fi
fi

if [[ " $steps " == *" valgrind "* ]]; then
  if [[ -f $plain_build/libaresolv.so ]]; then
    step "valgrind leak check, $valgrind_iterations lookups of each kind" \
      "$root/tests/sanitize/leak_check.sh" --mode valgrind --library "$plain_build/libaresolv.so" \
      --iterations "$valgrind_iterations" --threads --workdir "$asan/leak-check-valgrind"
  else
    failed=1
    note "FAIL  valgrind leak check: no $plain_build/libaresolv.so (build it first, or set ARESOLV_BUILD_DIR)"
  fi
fi

echo
echo "sanitize.sh summary ($(seconds_since "$start") s):"
printf '  %s\n' "${summary[@]}"
if ((failed)); then
  echo "sanitize.sh: FAILED"
  exit 1
fi
echo "sanitize.sh: all passed"
