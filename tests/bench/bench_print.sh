#!/bin/bash
# The printer on the protocols of issue 11 against tcpdump, in one run: a capture rich in DNS
# and tunnels (capgen --mix protocols: real DNS queries and answers over UDP and TCP, VXLAN
# and GRE carrying inner TCP/UDP/DNS, and the rest of the IMIX), and the IMIX capture whose
# instructions per printed packet must not grow with the new dissectors.
#
#   bench_print.sh SLIMCAP CAPGEN     (meson test --benchmark print runs it with the built paths)
#
# Prints, each against its goal (a missed goal prints MISSED and still exits 0; the exit
# status is nonzero only when a command fails to run), slimcap and tcpdump always in the same
# mode: -n (relative TCP sequence numbers, each keeping its table of conversations, the
# issue's comparison) and -n -S (absolute ones):
#   - agreement: the share of lines identical to tcpdump's on the first 20,000 packets of the
#     protocols file, with -n, -n -S and -n -S -v;
#   - wall time, best of 5 rounds that run each command once in turn (so that both tools see
#     the same moments of a shared machine), of printing the protocols file: -n (goal >= 10x),
#     -n -S and -n -S -v for information;
#   - callgrind instructions per printed packet (a run of 20,000 packets minus a -c 1 run) on
#     the protocols file with -n and -n -S (goal >= 10x each), and on the IMIX file of
#     bench_read.sh (seed 3) with -n, goal: within 10% of 1,054, the count before issue 11's
#     work (commit efee464).
# Environment: BENCH_PACKETS (default 500000), BENCH_KEEP=1 keeps the temporary directory.

. "$(dirname "$0")/bench_files.sh" print "tcpdump" "$@"
N=${BENCH_PACKETS:-500000}
CG=20000
IMIX_BEFORE=1054
goal() { printf '%-62s %-14s %s\n' "$1" "$2" "$(verdict "$3")"; }

echo "== slimcap printer benchmark: $N packets of --mix protocols, TZ=UTC"
echo "   tcpdump: $(tcpdump --version 2>&1 | head -1); machine: $(nproc) CPUs, $(uname -r)"

proto="$dir/protocols.pcap"
proto_cg="$dir/protocols-cg.pcap"
imix_cg="$dir/imix-cg.pcap"
"$CAPGEN" --mix protocols --packets "$N" --seed 1 -o "$proto" 2>"$dir/err" || { fail "capgen"; exit 1; }
"$CAPGEN" --mix protocols --packets "$CG" --seed 2 -o "$proto_cg" 2>"$dir/err" || { fail "capgen"; exit 1; }
"$CAPGEN" --mix imix --packets "$CG" --seed 3 -o "$imix_cg" 2>"$dir/err" || { fail "capgen"; exit 1; }
cat "$proto" "$proto_cg" "$imix_cg" >/dev/null  # warm the page cache

echo "   what the protocols file holds (slimcap stats):"
"$SLIMCAP" stats "$proto" 2>/dev/null | sed -n '/Protocol mix/,/^$/p' | sed 's/^/     /' | head -30

echo
echo "-- agreement with tcpdump on the first $CG packets of the protocols file"
agree() {  # agree FLAGS...: prints "same total"
  "$SLIMCAP" read "$@" "$proto_cg" >"$dir/ours" 2>/dev/null || fail "slimcap read $*"
  tcpdump "$@" -r "$proto_cg" >"$dir/theirs" 2>/dev/null || fail "tcpdump $*"
  local total same
  total=$(wc -l <"$dir/theirs")
  same=$(python3 - "$dir/ours" "$dir/theirs" <<'EOF'
import sys
a = open(sys.argv[1], errors="replace").read().split("\n")
b = open(sys.argv[2], errors="replace").read().split("\n")
print(sum(1 for x, y in zip(a, b) if x == y and y != ""))
EOF
)
  echo "$same $total"
}
read -r same_r total_r < <(agree -n)
read -r same_d total_d < <(agree -n -S)
read -r same_v total_v < <(agree -n -S -v)
printf '%-22s %s of %s lines identical\n' "-n" "$same_r" "$total_r" "-n -S" "$same_d" "$total_d" \
  "-n -S -v" "$same_v" "$total_v"
diff <("$SLIMCAP" read -n "$proto_cg" 2>/dev/null) <(tcpdump -n -r "$proto_cg" 2>/dev/null) |
  grep '^[<>]' | head -6 | sed 's/^/   first differences: /'

