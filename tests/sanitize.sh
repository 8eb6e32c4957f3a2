#!/bin/sh
# The second CI build: AddressSanitizer and UndefinedBehaviorSanitizer in ./build-asan, where
# the unit tests and the fuzz-seed replay run again. A sanitizer report ends the test at once
# (halt_on_error) with an exit status of its own, 86 for ASan/LSan and 87 for UBSan, which no
# slimcap test exits with, so a report cannot pass for an ordinary failure or success.
# Only those tests' targets are built (not the CLI, live and benchmark programs), to keep CI
# within its time. Called by tests/run.sh; its testlog.json is counted there.
# Usage: tests/sanitize.sh   (from any directory)
set -u
cd "$(dirname "$0")/.."
dir=build-asan

# -O0 (buildtype debug): with the printer's many dissector files, -O2 -g made this build take
# longer than the whole rest of CI (measured: one file 110 s at -O2 -g, 38 s at -O1, 4 s at
# -O0); the tests here are bound by the tcpdump runs of the agreement checks, not by our code.
if [ ! -f "$dir/build.ninja" ]; then
  meson setup "$dir" -Db_sanitize=address,undefined -Dbuildtype=debug || exit 1
fi
# Regenerate first when a meson.build changed (new tests), so that the introspection lists them.
ninja -C "$dir" build.ninja >/dev/null || exit 1
# The executables of the unit and fuzz suites, as ninja targets (paths inside the build dir).
targets=$(meson introspect "$dir" --tests | python3 -c '
import json, os, sys
root = os.path.abspath(sys.argv[1])
for t in json.load(sys.stdin):
    if set(t["suite"]) & {"slimcap:unit", "slimcap:fuzz"}:
        print(os.path.relpath(t["cmd"][0], root))' "$dir") || exit 1
# shellcheck disable=SC2086
ninja -C "$dir" $targets || exit 1

ASAN_OPTIONS=halt_on_error=1:abort_on_error=0:exitcode=86:detect_leaks=1 \
UBSAN_OPTIONS=halt_on_error=1:abort_on_error=0:exitcode=87:print_stacktrace=1 \
  meson test -C "$dir" --no-rebuild --print-errorlogs --num-processes 2 --suite unit --suite fuzz
