#!/usr/bin/env bash
# CLI tests of the slimcap binary: each check runs the built binary and prints one TAP line.
# Usage: test_cli.sh SLIMCAP CAPGEN
set -u -o pipefail

SLIMCAP=$1
CAPGEN=$2
WORK=$(mktemp -d /tmp/slimcap-cli.XXXXXX)
MOUNTED=""
cleanup() {
  [ -n "$MOUNTED" ] && umount "$MOUNTED" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT
cd "$WORK" || exit 1

n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; shift; for l in "$@"; do echo "# $l"; done; }
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }
# check NAME COMMAND...: passes when the command exits 0.
check() {
  local name=$1; shift
  if "$@" >"$WORK/check.out" 2>&1; then ok "$name"; else not_ok "$name" "$(head -c 2000 "$WORK/check.out")"; fi
}
have() { command -v "$1" >/dev/null 2>&1; }

# Runs slimcap with the given arguments; leaves stdout in out, stderr in err, status in rc.
sc() { "$SLIMCAP" "$@" >out 2>err; rc=$?; }
# The one-line error contract: exactly one stderr line starting "slimcap: ".
one_error_line() {
  [ "$(wc -l <err)" -eq 1 ] && grep -q '^slimcap: ' err
}
# A usage error: status 2 and one line.
usage_error_line() { [ "$rc" -eq 2 ] && one_error_line; }

"$CAPGEN" --mix sample -o sample.pcap >/dev/null 2>&1 || { echo "Bail out! capgen failed"; exit 1; }
"$CAPGEN" --mix imix --packets 5000 --seed 7 -o imix.pcap >/dev/null 2>&1 || { echo "Bail out! capgen failed"; exit 1; }
SAMPLE_PACKETS=$("$SLIMCAP" read sample.pcap --count 2>/dev/null | awk '{print $1}')
IMIX_PACKETS=5000

# --- reading and counting -------------------------------------------------------------------
sc read sample.pcap
check "read prints one line per packet" test "$(grep -vc '^'$'\t' out)" -eq "$SAMPLE_PACKETS" -a "$rc" -eq 0
check "read prints tcpdump's banner on stderr" \
  grep -qx 'reading from file sample.pcap, link-type EN10MB (Ethernet), snapshot length [0-9]*' err

sc read imix.pcap --count
check "--count prints 'N packets' on stdout" test "$(cat out)" = "$IMIX_PACKETS packets"

sc read imix.pcap -c 7
check "-c N stops after N packets" test "$(wc -l <out)" -eq 7

sc read imix.pcap -c 0 --count
check "-c 0 reads nothing" test "$(cat out)" = "0 packets"

sc read imix.pcap sample.pcap --count
check "several files are read in order" test "$(cat out)" = "$((IMIX_PACKETS + SAMPLE_PACKETS)) packets"

sc read -r imix.pcap -r sample.pcap udp --count
udp_both=$(cat out)
sc read imix.pcap sample.pcap udp --count
check "-r FILE takes every other argument as expression" test "$udp_both" = "$(cat out)" -a "$rc" -eq 0

"$SLIMCAP" read sample.pcap >file.txt 2>/dev/null
"$SLIMCAP" read - <sample.pcap >stdin.txt 2>stdin.err
check "'-' reads standard input with the same result" cmp file.txt stdin.txt
check "the banner names standard input '-'" grep -q '^reading from file -, ' stdin.err

if have zstd; then
  zstd -q -f sample.pcap -o sample.pcap.zst
  cp sample.pcap.zst disguised.pcap
  "$SLIMCAP" read disguised.pcap >zst.txt 2>/dev/null
  check "zstd input is recognised by its magic, not its name" cmp file.txt zst.txt
  zstd -dc sample.pcap.zst | "$SLIMCAP" read - -e -X >pipe.txt 2>/dev/null
  "$SLIMCAP" read sample.pcap -e -X >direct.txt 2>/dev/null
  check "zstd -dc | slimcap read - -e -X matches reading the file" cmp pipe.txt direct.txt
else
  skip "zstd input" "zstd not installed"; skip "zstd pipe" "zstd not installed"
fi

