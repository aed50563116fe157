#!/usr/bin/env bash
# The command-line contract users and scripts rely on: plugin listed, the
# documented filters, column recipe and reports work, errors are clear.
# SPDX-License-Identifier: GPL-2.0-or-later
set -uo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
T="$repo/scripts/tshark-tcpdiag"
caps="$repo/sample-captures"
# How this Wireshark prints booleans in -T fields (1/0 on 4.0, True/False on
# 4.2+): normalised to 1/0 in one place, tests/lib/wsversion.py.
norm_fields() { /usr/bin/python3 "$repo/tests/lib/wsversion.py" fields; }
passed=0 failed=0

check() { # name, command output, expected (grep -E pattern)
  if grep -qE -- "$3" <<<"$2"; then passed=$((passed + 1)); else
    failed=$((failed + 1)); echo "FAIL $1: output lacks /$3/:"; head -5 <<<"$2"; fi
}
check_not() {
  if grep -qE -- "$3" <<<"$2"; then failed=$((failed + 1)); echo "FAIL $1: output has /$3/"; else
    passed=$((passed + 1)); fi
}

out=$("$T" -G plugins 2>&1); check "tshark -G plugins lists tcpdiag" "$out" '^tcpdiag\.so[[:space:]]+[0-9.]+[[:space:]]+dissector'

# The refused connections' packets, and only them (seed scenario: stream 3, frames 24-25).
out=$("$T" -2 -r "$caps/seed-scenario.pcap" -Y 'tcpdiag.verdict == "refused"' -T fields -e frame.number -e tcp.stream 2>&1)
check "-Y refused selects the refused stream" "$out" '^24	3$'
check "-Y refused selects the RST" "$out" '^25	3$'
check_not "-Y refused selects nothing else" "$out" '	[012]$'

# Every packet of a connection carries its fields, also when a hidden tree
# builds only what a filter or a column asks for (render.c, td_scope).
# lost-syn-then-success: 11 packets, stream 0, 2 SYNs; frames 5-11 carry data/FIN.
c="$caps/lost-syn-then-success.pcap"
out=$("$T" -2 -r "$c" -Y 'tcpdiag.syn_count > 1' -T fields -e frame.number 2>&1)
n=$(grep -c '^[0-9]' <<<"$out")
[ "$n" -eq 11 ] && passed=$((passed + 1)) || { failed=$((failed + 1)); echo "FAIL filter on a detail field selects all 11 packets, got $n"; }
out=$("$T" -2 -r "$c" -Y 'frame.number == 7' -T fields -e tcpdiag.verdict -e tcpdiag.setup_time -e tcpdiag.opt.mss.client 2>&1)
check "-e asks for detail fields on a data packet" "$out" '^established	1\.027187000	1460$'
out=$("$T" -2 -r "$c" -o 'gui.column.format:"No.","%m","SYNs","%Cus:tcpdiag.syn_count"' 2>&1)
check "custom column on a data packet" "$out" '^ *7 +2$'
out=$("$T" -2 -r "$c" -Y 'frame.number == 7' -V -O tcpdiag 2>&1)
check "details pane of a data packet: verdict" "$out" 'Verdict: established'
check "details pane of a data packet: counts" "$out" 'SYNs sent: 2'
out=$("$T" -2 -r "$c" -Y 'frame.number == 1' -V -O tcpdiag 2>&1)
check "details pane of the SYN: counts" "$out" 'SYNs sent: 2'
# Summary lines: a hidden tree, where packets without a handshake event get
# the protocol item only when the filter names the protocol itself.
out=$("$T" -2 -r "$c" -Y tcpdiag 2>&1)
n=$(grep -cE '^ *[0-9]+ ' <<<"$out")
[ "$n" -eq 11 ] && passed=$((passed + 1)) || { failed=$((failed + 1)); echo "FAIL -Y tcpdiag selects all 11 packets, got $n"; }
# Decode As in front of TCP removes the observer: tcpdiag must notice and
# read Wireshark's fields instead (hook.c, td_hook_installed).
out=$("$T" -2 -r "$caps/closed-port.pcap" -d ip.proto==6,tcp -T fields -e tcpdiag.verdict 2>&1)
check "Decode As of ip.proto 6: still judged" "$out" '^refused$'
# One pass reads every SYN as "pending": no expert item for that; a final
# pending verdict (-2) keeps its item.
out=$("$T" -r "$caps/healthy.pcap" -q -z expert 2>&1)
check_not "one pass: no pending expert" "$out" 'too early to judge'
out=$("$T" -2 -r "$caps/capture-ends-after-syn.pcap" -q -z expert 2>&1)
check "-2: final pending expert" "$out" 'TCPDIAG +No answer yet'

