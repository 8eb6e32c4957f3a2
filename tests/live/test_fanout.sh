#!/usr/bin/env bash
# Live tests of `slimcap fanout` (issue 10, "Tests") on a veth pair between two network
# namespaces created here and deleted on exit. Frames come from `slimcap-capgen --mix biflows`
# and `--mix fragments` captures replayed by the tests' own sender (tests/live/sendpcap) from
# the peer namespace: every frame is known and differs from every other, so a record captured
# twice is a duplicate. Records are compared, and flows found, by a small Python reader of the
# pcap files slimcap writes. One TAP line per check.
# Usage: test_fanout.sh SLIMCAP CAPGEN SENDPCAP
set -u -o pipefail

SLIMCAP=$1
CAPGEN=$2
SENDPCAP=$3
WORK=$(mktemp -d /tmp/slimcap-fanout.XXXXXX)
ID=$$
NS_A=slimcap-fa-$ID
NS_B=slimcap-fb-$ID
IF_A=sfa$ID
IF_B=sfb$ID
WORKERS=4
# Per worker: 8 MiB in 32 blocks. With the default 4 MiB blocks (two per worker) the kernel
# dropped 1 to 9 frames of a 20,000-frame burst when 16 workers shared the 2 CPUs; with more,
# smaller blocks a worker that runs late has room to catch up, and checks can ask for every frame.
RING=(-B 8192 --block-size 256)

# shellcheck source=tap.sh
. "$(dirname "$0")/tap.sh"