# --- filters --------------------------------------------------------------------------------
sc read imix.pcap --count tcp
tcp=$(awk '{print $1}' out)
sc read imix.pcap --count not tcp
nottcp=$(awk '{print $1}' out)
check "a filter and its negation add up to the whole file" test "$((tcp + nottcp))" -eq "$IMIX_PACKETS" -a "$tcp" -gt 0

printf '# web traffic\ntcp port 80 # only http\n' >filter.txt
sc read imix.pcap --count -F filter.txt
f1=$(cat out)
sc read imix.pcap --count tcp port 80
check "-F FILE reads the expression and drops # comments" test "$f1" = "$(cat out)"

sc read imix.pcap -F filter.txt udp
check "-F with an expression is a usage error (exit 2)" test "$rc" -eq 2
check "... reported on one line" one_error_line

sc read imix.pcap 'tcp port'
check "a bad expression exits 2" test "$rc" -eq 2
check "... with libpcap's message on one line" one_error_line

if have tcpdump; then
  agree=1
  for expr in "tcp" "udp" "icmp" "ip6" "arp" "vlan" "vlan and udp" "tcp port 80" \
              "net 198.51.100.0/24" "greater 1000" "tcp[tcpflags] & tcp-syn != 0"; do
    ours=$("$SLIMCAP" read imix.pcap --count "$expr" 2>/dev/null)
    theirs=$(tcpdump -r imix.pcap --count "$expr" 2>/dev/null)
    if [ "$ours" != "$theirs" ]; then agree=0; echo "# '$expr': slimcap '$ours', tcpdump '$theirs'"; fi
  done
  check "--count agrees with tcpdump --count for a list of expressions" test $agree -eq 1

  "$SLIMCAP" read -d 'tcp port 80' >d1.txt 2>/dev/null
  tcpdump -d 'tcp port 80' >d2.txt 2>/dev/null
  check "-d prints the program as tcpdump -d does" cmp d1.txt d2.txt
else
  skip "tcpdump agreement" "tcpdump not installed"; skip "-d agreement" "tcpdump not installed"
fi

# --- printing ---------------------------------------------------------------------------------
if have tcpdump; then
  # Without -S both print relative TCP sequence numbers, from each one's table of conversations.
  for flags in "" "-S" "-e" "-q" "-tt" "-x" "-X" "-XX" "-A" "-v" "-vv -K" "-v --dont-verify-checksums" "-S -v"; do
    TZ=UTC "$SLIMCAP" read sample.pcap $flags >ours.txt 2>/dev/null
    TZ=UTC tcpdump -n -r sample.pcap $flags >theirs.txt 2>/dev/null
    if cmp -s ours.txt theirs.txt; then
      ok "printing the sample with '$flags' matches tcpdump -n"
    else
      not_ok "printing the sample with '$flags' matches tcpdump -n" "$(diff ours.txt theirs.txt | head -20)"
    fi
  done
else
  skip "printing agreement" "tcpdump not installed"
fi

sc read sample.pcap -# -c 3
check "-# numbers the lines" test "$(awk '{print $1}' out | tr '\n' ' ')" = "1 2 3 "

sc read imix.pcap -vv -K
check "-K leaves out the TCP, UDP and IP checksum verdicts" \
  test "$rc" -eq 0 -a -s out -a "$(grep -c 'cksum 0x[0-9a-f]* (\|udp sum ok\|bad udp cksum\|, bad cksum' out)" -eq 0
sc live -K --help
check "live accepts -K too" test "$rc" -eq 0

if have python3; then
  sc read imix.pcap --json
  check "--json prints one valid JSON object per packet" python3 -c '
import json, sys
lines = open("out").read().splitlines()
assert len(lines) == int(sys.argv[1]), len(lines)
for l in lines:
    o = json.loads(l)
    assert isinstance(o, dict) and "ts" in o and "len" in o
    assert None not in o.values()
' "$IMIX_PACKETS"
else
  skip "--json" "python3 not installed"
fi

# --- writing ----------------------------------------------------------------------------------
sc read imix.pcap -w copy.pcap
check "-w writes no text and exits 0" test "$rc" -eq 0 -a ! -s out
"$SLIMCAP" read imix.pcap >a.txt 2>/dev/null
"$SLIMCAP" read copy.pcap >b.txt 2>/dev/null
check "-w round trip prints the same packets" cmp a.txt b.txt
if have tcpdump; then
  check "tcpdump reads the -w file" test "$(tcpdump -r copy.pcap --count 2>/dev/null)" = "$IMIX_PACKETS packets"