# Contract field names (issue 2): all registered.
out=$("$T" -G fields 2>&1)
for f in tcpdiag.verdict tcpdiag.diagnosis tcpdiag.syn_count tcpdiag.synack_count tcpdiag.setup_time \
         tcpdiag.rtt.syn_synack tcpdiag.rtt.synack_ack tcpdiag.frame.syn tcpdiag.frame.synack \
         tcpdiag.frame.ack tcpdiag.frame.answer tcpdiag.icmp.type tcpdiag.icmp.code tcpdiag.icmp.reporter \
         tcpdiag.rst.forged tcpdiag.rst.ttl tcpdiag.server.ttl tcpdiag.server.summary \
         tcpdiag.opt.mss.client tcpdiag.opt.mss.server tcpdiag.opt.wscale tcpdiag.opt.sack tcpdiag.opt.ts \
         tcpdiag.opt.ecn tcpdiag.opt.tfo; do
  check "field $f registered" "$out" "	$f	"
done

# Column recipe from the README.
out=$("$T" -2 -r "$caps/closed-port.pcap" -o 'gui.column.format:"No.","%m","Verdict","%Cus:tcpdiag.verdict","Handshake Diagnosis","%Cus:tcpdiag.diagnosis"' 2>&1)
check "column recipe shows the diagnosis" "$out" '^ *1 +refused +SYN answered by RST'

# Info column preference: off by default, on when asked.
out=$("$T" -r "$caps/closed-port.pcap" 2>&1); check_not "Info untouched by default" "$out" 'tcpdiag'
out=$("$T" -2 -r "$caps/closed-port.pcap" -o tcpdiag.append_info:TRUE 2>&1)
check "append_info preference" "$out" '\[tcpdiag: refused\]'

# Threshold preference: a lone SYN 0 s before the end is pending; with a 0 ms threshold it is not.
out=$("$T" -2 -r "$caps/capture-ends-after-syn.pcap" -T fields -e tcpdiag.verdict 2>&1)
check "lone SYN pending" "$out" '^pending$'
out=$("$T" -2 -r "$caps/capture-ends-after-syn.pcap" -o tcpdiag.no_response_threshold:0 -T fields -e tcpdiag.verdict 2>&1)
check "threshold preference" "$out" '^no-response$'

# Disabled: no tcpdiag field, nothing else changes.
out=$("$T" -r "$caps/closed-port.pcap" --disable-protocol tcpdiag -T fields -e tcpdiag.verdict -e tcp.stream 2>&1)
check "disabled plugin adds nothing" "$out" '^	0$'

