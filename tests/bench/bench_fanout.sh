#!/bin/bash
# slimcap fanout against slimcap live and tcpdump: CPU per packet per worker and loss, the same
# trafgen load for each, in one run (issue 10, "Speed").
#
#   bench_fanout.sh SLIMCAP      (meson test --benchmark fanout runs it with the built path)
#
# Two namespaces created here (bench_common.sh, deleted on exit) joined by a veth pair. trafgen
# (netsniff-ng package) pinned to BENCH_GEN_CPU sends BENCH_FRAMES UDP frames of each size over
# BENCH_FLOWS flows (one static packet per source port, to documentation addresses: a single
# flow would give every packet to one worker of the default --cluster hash). Each capture
# writes pcap to a tmpfs (/dev/shm), after a prewarm as in bench_live.sh (see prewarm):
#
#   live                  slimcap live -w F, on the first CPU of BENCH_CPUS
#   tcpdump               tcpdump -w F, same CPU: the reference peer of the same run
#   fanout/W files        slimcap fanout --workers W --cpus BENCH_CPUS -w 'DIR/w%n.pcap'
#   fanout/W merged       the same with -w DIR/merged.pcap (W >= 2): the reorder merge on the
#                         main thread, one writer
#
# for every W of BENCH_WORKERS, BENCH_REPEAT rounds in turn (each round runs every
# configuration once, so that drift in this VM's memory costs reaches them all alike).
#
# The offered rate: with BENCH_RATE=auto (the default), each size starts with a live run at
# trafgen's full speed; if live loses anything, trafgen is rate-limited (-b) to 0.8 times the
# rate reached, up to BENCH_CALIBRATE tries, and every run of that size uses the rate found.
# BENCH_RATE=max: full speed without calibration; BENCH_RATE=N: N frames/s in all. A limited
# rate is an average over bursts (see send); a run whose sender went faster than asked is
# marked * in the offered/s column.
#
# CPU: each thread's time on CPU (/proc/PID/task/TID/schedstat, nanoseconds) from just before
# the load to 1.5 s after it, so the rings' set-up (one per worker) and the exit are not
# counted; ns/packet is that over the packets captured. Threads are told apart by what they
# wait in while idle (slimcap names none): poll() a capture loop, a futex a writer thread, the
# process's first thread the main one. A worker's CPU is its capture thread's plus, with
# per-worker files, its writer's (created in worker order, as the capture threads are); that
# is what live's whole process does, so the two compare directly. The kernel's copy into the
# rings runs in the sender's softirq (on a veth, on the generator's CPU) and is in no row.
# "total cpu_s": the process's whole user + system time, set-up included (getrusage).
#
# Loss: frames sent minus records in the files; "dropped": the kernel's count from the
# tool's exit counters. "arrived": the receiver's rx_packets over the run (frames sent that
# the interface saw). Goals (issue 10) are printed with ok/MISSED; the exit status is nonzero
# only when something fails to run.
#
# Settings (environment):
#   BENCH_FRAMES    frames per run and size (default 2,000,000)
#   BENCH_SIZES     frame sizes (default "64 1500")
#   BENCH_GEN_CPU   generator CPUs, 0 or 0-N (default 0): trafgen -P with a process per CPU,
#                   the frames split among them; on a larger machine one sender cannot load
#                   more than a worker or two
#   BENCH_CPUS      capture CPU list (default 1): live and tcpdump on its first CPU, fanout's
#                   workers pinned across it (--cpus)
#   BENCH_WORKERS   worker counts (default "1 2")
#   BENCH_REPEAT    rounds (default 3): medians of CPU per packet, sums of losses
#   BENCH_RATE, BENCH_CALIBRATE (default 3), BENCH_FLOWS (default 256), BENCH_PREWARM=0
#   SLIMCAP_ARGS    more flags for slimcap live and fanout (e.g. "-B 65536")
#   BENCH_CALLGRIND=1  instructions instead of time: every capture under valgrind's callgrind,
#                   its counters zeroed just before the load (callgrind_control -z), Ir per
#                   packet over the load, all threads, user space only (the copies into the
#                   files, in the kernel, are not counted). Deterministic where time on this VM
#                   is not; valgrind runs one thread at a time, so the load is slow: defaults
#                   100,000 frames at 20,000 frames/s, one round, no prewarm; no loss goals.
# e.g. on 16 CPUs: BENCH_GEN_CPU=0-3 BENCH_CPUS=8-15 BENCH_WORKERS="1 2 4 8" BENCH_RATE=max

