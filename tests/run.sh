#!/bin/sh
# Runs every test of the build in ./build (after tests/setup.sh) and ends with one line
# "N passed, N failed": doctest test cases, TAP checks and other tests, each counted once.
set -u
cd "$(dirname "$0")/.."
meson test -C build --print-errorlogs --num-processes 2 "$@"
status=$?
python3 tests/summarize.py build/meson-logs/testlog.json || status=1
exit $status
