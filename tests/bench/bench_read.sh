#!/bin/bash
# slimcap read against tcpdump on the same IMIX captures, from the page cache, in one run.
#
#   bench_read.sh SLIMCAP CAPGEN        (meson test --benchmark runs it with the built paths)
#
# Measures wall time (best of 3) for printing, filtering, converting and counting, --count on a
# .zst copy against `zstd -dc`, peak RSS on a 200k and a 2M-packet file, start-up time with
# -c 1 (best of 20, or hyperfine), and callgrind instructions per printed packet. Each result
# is printed against its goal; a missed goal prints MISSED and still exits 0. The exit status
# is nonzero only when a command fails to run. Environment: BENCH_PACKETS (default 2000000),
# BENCH_KEEP=1 keeps the temporary directory.

. "$(dirname "$0")/bench_files.sh" read "tcpdump zstd" "$@"
BIG=${BENCH_PACKETS:-2000000}
SMALL=200000
CG=20000

# Start-up time in µs of CMD: hyperfine's minimum if installed, else best of 20.
startup() {
  local var=$1
  shift
  if command -v hyperfine >/dev/null && command -v python3 >/dev/null; then
    local quoted
    printf -v quoted '%q ' "$@"
    if hyperfine -N --warmup 3 --runs 20 --export-json "$dir/hf.json" "$quoted" >/dev/null 2>"$dir/err"; then
      printf -v "$var" '%s' "$(python3 -c 'import json, sys
print(round(json.load(open(sys.argv[1]))["results"][0]["min"] * 1e6))' "$dir/hf.json")"
      return
    fi
    fail "hyperfine $*"
  fi
  best_of 20 "$var" "$@"
}

mpps() { calc "$1 / $2" 3; }  # packets / µs = Mpps

line() { printf '%-34s %s\n' "$1" "$2"; }

echo "== slimcap read benchmark: $BIG and $SMALL-packet IMIX from the page cache, TZ=UTC"
echo "   slimcap: $SLIMCAP"
echo "   tcpdump: $(tcpdump --version 2>&1 | head -1), $(tcpdump --version 2>&1 | sed -n 2p)"
echo "   machine: $(nproc) CPUs, $(uname -r)"

f="$dir/imix.pcap"
small="$dir/imix-small.pcap"
cg="$dir/imix-cg.pcap"
start=$(now_us)
"$CAPGEN" --mix imix --packets "$BIG" --seed 1 -o "$f" 2>"$dir/err" || { fail "capgen"; exit 1; }
"$CAPGEN" --mix imix --packets "$SMALL" --seed 2 -o "$small" 2>"$dir/err" || { fail "capgen"; exit 1; }
"$CAPGEN" --mix imix --packets "$CG" --seed 3 -o "$cg" 2>"$dir/err" || { fail "capgen"; exit 1; }
zstd -q -T0 -3 "$f" -o "$f.zst" 2>"$dir/err" || { fail "zstd"; exit 1; }
end=$(now_us)
echo "   files: $(du -m "$f" | cut -f1) MiB pcap, $(du -m "$f.zst" | cut -f1) MiB .zst, generated in $(calc "($end - $start) / 1e6" 1) s"
cat "$f" "$f.zst" "$small" "$cg" >/dev/null  # warm the page cache

# Both tools must see the same packets before their speed means anything.
ours=$("$SLIMCAP" read "$f" --count 2>"$dir/err") || fail "slimcap read --count"
theirs=$(tcpdump -r "$f" --count 2>/dev/null) || fail "tcpdump --count"
ours_n=${ours%% *}
theirs_n=${theirs%% *}
if [ "$ours_n" != "$BIG" ] || [ "$theirs_n" != "$BIG" ]; then
  fail "packet counts: slimcap '$ours', tcpdump '$theirs', expected $BIG"
