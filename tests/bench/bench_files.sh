# Sourced by the benchmarks on capture files (bench_read.sh, bench_stats.sh, bench_print.sh):
# their arguments, a scratch directory and the helpers they share. The live benchmarks have
# bench_common.sh instead.
#
#   . bench_files.sh NAME "PROGRAM..." "$@"
#
# Checks that the script got two arguments, SLIMCAP and CAPGEN, both executable, and that
# each PROGRAM is installed (exit 2 or 1 otherwise); sets SLIMCAP, CAPGEN, dir (a temporary
# directory, removed on exit unless BENCH_KEEP=1) and failed (1 once fail() was called).

set -u
export LC_ALL=C TZ=UTC

bench_name=$1
bench_programs=$2
shift 2
if [ $# -ne 2 ]; then
  echo "usage: $0 SLIMCAP CAPGEN" >&2
  exit 2
fi
SLIMCAP=$1
CAPGEN=$2
for tool in "$SLIMCAP" "$CAPGEN"; do
  [ -x "$tool" ] || { echo "bench: $tool is not executable" >&2; exit 1; }
done
for prog in $bench_programs; do
  command -v "$prog" >/dev/null || { echo "bench: $prog is not installed" >&2; exit 1; }
done

dir=$(mktemp -d "${TMPDIR:-/tmp}/slimcap-bench-$bench_name.XXXXXX") || exit 1
if [ "${BENCH_KEEP:-0}" = 1 ]; then
  echo "keeping $dir"
else
  trap 'rm -rf "$dir"' EXIT
fi
trap 'exit 130' INT TERM

# fail WHAT: reports a command that did not run as it should (with its stderr, from $dir/err);
# the benchmark goes on and exits 1 at the end.
failed=0
fail() {
  echo "bench: FAILED: $*" >&2
  [ -s "$dir/err" ] && sed 's/^/  | /' "$dir/err" | head -5 >&2
  failed=1
}

# Microseconds since the epoch (bash 5), without a fork.
now_us() { echo "${EPOCHREALTIME/./}"; }

# best_of N VAR CMD...: runs CMD N times with stdout to /dev/null; VAR = best wall time in µs.
best_of() {
  local n=$1 var=$2 best="" i start end t
  shift 2
  for ((i = 0; i < n; i++)); do
    start=${EPOCHREALTIME/./}
    if ! "$@" >/dev/null 2>"$dir/err"; then fail "$*"; fi
    end=${EPOCHREALTIME/./}
    t=$((end - start))
    if [ -z "$best" ] || [ "$t" -lt "$best" ]; then best=$t; fi
  done
  printf -v "$var" '%s' "$best"
}

# peak_rss CMD...: the peak RSS in KiB of CMD (stdout to /dev/null).
peak_rss() {
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -f %M -o "$dir/rss" "$@" >/dev/null 2>"$dir/err" || fail "$*"
    tail -1 "$dir/rss"
  else
    python3 -c 'import resource, subprocess, sys
r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
sys.exit(r.returncode)' "$@" || fail "$*"
  fi
}

# calc EXPR [DECIMALS]: awk arithmetic, 2 decimals unless told.
calc() { awk "BEGIN { printf \"%.${2:-2}f\", $1 }"; }
# verdict CONDITION: "ok" or "MISSED".
verdict() { awk "BEGIN { exit !($1) }" && echo "ok" || echo "MISSED"; }
