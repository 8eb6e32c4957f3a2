#!/bin/bash
# slimcap stats FILE against capinfos and tshark on the same IMIX captures, from the page
# cache, in one run.
#
#   bench_stats.sh SLIMCAP CAPGEN       (meson test --benchmark stats runs it with the built paths)
#
# Measures wall time (best of 3) of `slimcap stats FILE --top 10` (capinfos' fields, protocol
# mix and top talkers) against `capinfos FILE` (which hashes the file), capinfos with its
# hashes off, and `tshark -qz io,phs` (run on the 200,000-packet file, being ~100x slower, and
# scaled by the packet ratio); on the .zst copy against `zstd -dc`; and the peak RSS for
# 200,000 and 2,000,000 packets and for a capture of 1,000,000 distinct conversations. Each
# result is printed against its goal; a missed goal prints MISSED and still exits 0. The exit
# status is nonzero only when a command fails to run. Environment: BENCH_PACKETS (default
# 2000000), BENCH_KEEP=1 keeps the temporary directory.

. "$(dirname "$0")/bench_files.sh" stats "capinfos tshark zstd" "$@"
BIG=${BENCH_PACKETS:-2000000}
SMALL=200000
FLOWS=1000000

secs() { calc "$1 / 1e6" 3; }

echo "== slimcap stats benchmark: $BIG and $SMALL-packet IMIX from the page cache"
echo "   slimcap: $SLIMCAP"
echo "   capinfos/tshark: $(capinfos -v 2>&1 | head -1)"
echo "   machine: $(nproc) CPUs, $(uname -r)"

f="$dir/imix.pcap"
small="$dir/imix-small.pcap"
flows="$dir/flows.pcap"
"$CAPGEN" --mix imix --packets "$BIG" --seed 1 -o "$f" 2>"$dir/err" || { fail "capgen"; exit 1; }
"$CAPGEN" --mix imix --packets "$SMALL" --seed 2 -o "$small" 2>"$dir/err" || { fail "capgen"; exit 1; }
"$CAPGEN" --mix flows --packets $((2 * FLOWS)) --flows "$FLOWS" -o "$flows" 2>"$dir/err" || { fail "capgen flows"; exit 1; }
zstd -q -T0 -3 "$f" -o "$f.zst" 2>"$dir/err" || { fail "zstd"; exit 1; }
echo "   files: $(du -m "$f" | cut -f1) MiB pcap, $(du -m "$f.zst" | cut -f1) MiB .zst, $(du -m "$flows" | cut -f1) MiB with $FLOWS conversations"
cat "$f" "$f.zst" "$small" "$flows" >/dev/null  # warm the page cache

# The same packets first: slimcap's count is capinfos'.
ours=$("$SLIMCAP" stats "$f" --json | python3 -c 'import json, sys; print(json.load(sys.stdin)["packets"])')
theirs=$(capinfos -c -M "$f" 2>/dev/null | awk -F': *' '/Number of packets/ {print $2}')
[ "$ours" = "$BIG" ] && [ "$theirs" = "$BIG" ] || fail "packet counts: slimcap '$ours', capinfos '$theirs', expected $BIG"
echo

echo "-- wall time, best of 3"
best_of 3 t_s "$SLIMCAP" stats "$f" --top 10
best_of 3 t_c capinfos "$f"
best_of 3 t_cn capinfos -c -d -u -x -y -z -i -a -e "$f"
best_of 3 t_s_small "$SLIMCAP" stats "$small" --top 10
best_of 1 t_phs_small tshark -qz io,phs -r "$small"
best_of 3 t_sz "$SLIMCAP" stats "$f.zst" --top 10
best_of 3 t_z zstd -dc "$f.zst"
t_phs=$(calc "$t_phs_small * $BIG / $SMALL" 0)
row() { printf '%-48s %9s s\n' "$1" "$(secs "$2")"; }
row "slimcap stats FILE --top 10 ($BIG)" "$t_s"
row "capinfos FILE ($BIG)" "$t_c"
row "capinfos -c -d -u -x -y -z -i -a -e FILE ($BIG)" "$t_cn"
row "slimcap stats FILE --top 10 ($SMALL)" "$t_s_small"
row "tshark -qz io,phs ($SMALL, run once)" "$t_phs_small"
row "tshark -qz io,phs ($BIG, scaled from $SMALL)" "$t_phs"
row "slimcap stats FILE.zst --top 10 ($BIG)" "$t_sz"
row "zstd -dc FILE.zst > /dev/null" "$t_z"
echo

echo "-- peak RSS (KiB, slimcap stats --top 10)"
rss_small=$(peak_rss "$SLIMCAP" stats "$small" --top 10)
rss_big=$(peak_rss "$SLIMCAP" stats "$f" --top 10)
rss_flows=$(peak_rss "$SLIMCAP" stats "$flows" --top 10)
rss_cap=$(peak_rss capinfos -c -d -u -x -y -z -i -a -e "$f")
printf '%-40s %10s\n' "$SMALL packets" "$rss_small" "$BIG packets" "$rss_big" \
  "$((2 * FLOWS)) packets, $FLOWS conversations" "$rss_flows" "capinfos, hashes off, $BIG packets" "$rss_cap"
echo

echo "== goals"
goal() { printf '%-62s %-12s %s\n' "$1" "$2" "$(verdict "$3")"; }
r_c=$(calc "$t_c / $t_s")
r_cn=$(calc "$t_cn / $t_s")
r_phs=$(calc "$t_phs / $t_s")
r_phs_small=$(calc "$t_phs_small / $t_s_small")
r_z=$(calc "$t_sz / $t_z")
goal "vs capinfos FILE (hashes): capinfos time / ours (>= 5)" "${r_c}x" "$r_c >= 5"
goal "vs capinfos, hashes off: their time / ours (>= 1)" "${r_cn}x" "$r_cn >= 1"
goal "vs tshark -qz io,phs, scaled to $BIG (>= 50)" "${r_phs}x" "$r_phs >= 50"
printf '%-62s %-12s\n' "vs tshark -qz io,phs, both on $SMALL (for information)" "${r_phs_small}x"
goal ".zst: our time / zstd -dc time (<= 1.2)" "$r_z" "$r_z <= 1.2"
d1=$((rss_big - rss_small)); d2=$((rss_flows - rss_small))
goal "RSS: $BIG vs $SMALL packets (within 4096 KiB)" "${d1#-} KiB" "${d1#-} <= 4096"
goal "RSS: $FLOWS conversations vs $SMALL packets (within 4096 KiB)" "${d2#-} KiB" "${d2#-} <= 4096"

if [ "$failed" -ne 0 ]; then
  echo "bench: some commands failed (see above)" >&2
  exit 1
fi
exit 0
