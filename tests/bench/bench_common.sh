# Sourced by the live benchmarks: a veth pair between two namespaces created here (deleted on
# exit, also on failure), a trafgen configuration per frame size, and arithmetic.
#
#   . bench_common.sh NAME      sets NS_A, NS_B (namespaces), IF_A (receiver, in NS_A), IF_B
#                               (sender, in NS_B) and dir (a scratch directory in /dev/shm)

BENCH_NAME=$1
ID=$$
NS_A=slimcap-ba-$ID
NS_B=slimcap-bb-$ID
IF_A=sba$ID
IF_B=sbb$ID
dir=$(mktemp -d "/dev/shm/slimcap-bench-$BENCH_NAME.XXXXXX") || exit 1

cleanup() {
  ip netns del "$NS_A" 2>/dev/null
  ip netns del "$NS_B" 2>/dev/null
  rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ "$(id -u)" -ne 0 ]; then echo "$BENCH_NAME: needs root (namespaces, packet sockets)"; exit 1; fi
for p in trafgen taskset ip; do
  command -v "$p" >/dev/null || { echo "$BENCH_NAME: $p is not installed"; exit 1; }
done
if [ "$(nproc)" -lt 2 ]; then echo "$BENCH_NAME: needs 2 CPUs"; exit 1; fi

ip netns add "$NS_A" && ip netns add "$NS_B" &&
  ip link add "$IF_A" type veth peer name "$IF_B" &&
  ip link set "$IF_A" netns "$NS_A" && ip link set "$IF_B" netns "$NS_B" &&
  ip netns exec "$NS_A" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 &&
  ip netns exec "$NS_B" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 &&
  ip -n "$NS_A" link set "$IF_A" up && ip -n "$NS_B" link set "$IF_B" up ||
  { echo "$BENCH_NAME: cannot create the namespaces"; exit 1; }

calc() { awk "BEGIN { printf \"%.2f\", $1 }"; }

# conf SIZE: a trafgen config for frames of SIZE bytes (without FCS) to documentation addresses.
conf() {
  local fill=$(($1 - 42))
  echo "{ eth(da=02:00:00:00:00:01, sa=02:00:00:00:00:02, type=0x0800), ipv4(saddr=192.0.2.2, daddr=192.0.2.1, ttl=64), udp(sp=40000, dp=5001), fill(0x41, $fill) }" >"$dir/tg-$1.cfg"
}
