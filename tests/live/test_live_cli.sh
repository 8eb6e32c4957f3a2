#!/usr/bin/env bash
# CLI tests of `slimcap live` on a veth pair between two network namespaces created here and
# deleted on exit. Frames come from `slimcap-capgen` captures replayed by the test's own sender
# (tests/live/sendpcap), so every frame is known. One TAP line per check.
# Usage: test_live_cli.sh SLIMCAP CAPGEN SENDPCAP REFUSE_RING_LIB
set -u -o pipefail

SLIMCAP=$1
CAPGEN=$2
SENDPCAP=$3
REFUSE_RING=${4:-}
WORK=$(mktemp -d /tmp/slimcap-live.XXXXXX)
ID=$$
NS_A=slimcap-la-$ID
NS_B=slimcap-lb-$ID
IF_A=sla$ID
IF_B=slb$ID

n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; shift; for l in "$@"; do echo "# $l"; done; }
check() {
  local name=$1; shift
  if "$@" >"$WORK/check.out" 2>&1; then ok "$name"; else not_ok "$name" "$(head -c 2000 "$WORK/check.out")"; fi
}

cleanup() {
  ip netns del "$NS_A" 2>/dev/null
  ip netns del "$NS_B" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT

if [ "$(id -u)" -ne 0 ] || ! command -v ip >/dev/null; then
  echo "1..0 # SKIP live tests need root and iproute2 to create network namespaces"
  exit 0
fi

ip netns add "$NS_A" && ip netns add "$NS_B" &&
  ip link add "$IF_A" type veth peer name "$IF_B" &&
  ip link set "$IF_A" netns "$NS_A" && ip link set "$IF_B" netns "$NS_B" &&
  ip netns exec "$NS_A" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 &&
  ip netns exec "$NS_B" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 &&
  ip -n "$NS_A" link set "$IF_A" mtu 9000 up && ip -n "$NS_B" link set "$IF_B" mtu 9000 up ||
  { echo "Bail out! cannot create the namespaces and veth pair"; exit 1; }

cd "$WORK" || exit 1
"$CAPGEN" --mix imix --packets 3000 --seed 11 -o sent.pcap >/dev/null 2>&1 || { echo "Bail out! capgen failed"; exit 1; }
SENT=$("$SLIMCAP" read sent.pcap --count 2>/dev/null | awk '{print $1}')

in_a() { ip netns exec "$NS_A" "$@"; }
# slimcap in namespace A, stopped by SIGINT after 30 s at the latest so that a lost frame
# fails a check instead of hanging the suite.
# LIVE_ENV adds environment variables (VAR=value ...) to slimcap's.
live_a() { ip netns exec "$NS_A" env ${LIVE_ENV:-} timeout -s INT 30 "$SLIMCAP" live "$@"; }
in_b() { ip netns exec "$NS_B" "$@"; }
# Waits until slimcap printed its banner (the socket is bound), at most 5 s.
wait_listening() {
  local i
  for i in $(seq 50); do grep -q '^listening on' "$1" 2>/dev/null && return 0; sleep 0.1; done
  return 1
}
# capture_sent FRAMES ARGS...: runs `slimcap live ARGS` in namespace A (stderr in err.txt),
# replays the capture FRAMES from namespace B once it listens, waits; the status is in rc.
capture_sent() {
  local frames=$1; shift
  rm -f err.txt
  live_a "$@" 2>err.txt &
  local pid=$!
  wait_listening err.txt
  in_b "$SENDPCAP" "$IF_B" "$frames"
  wait $pid
  rc=$?
}

# --- every frame, byte for byte ----------------------------------------------------------------
capture_sent sent.pcap -i "$IF_A" -c "$SENT" -w got.pcap
check "live -c N stops after exactly N packets, status 0" test "$rc" -eq 0
check "... and prints tcpdump's banner" grep -qx "listening on $IF_A, link-type EN10MB (Ethernet), snapshot length 262144 bytes" err.txt
"$SLIMCAP" read sent.pcap -t -x >sent.txt 2>/dev/null
"$SLIMCAP" read got.pcap -t -x >got.txt 2>/dev/null
check "the written file holds the sent frames byte for byte, in order" cmp sent.txt got.txt
check "... with the closing counters on stderr" grep -qx "$SENT packets captured" err.txt
check "... received by filter adds up" grep -qx "$SENT packets received by filter" err.txt
check "... and no drops" grep -qx "0 packets dropped by kernel" err.txt
"$SLIMCAP" read got.pcap -tt 2>/dev/null | awk '{print $1}' >times.txt
check "timestamps never go backwards" sort -c -n times.txt

# --- filters: live equals offline, VLAN-tagged frames included ----------------------------------
for expr in "vlan" "vlan and udp" "udp" "tcp port 80" "arp or icmp"; do
  want=$("$SLIMCAP" read sent.pcap --count "$expr" 2>/dev/null | awk '{print $1}')
  rm -f err.txt
  live_a -i "$IF_A" --duration 4 -w f.pcap "$expr" 2>err.txt &
  pid=$!
  wait_listening err.txt
  in_b "$SENDPCAP" "$IF_B" sent.pcap
  wait $pid
  "$SLIMCAP" read sent.pcap "$expr" -t -x >want.txt 2>/dev/null
  "$SLIMCAP" read f.pcap -t -x >got.txt 2>/dev/null
  if [ "$want" -gt 0 ] && cmp -s want.txt got.txt; then
    ok "live '$expr' selects what read selects in the sent file ($want packets)"
  else
    not_ok "live '$expr' selects what read selects in the sent file" "want $want, got $("$SLIMCAP" read f.pcap --count 2>/dev/null)"
  fi
done

# --- snaplen, printing, SIGINT --------------------------------------------------------------------
capture_sent sent.pcap -i "$IF_A" -s 60 -c 100 -w snap.pcap
check "-s 60 keeps 60 bytes of each packet" test "$("$SLIMCAP" read snap.pcap -t -e 2>/dev/null | grep -c 'length')" -eq 100
check "... the file's snaplen is 60" grep -q 'snapshot length 60$' <("$SLIMCAP" read snap.pcap -c 1 2>&1 >/dev/null)

capture_sent sent.pcap -i "$IF_A" -c 50 -t >printed.txt
"$SLIMCAP" read sent.pcap -c 50 -t >want.txt 2>/dev/null
check "printing live gives the lines read prints for the same frames" cmp want.txt printed.txt

# signalled_capture SIGNAL FILE: captures the sent frames into FILE, then sends SIGNAL to slimcap
# itself (`ip netns exec` execs it) and waits at most 10 s; the status is in rc, the seconds it
# took to stop in took.
signalled_capture() {
  ip netns exec "$NS_A" "$SLIMCAP" live -i "$IF_A" -w "$2" 2>err.txt &
  local pid=$!
  wait_listening err.txt
  in_b "$SENDPCAP" "$IF_B" sent.pcap
  sleep 0.5
  kill "-$1" $pid
  local start=$(date +%s)
  timeout 10 tail --pid=$pid -f /dev/null || kill -KILL $pid
  wait $pid
  rc=$?
  took=$(( $(date +%s) - start ))
}
signalled_capture INT int.pcap
check "SIGINT ends the capture promptly with status 0" test "$rc" -eq 0 -a "$took" -lt 5
check "... leaving a valid file with every packet" test "$("$SLIMCAP" read int.pcap --count 2>/dev/null)" = "$SENT packets"
check "... and the counters" grep -q "packets captured" err.txt
# SIGHUP (the terminal closed) ends the run the same way.
signalled_capture HUP hup.pcap
check "SIGHUP ends the capture with status 0 and a valid file with every packet" \
  test "$rc" -eq 0 -a "$("$SLIMCAP" read hup.pcap --count 2>/dev/null)" = "$SENT packets"

# SIGINT at random moments while frames arrive: each file is valid and holds exactly the packets
# the counters say were captured (pcap, .zst, and a rotated set).
for round in 1 2 3 4 5 6; do
  case $((round % 3)) in
    0) out=rnd.pcap; extra=() ;;
    1) out=rnd.pcap.zst; extra=() ;;
    2) out=rnd.pcap; extra=(-C 100k) ;;
  esac
  rm -f rnd*.pcap* err.txt
  ip netns exec "$NS_A" "$SLIMCAP" live -i "$IF_A" -w "$out" "${extra[@]}" 2>err.txt &
  pid=$!
  wait_listening err.txt
  in_b "$SENDPCAP" "$IF_B" sent.pcap &
  sender=$!
  sleep "0.$((RANDOM % 6))$((RANDOM % 10))"
  kill -INT $pid
  timeout 10 tail --pid=$pid -f /dev/null || kill -KILL $pid
  wait $pid
  rc=$?
  wait $sender
  files=(rnd*.pcap*)
  said=$(awk '/ packets? captured$/ {print $1}' err.txt)
  in_files=$("$SLIMCAP" read "${files[@]}" --count 2>rerr.txt | awk '{print $1}')
  check "SIGINT at a random moment ($out ${extra[*]}): status 0, a valid file with the $said packets captured" \
    test "$rc" -eq 0 -a -n "$said" -a "$in_files" = "$said" -a -z "$(grep -v '^reading from' rerr.txt)"