echo
echo "-- wall time, best of 5 rounds ($N packets; each round runs every command once, in turn)"
keep_min() { if [ -z "${!1}" ] || [ "$2" -lt "${!1}" ]; then printf -v "$1" '%s' "$2"; fi; }
t_s="" t_t="" t_sa="" t_ta="" t_sv="" t_tv=""
for ((round = 0; round < 5; round++)); do
  best_of 1 w "$SLIMCAP" read -n "$proto"; keep_min t_s "$w"
  best_of 1 w tcpdump -n -r "$proto"; keep_min t_t "$w"
  best_of 1 w "$SLIMCAP" read -n -S "$proto"; keep_min t_sa "$w"
  best_of 1 w tcpdump -n -S -r "$proto"; keep_min t_ta "$w"
  best_of 1 w "$SLIMCAP" read -n -S -v "$proto"; keep_min t_sv "$w"
  best_of 1 w tcpdump -n -S -v -r "$proto"; keep_min t_tv "$w"
done
printf '%-22s %10s µs   %-18s %10s µs\n' "slimcap read -n" "$t_s" "tcpdump -n" "$t_t" \
  "slimcap read -n -S" "$t_sa" "tcpdump -n -S" "$t_ta" "slimcap read -n -S -v" "$t_sv" \
  "tcpdump -n -S -v" "$t_tv"

ir_p="" ir_i="" ir_pt="" ir_pa="" ir_pta=""
if command -v valgrind >/dev/null; then
  echo
  echo "-- instructions per printed packet (callgrind, $CG packets, minus a -c 1 run)"
  keep_root=()
  [ "$(id -u)" = 0 ] && keep_root=(-Z root)
  callgrind_ir() {
    local out="$dir/callgrind.out" ir
    rm -f "$out"
    valgrind --tool=callgrind --callgrind-out-file="$out" "$@" >/dev/null 2>"$dir/err" || { fail "valgrind $*"; echo 0; return; }
    ir=$(awk '/^(summary|totals):/ { print $2; exit }' "$out" 2>/dev/null)
    [ -n "$ir" ] || { fail "no callgrind totals for $*"; echo 0; return; }
    echo "$ir"
  }
  per_packet() {  # per_packet FILE CMD-PREFIX...
    local f=$1 full one
    shift
    full=$(callgrind_ir "$@" "$f")
    one=$(callgrind_ir "$@" "$f" -c 1)
    calc "($full - $one) / ($CG - 1)" 0
  }
  ir_p=$(per_packet "$proto_cg" "$SLIMCAP" read -n)
  ir_pt=$(per_packet "$proto_cg" tcpdump "${keep_root[@]}" -n -r)
  ir_pa=$(per_packet "$proto_cg" "$SLIMCAP" read -n -S)
  ir_pta=$(per_packet "$proto_cg" tcpdump "${keep_root[@]}" -n -S -r)
  ir_i=$(per_packet "$imix_cg" "$SLIMCAP" read -n)
  printf '%-30s %8s Ir/packet\n' "slimcap -n, protocols" "$ir_p" "tcpdump -n, protocols" "$ir_pt" \
    "slimcap -n -S, protocols" "$ir_pa" "tcpdump -n -S, protocols" "$ir_pta" \
    "slimcap -n, IMIX" "$ir_i"
else
  echo "-- callgrind: valgrind is not installed, skipped"
fi

echo
echo "== goals"
r=$(calc "$t_t / $t_s")
ra=$(calc "$t_ta / $t_sa")
rv=$(calc "$t_tv / $t_sv")
goal "protocols: print -n vs tcpdump -n, wall (>= 10x)" "${r}x" "$r >= 10"
printf '%-62s %-14s\n' "protocols: -n -S vs tcpdump -n -S, wall (for information)" "${ra}x"
printf '%-62s %-14s\n' "protocols: -n -S -v vs tcpdump -n -S -v, wall (for information)" "${rv}x"
if [ -n "$ir_p" ]; then
  r_ir=$(calc "($ir_p > 0 ? $ir_pt / $ir_p : 0)")
  r_ira=$(calc "($ir_pa > 0 ? $ir_pta / $ir_pa : 0)")
  goal "protocols: instructions/packet, tcpdump/slimcap, -n (>= 10x)" "${r_ir}x" "$ir_p > 0 && $r_ir >= 10"
  goal "protocols: instructions/packet, tcpdump/slimcap, -n -S (>= 10x)" "${r_ira}x" "$ir_pa > 0 && $r_ira >= 10"
  goal "IMIX: instructions/packet within 10% of $IMIX_BEFORE" "$ir_i" "$ir_i <= $IMIX_BEFORE * 1.10"
fi
goal "agreement: -n lines identical to tcpdump" "$same_r/$total_r" "$same_r == $total_r"
goal "agreement: -n -S lines identical to tcpdump" "$same_d/$total_d" "$same_d == $total_d"
goal "agreement: -n -S -v lines identical to tcpdump" "$same_v/$total_v" "$same_v == $total_v"
exit $failed
