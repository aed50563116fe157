#!/usr/bin/env bash
# scripts/analyse as a first-time user meets it: usage, errors that name the
# user's file, and one line for a capture with no packets or no TCP (issue 14).
# SPDX-License-Identifier: GPL-2.0-or-later
set -uo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export TCPDIAG_NO_SETUP=1   # the build under test, as it is (ctest runs in it)
A="$repo/scripts/analyse"
passed=0 failed=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# case NAME EXPECTED-EXIT PATTERN ARGS...: exit code and a line of stdout+stderr
case_() {
  local name=$1 want=$2 pat=$3 out rc=0
  shift 3
  out=$("$A" "$@" 2>&1) || rc=$?
  if [ "$rc" = "$want" ] && grep -qE -- "$pat" <<<"$out"; then passed=$((passed + 1)); else
    failed=$((failed + 1)); echo "FAIL $name: exit $rc (want $want), output lacks /$pat/:"; head -5 <<<"$out"
  fi
}
# case_not NAME PATTERN ARGS...: the output must not match
case_not() {
  local name=$1 pat=$2 out
  shift 2
  out=$("$A" "$@" 2>&1)
  if grep -qE -- "$pat" <<<"$out"; then failed=$((failed + 1)); echo "FAIL $name: output has /$pat/"; else
    passed=$((passed + 1)); fi
}

case_ "--help prints usage" 0 '^Usage: scripts/analyse \[CAPTURE\]' --help
case_ "-h prints usage" 0 '^Usage: scripts/analyse' -h
case_ "usage has examples with -z" 0 'scripts/analyse c\.pcap -z tcpdiag,servers' --help
case_ "default capture" 0 '^Connections: 4, established 2, no-response 1, refused 1'
case_ "options alone: default capture" 0 '^Server / port +Connects' -z tcpdiag,servers

head -c 2000 "$repo/README.md" >"$tmp/notes.txt"
case_ "a text file is named as given" 2 "The file \"$tmp/notes.txt\" isn't a capture file" "$tmp/notes.txt"
case_not "no staged copy named" 'tcpdiag-run\.' "$tmp/notes.txt"
case_ "missing file" 2 "analyse: $tmp/none.pcap: no such file" "$tmp/none.pcap"
case_ "folder" 2 "analyse: $tmp is a folder" "$tmp"

text2pcap -q - "$tmp/empty.pcap" </dev/null >/dev/null 2>&1
case_ "no packets: said" 0 "^analyse: $tmp/empty.pcap holds no packets: nothing to diagnose" "$tmp/empty.pcap"
case_ "no packets: empty report" 0 '^Connections: 0' "$tmp/empty.pcap"
# One UDP datagram between documentation addresses (RFC 5737).
echo "0000  68 65 6c 6c 6f" | text2pcap -q -4 192.0.2.1,198.51.100.1 -u 40000,9 - "$tmp/udp.pcap" >/dev/null 2>&1
case_ "no TCP: said" 0 "^analyse: $tmp/udp.pcap holds 1 packet but no TCP connection" "$tmp/udp.pcap"
case_not "a capture with TCP: no such line" 'nothing to diagnose' "$repo/sample-captures/healthy.pcap"

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