fi

sc read imix.pcap -w copy.pcap.zst
check "-w FILE.zst writes zstd" test "$(head -c 4 copy.pcap.zst | od -An -tx1 | tr -d ' ')" = "28b52ffd"
"$SLIMCAP" read copy.pcap.zst >c.txt 2>/dev/null
check "the .zst file reads back the same packets" cmp a.txt c.txt
if have zstd; then
  check "zstd -t accepts the .zst file" zstd -q -t copy.pcap.zst
fi

sc read imix.pcap -w forced.pcap --compress=7
check "--compress=LEVEL compresses whatever the name" test "$(head -c 4 forced.pcap | od -An -tx1 | tr -d ' ')" = "28b52ffd"

sc read imix.pcap --nano -w nano.pcap
check "--nano writes a nanosecond pcap" test "$(head -c 4 nano.pcap | od -An -tx1 | tr -d ' ')" = "4d3cb2a1"

"$SLIMCAP" read imix.pcap -w - 'host 192.0.2.7 or udp' 2>/dev/null | "$SLIMCAP" read - --count >piped.txt 2>/dev/null
sc read imix.pcap --count 'host 192.0.2.7 or udp'
check "-w - writes a capture to stdout that reads back" cmp piped.txt out

sc read imix.pcap -w - --print
check "-w - with --print is a usage error" test "$rc" -eq 2

sc read imix.pcap -w both.pcap --print -c 10
check "--print prints while writing" test "$(wc -l <out)" -eq 10 -a "$("$SLIMCAP" read both.pcap --count 2>/dev/null)" = "10 packets"

cp imix.pcap keep.pcap
sc read keep.pcap -w keep.pcap
check "-w onto an input file is refused with exit 2" test "$rc" -eq 2
check "... and leaves the input intact" cmp keep.pcap imix.pcap

# --- errors -----------------------------------------------------------------------------------
sc read no-such.pcap
check "a missing file exits 1" test "$rc" -eq 1
check "... with 'slimcap: FILE: No such file or directory'" grep -qx 'slimcap: no-such.pcap: No such file or directory' err

echo "hello, not a capture" >text.txt
sc read text.txt
check "a non-capture file exits 1 with the documented message" \
  grep -qx 'slimcap: text.txt: not a pcap, pcapng or zstd-compressed capture file' err

: >empty.pcap
sc read empty.pcap
check "an empty file exits 1 on one line" test "$rc" -eq 1
check "... one line" one_error_line

size=$(stat -c %s sample.pcap)
head -c $((size - 5)) sample.pcap >cut.pcap
sc read cut.pcap
check "a truncated file delivers every complete packet" test "$(grep -vc '^'$'\t' out)" -eq $((SAMPLE_PACKETS - 1))
check "... then says how far into the record it ends and exits 1" \
  grep -qx 'slimcap: cut.pcap: truncated capture file ([0-9]* bytes into a record)' err
test "$rc" -eq 1 && ok "... exit status 1" || not_ok "... exit status 1"

sc read cut.pcap -w fromcut.pcap
check "a -w file written from a damaged input holds every complete packet" \
  test "$("$SLIMCAP" read fromcut.pcap --count 2>/dev/null)" = "$((SAMPLE_PACKETS - 1)) packets"

sc read imix.pcap --no-such-flag
check "an unknown flag exits 2 on one line" test "$rc" -eq 2
check "... one line" one_error_line

sc read
check "read without a file exits 2" test "$rc" -eq 2

sc fanout -i slimcap-nosuch0 --workers 2
check "fanout on a missing interface: one line, exit 1" \
  test "$rc" -eq 1 -a "$(cat err)" = "slimcap: slimcap-nosuch0: no such interface: No such device"
sc fanout --workers 0
check "fanout --workers 0 exits 2" test "$rc" -eq 2
sc fanout -i lo --cpus 3-1
check "fanout --cpus with a backwards range: one line, exit 2" \
  test "$rc" -eq 2 -a "$(cat err)" = "slimcap: --cpus: invalid CPU list '3-1'"