done

# --- errors ---------------------------------------------------------------------------------------
live_a -i nosuch0 >out.txt 2>err.txt
rc=$?
check "an unknown interface exits 1 on one line" test "$rc" -eq 1 -a "$(wc -l <err.txt)" -eq 1
check "... saying so" grep -qx 'slimcap: nosuch0: no such interface: No such device' err.txt

if command -v setpriv >/dev/null; then
  in_a setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all "$SLIMCAP" live -i "$IF_A" -c 1 >out.txt 2>err.txt
  rc=$?
  check "without privileges: exit 1 and what is needed" \
    grep -qx "slimcap: $IF_A: cannot open packet socket: Operation not permitted (needs root or CAP_NET_RAW)" err.txt
  check "... status 1" test "$rc" -eq 1
  # An unprivileged user with CAP_NET_RAW alone captures (promiscuous mode included).
  in_a timeout -s INT 30 setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=+net_raw \
    --ambient-caps=+net_raw "$SLIMCAP" live -i "$IF_A" -c 10 -Z nobody -w - >caps.pcap 2>err.txt &
  pid=$!
  wait_listening err.txt
  in_b "$SENDPCAP" "$IF_B" sent.pcap
  wait $pid
  rc=$?
  check "uid 65534 with only CAP_NET_RAW captures (-Z is then a no-op), status 0" test "$rc" -eq 0
  check "... and writes the packets" test "$("$SLIMCAP" read caps.pcap --count 2>/dev/null)" = "10 packets"
