#!/usr/bin/env bash
# CLI tests of `slimcap live` on a veth pair between two network namespaces created here and
# deleted on exit. Frames come from `slimcap-capgen` captures replayed by the test's own sender
# (tests/live/sendpcap), so every frame is known. One TAP line per check.
# Usage: test_live_cli.sh SLIMCAP CAPGEN SENDPCAP REFUSE_RING_LIB FAKE_HWTSTAMP_LIB
set -u -o pipefail

SLIMCAP=$1
CAPGEN=$2
SENDPCAP=$3
REFUSE_RING=${4:-}
FAKE_HWTSTAMP=${5:-}
WORK=$(mktemp -d /tmp/slimcap-live.XXXXXX)
ID=$$
NS_A=slimcap-la-$ID
NS_B=slimcap-lb-$ID
IF_A=sla$ID
IF_B=slb$ID

# shellcheck source=tap.sh
. "$(dirname "$0")/tap.sh"

cleanup() {
  ip netns del "$NS_A" 2>/dev/null
  ip netns del "$NS_B" 2>/dev/null
  ip netns del "slimcap-lc-$ID" 2>/dev/null
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
  timeout 10 tail -s 0.05 --pid=$pid -f /dev/null || kill -KILL $pid
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
  timeout 10 tail -s 0.05 --pid=$pid -f /dev/null || kill -KILL $pid
  wait $pid
  rc=$?
  wait $sender
  files=(rnd*.pcap*)
  said=$(awk '/ packets? captured$/ {print $1}' err.txt)
  in_files=$("$SLIMCAP" read "${files[@]}" --count 2>rerr.txt | awk '{print $1}')
  check "SIGINT at a random moment ($out ${extra[*]}): status 0, a valid file with the $said packets captured" \
    test "$rc" -eq 0 -a -n "$said" -a "$in_files" = "$said" -a -z "$(grep -v '^reading from' rerr.txt)"
done

# --- .zst from live: one zstd frame that tshark, capinfos and zstd -dc | tcpdump read whole -------
"$CAPGEN" --mix imix --packets 100000 --seed 12 -o big.pcap >/dev/null 2>&1
capture_sent big.pcap -i "$IF_A" -c 100000 -w big.pcap.zst
check "live -c 100000 -w x.pcap.zst: status 0" test "$rc" -eq 0
if command -v tshark >/dev/null && command -v capinfos >/dev/null; then
  got=$(tshark -n -r big.pcap.zst 2>/dev/null | wc -l)
  check "tshark reads all 100000 packets of a .zst written by live (got $got)" test "$got" = 100000
  got=$(capinfos -c -M big.pcap.zst 2>/dev/null | awk -F': *' '/Number of packets/ {print $2}')
  check "capinfos counts all 100000 of them (got $got)" test "$got" = 100000
else
  ok "tshark and capinfos read live's .zst # SKIP tshark/capinfos not installed"
fi

# SIGKILL: with -U the file holds every packet once the capture has caught up; at a random
# moment, every reader recovers the same packets, the first ones sent, unchanged.
recovered() {  # FILE: "slimcap tcpdump tshark" packet counts
  echo "$("$SLIMCAP" read "$1" 2>/dev/null | grep -vc $'^\t')" \
    "$(zstd -dc "$1" 2>/dev/null | tcpdump -n -r - 2>/dev/null | wc -l)" \
    "$(tshark -n -r "$1" 2>/dev/null | wc -l)"
}
if command -v tshark >/dev/null && command -v tcpdump >/dev/null && command -v zstd >/dev/null; then
  for round in caught-up random random; do
    rm -f kill.pcap.zst err.txt
    ip netns exec "$NS_A" "$SLIMCAP" live -i "$IF_A" -U -w kill.pcap.zst 2>err.txt &
    pid=$!
    wait_listening err.txt
    if [ "$round" = caught-up ]; then
      in_b "$SENDPCAP" "$IF_B" sent.pcap
      sleep 0.5
      want="$SENT $SENT $SENT"
    else
      in_b "$SENDPCAP" "$IF_B" big.pcap &
      sender=$!
      sleep "0.$((RANDOM % 8 + 1))"
    fi
    kill -KILL $pid
    wait $pid 2>/dev/null
    [ "$round" = caught-up ] || wait $sender
    got=$(recovered kill.pcap.zst)
    if [ "$round" = caught-up ]; then
      check "SIGKILL after -U caught up: slimcap, zstd -dc | tcpdump and tshark all recover $SENT packets (got $got)" \
        test "$got" = "$want"
    else
      "$SLIMCAP" read kill.pcap.zst -t -x 2>/dev/null >k.txt
      "$SLIMCAP" read big.pcap -t -x -c "${got%% *}" 2>/dev/null >k.want
      # Past the last flush the file may end inside a batch: slimcap and tshark decode every
      # whole block there, the zstd command line may stop up to one block (128 KiB) earlier.
      read -r s d t <<<"$got"
      check "SIGKILL at a random moment: slimcap and tshark recover the same first packets, zstd -dc | tcpdump no more ($got)" \
        test "$s" = "$t" -a "$d" -le "$s" -a "$d" -gt 0 -a -z "$(cmp k.txt k.want 2>&1)"
    fi
  done
else
  ok "SIGKILL recovery of live's .zst # SKIP needs tshark, tcpdump and zstd"
fi

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
    test "$("$SLIMCAP" read "$out" 2>/dev/null | wc -l)" = 10
  kill -INT $pid
  timeout 10 tail -s 0.05 --pid=$pid -f /dev/null || kill -KILL $pid
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
capture_sent single.pcap -i any -c 20 -w any.pcapng
if command -v tshark >/dev/null; then
  names=$(tshark -n -r any.pcapng -T fields -e frame.interface_name -e frame.encap_type 2>/dev/null | sort | uniq -c | awk '{$1=$1; print}')
  check "-i any -w x.pcapng: tshark sees 20 LINUX_SLL2 packets, each named with its interface ($names)" \
    test "$names" = "20 $IF_A 210"
else
  ok "-i any -w x.pcapng names the interfaces # SKIP tshark not installed"
fi
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

# --- -D, -i N and the default interface as tcpdump ------------------------------------------------
# Two more interfaces in namespace A: one up without a carrier, one down; lo stays down.
IF_C=slc$ID
IF_D=sld$ID
ip -n "$NS_A" link add "$IF_C" type veth peer name "$IF_D" && ip -n "$NS_A" link set "$IF_C" up
in_a "$SLIMCAP" live -D >list.txt 2>&1
check "-D: the running interface first, then any, then the ones not running, loopback last" \
  test "$(sed 's/^[0-9]*\.//' list.txt | tr '\n' '|')" = \
  "$IF_A [Up, Running, Connected]|any (Pseudo-device that captures on all interfaces) [Up, Running]|$IF_C [Up, Disconnected]|lo [Loopback]|$IF_D [none, Disconnected]|"
if command -v tcpdump >/dev/null; then
  # tcpdump also lists libpcap's non-network sources, which slimcap cannot capture on.
  in_a tcpdump -D 2>/dev/null | grep -vE '^[0-9]+\.(bluetooth|nflog|nfqueue|dbus|usbmon|rdma)' |
    sed 's/^[0-9]*\.//' >tcpdump-list.txt
  check "-D: the same interfaces, order and flags as tcpdump -D" diff tcpdump-list.txt <(sed 's/^[0-9]*\.//' list.txt)
else
  ok "# SKIP -D against tcpdump -D: tcpdump not installed"
fi
for number in 1 2 3; do
  want=$(sed -n "${number}s/^$number\.\([^ ]*\).*/\1/p" list.txt)
  live_a -i "$number" --duration 0.3 >out.txt 2>err.txt
  check "-i $number captures on the interface -D numbers $number ($want)" grep -q "^listening on $want, " err.txt
done
live_a -i 0 >out.txt 2>err.txt
check "-i 0: tcpdump's 'Invalid adapter index', exit 1" test "$?" -eq 1 -a "$(cat err.txt)" = "slimcap: Invalid adapter index 0"
live_a -i 99 >out.txt 2>err.txt
check "-i 99: says how many there are, exit 1" \
  test "$?" -eq 1 -a "$(cat err.txt)" = "slimcap: Invalid adapter index 99: only 5 interfaces found"
live_a --duration 0.3 >out.txt 2>err.txt
check "no -i: the first interface -D lists ($IF_A)" grep -q "^listening on $IF_A, " err.txt
ip -n "$NS_A" link del "$IF_C"
# A namespace where nothing but lo is up: tcpdump, and slimcap, capture on any.
NS_C=slimcap-lc-$ID
ip netns add "$NS_C" && ip -n "$NS_C" link set lo up
ip netns exec "$NS_C" timeout -s INT 30 "$SLIMCAP" live --duration 0.3 >out.txt 2>err.txt
check "no -i and only lo up: captures on any" \
  grep -qx "listening on any, link-type LINUX_SLL2 (Linux cooked v2), snapshot length 262144 bytes" err.txt
if command -v tcpdump >/dev/null; then
  ip netns exec "$NS_C" timeout -s INT 1 tcpdump >/dev/null 2>tcpdump-err.txt
  check "... as tcpdump does" grep -q "^listening on any, " tcpdump-err.txt
fi
ip netns del "$NS_C"

# --- SIGUSR1: tcpdump's one-line report, the capture goes on --------------------------------------
rm -f err.txt
ip netns exec "$NS_A" "$SLIMCAP" live -i "$IF_A" -w usr1.pcap 2>err.txt &
pid=$!
wait_listening err.txt
in_b "$SENDPCAP" "$IF_B" ten.pcap
sleep 0.5
kill -USR1 $pid
sleep 0.5
in_b "$SENDPCAP" "$IF_B" ten.pcap
sleep 0.5
kill -INT $pid
timeout 10 tail -s 0.05 --pid=$pid -f /dev/null || kill -KILL $pid
wait $pid
rc=$?
check "SIGUSR1 prints one line: slimcap: N packets captured, N packets received by filter, N packets dropped by kernel" \
  grep -qx 'slimcap: 10 packets captured, 10 packets received by filter, 0 packets dropped by kernel' err.txt
check "... and the capture goes on to the usual three closing lines, status 0" \
  test "$rc" -eq 0 -a "$(grep -cx -e '20 packets captured' -e '20 packets received by filter' -e '0 packets dropped by kernel' err.txt)" -eq 3

# --- --json on -i any: the interface and the direction ---------------------------------------------
capture_sent single.pcap -i any -c 20 --json >any.json
check "--json -i any: every object names the interface and the direction" \
  test "$(grep -c "\"ifindex\":[0-9]*,\"ifname\":\"$IF_A\",\"direction\":\"\(In\|P\|M\|B\)\"" any.json)" -eq 20
