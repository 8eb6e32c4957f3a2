#!/usr/bin/env bash
# Files written by slimcap, opened by the tools people open them with: tshark and capinfos
# (Wireshark 4.0 on Debian bookworm), tcpdump, and the zstd command line. Each check is skipped,
# with the reason, when its tool is not installed. One TAP line per check.
# Usage: test_interop.sh SLIMCAP CAPGEN
set -u -o pipefail

SLIMCAP=$1
CAPGEN=$2
WORK=$(mktemp -d /tmp/slimcap-interop.XXXXXX)
PIDS=()
cleanup() {
  local p
  for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null; done
  rm -rf "$WORK"
}
trap cleanup EXIT
cd "$WORK" || exit 1

n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $1"; shift; for l in "$@"; do echo "# $l"; done; }
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }
check() {
  local name=$1; shift
  if "$@" >"$WORK/check.out" 2>&1; then ok "$name"; else not_ok "$name" "$(head -c 2000 "$WORK/check.out")"; fi
}
have() { command -v "$1" >/dev/null 2>&1; }
# The number of packets each reader recovers from a capture file (errors about a file cut short
# are expected here; the count is what matters). tcpdump reads zstd through `zstd -dc`.
count_slimcap() { "$SLIMCAP" read "$1" 2>/dev/null | grep -vc $'^\t'; }
count_tshark() { tshark -n -r "$1" 2>/dev/null | wc -l; }
count_capinfos() { capinfos -c -M "$1" 2>/dev/null | awk -F': *' '/Number of packets/ {print $2}'; }
count_tcpdump_zstd() { zstd -dc "$1" 2>/dev/null | tcpdump -n -r - 2>/dev/null | wc -l; }
equal() { [ "$1" = "$2" ]; }

"$CAPGEN" --mix imix --packets 100000 --seed 5 -o big.pcap >/dev/null 2>&1 ||
  { echo "Bail out! capgen failed"; exit 1; }
BIG=100000

# Crafted inputs, made here: odd.pcap, multi.pcapng, far.pcapng (see where each is used).
python3 - <<'PY'
import struct
def block(kind, body):  # a pcapng block
    body += b"\0" * (-len(body) % 4)
    return struct.pack("<II", kind, len(body) + 12) + body + struct.pack("<I", len(body) + 12)
def option(code, value):
    return struct.pack("<HH", code, len(value)) + value + b"\0" * (-len(value) % 4)
eth = bytes.fromhex("020000000001020000000002080045000020000100004011f6c7c0000201c6336402"
                    "04d2162e000c0000")
section = block(0x0a0d0d0a, struct.pack("<IHHq", 0x1a2b3c4d, 1, 0, -1))

# odd.pcap: record headers libpcap passes on as stored.
frame = bytes(range(60))
out = open("odd.pcap", "wb")
out.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
for sec, usec, wire in ((1700000000, 5, 60), (1700000001, 1500000, 60), (1700000002, 7, 40),
                        (1700000003, 999999, 0), (1700000004, 4294967295, 1514)):
    out.write(struct.pack("<IIII", sec, usec, len(frame), wire) + frame)

# multi.pcapng: an Ethernet and a RAW interface, with names.
raw = eth[14:]
out = open("multi.pcapng", "wb")
out.write(section)
out.write(block(1, struct.pack("<HHI", 1, 0, 65535) + option(2, b"veth-one") + option(0, b"")))
out.write(block(1, struct.pack("<HHI", 101, 0, 65535) + option(2, b"tun7") + option(0, b"")))
for i in range(6):
    data = eth if i % 2 == 0 else raw
    t = 1700000000000000 + i
    out.write(block(6, struct.pack("<IIIII", i % 2, t >> 32, t & 0xffffffff, len(data), len(data)) + data))

# far.pcapng: times past 2262.
out = open("far.pcapng", "wb")
out.write(section)
out.write(block(1, struct.pack("<HHI", 1, 0, 65535)))
for seconds in (2**35 + 12345, 2**40 + 5, 2**35 + 2**31):
    t = seconds * 1000000 + 123456
    out.write(block(6, struct.pack("<IIIII", 0, t >> 32, t & 0xffffffff, len(eth), len(eth)) + eth))
PY