fi
ours_f=$("$SLIMCAP" read "$f" --count 'tcp port 80' 2>/dev/null)
theirs_f=$(tcpdump -r "$f" --count 'tcp port 80' 2>/dev/null)
[ "$ours_f" = "$theirs_f" ] || fail "'tcp port 80' counts differ: slimcap '$ours_f', tcpdump '$theirs_f'"
filtered=${theirs_f%% *}
echo

echo "-- wall time, best of 3 ($BIG packets; 'tcp port 80' selects $filtered)"
best_of 3 t_print_s "$SLIMCAP" read "$f"
best_of 3 t_print_t tcpdump -n -r "$f"
best_of 3 t_filter_s "$SLIMCAP" read "$f" 'tcp port 80'
best_of 3 t_filter_t tcpdump -n -r "$f" 'tcp port 80'
best_of 3 t_conv_s "$SLIMCAP" read "$f" -w /dev/null
best_of 3 t_conv_t tcpdump -r "$f" -w /dev/null
best_of 3 t_count_s "$SLIMCAP" read "$f" --count
best_of 3 t_count_t tcpdump -r "$f" --count
best_of 3 t_zcount_s "$SLIMCAP" read "$f.zst" --count
best_of 3 t_zstd zstd -dc "$f.zst"

row() {  # name slimcap_us tcpdump_us tcpdump_label
  printf '%-22s slimcap %7.3f s %7.2f Mpps   %-22s %7.3f s %7.2f Mpps\n' "$1" \
    "$(calc "$2 / 1e6" 3)" "$(mpps "$BIG" "$2")" "$4" "$(calc "$3 / 1e6" 3)" "$(mpps "$BIG" "$3")"
}
row "print" "$t_print_s" "$t_print_t" "tcpdump -n"
row "filter 'tcp port 80'" "$t_filter_s" "$t_filter_t" "tcpdump -n"
row "convert -w /dev/null" "$t_conv_s" "$t_conv_t" "tcpdump -w /dev/null"
row "--count" "$t_count_s" "$t_count_t" "tcpdump --count"
printf '%-22s slimcap %7.3f s %7.2f Mpps   %-22s %7.3f s\n' "--count on .zst" \
  "$(calc "$t_zcount_s / 1e6" 3)" "$(mpps "$BIG" "$t_zcount_s")" "zstd -dc >/dev/null" "$(calc "$t_zstd / 1e6" 3)"
echo

echo "-- peak RSS (KiB)"
rss_s_small=$(peak_rss "$SLIMCAP" read "$small")
rss_s_big=$(peak_rss "$SLIMCAP" read "$f")
rss_t_small=$(peak_rss tcpdump -n -r "$small")
rss_t_big=$(peak_rss tcpdump -n -r "$f")
rss_z_big=$(peak_rss "$SLIMCAP" read "$f.zst" --count)
printf '%-22s %10s %10s\n' "" "$SMALL" "$BIG"
printf '%-22s %10s %10s\n' "slimcap read" "$rss_s_small" "$rss_s_big"
printf '%-22s %10s %10s\n' "tcpdump -n -r" "$rss_t_small" "$rss_t_big"
printf '%-22s %10s %10s\n' "slimcap read .zst" "" "$rss_z_big"
echo

echo "-- start-up: read -c 1 (µs, minimum)"
startup t_up_s "$SLIMCAP" read "$f" -c 1
startup t_up_t tcpdump -n -r "$f" -c 1
startup t_up_true /bin/true
printf '%-22s %8s µs   %-10s %8s µs   (/bin/true: %s µs)\n' "slimcap -c 1" "$t_up_s" "tcpdump" "$t_up_t" "$t_up_true"
echo

