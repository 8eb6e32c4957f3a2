#!/bin/bash
# slimcap stats, live: what watching costs, and whether --capture keeps up.
#
#   bench_stats_live.sh SLIMCAP   (meson test --benchmark runs it with the built path)
#
# On a veth pair between two namespaces created here (bench_common.sh):
# 1. Idle cost: `slimcap stats -I 1` for BENCH_STATS_SECONDS (default 60) seconds, its CPU time
#    (user + system, getrusage of the children) as a share of one CPU, beside the peers that print the same
#    kind of rows at the same interval, in the same run: `sar -n DEV 1` (sysstat) and
#    `ifpps -t 1000` (netsniff-ng), where installed. Goal (issue 9): under 1% of one CPU.
# 2. Under load: trafgen on CPU 0 sends BENCH_FRAMES (default 2,000,000) 64-byte UDP frames as
#    fast as it can; on CPU 1 `slimcap live -w /dev/null`, then `slimcap stats --capture
#    --json`. Reported: frames the interface counted (the sum of stats' rx_packets deltas,
#    which must equal the frames sent), packets captured, socket drops. Goal: stats --capture
#    drops nothing where live -w /dev/null drops nothing.
# Prints goals with ok/MISSED; the exit status is nonzero only when something fails to run.

set -u
export LC_ALL=C
SLIMCAP=$1
FRAMES=${BENCH_FRAMES:-2000000}
SECONDS_IDLE=${BENCH_STATS_SECONDS:-60}
. "$(dirname "$0")/bench_common.sh" bench_stats_live
command -v python3 >/dev/null || { echo "bench_stats_live: python3 is needed"; exit 1; }

# idle NAME COMMAND...: runs COMMAND in the receiver's namespace on CPU 1 for SECONDS_IDLE
# seconds (stopped with SIGINT) and prints "NAME|cpu_seconds|percent_of_one_cpu".
idle() {
  local name=$1 cpu
  shift
  # getrusage of the children: microseconds, where /usr/bin/time prints hundredths.
  cpu=$(ip netns exec "$NS_A" taskset -c 1 python3 -c '
import resource, subprocess, sys
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
               stdin=subprocess.DEVNULL)
r = resource.getrusage(resource.RUSAGE_CHILDREN)
print("%.4f" % (r.ru_utime + r.ru_stime))' timeout -s INT "$SECONDS_IDLE" "$@")
  echo "$name|${cpu:-0}|$(awk "BEGIN { printf \"%.3f\", 100 * ${cpu:-0} / $SECONDS_IDLE }")"
}

echo "== slimcap stats benchmark: idle cost over ${SECONDS_IDLE} s at 1 s rows; $FRAMES frames of 64 bytes for the capture"
printf "%-44s %8s %8s\n" "command (1 s rows, ${SECONDS_IDLE} s)" cpu_s "% CPU"
declare -A pct
while IFS='|' read -r name cpu p; do
  printf '%-44s %8s %8s\n' "$name" "$cpu" "$p"
  pct[$name]=$p
done < <(
  idle "slimcap stats -i IF -I 1" "$SLIMCAP" stats -i "$IF_A" -I 1
  idle "slimcap stats (every interface) --json" "$SLIMCAP" stats -I 1 --json
  command -v sar >/dev/null && idle "sar -n DEV 1" sar -n DEV 1
  command -v ifpps >/dev/null && idle "ifpps -d IF -t 1000 -c" ifpps -d "$IF_A" -t 1000 -c
)

conf 64
# load COMMAND...: the command in the receiver's namespace on CPU 1 while trafgen sends FRAMES
# frames from CPU 0; stopped with SIGINT 1.5 s after the last frame. Its stdout and stderr go
# to $dir/load.out and $dir/load.err.
load() {
  ip netns exec "$NS_A" taskset -c 1 "$@" >"$dir/load.out" 2>"$dir/load.err" &
  local pid=$! i
  for i in $(seq 100); do grep -q '^listening on' "$dir/load.err" 2>/dev/null && break; sleep 0.1; done
  sleep 0.3
  local start end
  start=$(date +%s.%N)
  ip netns exec "$NS_B" taskset -c 0 timeout 120 trafgen -i "$dir/tg-64.cfg" -o "$IF_B" -n "$FRAMES" -P 1 -q >/dev/null 2>&1
  end=$(date +%s.%N)
  sleep 1.5
  kill -INT "$pid" 2>/dev/null
  wait "$pid"
  calc "$FRAMES / ($end - $start)" >"$dir/load.rate"
}

printf '%-44s %12s %12s %12s %10s\n' "under load (64 bytes)" offered/s "if rx" captured dropped
load "$SLIMCAP" live -i "$IF_A" -w /dev/null
live_captured=$(awk '/ packets? captured$/ {print $1}' "$dir/load.err")
live_dropped=$(awk '/ packets? dropped by kernel$/ {print $1}' "$dir/load.err")
printf '%-44s %12s %12s %12s %10s\n' "slimcap live -w /dev/null" "$(cat "$dir/load.rate")" - "${live_captured:-0}" "${live_dropped:-?}"

load "$SLIMCAP" stats -i "$IF_A" --capture --json -I 1
read -r if_rx st_captured st_dropped < <(python3 - "$dir/load.out" <<'PY'
import json, sys
rx = 0
run = {}
for line in open(sys.argv[1]):
    o = json.loads(line)
    if o["type"] == "run":
        run = o
    elif not o["reset"]:
        rx += o["rx_packets"]
print(rx, run.get("capture_packets", 0), run.get("socket_drops", "?"))
PY
)
printf '%-44s %12s %12s %12s %10s\n' "slimcap stats --capture" "$(cat "$dir/load.rate")" "$if_rx" "$st_captured" "$st_dropped"

goal() { printf '%-62s %-12s %s\n' "$1" "$2" "$(awk "BEGIN { print ($3) ? \"ok\" : \"MISSED\" }")"; }
echo "== goals"
goal "slimcap stats -I 1, share of one CPU (< 1%)" "${pct[slimcap stats -i IF -I 1]}%" "${pct[slimcap stats -i IF -I 1]} < 1"
goal "interface rx_packets over the run = frames sent ($FRAMES)" "$if_rx" "$if_rx == $FRAMES"
goal "stats --capture drops nothing where live does not (live: ${live_dropped:-?})" \
  "$st_dropped" "\"${live_dropped:-x}\" != \"0\" || \"$st_dropped\" == \"0\""
exit 0
