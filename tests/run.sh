#!/bin/sh
# Runs every test of the build in ./build (after tests/setup.sh), then, when no test is named,
# the unit tests and the fuzz-seed replay again in a sanitizer build (tests/sanitize.sh,
# ./build-asan). Ends with one line "N passed, N failed" over both: doctest test cases, TAP
# checks and other tests, each counted once per build it ran in; a sanitizer build that does
# not build counts as one failure.
# Usage: tests/run.sh [TEST...]   (TEST: meson test names; then no sanitizer build)
set -u
cd "$(dirname "$0")/.."
named=$#
meson test -C build --print-errorlogs --num-processes 2 "$@"
status=$?
logs="build/meson-logs/testlog.json"
if [ "$named" -eq 0 ]; then
  rm -f build-asan/meson-logs/testlog.json
  tests/sanitize.sh || status=1
  if [ -f build-asan/meson-logs/testlog.json ]; then
    logs="$logs build-asan/meson-logs/testlog.json"
  else
    logs="$logs --failed sanitizer-build"
  fi
fi
# shellcheck disable=SC2086
python3 tests/summarize.py $logs || status=1
exit $status