set -u
export LC_ALL=C
SLIMCAP=$1
CALLGRIND=${BENCH_CALLGRIND:-0}
if [ "$CALLGRIND" = 1 ]; then
  FRAMES=${BENCH_FRAMES:-100000}
  REPEAT=${BENCH_REPEAT:-1}
  RATE=${BENCH_RATE:-20000}
  BENCH_PREWARM=${BENCH_PREWARM:-0}
  UNIT=Ir SCALE=1
else
  FRAMES=${BENCH_FRAMES:-2000000}
  REPEAT=${BENCH_REPEAT:-3}
  RATE=${BENCH_RATE:-auto}
  UNIT=ns SCALE=1e9
fi
SIZES=${BENCH_SIZES:-64 1500}
GEN_CPUS=${BENCH_GEN_CPU:-0}
CPUS=${BENCH_CPUS:-1}
read -r -a WORKERS <<<"${BENCH_WORKERS:-1 2}"
CALIBRATE=${BENCH_CALIBRATE:-3}
FLOWS=${BENCH_FLOWS:-256}
. "$(dirname "$0")/bench_common.sh" bench_fanout
needed=(tcpdump python3)
[ "$CALLGRIND" = 1 ] && needed+=(valgrind callgrind_control)
for p in "${needed[@]}"; do
  command -v "$p" >/dev/null || { echo "bench_fanout: $p is not installed"; exit 1; }
done

# cpu_list LIST: the CPUs of a list such as 1,4-6, one a line.
cpu_list() {
  local part
  for part in ${1//,/ }; do
    if [[ $part == *-* ]]; then seq "${part%-*}" "${part#*-}"; else echo "$part"; fi
  done
}
mapfile -t gen_cpus < <(cpu_list "$GEN_CPUS")
mapfile -t cap_cpus < <(cpu_list "$CPUS")
if [ "${#gen_cpus[@]}" = 0 ] || [ "${#cap_cpus[@]}" = 0 ]; then
  echo "bench_fanout: empty CPU list (BENCH_GEN_CPU, BENCH_CPUS)"; exit 1
fi
if [ "${gen_cpus[*]}" != "$(seq -s ' ' 0 $((${#gen_cpus[@]} - 1)))" ]; then
  echo "bench_fanout: BENCH_GEN_CPU must be 0 or 0-N: trafgen puts its i-th process on CPU i"; exit 1
fi
LIVE_CPU=${cap_cpus[0]}
read -r -a extra <<<"${SLIMCAP_ARGS:-}"
failed=0

# conf_flows SIZE: a trafgen config of FLOWS packets of SIZE bytes (without FCS), one per UDP
# source port. Static packets: trafgen's dynamic fields recompute the checksum per frame,
# which at 1500 bytes slows the sender more than the capture.
conf_flows() {
  local fill=$(($1 - 42)) i
  for ((i = 0; i < FLOWS; i++)); do
    echo "{ eth(da=02:00:00:00:00:01, sa=02:00:00:00:00:02, type=0x0800), ipv4(saddr=192.0.2.2, daddr=192.0.2.1, ttl=64), udp(sp=$((40000 + i)), dp=5001), fill(0x41, $fill) }"
  done >"$dir/tg-$1.cfg"
}

# As in bench_live.sh: this VM gives freed memory back to the host, and tmpfs writes into
# such memory cost several times more; memory written and deleted before every run puts every
# tool on the same footing (docs/capture.md, "Benchmarks on this VM"). bench_live.sh writes
# 4 GB for its 3 GB files of 1500-byte frames; here the file's size plus 1 GiB, at most 4 GiB
# (the same 4 GB at 1500 bytes and 2,000,000 frames; 1.2 GB at 64 bytes saves 5 s a run).
prewarm() {
  [ "${BENCH_PREWARM:-1}" = 0 ] && return
  local mib=$(( (FRAMES * ($1 + 16) >> 20) + 1024 ))
  [ "$mib" -gt 4096 ] && mib=4096
  dd if=/dev/zero of="$dir/warm" bs=1M count="$mib" status=none
  rm -f "$dir/warm"
}

rx_packets() { ip netns exec "$NS_A" cat "/sys/class/net/$IF_A/statistics/rx_packets"; }

# Runs a command and writes its PID, then (once it has exited) its user and system seconds
# (wait4's rusage, microseconds) and exit code. SIGINT is for the command, not for this.
WRAP='
import os, signal, sys
pid = os.fork()
if pid == 0:
    try:
        os.execvp(sys.argv[3], sys.argv[3:])
    finally:
        os._exit(127)
signal.signal(signal.SIGINT, signal.SIG_IGN)
with open(sys.argv[1], "w") as f:
    f.write("%d\n" % pid)
_, status, ru = os.wait4(pid, 0)
with open(sys.argv[2], "w") as f:
    f.write("%.6f %.6f %d\n" % (ru.ru_utime, ru.ru_stime, os.waitstatus_to_exitcode(status)))
'

# threads PID: "tid ns_on_cpu syscall" per thread; the syscall is what the thread waits in
# ("running" when it is on a CPU; then read again, up to 50 times, for the roles).
threads() {
  local pid=$1 try t ns sc out busy
  for try in $(seq 50); do
    out='' busy=0
    for t in /proc/"$pid"/task/*; do
      read -r ns _ <"$t/schedstat" 2>/dev/null || continue
      read -r sc _ <"$t/syscall" 2>/dev/null || sc='?'
      [ "$sc" = running ] && busy=1
      out+="${t##*/} $ns $sc"$'\n'
    done
    [ "$busy" = 0 ] && break
    sleep 0.01
  done
  printf '%s' "$out"
}