fi

# --- -U: the file holds every packet as soon as the capture has caught up -------------------------
"$SLIMCAP" read sent.pcap -c 10 -w ten.pcap 2>/dev/null
for out in u.pcap u.pcap.zst; do
  rm -f err.txt
  # `ip netns exec` execs slimcap, so $pid is slimcap itself and SIGINT reaches it.
  ip netns exec "$NS_A" "$SLIMCAP" live -i "$IF_A" -U -w "$out" 2>err.txt &
  pid=$!
  wait_listening err.txt
  in_b "$SENDPCAP" "$IF_B" ten.pcap
  sleep 1
  check "-U -w $out: the 10 packets are in the file while the capture runs" \
    test "$("$SLIMCAP" read "$out" --count 2>/dev/null)" = "10 packets"
  kill -INT $pid
  timeout 10 tail --pid=$pid -f /dev/null || kill -KILL $pid
  wait $pid
done

# --- --mode socket gives what the ring gives ------------------------------------------------------
capture_sent sent.pcap -i "$IF_A" -c "$SENT" --mode socket -w sock.pcap
"$SLIMCAP" read sock.pcap -t -x >got.txt 2>/dev/null
ok_and_same() { test "$rc" -eq 0 && test -s "$2" && cmp "$1" "$2"; }
check "--mode socket: every sent frame byte for byte, status 0" ok_and_same sent.txt got.txt
want=$("$SLIMCAP" read sent.pcap --count 'vlan and udp' 2>/dev/null)
capture_sent sent.pcap -i "$IF_A" --duration 4 --mode socket -w sockf.pcap 'vlan and udp'
check "--mode socket: 'vlan and udp' selects what read selects ($want)" \
  test "$("$SLIMCAP" read sockf.pcap --count 2>/dev/null)" = "$want"