ir_s="" ir_t=""
if command -v valgrind >/dev/null; then
  echo "-- instructions per printed packet (callgrind, $CG packets, minus a -c 1 run)"
  # tcpdump run as root drops privileges to its own user after opening the file, and then
  # callgrind cannot write its output at exit: keep root for these runs.
  keep_root=()
  [ "$(id -u)" = 0 ] && keep_root=(-Z root)
  callgrind_ir() {  # prints the Ir total of CMD
    local out="$dir/callgrind.out" ir
    rm -f "$out"
    valgrind --tool=callgrind --callgrind-out-file="$out" "$@" >/dev/null 2>"$dir/err" || { fail "valgrind $*"; echo 0; return; }
    ir=$(awk '/^(summary|totals):/ { print $2; exit }' "$out" 2>/dev/null)
    if [ -z "$ir" ]; then fail "no callgrind totals for $*"; echo 0; return; fi
    echo "$ir"
  }
  s_full=$(callgrind_ir "$SLIMCAP" read "$cg")
  s_one=$(callgrind_ir "$SLIMCAP" read "$cg" -c 1)
  t_full=$(callgrind_ir tcpdump "${keep_root[@]}" -n -r "$cg")
  t_one=$(callgrind_ir tcpdump "${keep_root[@]}" -n -r "$cg" -c 1)
  ir_s=$(calc "($s_full - $s_one) / ($CG - 1)" 0)
  ir_t=$(calc "($t_full - $t_one) / ($CG - 1)" 0)
  printf '%-22s %8s Ir/packet   (total %s, start-up %s)\n' "slimcap read" "$ir_s" "$s_full" "$s_one"
  printf '%-22s %8s Ir/packet   (total %s, start-up %s)\n' "tcpdump -n -r" "$ir_t" "$t_full" "$t_one"
else
  echo "-- callgrind: valgrind is not installed, skipped"
fi
echo

echo "== goals"
goal() {  # text value condition
  printf '%-58s %-14s %s\n' "$1" "$2" "$(verdict "$3")"
}
r_print=$(calc "$t_print_t / $t_print_s")
r_filter=$(calc "$t_filter_t / $t_filter_s")
r_conv=$(calc "$t_conv_t / $t_conv_s")
r_count=$(calc "$t_conv_t / $t_count_s")
r_count_c=$(calc "$t_count_t / $t_count_s")
r_zst=$(calc "$t_zcount_s / $t_zstd")
goal "print: packets/s vs tcpdump -n (>= 10x)" "${r_print}x" "$r_print >= 10"
if [ -n "$ir_s" ]; then
  r_ir=$(calc "($ir_s > 0 ? $ir_t / $ir_s : 0)")  # parenthesised: a bare > is a redirection in printf
  goal "print: instructions/packet, tcpdump/slimcap (>= 10x)" "${r_ir}x" "$ir_s > 0 && $r_ir >= 10"
fi
goal "filter 'tcp port 80' vs tcpdump -n (>= 5x)" "${r_filter}x" "$r_filter >= 5"
goal "convert -w /dev/null vs tcpdump -w /dev/null (>= 3x)" "${r_conv}x" "$r_conv >= 3"
goal "--count vs tcpdump -w /dev/null (>= 3x)" "${r_count}x" "$r_count >= 3"
printf '%-58s %-14s %s\n' "--count vs tcpdump --count (for information)" "${r_count_c}x" ""
goal ".zst --count time / zstd -dc time (<= 1.2)" "$r_zst" "$r_zst <= 1.2"
d_rss=$(( rss_s_big - rss_s_small ))
goal "RSS: slimcap $BIG vs $SMALL packets (within 4096 KiB)" "${d_rss#-} KiB" "${d_rss#-} <= 4096"
d_rss_t=$(( rss_s_big - rss_t_big ))
goal "RSS: slimcap vs tcpdump on $BIG packets (<= +4096 KiB)" "${d_rss_t} KiB" "$d_rss_t <= 4096"
r_up=$(calc "$t_up_s / $t_up_t")
goal "start-up -c 1: slimcap / tcpdump time (<= 1.0)" "$r_up" "$r_up <= 1.0"

if [ "$failed" -ne 0 ]; then
  echo "bench: some commands failed (see above)" >&2
  exit 1
fi
exit 0