if command -v python3 >/dev/null; then
  check "... one valid JSON object per line" python3 -c 'import json,sys; [json.loads(l) for l in open(sys.argv[1])]' any.json
fi

# --- -d, -L, -y, -J, -j against tcpdump ------------------------------------------------------------
if command -v tcpdump >/dev/null; then
  same_d=1
  for dev in "$IF_A" any; do
    for expr in "" "udp port 53" "tcp and inbound" "arp or icmp6" "ip6 and udp[8] = 1" "ether host 02:00:00:00:00:01"; do
      [ "$dev" != any ] && [ "$expr" = "tcp and inbound" ] && continue  # no direction on EN10MB
      [ "$dev" = any ] && [ "$expr" = "ether host 02:00:00:00:00:01" ] && continue
      for d in -d -dd -ddd; do
        if ! cmp -s <(in_a tcpdump $d -i "$dev" $expr 2>/dev/null) <(in_a "$SLIMCAP" live $d -i "$dev" $expr 2>/dev/null); then
          same_d=0; echo "# -d differs: $d -i $dev '$expr'"
        fi
      done
    done
  done
  check "-d/-dd/-ddd -i IF and -i any print tcpdump's program byte for byte" test "$same_d" -eq 1
  check "-d without -i: Ethernet, with tcpdump's warning on stderr" \
    diff <(in_a tcpdump -d udp 2>&1) <(in_a "$SLIMCAP" live -d udp 2>&1)
  check "-d -y TYPE without -i: TYPE's program, as tcpdump" \
    diff <(in_a tcpdump -d -y LINUX_SLL2 udp 2>&1) <(in_a "$SLIMCAP" live -d -y LINUX_SLL2 udp 2>&1)
  check "-L -i IF: tcpdump's list" diff <(in_a tcpdump -L -i "$IF_A" 2>&1) <(in_a "$SLIMCAP" live -L -i "$IF_A" 2>&1)
  check "-L -i any: tcpdump's list" diff <(in_a tcpdump -L -i any 2>&1) <(in_a "$SLIMCAP" live -L -i any 2>&1)
  check "-J -i IF: tcpdump's list (host only on veth)" diff <(in_a tcpdump -J -i "$IF_A" 2>&1) <(in_a "$SLIMCAP" live -J -i "$IF_A" 2>&1)
  check "-J -i any: tcpdump's list" diff <(in_a tcpdump -J -i any 2>&1) <(in_a "$SLIMCAP" live -J -i any 2>&1)
  in_a tcpdump -y LINUX_SLL -i "$IF_A" -c 1 >/dev/null 2>tcpdump-err.txt
  live_a -y LINUX_SLL -i "$IF_A" -c 1 >out.txt 2>err.txt
  check "-y of a type the interface lacks: tcpdump's text, exit 1" \
    test "$?" -eq 1 -a "$(cat err.txt)" = "$(sed 's/^tcpdump:/slimcap:/' tcpdump-err.txt)"
  in_a timeout -s INT 1 tcpdump -j adapter -i "$IF_A" >/dev/null 2>tcpdump-err.txt
  live_a -j adapter -i "$IF_A" --duration 0.3 >out.txt 2>err.txt
  check "-j of a type the interface lacks: tcpdump's warning, and the capture goes on with host" \
    test "$?" -eq 0 -a "$(head -1 err.txt)" = "$(head -1 tcpdump-err.txt | sed 's/^tcpdump:/slimcap:/')"
