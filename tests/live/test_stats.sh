#!/usr/bin/env bash
# Live tests of `slimcap stats` on a veth pair between two network namespaces created here and
# deleted on exit. Frames come from a `slimcap-capgen` capture replayed by the tests' own sender
# (tests/live/sendpcap) from the peer namespace, so every frame and byte is known. Rows are read
# back with a small Python checker (JSON lines, CSV columns, the Prometheus text format). One TAP
# line per check.
# Usage: test_stats.sh SLIMCAP CAPGEN SENDPCAP
set -u -o pipefail

SLIMCAP=$1
CAPGEN=$2
SENDPCAP=$3
WORK=$(mktemp -d /tmp/slimcap-stats.XXXXXX)
ID=$$
NS_A=slimcap-sa-$ID
NS_B=slimcap-sb-$ID
IF_A=ssa$ID
IF_B=ssb$ID

# shellcheck source=tap.sh
. "$(dirname "$0")/tap.sh"

cleanup() {
  ip netns del "$NS_A" 2>/dev/null
  ip netns del "$NS_B" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT

if [ "$(id -u)" -ne 0 ] || ! command -v ip >/dev/null || ! command -v python3 >/dev/null; then
  echo "1..0 # SKIP live stats tests need root, iproute2 and python3 to create network namespaces"
  exit 0
fi
help=$("$SLIMCAP" stats --help 2>/dev/null)
for flag in --json --csv --prom --capture --duration; do
  if ! grep -q -- "$flag" <<<"$help"; then
    echo "1..0 # SKIP slimcap stats --help has no $flag: the live stats command is not in this build"
    exit 0
  fi
done

# up NS IF: waits (at most 5 s) until IF has its carrier and its queue: the kernel does both in
# deferred link-watch work, up to a second after "ip link set up" on a busy machine, and until
# then the interface's noop queue drops every frame sent on it.
up() {
  local i
  for i in $(seq 100); do
    ip -n "$1" -o link show "$2" | grep 'state UP' | grep -q 'qdisc noqueue' && return 0
    sleep 0.05
  done
  return 1
}
make_pair() {
  ip -n "$NS_A" link add "$IF_A" type veth peer name "$IF_B" netns "$NS_B" &&
    ip -n "$NS_A" link set "$IF_A" mtu 9000 up && ip -n "$NS_B" link set "$IF_B" mtu 9000 up &&
    up "$NS_A" "$IF_A" && up "$NS_B" "$IF_B"
}
ip netns add "$NS_A" && ip netns add "$NS_B" &&
  ip netns exec "$NS_A" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1 &&
  ip netns exec "$NS_B" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1 &&
  ip -n "$NS_A" link set lo up && make_pair ||
  { echo "Bail out! cannot create the namespaces and veth pair"; exit 1; }

cd "$WORK" || exit 1

# The checker: every subcommand reads a file slimcap wrote and prints a number or complains.
cat >rows.py <<'EOF'
import csv, json, math, re, struct, sys, time

DELTAS = ["rx_packets", "rx_bytes", "tx_packets", "tx_bytes", "rx_errors", "tx_errors",
          "rx_dropped", "tx_dropped", "rx_missed_errors", "rx_fifo_errors", "rx_nohandler",
          "softnet_dropped", "softnet_time_squeeze"]
CAPTURE = ["capture_packets", "capture_bytes", "socket_drops", "ring_freezes"]
GAUGES = ["ring_used", "ring_size"]
RATES = ["rx_pps", "rx_bps", "tx_pps", "tx_bps"]

def fail(why):
    print(why)
    sys.exit(1)

def objects(path):
    out = []
    with open(path) as f:
        for number, line in enumerate(f, 1):
            try:
                o = json.loads(line)
            except ValueError as e:
                fail(f"line {number} is not JSON ({e}): {line[:200]}")
            if not isinstance(o, dict):
                fail(f"line {number} is not an object")
            out.append(o)
    return out

def intervals(path, interface):
    return [o for o in objects(path) if o.get("type") == "interval" and o.get("interface") == interface]

def counted(path, interface):
    return [o for o in intervals(path, interface) if not o["reset"]]

def run_row(path, interface):
    runs = [o for o in objects(path) if o.get("type") == "run" and o.get("interface") == interface]
    if len(runs) != 1:
        fail(f"{len(runs)} run objects for {interface}")
    return runs[0]

def check_json(path, interfaces, capture):
    rows = objects(path)
    if not rows:
        fail("no output")
    now = time.time()
    seen_run = set()
    for number, o in enumerate(rows, 1):
        where = f"line {number}: "
        if o.get("version") != 1:
            fail(where + "no \"version\":1")
        if o.get("type") not in ("interval", "run"):
            fail(where + f"type {o.get('type')!r}")
        if o.get("interface") not in interfaces:
            fail(where + f"interface {o.get('interface')!r} not among {interfaces}")
        if not isinstance(o.get("time"), (int, float)) or abs(o["time"] - now) > 600:
            fail(where + f"time {o.get('time')!r} is not now in seconds since the epoch")
        if not isinstance(o.get("elapsed"), (int, float)) or o["elapsed"] <= 0:
            fail(where + f"elapsed {o.get('elapsed')!r}")
        if not isinstance(o.get("reset"), bool):
            fail(where + "no boolean \"reset\"")
        if o["type"] == "run":
            seen_run.add(o["interface"])
        elif o["interface"] in seen_run:
            fail(where + "an interval row after the run's totals")
        deltas = DELTAS + (CAPTURE if capture else [])
        rates = RATES + (["capture_pps", "capture_bps"] if capture else [])
        if o["reset"]:
            extra = [k for k in deltas + rates if k in o]
            if extra:
                fail(where + f"a reset row with deltas or rates: {extra}")
            continue
        if not isinstance(o.get("ifindex"), int) or o["ifindex"] <= 0:
            fail(where + f"ifindex {o.get('ifindex')!r}")
        for k in deltas + [d + "_total" for d in deltas]:
            if not isinstance(o.get(k), int) or o[k] < 0:
                fail(where + f"{k} is {o.get(k)!r}, not a count")
        for k in rates:
            if not isinstance(o.get(k), (int, float)) or o[k] < 0 or math.isnan(o[k]):
                fail(where + f"{k} is {o.get(k)!r}, not a rate")
        if capture:
            for k in GAUGES:
                if not isinstance(o.get(k), int) or o[k] < 0:
                    fail(where + f"{k} is {o.get(k)!r}")
            if o["ring_used"] > o["ring_size"]:
                fail(where + "ring_used > ring_size")
        # Rates are the delta over the measured time.
        for rate, delta, scale in (("rx_pps", "rx_packets", 1), ("rx_bps", "rx_bytes", 8),
                                   ("tx_pps", "tx_packets", 1), ("tx_bps", "tx_bytes", 8)):
            want = o[delta] * scale / o["elapsed"]
            if abs(o[rate] - want) > 1e-6 * max(1.0, want) + 0.01:
                fail(where + f"{rate} {o[rate]} is not {delta} * {scale} / elapsed = {want}")
    if seen_run != set(interfaces):
        fail(f"run totals for {sorted(seen_run)}, want {sorted(interfaces)}")
    print(f"{len(rows)} objects")

def check_csv(path, header):
    with open(path, newline="") as f:
        lines = list(csv.reader(f))
    if not lines:
        fail("no output")
    if header != (lines[0][0] == "time"):
        fail(f"first line {lines[0][:4]}: header expected: {header}")
    widths = {len(l) for l in lines}
    if len(widths) != 1:
        fail(f"rows of {sorted(widths)} columns")
    print(len(lines) - (1 if header else 0))

def csv_column_sum(path, interface, column):
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    total = 0
    for r in rows:
        # A reset row leaves its deltas empty.
        if r.get("interface") == interface and r.get(column):
            total += int(r[column])
    return total

NAME = r"[a-zA-Z_:][a-zA-Z0-9_:]*"
LABEL = r"[a-zA-Z_][a-zA-Z0-9_]*"
SAMPLE = re.compile(r"^(" + NAME + r")(\{(.*)\})?\s+(\S+)(\s+-?[0-9]+)?$")
LABEL_PAIR = re.compile(r'\s*(' + LABEL + r')\s*=\s*"((?:[^"\\\n]|\\\\|\\"|\\n)*)"\s*(,|$)')

def parse_prom(path):
    """The Prometheus text exposition format (0.0.4): returns {(name, labels): value}."""
    types, helps, samples, finished, current = {}, set(), {}, set(), None
    with open(path) as f:
        text = f.read()
    if not text.endswith("\n"):
        fail("the file does not end with a newline")
    for number, line in enumerate(text.split("\n")[:-1], 1):
        where = f"line {number}: "
        if not line.strip():
            continue
        if line.startswith("#"):
            parts = line.split(None, 3)
            if len(parts) >= 3 and parts[1] in ("HELP", "TYPE"):
                name = parts[2]
                if not re.fullmatch(NAME, name):
                    fail(where + f"bad metric name {name!r}")
                if parts[1] == "HELP":
                    if name in helps:
                        fail(where + f"second HELP for {name}")
                    helps.add(name)
                else:
                    if name in types:
                        fail(where + f"second TYPE for {name}")
                    if len(parts) < 4 or parts[3] not in ("counter", "gauge", "histogram", "summary", "untyped"):
                        fail(where + f"bad type in {line!r}")
                    if any(s[0] == name for s in samples):
                        fail(where + f"TYPE of {name} after its samples")
                    types[name] = parts[3]
            continue
        m = SAMPLE.match(line)
        if not m:
            fail(where + f"not a sample: {line!r}")
        name, labels_text, value = m.group(1), m.group(3), m.group(4)
        if name != current:
            if name in finished:
                fail(where + f"samples of {name} are not one group")
            if current is not None:
                finished.add(current)
            current = name
        if name not in types:
            fail(where + f"{name} has no TYPE line")
        if types[name] == "counter" and not name.endswith("_total"):
            fail(where + f"counter {name} does not end in _total")
        labels = []
        rest = labels_text or ""
        while rest.strip():
            lm = LABEL_PAIR.match(rest)
            if not lm:
                fail(where + f"bad labels {labels_text!r}")
            labels.append((lm.group(1), lm.group(2)))
            rest = rest[lm.end():]
        try:
            number_value = float(value)
        except ValueError:
            fail(where + f"bad value {value!r}")
        key = (name, tuple(sorted(labels)))
        if key in samples:
            fail(where + f"duplicate series {key}")
        samples[key] = number_value
    if not samples:
        fail("no samples")
    return samples

def pcap_totals(path):
    """Frames and wire bytes (orig_len) of a little-endian pcap file."""
    with open(path, "rb") as f:
        data = f.read()
    if struct.unpack_from("<I", data, 0)[0] not in (0xa1b2c3d4, 0xa1b23c4d):
        fail("not a little-endian pcap file")
    offset, frames, wire = 24, 0, 0
    while offset + 16 <= len(data):
        caplen, orig = struct.unpack_from("<II", data, offset + 8)
        frames, wire, offset = frames + 1, wire + orig, offset + 16 + caplen
    return frames, wire

def main(command, args):
    if command == "json":        # FILE CAPTURE(0|1) INTERFACE...
        check_json(args[0], args[2:], args[1] == "1")
    elif command == "sum":       # FILE INTERFACE KEY: over counted interval rows
        print(sum(o[args[2]] for o in counted(args[0], args[1])))
    elif command == "max-delta": # FILE INTERFACE: the largest rx_packets of a row, and rx_pps * elapsed
        rows = counted(args[0], args[1])
        print(max([0] + [max(o["rx_packets"], round(o["rx_pps"] * o["elapsed"])) for o in rows]))
    elif command == "run":       # FILE INTERFACE KEY
        print(run_row(args[0], args[1])[args[2]])
    elif command == "last":      # FILE INTERFACE KEY: in the last counted interval row
        print(counted(args[0], args[1])[-1][args[2]])
    elif command == "rows":      # FILE INTERFACE [reset]: interval rows (reset ones only)
        rows = intervals(args[0], args[1])
        print(len([o for o in rows if len(args) < 3 or o["reset"]]))
    elif command == "elapsed":   # FILE INTERFACE: "sum last" of the interval rows' elapsed
        rows = intervals(args[0], args[1]) or fail("no rows")
        print(f"{sum(o['elapsed'] for o in rows):.3f} {rows[-1]['elapsed']:.3f}")
    elif command == "ifindexes": # FILE INTERFACE: the distinct indexes, in order
        seen = []
        for o in intervals(args[0], args[1]):
            if "ifindex" in o and o["ifindex"] not in seen:
                seen.append(o["ifindex"])
        print(" ".join(map(str, seen)))
    elif command == "interfaces":  # FILE: the interfaces with rows, sorted
        print(" ".join(sorted({o["interface"] for o in objects(args[0])})))
    elif command == "csv":       # FILE HEADER(0|1)
        check_csv(args[0], args[1] == "1")
    elif command == "csv-sum":   # FILE INTERFACE COLUMN
        print(csv_column_sum(args[0], args[1], args[2]))
    elif command == "prom":      # FILE: parses; prints the number of series
        print(len(parse_prom(args[0])))
    elif command == "prom-get":  # FILE NAME INTERFACE
        print(int(parse_prom(args[0]).get((args[1], (("interface", args[2]),)), -1)))
    elif command == "pcap":      # FILE: "frames wire-bytes"
        print(*pcap_totals(args[0]))
    elif command == "mix-sum":   # FILE INTERFACE: "total udp tcp" packets of the intervals' mixes
        rows = counted(args[0], args[1])
        print(*(sum(o["protocols"][k]["packets"] for o in rows) for k in ("total", "udp", "tcp")))
    elif command == "top":       # FILE INTERFACE|- KIND: "address:packets ..." of a run row or a file
        o = run_row(args[0], args[1]) if args[1] != "-" else objects(args[0])[0]
        print(" ".join(f"{t.get('address') or t['a'] + '-' + t['b']}:{t['packets']}"
                       for t in o[args[2]]))
    elif command == "kernel":    # JSON of `ip -s -j link show IF`, on stdin: "rx_packets rx_bytes"
        link = json.load(sys.stdin)[0]["stats64"]["rx"]
        print(link["packets"], link["bytes"])
    else:
        fail(f"unknown command {command}")

try:
    main(sys.argv[1], sys.argv[2:])
except (OSError, LookupError, ValueError, TypeError) as e:
    fail(f"{type(e).__name__}: {e}")
EOF
rows() { python3 rows.py "$@"; }

"$CAPGEN" --mix imix --packets 3000 --seed 21 -o sent.pcap >/dev/null 2>&1 || { echo "Bail out! capgen failed"; exit 1; }
read -r SENT SENT_BYTES <<<"$(rows pcap sent.pcap)"
"$SLIMCAP" read sent.pcap -c 10 -w ten.pcap 2>/dev/null
"$SLIMCAP" read sent.pcap -c 20 -w twenty.pcap 2>/dev/null
"$SLIMCAP" read sent.pcap -w udp.pcap udp 2>/dev/null
read -r UDP UDP_BYTES <<<"$(rows pcap udp.pcap)"
[ "${SENT:-0}" -gt 1000 ] && [ "${UDP:-0}" -gt 100 ] || { echo "Bail out! no test frames ($SENT, $UDP)"; exit 1; }

in_b() { ip netns exec "$NS_B" "$@"; }
# stats_a OUT ARGS...: `slimcap stats ARGS` in namespace A in the background, standard output
# in OUT, standard error in OUT.err; its PID (slimcap's own: `ip netns exec` execs it) in pid.
stats_a() {
  local out=$1; shift
  ip netns exec "$NS_A" "$SLIMCAP" stats "$@" >"$out" 2>"$out.err" &
  pid=$!
}
# Waits until FILE has a line with TEXT, at most 5 s.
wait_for() {
  local i
  for i in $(seq 50); do grep -q -- "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
  return 1
}
# finish PID [SECONDS]: waits for PID at most SECONDS (20), then kills it; status in rc.
# tail --pid looks once a second unless told otherwise (-s): the timings below need finer.
finish() {
  timeout "${2:-20}" tail -s 0.05 --pid="$1" -f /dev/null || kill -KILL "$1" 2>/dev/null
  wait "$1"
  rc=$?
}

# --- every frame and byte, in JSON, CSV and Prometheus at once -----------------------------------
stats_a j.json -i "$IF_A" -I 0.5 --duration 4 --json; pj=$pid
stats_a c.csv -i "$IF_A" -I 0.5 --duration 4 --csv; pc=$pid
stats_a n.csv -i "$IF_A" -I 0.5 -c 3 --csv --no-header; pn=$pid
mkdir prom
stats_a p.out -i "$IF_A" -I 0.5 --duration 4 --prom prom/slimcap.prom; pp=$pid
wait_for j.json "\"$IF_A\"" && wait_for c.csv "$IF_A" && sleep 0.2
in_b "$SENDPCAP" "$IF_B" sent.pcap
finish $pj; rj=$rc; finish $pc; rcsv=$rc; finish $pn; rn=$rc; finish $pp; rp=$rc
check "stats --json: status 0, nothing on standard error" test "$rj" -eq 0 -a ! -s j.json.err
check "every --json line is a JSON object with the documented keys, the rates delta / elapsed" \
  rows json j.json 0 "$IF_A"
got=$(rows sum j.json "$IF_A" rx_packets)
check "the interval rx_packets add up to the $SENT frames sent (got $got)" test "$got" = "$SENT"
got=$(rows sum j.json "$IF_A" rx_bytes)
check "the interval rx_bytes add up to the $SENT_BYTES bytes sent (got $got)" test "$got" = "$SENT_BYTES"
got=$(rows sum j.json "$IF_A" tx_packets)
check "... and nothing was sent the other way (tx_packets $got)" test "$got" = 0 -a "$(rows rows j.json "$IF_A")" -gt 0
got=$(rows run j.json "$IF_A" rx_packets)
check "the run object's rx_packets is the sum of the intervals ($got)" test "$got" = "$SENT"
read -r k_packets k_bytes <<<"$(ip -n "$NS_A" -s -j link show "$IF_A" | rows kernel)"
got="$(rows last j.json "$IF_A" rx_packets_total) $(rows last j.json "$IF_A" rx_bytes_total)"
check "rx_packets_total and rx_bytes_total are the kernel's counters ($got; ip: $k_packets $k_bytes)" \
  test "$got" = "$k_packets $k_bytes"
read -r total last <<<"$(rows elapsed j.json "$IF_A")"
check "--duration 4 -I 0.5: the rows' elapsed times add up to 4 s ($total)" \
  python3 -c "import sys; sys.exit(abs($total - 4) > 0.1)"

check "stats --csv: status 0" test "$rcsv" -eq 0
check "--csv: a header line, then rows of as many columns" rows csv c.csv 1
got=$(rows csv-sum c.csv "$IF_A" rx_packets)
check "... whose rx_packets add up to the frames sent ($got)" test "$got" = "$SENT"
check "--csv --no-header -c 3: status 0" test "$rn" -eq 0
got=$(rows csv n.csv 0)
check "... no header line, 3 rows of as many columns ($got)" test "$got" = 3

check "stats --prom: status 0, nothing on standard output" test "$rp" -eq 0 -a ! -s p.out
check "the --prom file parses as the Prometheus text format (TYPE before samples, one group per metric, counters _total)" \
  rows prom prom/slimcap.prom
got=$(rows prom-get prom/slimcap.prom slimcap_rx_packets_total "$IF_A")
check "slimcap_rx_packets_total{interface=\"$IF_A\"} is the kernel's count ($got; ip: $k_packets)" \
  test "$got" = "$k_packets"
check "... and no temporary file is left beside it" test "$(ls -A prom)" = slimcap.prom
if command -v promtool >/dev/null; then
  check "promtool check metrics accepts the --prom file" sh -c "promtool check metrics <prom/slimcap.prom"
else
  ok "promtool check metrics # SKIP promtool (package prometheus) is not installed"
fi

# --- --capture FILTER counts exactly the frames the filter selects -------------------------------
stats_a cap.json -i "$IF_A" -I 0.5 --duration 4 --json --capture udp
wait_for cap.json "\"$IF_A\"" && sleep 0.2
in_b "$SENDPCAP" "$IF_B" sent.pcap
finish $pid
check "stats --capture udp --json: status 0" test "$rc" -eq 0
check "... every line has the capture keys too" rows json cap.json 1 "$IF_A"
got="$(rows sum cap.json "$IF_A" capture_packets) $(rows sum cap.json "$IF_A" capture_bytes)"
check "capture_packets and capture_bytes are the $UDP udp frames sent and their $UDP_BYTES bytes ($got)" \
  test "$got" = "$UDP $UDP_BYTES"
got=$(rows sum cap.json "$IF_A" socket_drops)
check "... with no socket drops ($got)" test "$got" = 0 -a "$(rows rows cap.json "$IF_A")" -gt 0
got=$(rows sum cap.json "$IF_A" rx_packets)
check "... while the interface counted all $SENT ($got)" test "$got" = "$SENT"

# --- --capture --top: the mix and the talkers of every interval add up to the capture's --------
stats_a top.json -i "$IF_A" -I 0.5 --duration 4 --json --capture --top 5
wait_for top.json "\"$IF_A\"" && sleep 0.2
in_b "$SENDPCAP" "$IF_B" sent.pcap
finish $pid
check "stats --capture --top 5 --json: status 0" test "$rc" -eq 0
read -r mix_total mix_udp mix_tcp <<<"$(rows mix-sum top.json "$IF_A")"
got=$(rows sum top.json "$IF_A" capture_packets)
check "the intervals' protocol mixes add up to the packets captured ($mix_total of $got, $SENT sent)" \
  test "$mix_total" = "$got" -a "$got" = "$SENT"
# The summary of the sent file is the reference: its mix is checked against tshark in the
# stats_files test (tagged and IPv6 frames count there too, which pcap-filter's "udp" misses).
"$SLIMCAP" stats sent.pcap --top 5 --json >file-top.json 2>/dev/null
want=$(python3 -c 'import json, sys; p = json.load(open(sys.argv[1]))["protocols"]
print(p["udp"]["packets"], p["tcp"]["packets"])' file-top.json)
check "... with the udp and tcp frames of the sent file ($mix_udp $mix_tcp; file: $want)" \
  test "$mix_udp $mix_tcp" = "$want"
for kind in top_endpoints top_conversations; do
  got=$(rows top top.json "$IF_A" "$kind")
  want=$(rows top file-top.json - "$kind")
  check "the run's $kind are the sent file's ($got)" test -n "$got" -a "$got" = "$want"
done

# --- a tiny ring and a stalled reader: captured + dropped = sent ---------------------------------
stats_a stall.json -i "$IF_A" -I 0.5 --duration 6 --json --capture -B 64 --block-size 4
wait_for stall.json "\"$IF_A\"" && sleep 0.2
kill -STOP $pid 2>/dev/null
in_b "$SENDPCAP" "$IF_B" sent.pcap
sleep 0.5
kill -CONT $pid 2>/dev/null
finish $pid
check "stats --capture -B 64 --block-size 4, stopped while $SENT frames arrive: status 0" test "$rc" -eq 0
check "... every line is valid" rows json stall.json 1 "$IF_A"
captured=$(rows sum stall.json "$IF_A" capture_packets)
dropped=$(rows sum stall.json "$IF_A" socket_drops)
check "captured + dropped = $SENT ($captured + $dropped)" test "$((captured + dropped))" = "$SENT"
check "... and the stall did drop ($dropped)" test "$dropped" -gt 0
got=$(rows sum stall.json "$IF_A" ring_freezes)
check "... and froze the ring ($got times)" test "$got" -gt 0
got="$(rows run stall.json "$IF_A" capture_packets) $(rows run stall.json "$IF_A" socket_drops)"
check "the run object has the same sums ($got)" test "$got" = "$captured $dropped"

# --- the interface deleted and created again: a reset row, never a spike --------------------------
stats_a r.json -i "$IF_A" -I 0.5 --duration 9 --json; prj=$pid
stats_a r.csv -i "$IF_A" -I 0.5 --duration 9 --csv; prc=$pid
stats_a rcap.json -i "$IF_A" -I 0.5 --duration 9 --json --capture; prcap=$pid
wait_for r.json "\"$IF_A\"" && wait_for rcap.json "\"$IF_A\"" && sleep 0.2
in_b "$SENDPCAP" "$IF_B" ten.pcap
sleep 1.2
ip -n "$NS_A" link del "$IF_A"
sleep 1.2
make_pair || not_ok "the veth pair is created again"
# The frames after are sent once a row has seen the new interface (its first reading).
for f in r.json rcap.json; do
  for i in $(seq 50); do [ "$(rows ifindexes $f "$IF_A" | wc -w)" -ge 2 ] && break; sleep 0.1; done
done
in_b "$SENDPCAP" "$IF_B" twenty.pcap
finish $prj; rrj=$rc; finish $prc; rrc=$rc; finish $prcap; rrcap=$rc
check "stats through a deleted and re-created interface: status 0" test "$rrj" -eq 0 -a "$rrc" -eq 0
check "... every line is valid" rows json r.json 0 "$IF_A"
got=$(rows rows r.json "$IF_A" reset)
check "... with a reset row ($got)" test "${got:-0}" -ge 1
got=$(rows ifindexes r.json "$IF_A")
check "... rows before and after with two different ifindexes ($got)" test "$(wc -w <<<"$got")" -eq 2
got=$(rows sum r.json "$IF_A" rx_packets)
check "the counted rows add up to the 30 frames sent, 10 before and 20 after ($got)" test "$got" = 30
got=$(rows max-delta r.json "$IF_A")
check "... and no row counts more than was sent (largest $got)" test "${got:-0}" -gt 0 -a "${got:-99}" -le 30
check "--csv keeps its column count through the reset rows" rows csv r.csv 1
got=$(rows csv-sum r.csv "$IF_A" rx_packets)
check "... and adds up the same ($got)" test "$got" = 30
check "--capture through the deleted and re-created interface: status 0, the capture reopened" \
  bash -c "[ $rrcap = 0 ] && [ \$(grep -c '^listening on $IF_A' rcap.json.err) = 2 ]"
check "... every line is valid" rows json rcap.json 1 "$IF_A"
got="$(rows sum rcap.json "$IF_A" capture_packets) $(rows sum rcap.json "$IF_A" rx_packets)"
check "... and its counted rows captured the 30 frames the interface received ($got)" \
  test "$got" = "30 30"

# --- -c and --duration stop on time; SIGINT ends with the totals ---------------------------------
start=$(date +%s.%N)
ip netns exec "$NS_A" timeout 10 "$SLIMCAP" stats -i "$IF_A" -I 0.2 -c 5 --json >c5.json 2>c5.err
rc=$?
took=$(python3 -c "print(f'{$(date +%s.%N) - $start:.2f}')")
check "-I 0.2 -c 5: status 0 after about 1 s (took $took s)" \
  python3 -c "import sys; sys.exit(not ($rc == 0 and 0.95 <= $took <= 2.0))"
check "... exactly 5 rows, then the run's totals" \
  test "$(rows rows c5.json "$IF_A")" = 5 -a "$(grep -c '"type":"run"' c5.json)" = 1

start=$(date +%s.%N)
ip netns exec "$NS_A" timeout 10 "$SLIMCAP" stats -i "$IF_A" -I 0.5 --duration 1.3 --json >d.json 2>d.err
rc=$?
took=$(python3 -c "print(f'{$(date +%s.%N) - $start:.2f}')")
check "--duration 1.3: status 0 after about 1.3 s (took $took s)" \
  python3 -c "import sys; sys.exit(not ($rc == 0 and 1.25 <= $took <= 2.3))"
read -r total last <<<"$(rows elapsed d.json "$IF_A")"
check "... rows of 0.5, 0.5 and a last of 0.3 s (sum $total, last $last, $(rows rows d.json "$IF_A") rows)" \
  python3 -c "import sys; sys.exit(not (abs($total - 1.3) < 0.05 and abs($last - 0.3) < 0.05))"

stats_a int.json -i "$IF_A" -I 0.5 --json
wait_for int.json "\"$IF_A\""
kill -INT $pid 2>/dev/null
finish $pid 5
check "SIGINT: status 0 promptly" test "$rc" -eq 0
check "... with the run's totals last" rows run int.json "$IF_A" rx_packets

# A 60 s interval: SIGUSR1 prints the totals so far on stderr and goes on; SIGINT ends the run
# at once, not at the next row.
stats_a long.txt -i "$IF_A" -I 60
sleep 0.5
kill -USR1 $pid 2>/dev/null
sleep 0.5
check "SIGUSR1: the totals so far on standard error, and the run goes on" \
  bash -c "grep -q '^total  *$IF_A ' long.txt.err && kill -0 $pid"
start=$(date +%s.%N)
kill -INT $pid 2>/dev/null
finish $pid 5
took=$(python3 -c "print(f'{$(date +%s.%N) - $start:.2f}')")
check "SIGINT during a 60 s interval: status 0 within a second (took $took s)" \
  python3 -c "import sys; sys.exit(not ($rc == 0 and $took < 1))"

# --- which interfaces ------------------------------------------------------------------------------
ip netns exec "$NS_A" timeout 10 "$SLIMCAP" stats -I 0.2 -c 1 --json >def.json 2>/dev/null
got=$(rows interfaces def.json)
check "no -i: every interface that is up but lo ($got)" test "$got" = "$IF_A"
ip netns exec "$NS_A" timeout 10 "$SLIMCAP" stats -i "$IF_A" -i lo -I 0.2 -c 2 --json >two.json 2>/dev/null
check "-i twice: rows for both interfaces, 2 each" \
  test "$(rows interfaces two.json)" = "lo $IF_A" -o "$(rows interfaces two.json)" = "$IF_A lo"
check "... 2 rows each" test "$(rows rows two.json lo)" = 2 -a "$(rows rows two.json "$IF_A")" = 2

# --- privileges and errors -------------------------------------------------------------------------
if command -v setpriv >/dev/null; then
  nobody() { ip netns exec "$NS_A" setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all "$@"; }
  nobody timeout 10 "$SLIMCAP" stats -i "$IF_A" -I 0.2 -c 2 --json >np.json 2>np.err
  rc=$?
  check "without privileges the interface counters work (status 0, 2 rows)" \
    test "$rc" -eq 0 -a "$(rows rows np.json "$IF_A" 2>/dev/null)" = 2
  nobody timeout 10 "$SLIMCAP" stats -i "$IF_A" -I 0.2 -c 2 --capture >np.out 2>np.err
  rc=$?
  check "... --capture does not: status 1 and live's words" \
    test "$rc" -eq 1 -a "$(cat np.err)" = "slimcap: $IF_A: cannot open packet socket: Operation not permitted (needs root or CAP_NET_RAW)"
else
  ok "stats without privileges # SKIP setpriv is not installed"
fi
ip netns exec "$NS_A" timeout 10 "$SLIMCAP" stats -i nosuch0 -c 1 >err.out 2>err.txt
rc=$?
check "-i of an interface that does not exist: status 1, one line naming it" \
  test "$rc" -eq 1 -a "$(wc -l <err.txt)" -eq 1 -a "$(grep -c '^slimcap: nosuch0: ' err.txt)" -eq 1

tap_end