sc fanout -i lo --cluster lb --sample-flows 4
check "fanout --sample-flows refuses a mode that splits flows" \
  test "$rc" -eq 2 -a "$(cat err)" = "slimcap: --sample-flows: --cluster lb does not keep flows whole (use hash, flow2, flow4 or tcp5)"

# --- the command line: tcpdump's flags without a subcommand, slimcap's error lines ----------------
"$SLIMCAP" read sample.pcap -e tcp >sub.txt 2>sub.err
sc -nr sample.pcap -e tcp
check "slimcap -nr FILE -e EXPR reads like slimcap read (no subcommand, tcpdump's flags)" cmp sub.txt out
check "... with the same banner" cmp sub.err err
sc -r sample.pcap -r imix.pcap --count
check "slimcap -r A -r B --count counts both files" test "$(cat out)" = "$((SAMPLE_PACKETS + IMIX_PACKETS)) packets"
if have tcpdump; then
  TZ=UTC "$SLIMCAP" -S -nr sample.pcap -e -v 'tcp or udp' >ours.txt 2>/dev/null
  TZ=UTC tcpdump -S -nr sample.pcap -e -v 'tcp or udp' >theirs.txt 2>/dev/null
  check "the same tcpdump command line with slimcap for tcpdump prints the same lines" cmp ours.txt theirs.txt
else
  skip "tcpdump command line" "tcpdump not installed"
fi
"$SLIMCAP" live -D >live-D.txt 2>&1
sc -D
check "slimcap -D lists the interfaces as slimcap live -D" cmp live-D.txt out
sc bogus
check "an unknown subcommand is named with the list, exit 2" \
  test "$rc" -eq 2 -a "$(cat err)" = "slimcap: unknown subcommand 'bogus' (read, live, stats, fanout)"
sc --help
check "slimcap --help still prints help, exit 0" grep -q '^Usage: slimcap' out
sc --version
check "slimcap --version still prints the version, exit 0" test "$rc" -eq 0 -a -s out
sc read --help
check "slimcap read --help still prints read's help, exit 0" grep -q '^Usage: slimcap read' out

sc read imix.pcap -c abc
check "-c abc: one line in slimcap's words, exit 2" \
  test "$rc" -eq 2 -a "$(cat err)" = "slimcap: -c: invalid packet count 'abc'"
sc read imix.pcap -c
check "-c without a value says what is missing, exit 2" \
  test "$rc" -eq 2 -a "$(cat err)" = "slimcap: -c: missing packet count"
sc live -i lo --duration 0
check "--duration 0 says what a duration must be, exit 2" \
  test "$rc" -eq 2 -a "$(cat err)" = "slimcap: --duration: invalid duration '0' (more than 0 seconds)"
sc read imix.pcap -c 5 -c 3 --count
check "a repeated -c takes the last value, as tcpdump does" test "$(cat out)" = "3 packets"

sc read imix.pcap --print
check "read --print without -w is a usage error" \
  test "$rc" -eq 2 -a "$(cat err)" = "slimcap: --print: needs -w FILE" -a ! -s out
sc read imix.pcap --compress=5
check "read --compress without -w is a usage error" \
  test "$rc" -eq 2 -a "$(cat err)" = "slimcap: --compress: needs -w FILE" -a ! -s out
sc live -i lo -c 0 --print
check "live --print without -w is a usage error (before any socket)" \
  test "$rc" -eq 2 -a "$(cat err)" = "slimcap: --print: needs -w FILE"
sc -i lo -c 0 --compress
check "live --compress without -w is a usage error" \
  test "$rc" -eq 2 -a "$(cat err)" = "slimcap: --compress: needs -w FILE"

# Capturing needs root; -c 0 on lo opens the socket and stops before the first packet.
if [ "$(id -u)" -eq 0 ]; then
  sc -i lo -s 0 -c 0 -w snap0.pcap
  check "slimcap -i lo -c 0 captures (live) without a subcommand" test "$rc" -eq 0
  check "-s 0 captures whole packets: snapshot length 262144, as tcpdump" \
    grep -qx 'listening on lo, link-type EN10MB (Ethernet), snapshot length 262144 bytes' err
  check "... and the -w file's header says 262144" \
    test "$(od -An -tu4 -j16 -N4 snap0.pcap | tr -d ' ')" = 262144
else
  skip "live without a subcommand" "needs root"; skip "-s 0" "needs root"; skip "-s 0 file" "needs root"