else
  ok "# SKIP -d, -L, -J and -y against tcpdump: tcpdump not installed"
fi
# A veth with a hardware clock as far as the ioctls go (an LD_PRELOAD shim): -J lists what
# ETHTOOL_GET_TS_INFO reports, as libpcap maps it, and -j adapter_unsynced captures (the
# kernel stamps in software when a packet has no hardware time).
if [ -n "$FAKE_HWTSTAMP" ]; then
  HW_ENV="LD_PRELOAD=$FAKE_HWTSTAMP SLIMCAP_TEST_HWTSTAMP_IF=$IF_A"
  LIVE_ENV=$HW_ENV live_a -J -i "$IF_A" >hw.txt 2>&1
  printf 'Time stamp types for %s (use option -j to set):\n  host (Host)\n  adapter_unsynced (Adapter, not synced with system time)\n' "$IF_A" >want.txt
  check "-J on a NIC with a raw hardware clock: host and adapter_unsynced" diff want.txt hw.txt
  if command -v tcpdump >/dev/null; then
    in_a env $HW_ENV tcpdump -J -i "$IF_A" >tcpdump-hw.txt 2>&1
    check "... as tcpdump lists them through the same ioctl" diff tcpdump-hw.txt hw.txt
  fi
  LIVE_ENV=$HW_ENV capture_sent ten.pcap -i "$IF_A" -c 10 -j adapter_unsynced -w hw.pcap
  check "-j adapter_unsynced: captures with no warning, status 0" \
    test "$rc" -eq 0 -a "$(grep -c WARNING err.txt)" -eq 0 -a "$("$SLIMCAP" read hw.pcap --count 2>/dev/null)" = "10 packets"
  LIVE_ENV=$HW_ENV capture_sent ten.pcap -i "$IF_A" -c 10 -j adapter_unsynced --mode socket -w hws.pcap
  check "-j adapter_unsynced --mode socket: SO_TIMESTAMPING, status 0, times within the run" \
    test "$rc" -eq 0 -a "$("$SLIMCAP" read hws.pcap -tt 2>/dev/null | awk -v now="$(date +%s)" '$1 > now - 60 && $1 <= now + 1' | wc -l)" -eq 10
