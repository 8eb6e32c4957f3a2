#!/bin/bash
# Live capture loss and CPU: slimcap live against tcpdump (and netsniff-ng when installed), the
# same trafgen load for each, in one run.
#
#   bench_live.sh SLIMCAP        (meson test --benchmark runs it with the built path)
#
# Two namespaces created here (deleted on exit) joined by a veth pair; trafgen (netsniff-ng
# package) pinned to CPU 0 sends BENCH_FRAMES (default 2,000,000) UDP frames of 64 and of 1500
# bytes as fast as it can; the capture, pinned to CPU 1, writes pcap to a tmpfs (/dev/shm).
# Reported per tool and size: offered rate, packets captured, loss %, capture CPU seconds and
# CPU per packet. Goals (issue 3) are printed with ok/MISSED; the exit status is nonzero only
# when something fails to run. SLIMCAP_ARGS adds flags to slimcap live (e.g. "-B 65536").

set -u
export LC_ALL=C
SLIMCAP=$1
FRAMES=${BENCH_FRAMES:-2000000}
ID=$$
NS_A=slimcap-ba-$ID
NS_B=slimcap-bb-$ID
IF_A=sba$ID
IF_B=sbb$ID
dir=$(mktemp -d /dev/shm/slimcap-bench-live.XXXXXX) || exit 1

cleanup() {
  ip netns del "$NS_A" 2>/dev/null
  ip netns del "$NS_B" 2>/dev/null
  rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ "$(id -u)" -ne 0 ]; then echo "bench_live: needs root (namespaces, packet sockets)"; exit 1; fi
for p in trafgen tcpdump taskset ip; do
  command -v "$p" >/dev/null || { echo "bench_live: $p is not installed"; exit 1; }
done
if [ "$(nproc)" -lt 2 ]; then echo "bench_live: needs 2 CPUs"; exit 1; fi

ip netns add "$NS_A" && ip netns add "$NS_B" &&
  ip link add "$IF_A" type veth peer name "$IF_B" &&
  ip link set "$IF_A" netns "$NS_A" && ip link set "$IF_B" netns "$NS_B" &&
  ip netns exec "$NS_A" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 &&
  ip netns exec "$NS_B" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 &&
  ip -n "$NS_A" link set "$IF_A" up && ip -n "$NS_B" link set "$IF_B" up ||
  { echo "bench_live: cannot create the namespaces"; exit 1; }

calc() { awk "BEGIN { printf \"%.2f\", $1 }"; }

# conf SIZE: a trafgen config for frames of SIZE bytes (without FCS) to documentation addresses.
conf() {
  local fill=$(($1 - 42))
  echo "{ eth(da=02:00:00:00:00:01, sa=02:00:00:00:00:02, type=0x0800), ipv4(saddr=192.0.2.2, daddr=192.0.2.1, ttl=64), udp(sp=40000, dp=5001), fill(0x41, $fill) }" >"$dir/tg-$1.cfg"
}

# run TOOL SIZE: prints "offered_pps captured loss% cpu_s" for one capture.
run() {
  local tool=$1 size=$2 out="$dir/cap.pcap" log="$dir/cap.log" t="$dir/cap.time"
  rm -f "$out" "$log" "$t"
  case $tool in
    slimcap) cmd=("$SLIMCAP" live -i "$IF_A" -w "$out" ${SLIMCAP_ARGS:-}) ;;
    tcpdump) cmd=(tcpdump -i "$IF_A" -n -Z root -w "$out") ;;
    netsniff-ng) cmd=(netsniff-ng --in "$IF_A" --out "$out" --silent --magic 0xa1b2c3d4) ;;
  esac
  ip netns exec "$NS_A" taskset -c 1 /usr/bin/time -f '%U %S' -o "$t" "${cmd[@]}" >"$log" 2>&1 &
  local wrapper=$!
  sleep 1.5
  local start end
  start=$(date +%s.%N)
  ip netns exec "$NS_B" taskset -c 0 timeout 120 trafgen -i "$dir/tg-$size.cfg" -o "$IF_B" -n "$FRAMES" -P 1 -q >/dev/null 2>&1
  end=$(date +%s.%N)
  sleep 1.5
  pkill -INT -P "$wrapper" 2>/dev/null
  wait "$wrapper"
  local captured
  captured=$("$SLIMCAP" read "$out" --count 2>/dev/null | awk '{print $1}')
  captured=${captured:-0}
  local cpu
  cpu=$(awk '{print $1 + $2}' "$t" 2>/dev/null)
  echo "$(calc "$FRAMES / ($end - $start)") $captured $(calc "100 * ($FRAMES - $captured) / $FRAMES") ${cpu:-0}"
}

tools=(slimcap tcpdump)
command -v netsniff-ng >/dev/null && command -v /usr/bin/time >/dev/null && tools+=(netsniff-ng)
command -v /usr/bin/time >/dev/null || { echo "bench_live: /usr/bin/time (package time) is needed"; exit 1; }

echo "== slimcap live benchmark: $FRAMES frames per run, trafgen on CPU 0, capture on CPU 1 writing pcap to /dev/shm"
printf '%-12s %6s %12s %10s %8s %8s %10s\n' tool size offered/s captured loss% cpu_s ns/packet
declare -A loss cpu_pp
for size in 64 1500; do
  conf "$size"
  for tool in "${tools[@]}"; do
    read -r offered captured lost cpu < <(run "$tool" "$size")
    per=$(calc "($captured > 0 ? 1e9 * $cpu / $captured : 0)")
    printf '%-12s %6s %12s %10s %8s %8s %10s\n' "$tool" "$size" "$offered" "$captured" "$lost" "$cpu" "$per"
    loss[$tool-$size]=$lost
    cpu_pp[$tool-$size]=$per
  done
done

goal() { printf '%-58s %-10s %s\n' "$1" "$2" "$(awk "BEGIN { print ($3) ? \"ok\" : \"MISSED\" }")"; }
echo "== goals"
goal "slimcap loss at 64 bytes (0%)" "${loss[slimcap-64]}%" "${loss[slimcap-64]} == 0"
goal "slimcap loss at 1500 bytes (0%)" "${loss[slimcap-1500]}%" "${loss[slimcap-1500]} == 0"
goal "CPU per packet at 1500 bytes, slimcap/tcpdump (<= 0.5)" \
  "$(calc "(${cpu_pp[tcpdump-1500]} > 0 ? ${cpu_pp[slimcap-1500]} / ${cpu_pp[tcpdump-1500]} : 0)")" \
  "${cpu_pp[tcpdump-1500]} > 0 && ${cpu_pp[slimcap-1500]} <= 0.5 * ${cpu_pp[tcpdump-1500]}"
exit 0