fi

# --- pipes and signals ------------------------------------------------------------------------
"$SLIMCAP" read imix.pcap 2>head.err | head -1 >/dev/null
check "read | head ends quietly with status 0" test "${PIPESTATUS[0]}" -eq 0
check "... and prints no error" test "$(grep -vc '^reading from file' head.err)" -eq 0

# A writer fed slowly through a pipe, stopped by SIGINT: the file must be valid and hold
# every packet that arrived before the signal. The feeder writes into a FIFO, so that `wait`
# waits for slimcap alone.
mkfifo feed.fifo
"$SLIMCAP" read - -w interrupted.pcap <feed.fifo 2>/dev/null &
pid=$!
{ cat imix.pcap; sleep 20; } >feed.fifo &
feeder=$!
sleep 1
kill -INT "$pid" 2>/dev/null
start=$(date +%s)
wait "$pid"
status=$?
elapsed=$(( $(date +%s) - start ))
kill "$feeder" 2>/dev/null
pkill -P "$feeder" sleep 2>/dev/null
check "SIGINT stops a read blocked on a pipe promptly, with status 0" test "$status" -eq 0 -a "$elapsed" -lt 10
check "... leaving a valid file with every packet read" \
  test "$("$SLIMCAP" read interrupted.pcap --count 2>/dev/null)" = "$IMIX_PACKETS packets"

if [ "$(id -u)" -eq 0 ] && mkdir -p full && mount -t tmpfs -o size=256k tmpfs full 2>/dev/null; then
  MOUNTED="$WORK/full"
  sc read imix.pcap -w full/out.pcap
  check "a full disk exits 1" test "$rc" -eq 1
  check "... with 'slimcap: FILE: No space left on device'" grep -qx 'slimcap: full/out.pcap: No space left on device' err
  kept=$("$SLIMCAP" read full/out.pcap --count 2>/dev/null | awk '{print $1}')
  check "... and the file is a valid capture of complete packets" test -n "$kept" -a "${kept:-0}" -gt 0
  "$SLIMCAP" read imix.pcap -c "$kept" >want.txt 2>/dev/null
  "$SLIMCAP" read full/out.pcap >got.txt 2>/dev/null
  check "... which are the first packets of the input, intact" cmp want.txt got.txt
  rm -f full/out.pcap
  sc read imix.pcap -w full/out.pcap.zst
  check "a full disk while compressing leaves a readable .zst file" \
    "$SLIMCAP" read full/out.pcap.zst --count
  umount full && MOUNTED=""
else
  skip "full disk" "needs root to mount a small tmpfs"
fi

# -U on a pipe: the packets are in the file while slimcap waits for more input.
(cat imix.pcap; sleep 3) | "$SLIMCAP" read - -U -w piped.pcap 2>/dev/null &
upid=$!
sleep 1.5
check "read -U from a pipe: every packet is in the file while the input stays open" \
  test "$("$SLIMCAP" read piped.pcap --count 2>/dev/null)" = "$IMIX_PACKETS packets"
wait $upid

# --- compressed input, damaged input, tcpdump's refusals ---------------------------------------
if have gzip; then
  gzip -n -c imix.pcap >imix.pcap.gz
  cp imix.pcap.gz gz-disguised.pcap
  "$SLIMCAP" read imix.pcap >plain.txt 2>/dev/null
  "$SLIMCAP" read gz-disguised.pcap >gz.txt 2>/dev/null
  check "gzip input is recognised by its magic, not its name" cmp plain.txt gz.txt
  "$SLIMCAP" read - <imix.pcap.gz >gzstdin.txt 2>/dev/null
  check "gzip input from standard input reads the same packets" cmp plain.txt gzstdin.txt
  size=$(stat -c %s imix.pcap.gz)
  head -c $((size / 2)) imix.pcap.gz >gzcut.pcap.gz
  sc read gzcut.pcap.gz
  got=$(grep -vc '^'$'\t' out)
  whole=$(gzip -dc gzcut.pcap.gz 2>/dev/null | "$SLIMCAP" read - --count 2>/dev/null | awk '{print $1}')
  check "a cut gzip file delivers its complete packets first" test "$got" -gt 0 -a "$got" -eq "${whole:-x}"
  check "... then 'truncated gzip stream' on one line, exit 1" \
    test "$rc" -eq 1 -a "$(cat err | grep -v '^reading from file')" = "slimcap: gzcut.pcap.gz: truncated gzip stream"