# --- a .zst file is one zstd frame: Wireshark 4.0 reads all of it -----------------------------
"$SLIMCAP" read big.pcap -w big.pcap.zst 2>/dev/null
if have zstd; then
  frames=$(zstd -lv big.pcap.zst 2>/dev/null | awk -F': *' '/Zstandard Frames/ {print $2}')
  check "read -w x.pcap.zst writes one zstd frame (zstd -lv says $frames)" equal "$frames" 1
  check "zstd -t accepts it" zstd -q -t big.pcap.zst
else
  skip "one zstd frame" "zstd not installed"; skip "zstd -t" "zstd not installed"
fi
if have tshark; then
  got=$(count_tshark big.pcap.zst)
  check "tshark reads all $BIG packets of a .zst written by read (got $got)" equal "$got" "$BIG"
else
  skip "tshark reads the .zst" "tshark not installed"
fi
if have capinfos; then
  got=$(count_capinfos big.pcap.zst)
  check "capinfos counts all $BIG packets of it (got $got)" equal "$got" "$BIG"
else
  skip "capinfos counts the .zst" "capinfos not installed"
fi

# --- -w of the input's own format writes records exactly as read, as libpcap does ---------------
# A µs field of 1,000,000 or more, a wire length below the caplen, and 0, kept as they are.
"$SLIMCAP" read odd.pcap -w odd-copy.pcap 2>/dev/null
check "read -w of a pcap copies odd record headers exactly as read (cmp with the input)" \
  cmp odd.pcap odd-copy.pcap
if have tcpdump; then
  tcpdump -r odd.pcap -w odd-tcpdump.pcap 2>/dev/null
  check "... as tcpdump -r -w does" cmp odd-tcpdump.pcap odd-copy.pcap
else
  skip "odd records as tcpdump writes them" "tcpdump not installed"
fi

# --- pcapng output: read back identically by slimcap, tcpdump and tshark ------------------------
"$SLIMCAP" read big.pcap -c 5000 -w small.pcap 2>/dev/null
"$SLIMCAP" read big.pcap -c 5000 -w small.pcapng 2>/dev/null
check "-w x.pcapng writes pcapng (a section header block first)" \
  test "$(head -c 4 small.pcapng | od -An -tx1 | tr -d ' ')" = "0a0d0d0a"
"$SLIMCAP" read small.pcapng -x 2>/dev/null >ng.txt
"$SLIMCAP" read small.pcap -x 2>/dev/null >pcap.txt
check "slimcap reads the pcapng copy as the pcap one (-x, every packet)" \
  test -s ng.txt -a -z "$(cmp ng.txt pcap.txt 2>&1)"
if have tcpdump; then
  tcpdump -n -x -r small.pcapng 2>/dev/null >ng.txt
  tcpdump -n -x -r small.pcap 2>/dev/null >pcap.txt
  check "tcpdump reads the pcapng copy as the pcap one (-x, every packet)" test -s ng.txt -a -z "$(cmp ng.txt pcap.txt 2>&1)"
else
  skip "tcpdump reads pcapng output" "tcpdump not installed"
fi
# Times, wire and captured lengths as tshark sees them (the time as a number: tshark
# prints 9 decimals for pcapng's nanosecond resolution and 6 for a pcap in µs).
tshark_view() { tshark -n -r "$1" -T fields -e frame.time_epoch -e frame.len -e frame.cap_len \
                  -e frame.interface_id -e frame.interface_name 2>/dev/null |
                awk -F'\t' '{ printf "%.6f\t%s\t%s\t%s\t%s\n", $1, $2, $3, $4, $5 }'; }
if have tshark; then
  tshark_view small.pcapng | cut -f1-3 >ng.txt
  tshark_view small.pcap | cut -f1-3 >pcap.txt
  check "tshark reads the pcapng copy as the pcap one ($(wc -l <ng.txt) packets)" \
    test "$(wc -l <ng.txt)" = 5000 -a -z "$(cmp ng.txt pcap.txt 2>&1)"
  "$SLIMCAP" read big.pcap -w big.pcapng.zst 2>/dev/null
  got=$(count_tshark big.pcapng.zst)
  check "tshark reads all $BIG packets of a .pcapng.zst (got $got)" equal "$got" "$BIG"
else
  skip "tshark reads pcapng output" "tshark not installed"; skip "tshark reads .pcapng.zst" "tshark not installed"
fi