# send SIZE RATE: FRAMES frames from one trafgen with a process per generator CPU (trafgen
# pins its i-th process to CPU i, whatever taskset says, and splits -n among them); sets
# `offered`, the rate over the wall time of the send. trafgen's -b shapes each process by the
# second: it sends the second's quota at the full speed of its sendto() path, then sleeps to
# the second's end; a quota that ever takes longer than a second turns the shaping off for
# the rest of the run (trafgen's shaper_delay), which the offered rate then shows.
gen_pid=''
send() {
  local size=$1 rate=$2 start end limit=()
  [ "$rate" != max ] && limit=(-b "$((rate / ${#gen_cpus[@]}))pps")
  start=$(date +%s.%N)
  ip netns exec "$NS_B" taskset -c "$GEN_CPUS" timeout 300 trafgen -i "$dir/tg-$size.cfg" -o "$IF_B" \
    -n "$FRAMES" -P "${#gen_cpus[@]}" -q "${limit[@]}" >"$dir/tg.log" 2>&1 &
  gen_pid=$!
  if ! wait "$gen_pid"; then
    echo "bench_fanout: trafgen failed: $(tail -n 3 "$dir/tg.log" | tr '\n' ' ')" >&2
    failed=1
  fi
  gen_pid=''
  end=$(date +%s.%N)
  offered=$(calc "$FRAMES / ($end - $start)")
}

# On any exit: the capture and the senders this script started (by PID), then the namespaces.
cap_pid=''
stop_started() {
  [ -n "$cap_pid" ] && kill -INT "$cap_pid" 2>/dev/null
  [ -n "$gen_pid" ] && kill "$gen_pid" 2>/dev/null
}
trap 'stop_started; cleanup' EXIT