else
  skip "gzip input" "gzip not installed"
fi

size=$(stat -c %s imix.pcap)
head -c $((size - 100)) imix.pcap >imixcut.pcap
sc read imixcut.pcap --count
check "--count on a truncated file prints the complete packets, then the error (exit 1)" \
  test "$rc" -eq 1 -a "$(cat out)" = "$((IMIX_PACKETS - 1)) packets" -a "$(grep -c '^slimcap: imixcut.pcap: truncated' err)" -eq 1
if have tcpdump; then
  check "... the same count as tcpdump --count" test "$(cat out)" = "$(tcpdump -r imixcut.pcap --count 2>/dev/null)"
fi

sc read imix.pcap typo.pcap
check "a missing file taken for the filter is named: 'slimcap: typo.pcap: No such file or directory'" \
  test "$rc" -eq 1 -a "$(cat err)" = "slimcap: typo.pcap: No such file or directory"
sc read imix.pcap 'tcp port'
check "... while a bad expression keeps libpcap's message" \
  test "$rc" -eq 2 -a "$(cat err)" = "slimcap: can't parse filter expression: syntax error"

sc read imix.pcap inbound
check "inbound on Ethernet is refused with tcpdump's text" \
  test "$rc" -eq 2 -a "$(cat err)" = "slimcap: inbound/outbound not supported on Ethernet when reading savefiles"
if have tcpdump; then
  theirs=$(tcpdump -r imix.pcap outbound 2>&1 >/dev/null | grep -v '^reading from file' | sed 's/^tcpdump: //')
  sc read imix.pcap outbound
  check "... the same text as tcpdump" test "$(cat err)" = "slimcap: $theirs"
fi

printf 'imix.pcap\nsample.pcap\n' >list.txt
sc read -V list.txt --count udp
listed=$(cat out)
sc read imix.pcap sample.pcap --count udp
check "-V FILE reads the capture files it lists, the arguments are expression" test "$listed" = "$(cat out)" -a "$rc" -eq 0
if have tcpdump; then
  # As root, tcpdump gives up root after the first file; -Z root lets it open the second here.
  zroot=""; [ "$(id -u)" -eq 0 ] && zroot="-Z root"
  check "... as tcpdump -V" test "$listed" = "$(tcpdump $zroot -V list.txt --count udp 2>/dev/null)"
fi
sc read -V list.txt -r imix.pcap
check "-V with -r is a usage error" usage_error_line

"$SLIMCAP" read sample.pcap --nano >nano.txt 2>/dev/null
sc read sample.pcap --time-stamp-precision=nano
check "--time-stamp-precision=nano prints as --nano" cmp out nano.txt
sc read sample.pcap --nano --time-stamp-precision=micro -w micro.pcap
check "--time-stamp-precision=micro writes a microsecond file, over --nano" \
  test "$(head -c 4 micro.pcap | od -An -tx1 | tr -d ' ')" = "d4c3b2a1"
if have tcpdump; then
  TZ=UTC "$SLIMCAP" read sample.pcap --time-stamp-precision=nano >ours.txt 2>/dev/null
  TZ=UTC tcpdump -n -r sample.pcap --time-stamp-precision=nano >theirs.txt 2>/dev/null
  check "... and prints what tcpdump --time-stamp-precision=nano prints" cmp ours.txt theirs.txt
fi

# A copy of a capture with another snaplen (bytes 16..19 of the pcap header, little-endian).
with_snaplen() { cp "$1" "$3"; printf "$(printf '\\x%02x\\x%02x\\x%02x\\x%02x' $(($2 & 255)) $(($2 >> 8 & 255)) $(($2 >> 16 & 255)) $(($2 >> 24 & 255)))" | dd of="$3" bs=1 seek=16 conv=notrunc 2>/dev/null; }
with_snaplen sample.pcap 100 snap100.pcap
with_snaplen sample.pcap 2000 snap2000.pcap
"$SLIMCAP" read snap100.pcap snap2000.pcap -w merged.pcap 2>/dev/null
check "several inputs into one -w pcap: the header's snaplen is the largest" \
  test "$(od -An -tu4 -j16 -N4 merged.pcap | tr -d ' ')" = 2000
