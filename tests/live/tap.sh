# TAP helpers shared by the live shell tests (sourced): one "ok N - name" or "not ok N - name"
# line per check, a failed check's output after it as "# " lines, and the plan at the end.
# The sourcing script sets WORK, a scratch directory, first.

n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; shift; for l in "$@"; do echo "# $l"; done; }
# check NAME COMMAND...: ok when COMMAND succeeds, else not ok with its first 2000 bytes of output.
check() {
  local name=$1; shift
  if "$@" >"$WORK/check.out" 2>&1; then ok "$name"; else not_ok "$name" "$(head -c 2000 "$WORK/check.out")"; fi
}
# The plan and a summary line; succeeds when every check passed.
tap_end() {
  echo "1..$n"
  echo "# $((n - failed)) passed, $failed failed"
  [ "$failed" -eq 0 ]
}