# run CONFIG SIZE RATE: one capture of the load; writes its results to $dir/res.CONFIG and
# prints its row (and a line per worker).
#   res: offered arrived captured dropped cpu_window_s total_cpu_s worst_worker_ns
run() {
  local config=$1 size=$2 rate=$3 cpu=$LIVE_CPU cmd out=$dir/out w
  rm -rf "$out" "$dir/pid" "$dir/rusage" && mkdir "$out"
  case $config in
    live) cmd=("$SLIMCAP" live -i "$IF_A" -w "$out/live.pcap" "${extra[@]}") ;;
    tcpdump) cmd=(tcpdump -i "$IF_A" -n -Z root -w "$out/tcpdump.pcap") ;;
    files-*)
      w=${config#files-} cpu=$CPUS
      cmd=("$SLIMCAP" fanout -i "$IF_A" --workers "$w" --cpus "$CPUS" -w "$out/w%n.pcap" "${extra[@]}") ;;
    merged-*)
      w=${config#merged-} cpu=$CPUS
      cmd=("$SLIMCAP" fanout -i "$IF_A" --workers "$w" --cpus "$CPUS" -w "$out/merged.pcap" "${extra[@]}") ;;
  esac
  [ "$CALLGRIND" = 1 ] && cmd=(valgrind --tool=callgrind --callgrind-out-file="$dir/cg.out" "${cmd[@]}")
  rm -f "$dir/cg.out"
  prewarm "$size"
  local rx0 rx1
  rx0=$(rx_packets)
  ip netns exec "$NS_A" taskset -c "$cpu" python3 -c "$WRAP" "$dir/pid" "$dir/rusage" "${cmd[@]}" \
    >/dev/null 2>"$dir/log" &
  local wrapper=$! pid='' i
  for i in $(seq $((CALLGRIND == 1 ? 600 : 150))); do
    [ -z "$pid" ] && [ -s "$dir/pid" ] && pid=$(cat "$dir/pid")
    [ -n "$pid" ] && grep -q "listening on" "$dir/log" 2>/dev/null && break
    kill -0 "$wrapper" 2>/dev/null || break
    sleep 0.1
  done
  if [ -z "$pid" ] || ! grep -q "listening on" "$dir/log"; then
    echo "bench_fanout: $config did not start: $(head -n 3 "$dir/log" | tr '\n' ' ')" >&2
    failed=1
    [ -n "$pid" ] && kill -INT "$pid" 2>/dev/null
    wait "$wrapper"
    echo "0 0 0 0 0 0 0" >"$dir/res.$config"
    return
  fi
  sleep 0.3
  threads "$pid" >"$dir/t0"
  [ "$CALLGRIND" = 1 ] && { callgrind_control -z "$pid" >/dev/null 2>&1 || failed=1; }
  cap_pid=$pid
  send "$size" "$rate"
  sleep "$([ "$CALLGRIND" = 1 ] && echo 3 || echo 1.5)"
  threads "$pid" >"$dir/t1"
  kill -INT "$pid" 2>/dev/null
  wait "$wrapper"
  cap_pid=''
  rx1=$(rx_packets)
  local user sys rc
  read -r user sys rc <"$dir/rusage" 2>/dev/null || { user=0 sys=0 rc=1; }
  if [ "$rc" != 0 ]; then
    echo "bench_fanout: $config exited with $rc: $(tail -n 3 "$dir/log" | tr '\n' ' ')" >&2
    failed=1
  fi
  local captured=0 f n
  for f in "$out"/*.pcap; do
    [ -e "$f" ] || continue
    n=$("$SLIMCAP" read "$f" --count 2>/dev/null | awk '{print $1}')
    captured=$((captured + ${n:-0}))
  done
  rm -rf "$out"
  local dropped
  dropped=$(awk '/^[0-9]+ packets? dropped by kernel$/ {print $1}' "$dir/log")
  # Per thread: CPU over the load, and a role from what it waited in before the load
  # (7 poll: a capture loop; 202 futex: a writer; else, and fanout's first thread, in ppoll
  # between its rounds: main).
  # Then per worker: its capture thread (k-th in TID order), with per-worker files its
  # writer (k-th), over the packets its exit line counts.
  awk -v pid="$pid" -v captured="$captured" -v config="$config" '
    FNR == NR { ns0[$1] = $2; role[$1] = ($3 == 7) ? "capture" : ($3 == 202) ? "writer" : "other"; next }
    FILENAME ~ /t1$/ {
      d = $2 - ns0[$1]; total += d
      r = ($1 in role) ? role[$1] : "other"
      if ($1 == pid && r != "capture") r = "main"
      if (r == "capture") cap[nc++] = d; else if (r == "writer") wr[nw++] = d; else main += d
      next
    }
    /^worker [0-9]+/ { pk[nk++] = $0 ~ /\(CPU/ ? $5 : $3 }
    END {
      printf "%.4f\n", total / 1e9 > "/dev/stderr"
      if (config == "live" || config == "tcpdump") { pk[0] = captured; nk = 1 }
      worst = 0
      for (k = 0; k < nc; k++) {
        c = cap[k] + (nw == nc ? wr[k] : 0)
        per = pk[k] > 0 ? c / pk[k] : 0
        if (per > worst) worst = per
        if (config != "tcpdump")
          printf "      %s: %d packets, capture thread %.0f ns/packet%s = %.0f ns/packet\n", config == "live" ? "live" : "worker " k, pk[k],
            (pk[k] > 0 ? cap[k] / pk[k] : 0), (nw == nc ? sprintf(", writer %.0f", pk[k] > 0 ? wr[k] / pk[k] : 0) : ""), per
      }
      if (config ~ /^(files|merged)/ && nc != nk)
        printf "      (%d capture loops found for %d workers: the split per worker is unreliable)\n", nc, nk
      rest = main
      if (nw != nc) for (k = 0; k < nw; k++) rest += wr[k]
      if (config != "tcpdump" && nk > 1)
        printf "      other threads (main%s): %.0f ns/packet\n", (nw == nc ? "" : ", merge writer"), (captured > 0 ? rest / captured : 0)
      printf "%.0f\n", worst > "/dev/stderr"
    }' "$dir/t0" "$dir/t1" "$dir/log" 2>"$dir/cpu" >"$dir/workers"
  local window worst
  { read -r window; read -r worst; } <"$dir/cpu"
  if [ "$CALLGRIND" = 1 ]; then
    # Instructions since the zeroing, every thread; no split per thread.
    window=$(awk '/^totals:/ {print $2}' "$dir/cg.out" 2>/dev/null)
    window=${window:-0} worst=0
    : >"$dir/workers"
  fi
  echo "$offered $((rx1 - rx0)) $captured ${dropped:-?} $window $(calc "$user + $sys") $worst" >"$dir/res.$config"
}

label() {
  case $1 in
    live | tcpdump) echo "$1" ;;
    files-*) echo "fanout/${1#files-} files" ;;
    merged-*) echo "fanout/${1#merged-} merged" ;;
  esac
}

# row ROUND CONFIG SIZE RATE: runs one capture and prints it; keeps its numbers for the summary.
declare -A ns_runs worst_runs lost_sum dropped_sum
unshaped=0
row() {
  local round=$1 config=$2 size=$3 rate=$4 offered arrived captured dropped window total worst per lost
  run "$config" "$size" "$rate"
  read -r offered arrived captured dropped window total worst <"$dir/res.$config"
  per=$(calc "($captured > 0 ? $SCALE * $window / $captured : 0)")
  lost=$((FRAMES - captured))
  # With -b, each full quota of a second ends at a second's end: FRAMES / rate full quotas
  # take at least that many seconds.
  if [ "$rate" != max ] && awk "BEGIN { q = int($FRAMES / $rate); exit !(q >= 1 && $offered > 1.05 * $FRAMES / q) }"; then
    offered+='*'
    unshaped=1
  fi
  printf '%-6s %-18s %5s %11s %10s %10s %9s %8s %7s %9s %9s\n' "$round" "$(label "$config")" "$size" \
    "$offered" "$arrived" "$captured" "$lost" "$dropped" "$window" "$per" "$total"
  [ "$config" != tcpdump ] && cat "$dir/workers"
  [ "$config" = tcpdump ] || [ "$config" = live ] || [ "$CALLGRIND" = 1 ] && worst=$per
  if [ "$round" != cal ]; then
    local k=$config-$size
    ns_runs[$k]+="$per "
    worst_runs[$k]+="$worst "
    lost_sum[$k]=$(( ${lost_sum[$k]:-0} + lost ))
    [ "$dropped" != "?" ] && dropped_sum[$k]=$(( ${dropped_sum[$k]:-0} + dropped ))
  fi
  last_lost=$lost last_dropped=$dropped last_offered=$offered
}

median() { tr ' ' '\n' | grep . | sort -n | awk '{ v[NR] = $1 } END { print NR ? v[int((NR + 1) / 2)] : 0 }'; }

configs=(live tcpdump)
for w in "${WORKERS[@]}"; do configs+=("files-$w"); done
for w in "${WORKERS[@]}"; do [ "$w" -ge 2 ] && configs+=("merged-$w"); done

echo "== slimcap fanout benchmark: $FRAMES frames per run over $FLOWS flows, $REPEAT round(s); trafgen on CPU(s) $GEN_CPUS; live and tcpdump on CPU $LIVE_CPU, fanout --cpus $CPUS; pcap to /dev/shm"
echo "== slimcap ${SLIMCAP_ARGS:-(default ring)}; rate ${RATE}$([ "$CALLGRIND" = 1 ] && echo "; under callgrind: instructions (Ir) per packet")"
header() {
  printf '%-6s %-18s %5s %11s %10s %10s %9s %8s %7s %9s %9s\n' round config size offered/s arrived \
    captured lost dropped "$([ "$CALLGRIND" = 1 ] && echo Ir || echo cpu_s)" "$UNIT/packet" "total cpu_s"
}
for size in $SIZES; do
  conf_flows "$size"
  echo "== $size bytes"
  header
  rate=$RATE
  if [ "$RATE" = auto ]; then
    rate=max
    for ((try = 1; try <= CALIBRATE; try++)); do
      row cal live "$size" "$rate"
      [ "$last_lost" = 0 ] && [ "$last_dropped" = 0 ] && break
      [ "$try" = "$CALIBRATE" ] && { echo "   live still lost at this rate: the runs use it all the same"; break; }
      rate=$(awk "BEGIN { printf \"%d\", 0.8 * ${last_offered%\*} }")
    done
  fi
  echo "   offered rate for every run of $size bytes: $([ "$rate" = max ] && echo "trafgen's full speed" || echo "$rate frames/s (trafgen -b)")"
  for ((round = 1; round <= REPEAT; round++)); do
    for config in "${configs[@]}"; do row "$round" "$config" "$size" "$rate"; done
  done
done

[ "$unshaped" = 1 ] && echo "   * trafgen sent faster than the rate asked: one of its 1 s quotas took longer than a second and its shaping stopped (a busy machine)"
# The summary: medians over the rounds; losses summed over them.
echo "== summary: $UNIT/packet the median of $REPEAT round(s) (process, and the worst worker's); lost and dropped summed over the rounds"
printf '%-18s %5s %10s %7s %9s %12s %7s %8s %8s\n' config size "$UNIT/packet" /live /tcpdump "worker $UNIT" /live lost dropped
declare -A med worst_med
for size in $SIZES; do
  for config in "${configs[@]}"; do
    k=$config-$size
    med[$k]=$(median <<<"${ns_runs[$k]:-}")
    worst_med[$k]=$(median <<<"${worst_runs[$k]:-}")
  done
  for config in "${configs[@]}"; do
    k=$config-$size
    printf '%-18s %5s %10s %7s %9s %12s %7s %8s %8s\n' "$(label "$config")" "$size" "${med[$k]}" \
      "$(calc "(${med[live-$size]} > 0 ? ${med[$k]} / ${med[live-$size]} : 0)")" \
      "$(calc "(${med[tcpdump-$size]} > 0 ? ${med[$k]} / ${med[tcpdump-$size]} : 0)")" \
      "$([ "$config" = tcpdump ] && echo - || echo "${worst_med[$k]}")" \
      "$(case $config in tcpdump | merged-*) echo - ;; *) calc "(${med[live-$size]} > 0 ? ${worst_med[$k]} / ${med[live-$size]} : 0)" ;; esac)" \
      "${lost_sum[$k]:-0}" "${dropped_sum[$k]:-?}"
  done
  for w in "${WORKERS[@]}"; do
    [ "$w" -ge 2 ] || continue
    echo "   the merged file's extra CPU, $w workers, $size bytes: $(calc "${med[merged-$w-$size]} - ${med[files-$w-$size]}") $UNIT/packet (merged minus per-worker files, medians)"
  done
done

goal() { printf '%-70s %-16s %s%s\n' "$1" "$2" "$(awk "BEGIN { print ($3) ? \"ok\" : \"MISSED\" }")" "${4:+ $4}"; }
echo "== goals (issue 10)"
for size in $SIZES; do
  live_ns=${med[live-$size]}
  for w in "${WORKERS[@]}"; do
    k=files-$w-$size
    r=$(calc "($live_ns > 0 ? ${worst_med[$k]} / $live_ns : 0)")
    goal "fanout/$w files: $([ "$CALLGRIND" = 1 ] && echo "Ir/packet (process)" || echo "worst worker's CPU/packet") / live's, $size B (<= 1.10)" "$r" "$live_ns > 0 && $r <= 1.10" \
      "(process: $(calc "($live_ns > 0 ? ${med[$k]} / $live_ns : 0)"))"
  done
  for w in "${WORKERS[@]}"; do
    if [ "$w" -lt 2 ] || [ "$CALLGRIND" = 1 ]; then continue; fi
    for mode in files merged; do
      k=$mode-$w-$size
      goal "fanout/$w $mode: packets lost, $size B (<= live's)" "${lost_sum[$k]:-0} vs ${lost_sum[live-$size]:-0}" \
        "${lost_sum[$k]:-0} <= ${lost_sum[live-$size]:-0}" "(dropped by kernel: ${dropped_sum[$k]:-?} vs ${dropped_sum[live-$size]:-?})"
    done
  done
done
echo "== done in $SECONDS s"
exit "$failed"