cleanup() {
  # The background processes this script started and has not waited for yet, by PID.
  local p
  for p in $(jobs -p); do kill -KILL "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
  ip netns del "$NS_A" 2>/dev/null
  ip netns del "$NS_B" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

if [ "$(id -u)" -ne 0 ] || ! command -v ip >/dev/null || ! command -v python3 >/dev/null; then
  echo "1..0 # SKIP live fanout tests need root, iproute2 and python3 to create network namespaces"
  exit 0
fi
if ! "$SLIMCAP" fanout --help 2>/dev/null | grep -q -- --workers; then
  echo "1..0 # SKIP slimcap fanout --help has no --workers: fanout is not in this build"
  exit 0
fi

# up NS IF: waits (at most 5 s) until IF has its carrier and its queue (see test_stats.sh).
up() {
  local _
  for _ in $(seq 100); do
    ip -n "$1" -o link show "$2" | grep 'state UP' | grep -q 'qdisc noqueue' && return 0
    sleep 0.05
  done
  return 1
}
ip netns add "$NS_A" && ip netns add "$NS_B" &&
  ip netns exec "$NS_A" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1 &&
  ip netns exec "$NS_B" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1 &&
  ip -n "$NS_A" link add "$IF_A" type veth peer name "$IF_B" netns "$NS_B" &&
  ip -n "$NS_A" link set "$IF_A" mtu 9000 up && ip -n "$NS_B" link set "$IF_B" mtu 9000 up &&
  up "$NS_A" "$IF_A" && up "$NS_B" "$IF_B" ||
  { echo "Bail out! cannot create the namespaces and veth pair"; exit 1; }

cd "$WORK" || exit 1

# The checker: each command reads pcap files slimcap wrote and prints what it found.
cat >fanout.py <<'EOF'
import collections, json, struct, sys

def fail(why):
    print(why)
    sys.exit(1)

def records(path):
    """(timestamp in ns, frame bytes) of every record of a little-endian pcap file."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 24:
        fail(f"{path}: {len(data)} bytes, no pcap header")
    magic = struct.unpack_from("<I", data, 0)[0]
    if magic not in (0xa1b2c3d4, 0xa1b23c4d):
        fail(f"{path}: not a little-endian pcap file")
    scale = 1000 if magic == 0xa1b2c3d4 else 1
    out, offset = [], 24
    while offset + 16 <= len(data):
        sec, frac, caplen = struct.unpack_from("<III", data, offset)
        out.append((sec * 1_000_000_000 + frac * scale, data[offset + 16:offset + 16 + caplen]))
        offset += 16 + caplen
    if offset != len(data):
        fail(f"{path}: {len(data) - offset} bytes after the last whole record")
    return out

def frames(paths):
    return [frame for p in paths for _, frame in records(p)]

def flow(frame, key):
    """The frame's flow, the same both ways: "tuple" (protocol, addresses, ports), "pair"
    (the addresses), "tcp5" (tuple for TCP, pair otherwise)."""
    ethertype = struct.unpack_from("!H", frame, 12)[0]
    if ethertype == 0x0800:
        proto, src, dst = frame[23], frame[26:30], frame[30:34]
        first = struct.unpack_from("!H", frame, 20)[0] & 0x1fff == 0
        ports_at = 14 + (frame[14] & 15) * 4 if first else None
    elif ethertype == 0x86dd:
        proto, src, dst, ports_at = frame[20], frame[22:38], frame[38:54], 54
    else:
        return ("ethertype", ethertype)
    if key == "pair" or (key == "tcp5" and proto != 6) or ports_at is None or proto not in (6, 17):
        return ("pair",) + tuple(sorted((src, dst)))
    sport, dport = struct.unpack_from("!HH", frame, ports_at)
    return (proto,) + tuple(sorted(((src, sport), (dst, dport))))

def source(frame):
    return frame[26:30] if struct.unpack_from("!H", frame, 12)[0] == 0x0800 else frame[22:38]

def main(command, args):
    if command == "duplicates":     # FILE...: records whose bytes an earlier record has
        counts = collections.Counter(frames(args))
        print(sum(counts.values()) - len(counts))
    elif command == "within":       # SENT FILE...: records of FILE... that are frames of SENT
        sent = set(frames([args[0]]))
        print(sum(1 for f in frames(args[1:]) if f in sent))
    elif command == "same":
        # SENT|- A... -- B...: the records of A... and of B... that are frames of SENT (-: all
        # records), compared as multisets: "same N", or how they differ.
        sent = set(frames([args[0]])) if args[0] != "-" else None
        at = args.index("--")
        a = collections.Counter(f for f in frames(args[1:at]) if sent is None or f in sent)
        b = collections.Counter(f for f in frames(args[at + 1:]) if sent is None or f in sent)
        if a == b:
            print(f"same {sum(a.values())}")
        else:
            print(f"{sum((a - b).values())} of {sum(a.values())} only in the first files, "
                  f"{sum((b - a).values())} of {sum(b.values())} only in the second")
    elif command == "split":        # KEY FILE...: "flows in more than one file, flows"
        where = collections.defaultdict(set)
        for i, p in enumerate(args[1:]):
            for _, frame in records(p):
                where[flow(frame, args[0])].add(i)
        print(sum(1 for files in where.values() if len(files) > 1), len(where))
    elif command == "loads":        # FILE...: the record counts, then max / min
        loads = [len(records(p)) for p in args]
        ratio = max(loads) / min(loads) if min(loads) > 0 else float("inf")
        print(" ".join(map(str, loads)), f"{ratio:.3f}")
    elif command == "ordered":      # FILE: records with an earlier time than the one before
        times = [t for t, _ in records(args[0])]
        print(sum(1 for a, b in zip(times, times[1:]) if b < a))
    elif command == "json-ordered":  # FILE: lines with an earlier "ts" than the one before
        times = [json.loads(line)["ts"] for line in open(args[0])]
        print(sum(1 for a, b in zip(times, times[1:]) if b < a))
    elif command == "json-workers":  # FILE N: "lines, lines without an integer worker in [0, N)"
        lines = [json.loads(line) for line in open(args[0])]
        bad = [o for o in lines if type(o.get("worker")) is not int or not 0 <= o["worker"] < int(args[1])]
        print(len(lines), len(bad))
    elif command == "flow-sample":  # SENT FILE...: "flows kept, sent, kept one way, kept not whole"
        sent = collections.defaultdict(collections.Counter)
        for frame in frames([args[0]]):
            sent[flow(frame, "tuple")][frame] += 1
        kept = collections.defaultdict(collections.Counter)
        for frame in frames(args[1:]):
            kept[flow(frame, "tuple")][frame] += 1
        one_way = sum(1 for k in kept.values() if len({source(f) for f in k}) < 2)
        not_whole = sum(1 for key, k in kept.items() if k != sent.get(key))
        print(len(kept), len(sent), one_way, not_whole)
    elif command == "within-sd":    # K N P SDS: K within SDS standard deviations of N * P
        k, n, p, sds = int(args[0]), int(args[1]), float(args[2]), float(args[3])
        sys.exit(abs(k - n * p) > sds * (n * p * (1 - p)) ** 0.5)
    else:
        fail(f"unknown command {command}")

try:
    main(sys.argv[1], sys.argv[2:])
except (OSError, LookupError, ValueError, TypeError, struct.error) as e:
    fail(f"{type(e).__name__}: {e}")
EOF
py() { python3 fanout.py "$@"; }

# The traffic. main: 20,000 frames over 1,000 flows (10 each way per flow); pre: 400,000 frames
# of the same flows with other payloads (about a second of sending), running while the workers
# start; chunk: for the SIGINT rounds; sampled: 20,000 frames over 400 flows (50 per flow).
N=20000
gen() { "$CAPGEN" "$@" >/dev/null 2>&1; }
gen --mix biflows --flows 1000 --packets $N --seed 1 -o main.pcap &&
  gen --mix biflows --flows 1000 --packets 400000 --seed 2 -o pre.pcap &&
  gen --mix biflows --flows 1000 --packets 100000 --seed 3 -o chunk.pcap &&
  gen --mix biflows --flows 400 --packets $N --seed 4 -o sampled.pcap &&
  gen --mix fragments -o fragments.pcap ||
  { echo "Bail out! capgen failed"; exit 1; }
[ "$("$SLIMCAP" read main.pcap --count 2>/dev/null)" = "$N packets" ] &&
  [ "$(py duplicates main.pcap pre.pcap sampled.pcap)" = 0 ] ||
  { echo "Bail out! the generated captures are not $N distinct frames"; exit 1; }

in_b() { ip netns exec "$NS_B" "$@"; }
send() { in_b "$SENDPCAP" "$IF_B" "$1"; }
# bg NAME ARGS...: `slimcap ARGS` in namespace A in the background, standard output in
# NAME.out, standard error in NAME.err; its PID (slimcap's own: `ip netns exec` execs it) in pid.
bg() {
  local name=$1; shift
  rm -f "$name.out" "$name.err"
  ip netns exec "$NS_A" "$SLIMCAP" "$@" >"$name.out" 2>"$name.err" &
  pid=$!
}
# fanout NAME ARGS...: bg NAME fanout on the test interface with 4 workers and small rings.
fanout() {
  local name=$1; shift
  bg "$name" fanout -i "$IF_A" --workers "$WORKERS" "${RING[@]}" "$@"
}
# wait_for FILE TEXT: until FILE has a line with TEXT, at most 5 s. fanout joins its group and
# swaps in the real filters before it prints the banner's "fanout group" line.
wait_for() {
  local _
  for _ in $(seq 100); do grep -q -- "$2" "$1" 2>/dev/null && return 0; sleep 0.05; done
  return 1
}
# finish PID: SIGINT, then waits at most 10 s before SIGKILL; the status in rc.
finish() {
  kill -INT "$1" 2>/dev/null
  timeout 10 tail -s 0.05 --pid="$1" -f /dev/null || kill -KILL "$1" 2>/dev/null
  wait "$1"
  rc=$?
}
# The counters of an ERR file: said ERR captured|received|dropped (tcpdump's three lines).
said() {
  case $2 in
    captured) awk '/^[0-9]+ packets? captured$/ {print $1}' "$1" ;;
    received) awk '/^[0-9]+ packets? received by filter$/ {print $1}' "$1" ;;
    dropped) awk '/^[0-9]+ packets? dropped by kernel$/ {print $1}' "$1" ;;
  esac
}
# worker_lines ERR: "K captured dropped" per "worker K:" line.
worker_lines() {
  sed -n 's/^worker \([0-9]*\): \([0-9]*\) packets\{0,1\} captured, [0-9]* received by filter, \([0-9]*\) dropped by kernel.*/\1 \2 \3/p' "$1"
}
# count FILE...: the records of the files, as `slimcap read --count` says; "bad" when it fails.
count() {
  local out
  out=$("$SLIMCAP" read "$@" --count 2>/dev/null) && echo "${out% packet*}" || echo bad
}
# files PREFIX: the per-worker files PREFIX0.pcap ... in worker order.
files() {
  local k
  for k in $(seq 0 $((WORKERS - 1))); do echo "$1$k.pcap"; done
}
# per_worker ERR PREFIX: succeeds when ERR has a line for each of the 4 workers and each
# worker's captured count is the number of records in its file; prints what it compared.
per_worker() {
  local k n good=0 lines
  lines=$(worker_lines "$1")
  [ "$(wc -l <<<"$lines")" -eq "$WORKERS" ] || good=1
  while read -r k n _; do
    echo "worker $k: said $n, file $(count "$2$k.pcap")"
    [ "$(count "$2$k.pcap")" = "$n" ] || good=1
  done <<<"$lines"
  return $good
}
# adds_up ERR: the tcpdump line's captured count is the sum of the worker lines'.
adds_up() {
  local total
  total=$(worker_lines "$1" | awk '{s += $2} END {print s + 0}')
  echo "captured $(said "$1" captured), workers $total"
  [ -n "$(said "$1" captured)" ] && [ "$(said "$1" captured)" = "$total" ]
}
# totals_match ERR FILE...: the captured total is the sum of the worker lines and the number of
# records in FILE...
totals_match() {
  local err=$1; shift
  adds_up "$err" && [ "$(said "$err" captured)" = "$(count "$@")" ]
}
# per_worker_totals ERR PREFIX: totals_match and per_worker for the files PREFIX0.pcap ...
per_worker_totals() {
  # shellcheck disable=SC2046
  totals_match "$1" $(files "$2") && per_worker "$1" "$2"
}
# printed_in_order TEXT N: N lines whose first fields (-tt times) never go down.
printed_in_order() {
  [ "$(wc -l <"$1")" = "$2" ] && awk '{print $1}' "$1" | sort -c -n
}
# sampled_ok RC ERR K: status 0, the banner's line about sampling, and K of the N frames sent
# kept: within 4 standard deviations of N / 10.
sampled_ok() {
  [ "$1" = 0 ] && grep -qx 'slimcap: keeping about 1 in 10 packets, chosen at random in the kernel' "$2" &&
    py within-sd "$3" "$N" 0.1 4
}
# banner_ok RC ERR MODE: status RC 0, and ERR begins with the two banner lines for MODE.
banner_ok() {
  local group
  group=$(sed -n 's/^slimcap: [0-9]* workers in fanout group \([0-9]*\) .*/\1/p' "$2")
  head -2 "$2"
  [ "$1" = 0 ] && [ -n "$group" ] &&
    [ "$(sed -n 1p "$2")" = "listening on $IF_A, link-type EN10MB (Ethernet), snapshot length 262144 bytes" ] &&
    [ "$(sed -n 2p "$2")" = "slimcap: $WORKERS workers in fanout group $group ($3)" ]
}

# --- a start under traffic: nothing twice, flows whole, what live captured ---------------------
# live (the reference) listens first; fanout starts with the 400,000 pre frames on their way,
# then main is sent once both have settled.
bg live live -i "$IF_A" "${RING[@]}" -w live.pcap
plive=$pid
wait_for live.err '^listening on'
fanout a -w 'a%n.pcap'
pa=$pid
send pre.pcap &
sender=$!
wait_for a.err 'fanout group'
kill -0 $sender 2>/dev/null && overlapped=yes || overlapped=no
wait $sender
sleep 0.3
send main.pcap
sleep 0.5
finish $pa; ra=$rc
finish $plive; rlive=$rc
mapfile -t A < <(files a)
check "fanout -w 'a%n.pcap' started under traffic: status 0 and the two banner lines" \
  banner_ok "$ra" a.err hash
got=$(py within pre.pcap "${A[@]}")
check "... the pre traffic was still being sent when the banner came (sender running: $overlapped; $got of its 400000 frames in the files)" \
  test "$overlapped" = yes -a "${got:-0}" -gt 0 -a "${got:-0}" -lt 400000
got=$(py duplicates "${A[@]}")
check "no record is in the worker files twice ($got duplicates in $(count "${A[@]}") records)" test "$got" = 0
got=$(py same main.pcap "${A[@]}" -- live.pcap)
check "the main traffic: the worker files hold the records live captured ($got)" test "$got" = "same $N"
got=$(py same main.pcap "${A[@]}" -- main.pcap)
check "... which are the $N frames sent ($got)" test "$got" = "same $N"
read -r split flows <<<"$(py split tuple "${A[@]}")"
check "every flow (5-tuple, both directions) is in exactly one worker file ($split of $flows split)" \
  test "$split" = 0 -a "$flows" -ge 1000
check "the per-worker counts printed are the per-file counts" per_worker a.err a
check "live: status 0" test "$rlive" -eq 0

# --- two groups at once: per-worker files, the merged file, --json, --print ---------------------
fanout c -w 'c%n.pcap'; pc=$pid
fanout m -w m.pcap; pm=$pid
fanout j --json; pj=$pid
fanout p -w 'p%n.pcap' --print -tt; pp=$pid
for f in c m j p; do wait_for $f.err 'fanout group'; done
send main.pcap
sleep 0.5
finish $pc; rcc=$rc; finish $pm; rm_=$rc; finish $pj; rj=$rc; finish $pp; rp=$rc
mapfile -t C < <(files c)
groups=$(for f in c m j p; do sed -n 's/.*in fanout group \([0-9]*\) .*/\1/p' $f.err; done | sort -u | wc -l)
check "four runs without --fanout-group at once: status 0, four different groups ($groups)" \
  test "$rcc$rm_$rj$rp" = 0000 -a "$groups" = 4
for run in c m; do
  captured=$(said $run.err captured); dropped=$(said $run.err dropped)
  check "-w $([ $run = c ] && echo "'c%n.pcap'" || echo m.pcap): captured + dropped = $N sent ($captured + $dropped)" \
    test "$((${captured:-0} + ${dropped:-0}))" = "$N"
done
got=$(py same main.pcap "${C[@]}" -- main.pcap)
check "... each run sees all $N: the per-worker files ($got)" test "$got" = "same $N"
got=$(py same main.pcap m.pcap -- main.pcap)
check "... and the merged file ($got)" test "$got" = "same $N"
check "... the per-worker counts printed are the per-file counts" per_worker c.err c
got="$(py duplicates "${C[@]}") $(py split tuple "${C[@]}")"
check "... nothing twice, every flow in one file (duplicates, split flows, flows: $got)" \
  test "${got% *}" = "0 0"
got=$(py ordered m.pcap)
check "the merged file is in time order ($got records earlier than the one before)" test "$got" = 0
got=$(py same - m.pcap -- "${C[@]}")
check "... and holds every record of the per-worker run ($got)" test "$got" = "same $N"
check "... its printed counters add up: total captured = the worker lines = the file's $(count m.pcap) records" \
  totals_match m.err m.pcap
read -r lines bad <<<"$(py json-workers j.out $WORKERS)"
check "--json: one object per packet ($lines), each with a \"worker\" key in 0-3 ($bad without)" \
  test "$lines" = "$N" -a "$bad" = 0
got=$(py json-ordered j.out)
check "... in time order ($got out of order)" test "$got" = 0
check "--print -tt: one line per packet ($(wc -l <p.out)), in time order" \
  printed_in_order p.out "$N"
# shellcheck disable=SC2046
got=$(count $(files p))
check "... while -w 'p%n.pcap' writes the same packets to the worker files ($got)" test "$got" = "$N"

# --- lb, flow2, flow4, tcp5 on 1,000 flows --------------------------------------------------------
declare -A run_pid run_rc
for mode in lb flow2 flow4 tcp5; do fanout "$mode" --cluster "$mode" -w "$mode%n.pcap"; run_pid[$mode]=$pid; done
for mode in lb flow2 flow4 tcp5; do wait_for "$mode.err" 'fanout group'; done
send main.pcap
sleep 0.5
for mode in lb flow2 flow4 tcp5; do finish "${run_pid[$mode]}"; run_rc[$mode]=$rc; done
for mode in lb flow2 flow4 tcp5; do
  mapfile -t F < <(files "$mode")
  check "--cluster $mode: status 0 and the two banner lines" banner_ok "${run_rc[$mode]}" "$mode.err" "$mode"
  captured=$(said "$mode.err" captured); dropped=$(said "$mode.err" dropped)
  check "... captured + dropped = $N sent ($captured + $dropped)" \
    test "$((${captured:-0} + ${dropped:-0}))" = "$N"
  got=$(py same main.pcap "${F[@]}" -- main.pcap)
  check "... the worker files hold the $N frames sent, once each ($got)" test "$got" = "same $N"
  check "... the per-worker counts printed are the per-file counts" per_worker "$mode.err" "$mode"
  read -r l0 l1 l2 l3 ratio <<<"$(py loads "${F[@]}")"
  if [ "$mode" = lb ]; then
    read -r lo hi <<<"$(printf '%s\n' "$l0" "$l1" "$l2" "$l3" | sort -n | sed -n '1p;$p' | paste -sd' ')"
    check "lb: the worker counts are within one of each other ($l0 $l1 $l2 $l3)" \
      test -n "$l3" -a "$((hi - lo))" -le 1
  else
    key=tuple; [ "$mode" = flow2 ] && key=pair; [ "$mode" = tcp5 ] && key=tcp5
    read -r split flows <<<"$(py split $key "${F[@]}")"
    check "$mode: every flow ($key, both directions) is in exactly one worker file ($split of $flows split)" \
      test "$split" = 0 -a "$flows" = 1000
    check "$mode: max/min load over the 4 workers below 1.5 ($l0 $l1 $l2 $l3: $ratio)" \
      python3 -c "import sys; sys.exit(not $ratio < 1.5)"
  fi
done

# --- --defrag: the kernel reassembles the three fragments before choosing a worker ---------------
fanout d --defrag -w 'd%n.pcap'; pd=$pid
fanout n -w 'n%n.pcap'; pn=$pid
wait_for d.err 'fanout group' && wait_for n.err 'fanout group'
send fragments.pcap
sleep 0.5
finish $pd; rd=$rc; finish $pn; rn=$rc
mapfile -t D < <(files d)
mapfile -t ND < <(files n)
check "--defrag: status 0, the banner says (hash, defrag)" banner_ok "$rd" d.err "hash, defrag"
got="$(count "${D[@]}") $(count "${D[@]}" 'ip[6:2] & 0x3fff != 0') $(count "${D[@]}" 'udp and ip[2:2] = 3028')"
check "... one record for the three-fragment datagram: 3 records in all, no fragment, one 3028-byte datagram ($got)" \
  test "$got" = "3 0 1"
got="$(count "${ND[@]}") $(count "${ND[@]}" 'ip[6:2] & 0x3fff != 0')"
check "without --defrag (at the same time): 5 records, the 3 fragments among them ($got)" \
  test "$rn" = 0 -a "$got" = "5 3"

# --- a named group: shared by two lives, refused to another mode ---------------------------------
bg g1 live -i "$IF_A" "${RING[@]}" --fanout-group 7 -w g1.pcap; pg1=$pid
wait_for g1.err 'fanout group'
bg g2 live -i "$IF_A" "${RING[@]}" --fanout-group 7 -w g2.pcap; pg2=$pid
wait_for g2.err 'fanout group'
send main.pcap
sleep 0.5
ip netns exec "$NS_A" timeout -s INT 30 "$SLIMCAP" fanout -i "$IF_A" --workers "$WORKERS" "${RING[@]}" \
  --fanout-group 7 --cluster lb --duration 2 -w mismatch.pcap >mismatch.out 2>mismatch.err
rmis=$?
finish $pg1; rg1=$rc; finish $pg2; rg2=$rc
check "live --fanout-group 7 twice: status 0, the banner names the group" \
  test "$rg1$rg2" = 00 -a "$(grep -c '^slimcap: in fanout group 7 (hash)$' g1.err g2.err | grep -c ':1$')" = 2
got=$(py same main.pcap g1.pcap g2.pcap -- main.pcap)
check "... the two files share the $N frames, none in both ($got; $(count g1.pcap) + $(count g2.pcap))" \
  test "$got" = "same $N" -a "$(count g1.pcap)" -gt 0 -a "$(count g2.pcap)" -gt 0
read -r split flows <<<"$(py split tuple g1.pcap g2.pcap)"
check "... every flow in one of them ($split of $flows split)" test "$split" = 0 -a "$flows" = 1000
check "fanout --fanout-group 7 --cluster lb while group 7 is hash: exit 1, one line naming the group ($(head -c 300 mismatch.err))" \
  test "$rmis" = 1 -a "$(cat mismatch.err)" = "slimcap: $IF_A: fanout group 7 exists with another mode or interface"

# --- --sample 10 (live and fanout), --sample-flows 4 ---------------------------------------------
bg ls live -i "$IF_A" "${RING[@]}" --sample 10 -w ls.pcap; pls=$pid
fanout fs --sample 10 -w 'fs%n.pcap'; pfs=$pid
fanout sf --sample-flows 4 -w 'sf%n.pcap'; psf=$pid
wait_for ls.err '^listening on' && wait_for fs.err 'fanout group' && wait_for sf.err 'fanout group'
send sampled.pcap
sleep 0.5
finish $pls; rls=$rc; finish $pfs; rfs=$rc; finish $psf; rsf=$rc
mapfile -t FS < <(files fs)
mapfile -t SF < <(files sf)
got=$(count ls.pcap)
check "live --sample 10: status 0, kept $got of $N, within 4 sd ($(python3 -c "print(round(($N * 0.09) ** 0.5, 1))")) of $((N / 10))" \
  sampled_ok "$rls" ls.err "$got"
got=$(count "${FS[@]}")
check "fanout --sample 10: status 0, kept $got of $N, within 4 sd of $((N / 10))" \
  sampled_ok "$rfs" fs.err "$got"
check "... the per-worker counts printed are the per-file counts" per_worker fs.err fs
check "... and the kept records are frames sent, none twice ($(py within sampled.pcap "${FS[@]}") of $got sent, $(py duplicates "${FS[@]}") twice)" \
  test "$(py within sampled.pcap "${FS[@]}")" = "$got" -a "$(py duplicates "${FS[@]}")" = 0
read -r kept flows one_way not_whole <<<"$(py flow-sample sampled.pcap "${SF[@]}")"
check "fanout --sample-flows 4: status 0, every kept flow has both directions ($one_way of $kept one way)" \
  test "$rsf" = 0 -a "$one_way" = 0 -a "$kept" -gt 0
check "... and all its frames ($not_whole of $kept kept flows not whole)" test "$not_whole" = 0 -a "$kept" -gt 0
check "... about a quarter of the $flows flows kept: $kept, within 4 sd of $((flows / 4))" \
  py within-sd "$kept" "$flows" 0.25 4
check "... the per-worker counts printed are the per-file counts" per_worker sf.err sf

# --- SIGINT at random moments while frames arrive ---------------------------------------------------
# Per-worker files and a merged file at once; the sender replays chunk (100,000 frames) until
# told to stop, 20 times at most.
for round in 1 2 3 4 5; do
  rm -f r*.pcap rm.pcap stop
  fanout r -w 'r%n.pcap'; pr=$pid
  fanout rm -w rm.pcap; prm=$pid
  wait_for r.err 'fanout group' && wait_for rm.err 'fanout group'
  (for k in $(seq 20); do [ -e stop ] && break; send chunk.pcap || break; done) &
  sender=$!
  moment=$(python3 -c "import random; print(f'{random.uniform(0.1, 1.5):.2f}')")
  sleep "$moment"
  kill -0 $sender 2>/dev/null && flowing=yes || flowing=no
  finish $pr; rr=$rc; finish $prm; rrm=$rc
  touch stop
  wait $sender
  mapfile -t R < <(files r)
  valid=yes
  for f in "${R[@]}" rm.pcap; do
    "$SLIMCAP" read "$f" --count >/dev/null 2>"$f.read-err" && ! grep -qv '^reading from' "$f.read-err" || valid="no ($f)"
  done
  check "SIGINT round $round/5, after $moment s (traffic flowing: $flowing): status 0 both, every worker file and the merged file valid ($valid)" \
    test "$rr$rrm" = 00 -a "$valid" = yes -a "$flowing" = yes
  check "... per-worker run: total captured = the worker lines = the records in the files ($(adds_up r.err | tr '\n' ' '))" \
    per_worker_totals r.err r
  check "... merged run: total captured = the worker lines = the records in the file ($(adds_up rm.err | tr '\n' ' '), file $(count rm.pcap))" \
    totals_match rm.err rm.pcap
done

tap_end