# No packet at all: still an interface block, without which libpcap refuses a pcapng file.
"$SLIMCAP" read small.pcap -w none.pcapng 'port 1' 2>/dev/null
check "a pcapng file without packets opens in slimcap (0 packets)" \
  test "$("$SLIMCAP" read none.pcapng --count 2>/dev/null)" = "0 packets"
if have tcpdump; then
  check "... and in tcpdump" tcpdump -n -r none.pcapng
else
  skip "empty pcapng in tcpdump" "tcpdump not installed"
fi

# Several link types and interfaces into one pcapng: each keeps its own IDB (a pcap refuses).
"$SLIMCAP" read multi.pcapng -w multi-copy.pcapng 2>/dev/null
"$SLIMCAP" read multi.pcapng 2>/dev/null >m1.txt
"$SLIMCAP" read multi-copy.pcapng 2>/dev/null >m2.txt
check "a pcapng with Ethernet and RAW interfaces is copied whole into pcapng" \
  test "$(wc -l <m2.txt)" = 6 -a -z "$(cmp m1.txt m2.txt 2>&1)"
if have tshark; then
  fields=(-T fields -e frame.interface_id -e frame.interface_name -e frame.encap_type -e frame.len)
  check "... and tshark sees the same interfaces (with their names), link types and packets" \
    test -z "$(cmp <(tshark -n -r multi.pcapng "${fields[@]}" 2>&1) \
                   <(tshark -n -r multi-copy.pcapng "${fields[@]}" 2>&1) 2>&1)" \
         -a "$(tshark -n -r multi-copy.pcapng -T fields -e frame.interface_name 2>/dev/null | sort -u | tr '\n' ' ')" = "tun7 veth-one "
else
  skip "tshark reads multi-link pcapng output" "tshark not installed"
fi
"$SLIMCAP" read multi.pcapng -w multi.pcap >/dev/null 2>err.txt
check "... while into a pcap it stops with one line that names .pcapng" grep -q '^slimcap: .*(write .pcapng)$' err.txt

# --- -w names: the extension decides, case-insensitively; what slimcap cannot write is refused --
"$SLIMCAP" read small.pcap -w UPPER.PCAP.ZST 2>/dev/null
check "-w X.PCAP.ZST compresses (zstd magic)" \
  test "$(head -c 4 UPPER.PCAP.ZST | od -An -tx1 | tr -d ' ')" = "28b52ffd"
for name in x.pcap.gz x.pcapng.GZ x.pcap.xz x.bz2; do
  "$SLIMCAP" read small.pcap -w "$name" >/dev/null 2>err.txt
  rc=$?
  check "-w $name: usage error (exit 2), one line, no file" \
    test "$rc" = 2 -a "$(wc -l <err.txt)" = 1 -a ! -e "$name"
done
check "... the line says what to do" \
  grep -qx 'slimcap: x.bz2: slimcap cannot write bz2 files; name the file .zst (or plain .pcap, .pcapng)' err.txt

# ... and printed as tcpdump prints them: the stored seconds and the whole fraction field.
if have tcpdump; then
  same_times=1
  for style in "" -tt -tttt --nano "-tt --nano" "-e -x"; do
    # shellcheck disable=SC2086
    if ! cmp -s <(TZ=UTC "$SLIMCAP" read odd.pcap $style 2>/dev/null) \
                <(TZ=UTC tcpdump -n -r odd.pcap $style 2>/dev/null); then
      same_times=0; echo "# differs with '$style'"
    fi
  done
  check "odd record headers print as tcpdump prints them (a µs field of 1500000 as .1500000)" \
    test "$same_times" = 1
else
  skip "odd records printed as tcpdump" "tcpdump not installed"
fi

# A pcap input and then a pcapng one into one pcap: the pcapng packets' times are their own.
"$SLIMCAP" read odd.pcap small.pcapng -w mixed.pcap 2>/dev/null
check "read odd.pcap x.pcapng -w y.pcap: the pcapng packets keep their own times" \
  cmp <("$SLIMCAP" read mixed.pcap -tt 2>/dev/null | tail -n 5000) <("$SLIMCAP" read small.pcap -tt 2>/dev/null)