with_snaplen sample.pcap 500000 snap500k.pcap
sc read snap500k.pcap -c 1
check "the banner shows the file's snapshot length above 262144" \
  grep -qx 'reading from file snap500k.pcap, link-type EN10MB (Ethernet), snapshot length 500000' err
if have tcpdump; then
  check "... as tcpdump does" test "$(head -1 err)" = "$(tcpdump -r snap500k.pcap -c 1 2>&1 >/dev/null | head -1)"
fi

# Link type 65535 (bytes 20..23): libpcap's compiler does not know it, so tcpdump refuses it.
cp sample.pcap lt65535.pcap
printf '\377\377' | dd of=lt65535.pcap bs=1 seek=20 conv=notrunc 2>/dev/null
sc read lt65535.pcap -w lt.pcap
check "link type 65535 is refused with libpcap's text, exit 1, and no -w file" \
  test "$rc" -eq 1 -a "$(cat err)" = "slimcap: lt65535.pcap: unknown data link type 65535 (min 104, max 289)" -a ! -e lt.pcap
if have tcpdump; then
  check "... the text tcpdump prints" \
    test "$(tcpdump -r lt65535.pcap 2>&1 | tail -1 | sed 's/^tcpdump: //')" = "$(sed 's/^slimcap: lt65535.pcap: //' err)"
fi

if have python3; then
  # pcapng files built block by block: SHB, optional IDB with options, EPBs (little-endian).
  pcapng() {
    python3 - "$@" <<'PY'
import struct, sys
def block(kind, body):
    body += b"\0" * (-len(body) % 4)
    return struct.pack("<II", kind, len(body) + 12) + body + struct.pack("<I", len(body) + 12)
def option(code, value):
    return struct.pack("<HH", code, len(value)) + value + b"\0" * (-len(value) % 4)
frame = bytes.fromhex("020000000002020000000001080045000020000100004011f97ac0000201c000020200350035000c0000") + b"abcd"
def packet(units):
    return block(6, struct.pack("<IIIII", 0, units >> 32, units & 0xffffffff, len(frame), len(frame)) + frame)
shb = block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1))
def idb(options=b""):
    return block(1, struct.pack("<HHI", 1, 0, 262144) + (options + b"\0\0\0\0" if options else b""))
