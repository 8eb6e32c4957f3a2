#!/usr/bin/env bash
# Measures how long a packet takes from the kernel's timestamp to its printed line reaching a
# reader, with slimcap's default block timeout and with --immediate-mode, on both ends of a
# veth pair between two network namespaces created here (deleted on exit): received packets
# (-Q in) and sent ones (-Q out). Not part of the test
# suite: the numbers go into docs/capture.md and the man page.
# Usage (root): tests/live/measure_latency.sh build/tools/slimcap [PACKETS] [INTERVAL_S]
# Sends PACKETS (default 40) frames INTERVAL_S (default 0.1) seconds apart per setting, one
# UDP frame between documentation addresses each, and prints per setting the median, 90th
# percentile and largest delay in milliseconds.
set -eu -o pipefail

SLIMCAP=$(realpath "$1")
PACKETS=${2:-40}
INTERVAL=${3:-0.1}
ID=$$
NS_A=slimcap-ma-$ID
NS_B=slimcap-mb-$ID
IF_A=sma$ID
IF_B=smb$ID
cleanup() { ip netns del "$NS_A" 2>/dev/null || true; ip netns del "$NS_B" 2>/dev/null || true; }
trap cleanup EXIT
ip netns add "$NS_A"
ip netns add "$NS_B"
ip link add "$IF_A" type veth peer name "$IF_B"
ip link set "$IF_A" netns "$NS_A"
ip link set "$IF_B" netns "$NS_B"
ip -n "$NS_A" link set "$IF_A" up
ip -n "$NS_B" link set "$IF_B" up

# The reader: runs slimcap with -tt --nano -l, notes when each line arrives, and compares
# with the packet's kernel timestamp (the line's first field). Both are CLOCK_REALTIME.
read -r -d '' READER <<'EOF' || true
import statistics, subprocess, sys, time
cmd = sys.argv[1:]
p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
delays = []
for line in p.stdout:
    now = time.time_ns()
    sec, frac = line.split(b" ", 1)[0].split(b".")
    delays.append((now - (int(sec) * 10**9 + int(frac))) / 1e6)
p.wait()
delays.sort()
n = len(delays)
print(f"{n} packets: median {statistics.median(delays):.2f} ms, "
      f"p90 {delays[int(n * 0.9) - 1]:.2f} ms, max {delays[-1]:.2f} ms")
EOF

# The sender: PACKETS UDP frames 192.0.2.2 -> 198.51.100.1, INTERVAL seconds apart.
read -r -d '' SENDER <<'EOF' || true
import socket, struct, sys, time
ifname, count, interval = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind((ifname, 0))
payload = b"latency probe"
udp = struct.pack("!HHHH", 40000, 9, 8 + len(payload), 0) + payload
ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 0, 0, 64, 17, 0,
                 socket.inet_aton("192.0.2.2"), socket.inet_aton("198.51.100.1"))
frame = b"\x02\x00\x00\x00\x00\x01" + b"\x02\x00\x00\x00\x00\x02" + b"\x08\x00" + ip + udp
for _ in range(count):
    s.send(frame)
    time.sleep(interval)
EOF

# Both ways: on the receiving end of the pair (packets in) and on the sending end (out);
# tcpdump too, with the same flags, when it is installed.
tools=("$SLIMCAP live")
command -v tcpdump >/dev/null && tools+=("tcpdump")
for tool in "${tools[@]}"; do
  for side in in out; do
    if [ "$side" = in ]; then ns=$NS_A; capture_if=$IF_A; else ns=$NS_B; capture_if=$IF_B; fi
    for setting in "" "--immediate-mode"; do
      seconds=$(python3 -c "print($PACKETS * $INTERVAL + 2)")
      ip netns exec "$ns" python3 -c "$READER" timeout -s INT "$seconds" $tool \
        -i "$capture_if" -Q "$side" -tt --nano -l -c "$PACKETS" $setting udp >"result.$ID" &
      reader=$!
      sleep 1
      ip netns exec "$NS_B" python3 -c "$SENDER" "$IF_B" "$PACKETS" "$INTERVAL"
      wait $reader
      echo "${tool##*/} $side, ${setting:-default}: $(cat "result.$ID")"
      rm -f "result.$ID"
    done
  done
done