fi
live_a -y bogus -i "$IF_A" >out.txt 2>err.txt
check "-y with an unknown name: usage error" test "$?" -eq 2 -a "$(cat err.txt)" = "slimcap: invalid data link type bogus"
live_a -j bogus -i "$IF_A" >out.txt 2>err.txt
check "-j with an unknown name: usage error" test "$?" -eq 2 -a "$(cat err.txt)" = "slimcap: invalid time stamp type bogus"
capture_sent ten.pcap -i "$IF_A" -c 10 -y DOCSIS -w docsis.pcap
check "-y DOCSIS: a DOCSIS file of the Ethernet frames" \
  test "$rc" -eq 0 -a "$("$SLIMCAP" read docsis.pcap -c 1 2>&1 >/dev/null)" = "reading from file docsis.pcap, link-type DOCSIS (DOCSIS), snapshot length 262144"
capture_sent single.pcap -i any -y LINUX_SLL -c "$SINGLE" -w sll.pcap
check "-y LINUX_SLL on any: status 0, the banner names it" \
  test "$rc" -eq 0 -a "$(grep -c '^listening on any, link-type LINUX_SLL (Linux cooked v1)' err.txt)" -eq 1
"$SLIMCAP" read sll.pcap -t -x 2>/dev/null | grep "^[[:space:]]" >got.txt
grep "^[[:space:]]" single.txt >want.txt
check "... every frame from the network header on, byte for byte" cmp want.txt got.txt
want=$("$SLIMCAP" read sll.pcap --count 'udp and inbound' 2>/dev/null)
capture_sent single.pcap -i any -y LINUX_SLL --duration 4 -w sllf.pcap 'udp and inbound'
check "... 'udp and inbound' selects what read selects in the LINUX_SLL file ($want)" \
  test "$("$SLIMCAP" read sllf.pcap --count 2>/dev/null)" = "$want" -a "$want" != "0 packets"