# Every report prints (Wireshark 4.6 exits 1, silently, when a stat tap's
# init callback does not return true: compat.h, TD_STAT_TAP_INIT_DONE).
c="$caps/closed-port.pcap"
out=$("$T" -2 -r "$c" -q -z tcpdiag,conn 2>&1); rc=$?
check "-z tcpdiag,conn report" "$out" '^0 +192\.0\.2\.10:41010 +198\.51\.100\.10:9999 +refused'
[ $rc -eq 0 ] && passed=$((passed + 1)) || { failed=$((failed + 1)); echo "FAIL -z tcpdiag,conn exits $rc"; }
out=$("$T" -2 -r "$c" -q -z tcpdiag,conn,tcp.port==9999 2>&1)
check "-z tcpdiag,conn with a filter" "$out" 'refused'
out=$("$T" -2 -r "$c" -q -z tcpdiag,servers 2>&1); rc=$?
check "-z tcpdiag,servers report" "$out" '^198\.51\.100\.10 +1 +0 +1 +refused=1'
[ $rc -eq 0 ] && passed=$((passed + 1)) || { failed=$((failed + 1)); echo "FAIL -z tcpdiag,servers exits $rc"; }
out=$("$T" -2 -r "$c" -q -z tcpdiag,tree 2>&1); rc=$?
check "-z tcpdiag,tree report" "$out" '^TCP Handshake Diagnosis:'
check "-z tcpdiag,tree counts the refusal" "$out" 'refused +1 '
[ $rc -eq 0 ] && passed=$((passed + 1)) || { failed=$((failed + 1)); echo "FAIL -z tcpdiag,tree exits $rc"; }

# Report errors are clear and fail the run.
out=$("$T" -r "$c" -q -z 'tcpdiag,connx' 2>&1); rc=$?
check "bad -z tcpdiag,conn argument explained" "$out" 'invalid "-z tcpdiag,connx" argument'
[ $rc -ne 0 ] && passed=$((passed + 1)) || { failed=$((failed + 1)); echo "FAIL bad -z tcpdiag,conn argument exits 0"; }
out=$("$T" -r "$c" -q -z 'tcpdiag,conn,x y' 2>&1)
check "bad -z tcpdiag,conn filter explained" "$out" 'tcpdiag,conn.*"x y" is invalid'
out=$("$T" -r "$c" -q -z 'tcpdiag,tree,zz' 2>&1)
check "bad -z tcpdiag,tree filter explained" "$out" 'TCP Handshake Diagnosis.*"zz" is invalid'

out=$("$T" -r "$caps/closed-port.pcap" -q -z 'tcpdiag,servers,x' 2>&1); rc=$?
check "bad -z argument explained" "$out" 'invalid "-z tcpdiag,servers,x" argument'
[ $rc -ne 0 ] && passed=$((passed + 1)) || { failed=$((failed + 1)); echo "FAIL bad -z argument exits 0"; }

# False positives matter as much: healthy captures raise no tcpdiag warning,
# a genuine server RST is not called forged, a normal 1460 MSS is no finding.
for c in healthy ipv6-healthy healthy-busy lost-syn-then-success; do
  out=$("$T" -2 -r "$caps/$c.pcap" -q -z expert,warn 2>&1)
  if [ "$c" = healthy-busy ]; then
    # Only the closed port's refusal and its port-blocked conclusion.
    n=$(grep -c TCPDIAG <<<"$out")
    [ "$n" -eq 2 ] && passed=$((passed + 1)) || { failed=$((failed + 1)); echo "FAIL $c: $n tcpdiag warnings, expected 2"; grep TCPDIAG <<<"$out"; }
  else
    check_not "$c raises no tcpdiag warning" "$out" 'TCPDIAG'
  fi
done
out=$("$T" -2 -r "$caps/forged-rst.pcap" -T fields -e tcpdiag.stream -e tcpdiag.rst.forged -Y tcpdiag.first 2>&1 | norm_fields)
check "router RST flagged forged" "$out" '^1	1$'
check "server's own RST not flagged" "$out" '^2	0$'
out=$("$T" -2 -r "$caps/healthy.pcap" -T fields -e tcpdiag.opt.findings -Y tcpdiag.first 2>&1)
check "normal MSS and options: no finding" "$out" '^$'
out=$("$T" -2 -r "$caps/mss-clamping.pcap" -T fields -e tcpdiag.opt.findings -Y tcpdiag.first 2>&1)
check "clamped MSS found" "$out" 'MSS 1360 below'

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