# --- -i any: LINUX_SLL2, the interface and direction on each line --------------------------------
# The kernel reports the innermost protocol for double-tagged frames on the SOCK_DGRAM socket
# "any" uses (see the man page), so this compares the frames with at most one tag.
"$SLIMCAP" read sent.pcap -w single.pcap 'not (vlan and vlan)' 2>/dev/null
SINGLE=$("$SLIMCAP" read single.pcap --count 2>/dev/null | awk '{print $1}')
"$SLIMCAP" read single.pcap -t -x >single.txt 2>/dev/null
for mode in ring socket; do
  capture_sent single.pcap -i any -c "$SINGLE" --mode "$mode" -w any.pcap
  check "-i any ($mode): banner names LINUX_SLL2" \
    grep -qx "listening on any, link-type LINUX_SLL2 (Linux cooked v2), snapshot length 262144 bytes" err.txt
  # (A tagged frame's line also names the tag's type, "ethertype IPv4, ", as tcpdump does on
  # LINUX_SLL2.)
  "$SLIMCAP" read any.pcap -t -x 2>/dev/null |
    sed -E '/^\t/!s/^[^ ]+ +[A-Za-z]+ +(ethertype [^,]+, )?//' >got.txt
  check "-i any ($mode): every frame from the network header on, tags included" cmp single.txt got.txt
done
capture_sent single.pcap -i any -c 20 -t >anyprint.txt
check "-i any prints the interface and direction first on each line" \
  test "$(grep -c "^$IF_A  *\(In\|P\|M\|B\) " anyprint.txt)" -eq 20
want=$("$SLIMCAP" read any.pcap --count 'udp and inbound' 2>/dev/null)
capture_sent single.pcap -i any --duration 4 -w anyf.pcap 'udp and inbound'
check "-i any 'udp and inbound' selects what read selects in the any file ($want)" \
  test "$("$SLIMCAP" read anyf.pcap --count 2>/dev/null)" = "$want" -a "$want" != "0 packets"

# --- rotation: by size, as a ring of files, by time -----------------------------------------------
mkdir rot && cd rot || exit 1
capture_sent ../sent.pcap -i "$IF_A" -c "$SENT" -C 100k -w size.pcap
files=(size-*.pcap)
check "-C 100k splits the capture into numbered files (${#files[@]})" test "${#files[@]}" -gt 3 -a "${files[0]}" = size-0000.pcap
check "... none larger than 100 KiB" test -z "$(find . -name 'size-*.pcap' -size +100k)"
"$SLIMCAP" read "${files[@]}" -t -x >got.txt 2>/dev/null
check "... together holding every sent frame, in order" cmp ../sent.txt got.txt

capture_sent ../sent.pcap -i "$IF_A" -c "$SENT" -C 100k -W 2 -w ring.pcap.zst
check "-C 100k -W 2 keeps the two newest files" test "$(echo ring-*)" = "ring-0000.pcap.zst ring-0001.pcap.zst"
kept=$("$SLIMCAP" read ring-0000.pcap.zst ring-0001.pcap.zst --count 2>/dev/null | awk '{print $1}')
check "... both complete and readable ($kept packets)" test "${kept:-0}" -gt 100 -a "${kept:-0}" -lt "$SENT"

