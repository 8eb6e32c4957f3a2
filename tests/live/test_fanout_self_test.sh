#!/usr/bin/env bash
# Live test of `slimcap fanout --self-test`: it runs in a network namespace of its own, with a
# veth pair it creates there, so this script creates none. Checks that each flow-keeping mode
# keeps every flow whole and loses nothing, that lb says it does not keep flows, that --defrag
# reassembles, that nothing of the test remains in the host's namespace afterwards, and (with
# setpriv) that an unprivileged run says why it cannot. One TAP line per check.
# Usage: test_fanout_self_test.sh SLIMCAP
set -u -o pipefail

SLIMCAP=$1
WORK=$(mktemp -d /tmp/slimcap-selftest.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

# shellcheck source=tap.sh
. "$(dirname "$0")/tap.sh"

if [ "$(id -u)" -ne 0 ] || ! command -v ip >/dev/null; then
  echo "1..0 # SKIP fanout --self-test needs root (CAP_NET_ADMIN, CAP_NET_RAW) and iproute2"
  exit 0
fi
if ! "$SLIMCAP" fanout --help 2>/dev/null | grep -q -- --self-test; then
  echo "1..0 # SKIP slimcap fanout --help has no --self-test: not in this build"
  exit 0
fi

# The host's interfaces and namespaces (names only), before and after. Other live tests may
# create and delete theirs meanwhile (slimcap-* namespaces, veth pairs named after their
# process id), so only what appeared and stayed counts, and theirs are told apart by name.
links() { ip -o link show | awk -F': ' '{ sub(/@.*/, "", $2); print $2 }' | sort; }
namespaces() { ip netns list | awk '{ print $1 }' | sort; }
namespaces >"$WORK/netns.before"
links >"$WORK/links.before"

# self_test NAME ARGS...: runs the self-test; its stdout in $WORK/NAME.out, stderr in
# $WORK/NAME.err, and the exit status in $WORK/NAME.rc.
self_test() {
  local name=$1; shift
  timeout 60 "$SLIMCAP" fanout --self-test "$@" >"$WORK/$name.out" 2>"$WORK/$name.err"
  echo $? >"$WORK/$name.rc"
}
# expect NAME PATTERN...: ok when the run exited 0 and its output holds every (extended) regex.
expect() {
  local name=$1; shift
  local rc pattern missing=""
  rc=$(cat "$WORK/$name.rc")
  for pattern in "$@"; do
    grep -Eq -- "$pattern" "$WORK/$name.out" || missing="$missing '$pattern'"
  done
  if [ "$rc" -eq 0 ] && [ -z "$missing" ]; then
    ok "--self-test $name"
  else
    not_ok "--self-test $name" "exit status $rc; missing:${missing:- none}" \
      "$(cat "$WORK/$name.out" "$WORK/$name.err")"
  fi
}

for mode in hash flow2 flow4 tcp5; do
  self_test "$mode" --cluster "$mode"
  expect "$mode" "^fanout self-test: Linux .*, [0-9]+ workers, --cluster $mode\$" \
    '^worker 0: [0-9]+ packets' '^worker 1: [0-9]+ packets' \
    '^flows: 64 of 64 kept whole .*; 0 split$' '^lost: 0 of 1024 frames$' \
    '^defrag: ' '^ignore-outgoing: ' "^verdict: fanout --cluster $mode is safe here\$"
done

self_test lb --cluster lb
expect lb '^flows: .*\(this mode does not keep flows\)$' '^lost: 0 of 1024 frames$' \
  '^round robin: worker loads differ by [01] ' '^verdict: .*it does not keep flows'

self_test defrag --defrag
expect defrag '^defrag: works \(3 fragments -> 1 datagram of 3008 bytes\)$' \
  '^fragments: 3 fragments -> 1 datagram of 3008 bytes on worker [0-9]+, with the rest of' \
  '^lost: 0 of 1024 frames$' '^verdict: fanout --cluster hash --defrag is safe here$'

# --workers 1 is raised to 2: one worker would show nothing about the spread.
self_test one --workers 1 --cluster flow4
expect one '^fanout self-test: .*, 2 workers, ' '^worker 1: ' '; 0 split$'

# While a self-test runs, its pair never shows in the host's namespace.
"$SLIMCAP" fanout --self-test >/dev/null 2>&1 &
pid=$!
: >"$WORK/links.during"
while kill -0 "$pid" 2>/dev/null; do
  ip -o link show | grep -F ': sct' >>"$WORK/links.during"
  sleep 0.05
done
wait "$pid"
if [ -s "$WORK/links.during" ]; then
  not_ok "sct0 and sct1 never show in the host's namespace" "$(head -5 "$WORK/links.during")"
else
  ok "sct0 and sct1 never show in the host's namespace"
fi

# Nothing of the test is left behind in the host's namespace: the self-test names no
# namespace, and its interfaces (sct0, sct1) only ever exist in its own.
namespaces >"$WORK/netns.after"
links >"$WORK/links.after"
comm -13 "$WORK/netns.before" "$WORK/netns.after" | grep -v '^slimcap-' >"$WORK/netns.new"
if [ -s "$WORK/netns.new" ]; then
  not_ok "no network namespace left behind" "$(cat "$WORK/netns.new")"
else
  ok "no network namespace left behind"
fi
if grep '^sct' "$WORK/links.before" "$WORK/links.after" >"$WORK/links.sct"; then
  not_ok "no sct* interface in the host's namespace, before or after" "$(cat "$WORK/links.sct")"
else
  ok "no sct* interface in the host's namespace, before or after"
fi
comm -23 "$WORK/links.before" "$WORK/links.after" | grep -E '^(lo|eth[0-9]+)$' >"$WORK/links.gone"
if [ -s "$WORK/links.gone" ]; then
  not_ok "the host's interfaces are all still there" "$(cat "$WORK/links.gone")"
else
  ok "the host's interfaces are all still there"
fi

# Without the privileges: one line saying why, exit 1, and nothing on stdout.
if command -v setpriv >/dev/null; then
  setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
    "$SLIMCAP" fanout --self-test >"$WORK/user.out" 2>"$WORK/user.err"
  rc=$?
  want="slimcap: --self-test: needs root (CAP_NET_ADMIN and CAP_NET_RAW) to create a network"
  want="$want namespace"
  if [ "$rc" -eq 126 ] || [ "$rc" -eq 127 ]; then
    ok "--self-test without privileges says why and exits 1 # SKIP nobody cannot run $SLIMCAP"
  elif [ "$rc" -eq 1 ] && [ ! -s "$WORK/user.out" ] && [ "$(cat "$WORK/user.err")" = "$want" ]; then
    ok "--self-test without privileges says why and exits 1"
  else
    not_ok "--self-test without privileges says why and exits 1" "exit status $rc" \
      "$(cat "$WORK/user.out" "$WORK/user.err")"
  fi
fi

tap_end
