#!/usr/bin/env bash
# The README's test command: installs what is missing, builds into build/,
# runs every CTest test except the labels in EXCLUDED_LABELS, then the stages
# that need their own builds: sanitizers, fuzzing, cross builds under qemu,
# the container root made with debootstrap.
#   ARESOLV_SKIP_SETUP=1   do not run scripts/setup.sh
#   ARESOLV_BUILD_DIR=DIR  build somewhere else than build/
#   ARESOLV_STAGES="sanitize fuzz cross debootstrap-test"   the stages to run
#                          after CTest (empty: none)
# Tests that need root skip (77) when run unprivileged, and fail when
# CI=true or ARESOLV_REQUIRE_ROOT=1.
set -euo pipefail

# Labels left out of the run (a regex over CTest labels); empty: everything.
EXCLUDED_LABELS=''

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${ARESOLV_BUILD_DIR:-$root/build}
jobs=$(nproc 2>/dev/null || echo 2)

if [[ ${ARESOLV_SKIP_SETUP:-} != 1 ]]; then
  "$root/scripts/setup.sh"
fi

cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_INSTALL_PREFIX=/usr
cmake --build "$build" -j"$jobs"

ctest_args=(--test-dir "$build" --output-on-failure --timeout 600)
[[ -n $EXCLUDED_LABELS ]] && ctest_args+=(-LE "$EXCLUDED_LABELS")
# The sandbox tests each own a network namespace and are cheap: run them in
# parallel with the rest, but no more than the cores we have.
status=0
failed=()
ctest "${ctest_args[@]}" -j"$jobs" || { status=$?; failed+=(ctest); }

stages=${ARESOLV_STAGES-sanitize fuzz cross debootstrap-test}
for stage in $stages; do
  script=$root/scripts/$stage.sh
  if [[ ! -x $script ]]; then
    echo "test.sh: stage $stage: no $script" >&2
    failed+=("$stage")
    continue
  fi
  echo "test.sh: stage $stage"
  start=$SECONDS
  if ARESOLV_BUILD_DIR=$build "$script"; then
    echo "test.sh: stage $stage passed in $((SECONDS - start)) s"
  else
    echo "test.sh: stage $stage FAILED after $((SECONDS - start)) s" >&2
    failed+=("$stage")
  fi
done

if ((${#failed[@]})); then
  echo "test.sh: FAILED: ${failed[*]}" >&2
  exit 1
fi
echo "test.sh: all passed"
exit 0