# -G 2: three bursts about 2.2 s apart land in at least three files named by the period's start
# (%s, seconds since the epoch), each start on a 2-second boundary.
TZ=UTC live_a -i "$IF_A" --duration 7 -G 2 -w 'time-%s.pcap' 2>err.txt &
pid=$!
wait_listening err.txt
for burst in 1 2 3; do in_b "$SENDPCAP" "$IF_B" ../sent.pcap; sleep 2.2; done
wait $pid
files=(time-*.pcap)
check "-G 2 starts a file per period with traffic (${#files[@]})" test "${#files[@]}" -ge 3
aligned=1
for f in "${files[@]}"; do t=${f#time-}; t=${t%.pcap}; [ $((t % 2)) -eq 0 ] || aligned=0; done
check "... each named by its period's start, on a 2 s boundary" test "$aligned" -eq 1
check "... together holding the three bursts" \
  test "$("$SLIMCAP" read "${files[@]}" --count 2>/dev/null)" = "$((3 * SENT)) packets"
cd .. || exit 1

# --- -Z: files are opened as USER, after the socket ----------------------------------------------
if id nobody >/dev/null 2>&1; then
  chmod 0711 "$WORK"  # nobody must reach zdir through the test's private directory
  mkdir -m 0777 zdir
  capture_sent sent.pcap -i "$IF_A" -c 10 -Z nobody -w zdir/z.pcap
  check "-Z nobody captures after dropping root, status 0" test "$rc" -eq 0
  check "... and the file belongs to nobody" test "$(stat -c %U zdir/z.pcap)" = nobody
  check "... holding the packets" test "$("$SLIMCAP" read zdir/z.pcap --count 2>/dev/null)" = "10 packets"
  mkdir -m 0700 rootonly
  live_a -i "$IF_A" -c 1 -Z nobody -w rootonly/z.pcap >out.txt 2>err.txt
  rc=$?
  check "-Z nobody cannot create a file in a root-only directory: exit 1" test "$rc" -eq 1
  check "... saying why on one line" grep -qx "slimcap: rootonly/z.pcap: Permission denied" err.txt
  live_a -i "$IF_A" -c 1 -Z no-such-user-here -w x.pcap >out.txt 2>err.txt
  check "-Z with an unknown user: exit 1 and one line" \
    test "$?" -eq 1 -a "$(cat err.txt)" = "slimcap: -Z no-such-user-here: no such user"
fi

# A kernel that refuses the ring's memory (an LD_PRELOAD shim answers ENOMEM above 16 MiB):
# slimcap halves the ring until it fits, says so on one line, and captures.
if [ -n "$REFUSE_RING" ]; then
  LIVE_ENV="LD_PRELOAD=$REFUSE_RING SLIMCAP_TEST_RING_LIMIT=16777216" \
    capture_sent sent.pcap -i "$IF_A" -c "$SENT" -B 65536 --block-size 1024 -w refused.pcap
  check "a refused ring is retried smaller and said on one line" \
    grep -qx "slimcap: $IF_A: the kernel refused a 65536 KiB ring; using 16384 KiB" err.txt
  check "... and the capture works: status 0, every packet" \
    test "$rc" -eq 0 -a "$("$SLIMCAP" read refused.pcap --count 2>/dev/null)" = "$SENT packets"
fi

in_a "$SLIMCAP" live -D >list.txt 2>&1
check "-D lists the interfaces" grep -q "^[0-9]*\.$IF_A \[Up" list.txt

ip -n "$NS_A" link set "$IF_A" down
live_a -i "$IF_A" -c 1 >out.txt 2>err.txt
rc=$?
check "an interface that is down: exit 1, one line, before the banner" \
  test "$rc" -eq 1 -a "$(cat err.txt)" = "slimcap: $IF_A: Network is down"
ip -n "$NS_A" link set "$IF_A" up
sleep 0.5

# Last, since it removes the capture interface: the run ends with one clear line, status 1,
# and a valid file.
live_a -i "$IF_A" -w removed.pcap >out.txt 2>err.txt &
pid=$!
wait_listening err.txt
in_b "$SENDPCAP" "$IF_B" sent.pcap
sleep 0.5
ip -n "$NS_A" link del "$IF_A"
wait $pid
rc=$?
check "an interface removed during the capture ends it with status 1" test "$rc" -eq 1
check "... and one line saying so" grep -qx "slimcap: $IF_A: capture stopped: Network is down" err.txt
check "... leaving a valid file with the packets captured before" \
  test "$("$SLIMCAP" read removed.pcap --count 2>/dev/null)" = "$SENT packets"

echo "1..$n"
echo "# $((n - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
