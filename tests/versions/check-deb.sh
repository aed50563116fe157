#!/usr/bin/env bash
# check-deb.sh BUILD_DIR — (inside a Debian root, as root) build the .deb of
# BUILD_DIR, check it depends on this root's libwireshark ABI package and
# ships the plugin in this Wireshark's plugins/X.Y/epan, install it, check
# tshark lists and runs it from the system folder, and remove it again.
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail
build=$1
repo=$(cd "$(dirname "$0")/../.." && pwd)
fail() { echo "check-deb: $*" >&2; exit 1; }
cd "$build"
rm -f wireshark-plugin-tcpdiag_*.deb
cpack -G DEB >/dev/null
deb=$(ls wireshark-plugin-tcpdiag_*.deb)
ver=$(dpkg-query -W -f='${Version}' libwireshark-dev)
series=$(echo "$ver" | sed -E 's/^([0-9]+\.[0-9]+).*/\1/')
lib=$(readlink -f "$(ls /usr/lib/*/libwireshark.so.* | head -n 1)")
owner=$(dpkg-query -S "$lib" | cut -d: -f1)
depends=$(dpkg-deb -f "$deb" Depends)
echo "check-deb: $deb: Depends: $depends"
case $depends in "$owner (>= $series.0), $owner (<< "*) ;; *) fail "Depends does not pin $owner $series" ;; esac
so=$(dpkg -c "$deb" | awk '{print $NF}' | grep '/tcpdiag\.so$')
case $so in */wireshark/plugins/$series/epan/tcpdiag.so) ;; *) fail "plugin at $so, not plugins/$series/epan" ;; esac
echo "check-deb: ships $so"
dpkg -i "$deb" >/dev/null
trap 'dpkg -r wireshark-plugin-tcpdiag >/dev/null 2>&1 || true' EXIT
# As root tshark reads only the system plugin folder: this is the package's.
tshark -G plugins 2>/dev/null | grep -E "^tcpdiag\.so[[:space:]].*/plugins/$series/epan/tcpdiag\.so" \
  || fail "tshark -G plugins does not list the installed tcpdiag.so"
tshark -2 -r "$repo/sample-captures/closed-port.pcap" -q -z tcpdiag,conn 2>/dev/null | grep -q ' refused ' \
  || fail "the installed plugin's -z tcpdiag,conn report is missing"
dpkg -r wireshark-plugin-tcpdiag >/dev/null
trap - EXIT
echo "check-deb: installed, listed, ran and removed in Wireshark $ver"