# --- pcapng times that 64-bit nanoseconds cannot hold print as tcpdump prints them -------------
# tcpdump converts what libpcap hands over (64-bit seconds) unless bit 31 of their low 32 bits
# is set: years 3058 and 36812 here, and one it refuses.
if have tcpdump; then
  same_times=1
  for style in "" -tt -tttt --nano; do
    # shellcheck disable=SC2086
    if ! cmp -s <(TZ=UTC "$SLIMCAP" read far.pcapng $style 2>/dev/null) \
                <(TZ=UTC tcpdump -n -r far.pcapng $style 2>/dev/null); then
      same_times=0; echo "# differs with '$style'"
    fi
  done
  check "pcapng times past 2262 (years 3058, 36812) print as tcpdump prints them" \
    test "$same_times" = 1 -a "$(TZ=UTC "$SLIMCAP" read far.pcapng -tttt 2>/dev/null | cut -d' ' -f1 | head -2 | tr '\n' ' ')" = "3058-10-26 36812-02-20 "
else
  skip "pcapng times past 2262" "tcpdump not installed"
fi

# --- SIGKILL: the file decompresses up to its last flushed batch --------------------------------
# read -U flushes (ZSTD_e_flush) whenever it has caught up with its input. The feeder sends K
# packets and then stays connected and idle; once slimcap has written them, SIGKILL leaves a
# frame without its end, from which every reader must recover exactly those K packets.
if have zstd && have tcpdump && have tshark; then
  mkfifo feed
  for k in $((RANDOM % 500 + 1)) $((RANDOM % 20000 + 1000)) $((RANDOM % 60000 + 30000)); do
    rm -f k.pcap.zst
    { "$SLIMCAP" read big.pcap -c "$k" -w - 2>/dev/null; sleep 20; } >feed &
    feeder=$!
    "$SLIMCAP" read feed -U -w k.pcap.zst 2>/dev/null &
    pid=$!
    PIDS+=("$feeder" "$pid")
    for _ in $(seq 100); do
      [ "$(count_slimcap k.pcap.zst)" = "$k" ] && break
      sleep 0.1
    done
    kill -9 "$pid" "$feeder" 2>/dev/null
    wait "$pid" "$feeder" 2>/dev/null
    s=$(count_slimcap k.pcap.zst); t=$(count_tshark k.pcap.zst); d=$(count_tcpdump_zstd k.pcap.zst)
    check "SIGKILL after $k packets flushed by -U: slimcap $s, zstd -dc | tcpdump $d, tshark $t" \
      test "$s" = "$k" -a "$d" = "$k" -a "$t" = "$k"
  done
  # SIGKILL at random moments while the data streams in (64 KiB every 5 ms, about 3 s in all,
  # flushed by -U whenever slimcap has caught up): every reader recovers the same number of
  # packets, the first ones of the input, unchanged.
  for i in 1 2 3; do
    rm -f r.pcap.zst
    python3 -c 'import sys, time
f = open(sys.argv[1], "rb")
while chunk := f.read(65536):
    sys.stdout.buffer.write(chunk); sys.stdout.flush(); time.sleep(0.005)' big.pcap 2>/dev/null |
      "$SLIMCAP" read - -U -w r.pcap.zst 2>/dev/null &
    pid=$!
    PIDS+=("$pid")
    # The random moment counts from the first flush: on a loaded machine the pipeline's start
    # alone can take longer than the shortest moment (a run once wrote nothing before its kill).
    for _ in $(seq 100); do
      [ -s r.pcap.zst ] && break
      sleep 0.05
    done
    sleep "$((RANDOM % 2)).$((RANDOM % 7 + 1))"
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    s=$(count_slimcap r.pcap.zst); t=$(count_tshark r.pcap.zst); d=$(count_tcpdump_zstd r.pcap.zst)
    "$SLIMCAP" read r.pcap.zst -t -x 2>/dev/null >r.txt
    "$SLIMCAP" read big.pcap -t -x -c "$s" 2>/dev/null >r.expected
    # Past the last flush the file may end inside a batch: slimcap and tshark decode every whole
    # block there, the zstd command line may stop up to one block (128 KiB) earlier.
    check "SIGKILL at a random moment ($i): slimcap $s = tshark $t >= zstd -dc | tcpdump $d > 0, the first packets unchanged" \
      test "$s" = "$t" -a "$d" -le "$s" -a "$d" -gt 0 -a "$s" -lt "$BIG" -a -z "$(cmp r.txt r.expected 2>&1)"
  done
else
  skip "SIGKILL recovery" "needs zstd, tcpdump and tshark"
fi

echo "1..$n"
