#!/usr/bin/env bash
# `slimcap stats FILE`: capinfos' fields against capinfos itself, the protocol mix against
# tshark's dissection, the top endpoints against `tshark -qz endpoints,ip`, and the shape of
# every output format (JSON lines parse, CSV keeps its columns, the SVG parses and renders).
# Each oracle check is skipped, with the reason, when its tool is not installed.
# Usage: test_stats_files.sh SLIMCAP CAPGEN
set -u -o pipefail

SLIMCAP=$1
CAPGEN=$2
WORK=$(mktemp -d /tmp/slimcap-stats-files.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
cd "$WORK" || exit 1
# capinfos prints local time; so do we. Pin it so the comparison does not depend on the host.
export TZ=UTC

n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $1"; shift; for l in "$@"; do echo "# $l"; done; }
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }
check() {
  local name=$1; shift
  if "$@" >"$WORK/check.out" 2>&1; then ok "$name"; else not_ok "$name" "$(head -c 3000 "$WORK/check.out")"; fi
}
have() { command -v "$1" >/dev/null 2>&1; }

# The captures: pcap µs and ns (imix, with VLAN tags, ARP, ICMP, IPv6), the sample mix (cut
# frames, odd headers), a big-endian copy, pcapng with two interfaces, zstd and gzip copies, a
# file cut inside a record.
"$CAPGEN" --mix imix --packets 5000 --seed 3 -o imix.pcap >/dev/null 2>&1 &&
  "$CAPGEN" --mix imix --packets 3000 --seed 4 --nano -o nano.pcap >/dev/null 2>&1 &&
  "$CAPGEN" --mix sample -o sample.pcap >/dev/null 2>&1 &&
  "$CAPGEN" --mix imix --packets 4000 --seed 5 -o imix.pcap.zst >/dev/null 2>&1 ||
  { echo "Bail out! capgen failed"; exit 1; }
"$SLIMCAP" read nano.pcap sample.pcap -w two.pcapng 2>/dev/null || { echo "Bail out! slimcap read -w failed"; exit 1; }
gzip -c sample.pcap > sample.pcap.gz
head -c 300000 imix.pcap > cut.pcap
python3 - <<'PY'
import struct
# big.pcap: nano.pcap rewritten in big-endian byte order (header and record headers).
d = open("nano.pcap", "rb").read()
out = bytearray(struct.pack(">IHHiIII", *struct.unpack_from("<IHHiIII", d, 0)))
pos = 24
while pos + 16 <= len(d):
    sec, frac, cap, wire = struct.unpack_from("<IIII", d, pos)
    out += struct.pack(">IIII", sec, frac, cap, wire) + d[pos + 16:pos + 16 + cap]
    pos += 16 + cap
open("big-endian.pcap", "wb").write(out)
PY
FILES="imix.pcap nano.pcap sample.pcap big-endian.pcap two.pcapng imix.pcap.zst sample.pcap.gz cut.pcap"

# --- capinfos' fields: our report up to its first blank line is capinfos' without the hashes.
for f in $FILES; do
  if ! have capinfos; then skip "capinfos fields of $f" "capinfos not installed"; continue; fi
  capinfos "$f" 2>/dev/null | grep -vE '^(SHA256|SHA1|RIPEMD160): ' > "$f.capinfos"
  "$SLIMCAP" stats "$f" 2>/dev/null | sed '/^$/,$d' > "$f.slimcap"
  check "every capinfos field of $f equals capinfos'" diff "$f.capinfos" "$f.slimcap"
done

