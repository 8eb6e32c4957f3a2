#!/bin/sh
# Instructions (callgrind) and wall time per operation of the printer's hand-written appenders
# and of fmt::format_to(FMT_COMPILE) into the same OutputBuffer: docs/printer.md.
#   bench_fmt.sh path/to/fmt_appenders [CALLGRIND_ITERATIONS [WALL_ITERATIONS]]
# Ir/op = (Ir of N operations - Ir of 1 operation) / (N - 1): start-up cancels out.
# Wall ns/op: the best of three runs (a secondary number: the machine is shared).
set -eu
exe=$1
n=${2:-100000}
wall_n=${3:-2000000}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

"$exe" --check

have_valgrind=1
command -v valgrind >/dev/null || { have_valgrind=0; echo "valgrind is not installed: wall time only"; }

ir_per_op() {  # ir_per_op OPERATION VARIANT
  [ "$have_valgrind" = 1 ] || { echo -; return; }
  for count in "$n" 1; do
    valgrind --tool=callgrind --callgrind-out-file="$dir/out" "$exe" "$1" "$2" "$count" \
      >/dev/null 2>"$dir/err" || { cat "$dir/err" >&2; exit 1; }
    awk '/^(summary|totals):/ { print $2; exit }' "$dir/out"
  done | awk -v n="$n" 'NR == 1 { a = $1 } NR == 2 { printf "%.1f", (a - $1) / (n - 1) }'
}
wall() {  # wall OPERATION VARIANT
  for _ in 1 2 3; do "$exe" "$1" "$2" "$wall_n" | awk '{ print $4 }'; done | sort -g | head -n 1
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 > 0) printf "%.2f", a / b; else print "-" }'; }

echo "callgrind: $n operations minus 1; wall: best of 3 runs of $wall_n operations"
echo "fmt: as GCC inlines it; fmt flat: the loop [[gnu::flatten]]ed; ratio: the better fmt / hand"
row='| %-20s | %10s | %10s | %10s | %6s | %10s | %10s | %10s |\n'
rule='|----------------------|------------|------------|------------|--------|------------|------------|------------|\n'
printf "$row" operation "hand Ir/op" "fmt Ir/op" "flat Ir/op" ratio "hand ns/op" "fmt ns/op" "flat ns/op"
printf "$rule"
: >"$dir/alternatives"
"$exe" --list | while IFS="$(printf '\t')" read -r op _ alternatives; do
  hand=$(ir_per_op "$op" hand)
  fmt=$(ir_per_op "$op" fmt)
  flat=$(ir_per_op "$op" fmt_flat)
  best=$(awk -v a="$fmt" -v b="$flat" 'BEGIN { print (b + 0 < a + 0) ? b : a }')
  printf "$row" "$op" "$hand" "$fmt" "$flat" "$(ratio "$best" "$hand")" "$(wall "$op" hand)" \
    "$(wall "$op" fmt)" "$(wall "$op" fmt_flat)"
  if [ -n "$alternatives" ]; then
    printf "$row" "$op" "$fmt" "$(ir_per_op "$op" fmt_n)" "$(ir_per_op "$op" fmt_buffer)" - \
      "$(wall "$op" fmt)" "$(wall "$op" fmt_n)" "$(wall "$op" fmt_buffer)" >>"$dir/alternatives"
  fi
done
echo
echo "How fmt reaches the OutputBuffer: format_to(char*) into reserve()d room, format_to_n, a"
echo "fmt::memory_buffer appended (Ir/op, then wall ns/op in the same order):"
printf "$row" operation format_to format_to_n memory_buf "" "to ns/op" "to_n ns/op" "buf ns/op"
printf "$rule"
cat "$dir/alternatives"