name, kind = sys.argv[1], sys.argv[2]
units = 1700000000 * 10**6 + 123456
out = {
    "before-idb": shb + packet(units) + idb(),
    "tsresol-100": shb + idb(option(9, bytes([100]))) + packet(units),
    "tsresol-2-127": shb + idb(option(9, bytes([0x80 | 127]))) + packet(units),
    "tsoffset-max": shb + idb(option(14, struct.pack("<q", 2**63 - 1))) + packet(units) + packet(2**64 - 1),
    "tsoffset-min": shb + idb(option(14, struct.pack("<q", -2**63))) + packet(units),
    "tsoffset-1000": shb + idb(option(14, struct.pack("<q", 1000))) + packet(units),
    "stall-in-section": (shb + idb() + packet(units) + shb)[:-10],
}[kind]
open(name, "wb").write(out)
PY
  }
  for kind in before-idb tsresol-100 tsresol-2-127; do
    pcapng "$kind.pcapng" "$kind"
    sc read "$kind.pcapng" -w "$kind.out.pcap"
    check "pcapng $kind: refused on one line (exit 1) before the -w file is created" \
      test "$rc" -eq 1 -a ! -e "$kind.out.pcap" && one_error_line
    if have tcpdump; then
      theirs=$(tcpdump -r "$kind.pcapng" 2>&1 | tail -1 | sed 's/^tcpdump: //')
      check "... with tcpdump's text ($theirs)" test "$(cat err)" = "slimcap: $kind.pcapng: $theirs"
    fi
  done
  for kind in tsoffset-max tsoffset-min tsoffset-1000; do
    pcapng "$kind.pcapng" "$kind"
    for t in "" -tttt; do
      TZ=UTC "$SLIMCAP" read "$kind.pcapng" $t >ours.txt 2>ours.err
      check "pcapng $kind ${t:-(time of day)}: read without error" test "$?" -eq 0 -a "$(grep -vc '^reading from file' ours.err)" -eq 0
      if have tcpdump; then
        TZ=UTC tcpdump -n -r "$kind.pcapng" $t 2>/dev/null | cut -d' ' -f1-3 >theirs.txt
        cut -d' ' -f1-3 ours.txt >ours3.txt
        if cmp -s ours3.txt theirs.txt; then ok "... times as tcpdump prints them"; else not_ok "... times as tcpdump prints them" "$(diff ours3.txt theirs.txt)"; fi
      fi
    done
  done

  # Ctrl-C and SIGTERM end `read` promptly whatever it waits on.
  # stop_read SIGNAL OUT ARGS...: starts `slimcap read ARGS >OUT`, sends SIGNAL a second later,
  # gives it 5 s to end (then kills it); leaves alive (1: it did not end), status and elapsed_ms.
  stop_read() {
    local signal=$1 out=$2
    shift 2
    "$SLIMCAP" read "$@" >"$out" 2>/dev/null &
    local pid=$! start
    sleep 1
    kill "-$signal" "$pid"
    start=$(date +%s%N)
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    alive=0; kill -0 "$pid" 2>/dev/null && alive=1
    kill -KILL "$pid" 2>/dev/null
    wait "$pid"; status=$?
    elapsed_ms=$(( ($(date +%s%N) - start) / 1000000 ))
  }
  # (1) A FIFO whose writer is connected but has sent nothing yet.
  rm -f idle.fifo; mkfifo idle.fifo
  sleep 30 >idle.fifo &
  idle_writer=$!
  stop_read INT idle.out idle.fifo
  kill "$idle_writer" 2>/dev/null; wait "$idle_writer" 2>/dev/null
  check "SIGINT ends a read of a FIFO whose writer is idle within 5 s, status 0 (took ${elapsed_ms} ms)" \
    test "$alive" -eq 0 -a "$status" -eq 0
  # (2) A pcapng stream that stalls inside its second section header.
  pcapng stall.pcapng stall-in-section
  rm -f stall.fifo; mkfifo stall.fifo
  { cat stall.pcapng; sleep 30; } >stall.fifo &
  staller=$!
  stop_read TERM stall.out stall.fifo
  kill "$staller" 2>/dev/null; pkill -P "$staller" sleep 2>/dev/null; wait "$staller" 2>/dev/null
  check "SIGTERM ends a pcapng stream stalled inside a second section header within 5 s, status 0 (took ${elapsed_ms} ms)" \
    test "$alive" -eq 0 -a "$status" -eq 0
  check "... after printing the packet before it" test "$(wc -l <stall.out)" -eq 1
  # (3) An output that does not drain: -w - into a FIFO whose reader never reads. Small input
  # (slimcap waits in its final flush) and large (it waits with every batch in flight).
  for copies in 1 10; do
    rm -f out.fifo; mkfifo out.fifo
    sleep 30 <out.fifo &
    stalled_reader=$!
    inputs=(); for _ in $(seq "$copies"); do inputs+=(imix.pcap); done
    stop_read INT out.fifo "${inputs[@]}" -w -
    kill "$stalled_reader" 2>/dev/null; wait "$stalled_reader" 2>/dev/null
    check "SIGINT ends read -w - into a pipe nobody reads ($copies x imix) within 5 s, status 0 (took ${elapsed_ms} ms)" \
      test "$alive" -eq 0 -a "$status" -eq 0
  done
else
  skip "pcapng refusals, times and signals" "python3 not installed"
fi

# --- live: rotation flags that do not fit together are refused before any socket opens ---------
sc live -i lo -W 3 -w x.pcap
check "live -W without -C or -G is a usage error (exit 2, one line)" \
  test "$rc" -eq 2 -a "$(cat err)" = "slimcap: -W needs -C or -G"
sc live -i lo -C 10 -w -
check "live -C onto standard output is a usage error" usage_error_line
sc live -i lo -G 60
check "live -G without -w is a usage error" test "$rc" -eq 2 -a "$(cat err)" = "slimcap: -C and -G need -w FILE"
for bad in 10x 0 k -5 99999999999999999999g; do
  sc live -i lo -C "$bad" -w x.pcap
  check "live -C $bad is refused (exit 2, one line)" usage_error_line
done

echo "1..$n"
echo "# $((n - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