# --- --immediate-mode: a TPACKET_V2 frame ring, no block timeout wait ------------------------------
# Frames of -s bytes: 9100 holds the largest frame sent, and the 64 MiB ring then holds every
# frame of the burst (65600-byte frames by default: about 1000 of them).
capture_sent sent.pcap -i "$IF_A" -c "$SENT" --immediate-mode -s 9100 -w immall.pcap
"$SLIMCAP" read immall.pcap -t -x >got.txt 2>/dev/null
check "--immediate-mode: every sent frame byte for byte (VLAN tags, 9000-byte frames), status 0" ok_and_same sent.txt got.txt
capture_sent single.pcap -i any -c "$SINGLE" --immediate-mode -s 9100 -w immany.pcap
"$SLIMCAP" read immany.pcap -t -x 2>/dev/null | sed -E '/^\t/!s/^[^ ]+ +[A-Za-z]+ +(ethertype [^,]+, )?//' >got.txt
check "--immediate-mode -i any: every frame from the network header on" ok_and_same single.txt got.txt
want=$("$SLIMCAP" read sent.pcap --count 'vlan and udp' 2>/dev/null)
capture_sent sent.pcap -i "$IF_A" --duration 4 --immediate-mode -w immf.pcap 'vlan and udp'
check "--immediate-mode: 'vlan and udp' selects what read selects ($want)" \
  test "$("$SLIMCAP" read immf.pcap --count 2>/dev/null)" = "$want"
"$SLIMCAP" read sent.pcap -c 1 -w one.pcap udp 2>/dev/null
for mode in "" --immediate-mode; do
  rm -f err.txt
  ip netns exec "$NS_A" "$SLIMCAP" live -i "$IF_A" --block-timeout 5000 $mode -l udp >imm.txt 2>err.txt &
  pid=$!
  wait_listening err.txt
  in_b "$SENDPCAP" "$IF_B" one.pcap
  sleep 1
  lines=$(wc -l <imm.txt)
  kill -INT $pid
  timeout 10 tail -s 0.05 --pid=$pid -f /dev/null || kill -KILL $pid
  wait $pid
  if [ -n "$mode" ]; then
    check "--immediate-mode prints a lone packet within 1 s, whatever --block-timeout says" test "$lines" -eq 1
  else
    check "(without it, the same packet waits for the 5 s block timeout)" test "$lines" -eq 0
  fi
done

# --- -z: a command on each finished rotated file, after -Z --------------------------------------
live_a -i "$IF_A" -z gzip -w z.pcap >out.txt 2>err.txt
check "-z without -C or -G: usage error" test "$?" -eq 2 -a "$(cat err.txt)" = "slimcap: -z needs -C or -G"
if id nobody >/dev/null 2>&1; then
  mkdir -m 0777 zrot
  printf '#!/bin/sh\necho "$(id -u) $1" >>"%s/zrot/z.log"\n' "$WORK" >zrot/post-rotate
  chmod 0755 zrot/post-rotate
  capture_sent sent.pcap -i "$IF_A" -c "$SENT" -C 100k -Z nobody -z "$WORK/zrot/post-rotate" -w zrot/r.pcap
  for i in $(seq 50); do
    [ "$(cat zrot/z.log 2>/dev/null | wc -l)" -ge $(( $(ls zrot/r-*.pcap | wc -l) - 1 )) ] && break
    sleep 0.1
  done
  files=(zrot/r-*.pcap)
  expected=$(for f in "${files[@]:0:${#files[@]}-1}"; do echo "65534 $f"; done)
  check "-z ran on every rotated file but the last (${#files[@]} files), as nobody (-Z)" \
    test "$rc" -eq 0 -a "$(sort zrot/z.log)" = "$(echo "$expected" | sort)"
fi

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

tap_end
