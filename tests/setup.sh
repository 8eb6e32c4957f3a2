#!/bin/sh
# Installs what slimcap needs on Debian bookworm (build and test dependencies), then configures
# and builds it in ./build. Safe to run again: it installs only what is missing.
# Usage: tests/setup.sh            (as root, or with sudo available)
set -eu
cd "$(dirname "$0")/.."

# Build: compiler, meson, libraries. Tests: tcpdump and tshark as oracles, zstd, the shells and
# groff that lint the completions and the man page, iproute2 for the live tests, rsvg-convert
# (librsvg2-bin) that renders the stats I/O graph.
packages="g++ meson ninja-build pkg-config cmake libpcap-dev libcli11-dev libfmt-dev libzstd-dev zlib1g-dev libmnl-dev
doctest-dev bash-completion zsh fish groff-base zstd tcpdump tshark iproute2 python3 procps librsvg2-bin"

missing=""
for p in $packages; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  echo "setup: installing:$missing"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends $missing
fi

[ -f build/build.ninja ] || meson setup build
ninja -C build