# --- Two pcapng sections (two slimcap files end to end): interface ids restart at the second
# section header. capinfos numbers the interfaces in the whole file (3 here, listed under
# "Section 0:"), and so do we. Its 4.0 per-interface packet counts are not the oracle: it
# files each packet under its section-local id (#0 = 5000 + 3000, #2 = 0; tshark 4.0's
# frame.interface_id is section-local too); ours count each section's own interfaces: the
# packets of each input file.
"$SLIMCAP" read imix.pcap -w one.pcapng 2>/dev/null && cat one.pcapng two.pcapng > sections.pcapng
"$SLIMCAP" stats sections.pcapng 2>/dev/null | sed '/^$/,$d' > sections.slimcap
sample_packets=$("$SLIMCAP" read sample.pcap --count 2>/dev/null | awk '{print $1}')
check "a two-section pcapng file counts the packets of each section's interfaces" bash -c "
  grep -qx 'Number of packets:   $((8000 + sample_packets))' sections.slimcap &&
  grep -qx 'Number of interfaces in file: 3' sections.slimcap &&
  [ \"\$(grep -o 'Number of packets = .*' sections.slimcap | tr '\n' ' ')\" = \
    'Number of packets = 5000 Number of packets = 3000 Number of packets = $sample_packets ' ]"
if have capinfos; then
  capinfos sections.pcapng 2>/dev/null | sed '/^Section 1:/,$d' |
    grep -vE '^(SHA256|SHA1|RIPEMD160): |^Section 0:$|^$|Number of packets = ' > sections.capinfos
  grep -v 'Number of packets = ' sections.slimcap > sections.fields
  check "every capinfos field of a two-section pcapng but per-interface counts equals capinfos'" \
    diff sections.capinfos sections.fields
else
  skip "every capinfos field of a two-section pcapng but per-interface counts equals capinfos'" \
    "capinfos not installed"
fi

# --- A damaged file: the summary of the complete packets, then one error line, exit 1.
"$SLIMCAP" stats cut.pcap > cut.out 2> cut.err
status=$?
check "a file cut inside a record exits 1 after its summary" \
  bash -c "[ $status = 1 ] && grep -q '^Number of packets:' cut.out && [ \$(wc -l < cut.err) = 1 ] &&
           grep -q '^slimcap: cut.pcap: truncated capture file' cut.err"

# --- Protocol counts against tshark's dissection of the same packets (frame.protocols).
if have tshark; then
  "$SLIMCAP" stats imix.pcap --json > imix.json
  tshark -n -r imix.pcap -T fields -e frame.protocols -e frame.len 2>/dev/null > imix.protocols
  check "the protocol mix equals tshark's count of each protocol" python3 - <<'PY'
import json, sys
mine = json.load(open("imix.json"))["protocols"]
names = {"ethernet": "eth", "vlan": "vlan", "arp": "arp", "ipv4": "ip", "ipv6": "ipv6",
         "tcp": "tcp", "udp": "udp", "icmp": "icmp", "icmpv6": "icmpv6"}
theirs = {k: [0, 0] for k in names}
total = [0, 0]
for line in open("imix.protocols"):
    protocols, length = line.rstrip("\n").split("\t")
    layers = set(protocols.split(":"))
    total[0] += 1; total[1] += int(length)
    for k, t in names.items():
        if t in layers:
            theirs[k][0] += 1; theirs[k][1] += int(length)
bad = [k for k in names if [mine[k]["packets"], mine[k]["bytes"]] != theirs[k]]
bad += ["total"] if [mine["total"]["packets"], mine["total"]["bytes"]] != total else []
ends = sum(mine[k]["packets"] for k in ("arp", "tcp", "udp", "icmp", "icmpv6", "other"))
if ends != total[0]: bad.append("end protocols do not partition the packets")
for k in bad: print(k, mine.get(k), theirs.get(k))
sys.exit(1 if bad else 0)
PY
  # --- Top 10 endpoints against tshark's endpoint table. tshark's is IPv4 only; ours holds
  # both families, so the first ten IPv4 entries of a longer list are compared (a filter
  # 'ip' would not do: it misses VLAN-tagged IPv4, which tshark counts).
  "$SLIMCAP" stats imix.pcap --json --top 1000 > top.json
  tshark -n -qz endpoints,ip -r imix.pcap 2>/dev/null > endpoints.txt
  check "the top 10 endpoints equal tshark -qz endpoints,ip" python3 - <<'PY'
import json, re, sys
mine = [e for e in json.load(open("top.json"))["top_endpoints"] if ":" not in e["address"]][:10]
theirs = {}
order = []
for line in open("endpoints.txt"):
    m = re.match(r"^(\d+\.\d+\.\d+\.\d+)\s+(\d+)\s+(\d+)\s", line)
    if m:
        theirs[m.group(1)] = (int(m.group(2)), int(m.group(3)))
        order.append(int(m.group(2)))
if len(mine) != 10: sys.exit("expected 10 endpoints, got %d" % len(mine))
# Ties may be listed in another order: same counts per address, same packet ranking.
bad = [e for e in mine if theirs.get(e["address"]) != (e["packets"], e["bytes"]) or e["error"]]
if [e["packets"] for e in mine] != sorted(order, reverse=True)[:10]: bad.append("ranking")
print(bad)
sys.exit(1 if bad else 0)
PY
else
  skip "the protocol mix equals tshark's count of each protocol" "tshark not installed"
  skip "the top 10 endpoints equal tshark -qz endpoints,ip" "tshark not installed"
fi

# --- A filter counts what it selects; records read stay all.
"$SLIMCAP" stats imix.pcap --json udp > udp.json
udp_read=$("$SLIMCAP" read imix.pcap --count udp 2>/dev/null | awk '{print $1}')
check "a filter counts the packets read --count counts" python3 -c "
import json, sys
d = json.load(open('udp.json'))
sys.exit(0 if d['packets'] == $udp_read and d['records'] == 5000 and d['filter'] == 'udp' else 1)"

# --- JSON: every line parses, with the series; versions and types as documented.
"$SLIMCAP" stats $FILES --json --top 5 --series 0.01 > all.json 2>/dev/null
check "every --json line parses, one file object per file and series rows" python3 -c "
import json, sys
lines = [json.loads(l) for l in open('all.json')]
files = [l for l in lines if l['type'] == 'file']
series = [l for l in lines if l['type'] == 'series']
assert all(l['version'] == 1 for l in lines)
assert len(files) == 8, len(files)
assert series and all(s['packets'] >= 0 for s in series)
assert sum(s['packets'] for s in series if s['file'] == 'imix.pcap') == 5000
"

# --- CSV: a header, one row per file, the same number of columns everywhere.
"$SLIMCAP" stats $FILES --csv > all.csv 2>/dev/null
"$SLIMCAP" stats imix.pcap --csv --no-header > one.csv
check "--csv keeps its column count, one row per file; --no-header drops the header" python3 -c "
import csv, sys
rows = list(csv.reader(open('all.csv')))
assert len(rows) == 9, len(rows)
assert len({len(r) for r in rows}) == 1
assert rows[0][0] == 'file'
one = list(csv.reader(open('one.csv')))
assert len(one) == 1 and len(one[0]) == len(rows[0]) and one[0][0] == 'imix.pcap'
"
"$SLIMCAP" stats imix.pcap --csv --series 0.005 > series.csv
check "--csv --series has one row per interval with a stable column count" python3 -c "
import csv
rows = list(csv.reader(open('series.csv')))
assert rows[0][:2] == ['file', 'start_ts'] and len(rows) > 2
assert len({len(r) for r in rows}) == 1
assert sum(int(r[4]) for r in rows[1:]) == 5000
"

# --- The SVG I/O graph: well-formed XML, renders without complaint.
"$SLIMCAP" stats imix.pcap --series 0.002 --svg io.svg > /dev/null
check "the --svg graph parses as XML with two plotted lines" python3 -c "
import xml.etree.ElementTree as ET
root = ET.parse('io.svg').getroot()
assert root.tag == '{http://www.w3.org/2000/svg}svg'
lines = root.findall('.//{http://www.w3.org/2000/svg}polyline')
assert len(lines) == 2 and all(len(l.get('points').split()) > 4 for l in lines)
text = ' '.join(t.text or '' for t in root.iter('{http://www.w3.org/2000/svg}text'))
assert 'packets/s' in text and 'bits/s' in text
"
if have rsvg-convert; then
  check "the --svg graph renders with rsvg-convert" bash -c \
    'rsvg-convert io.svg -o io.png 2> rsvg.err && [ ! -s rsvg.err ] && [ -s io.png ]'
else
  skip "the --svg graph renders with rsvg-convert" "rsvg-convert (librsvg2-bin) not installed"
fi

# --- Standard input, and flags that belong to live rows.
"$SLIMCAP" stats - < imix.pcap 2>/dev/null | sed '/^$/,$d' > stdin.txt
"$SLIMCAP" stats imix.pcap 2>/dev/null | sed '/^$/,$d' | sed 's/^File name:.*/File name:           -/' > file.txt
check "'-' reads standard input" diff file.txt stdin.txt
for flags in "-c 3" "--duration 5" "--prom x.prom" "-I 2" "-B 64" "-s 0" "--mode socket"; do
  "$SLIMCAP" stats imix.pcap $flags > /dev/null 2> usage.err
  status=$?
  check "$flags with a capture file is a usage error" bash -c \
    "[ $status = 2 ] && [ \$(wc -l < usage.err) = 1 ] && grep -q 'capture files' usage.err"
done
"$SLIMCAP" stats imix.pcap --svg x.svg > /dev/null 2>&1
check "--svg without --series is a usage error" test $? = 2
"$SLIMCAP" stats -i lo imix.pcap > /dev/null 2> usage.err
status=$?
check "-i with a capture file is a usage error, not a filter expression" bash -c \
  "[ $status = 2 ] && [ \$(wc -l < usage.err) = 1 ] && grep -q 'imix.pcap.: a capture file' usage.err"

echo "1..$n"
