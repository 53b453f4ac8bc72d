#!/usr/bin/env bash
# The README's test command: installs what is missing, builds into build/ and
# runs every CTest test except the labels in EXCLUDED_LABELS.
#   ARESOLV_SKIP_SETUP=1   do not run scripts/setup.sh
#   ARESOLV_BUILD_DIR=DIR  build somewhere else than build/
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

cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build "$build" -j"$jobs"

ctest_args=(--test-dir "$build" --output-on-failure --timeout 600)
[[ -n $EXCLUDED_LABELS ]] && ctest_args+=(-LE "$EXCLUDED_LABELS")
# The sandbox tests each own a network namespace and are cheap: run them in
# parallel with the rest, but no more than the cores we have.
status=0
ctest "${ctest_args[@]}" -j"$jobs" || status=$?
if ((status != 0)); then
  echo "test.sh: FAILED (ctest exit status $status)" >&2
fi
exit "$status"
