#!/bin/bash
# check-checklist.sh — consistency check of checklist-expected.tsv against
# the captures in checklist/: every capture has rows, every outcome is in the
# vocabulary of its protocol, and each row's evidence (a plain Wireshark
# display filter) matches exactly the frames the row lists — so a capture
# that does not show what its row claims fails here. Needs tshark only (no
# root, no tcpdiag). Exit status 1 on any mismatch. Empty fields are "-"
# (bash read collapses adjacent tabs).
set -u
cd "$(dirname "$0")"
TSV=checklist-expected.tsv
declare -A VOCAB=(
  [dns]=" resolved no-address nxdomain servfail refused no-answer pending truncated "
  [dns-server]=" unanswered "
  [arp]=" answered unanswered duplicate dhcp-probe probe unseen pending "
  [nd]=" answered unanswered duplicate probe unseen pending "
  [ping]=" answered unanswered dhcp-probe "
  [dhcp]=" bound no-offer nak pending "
  [udp]=" port-unreachable prohibited "
  [zero_window]=" zero-window none "
  [conn]=" established no-response pending refused icmp-unreachable half-open aborted reset-before-data simultaneous-open stale midstream "
)
rc=0
n=0
ERR=$(mktemp)
trap 'rm -f "$ERR"' EXIT
while IFS=$'\t' read -r cap proto key outcome detail evidence frames note; do
    n=$((n + 1))
    v=${VOCAB[$proto]:-}
    if [ -z "$v" ]; then echo "BAD PROTOCOL: $cap $proto"; rc=1; continue; fi
    [[ "$v" == *" $outcome "* ]] || { echo "BAD OUTCOME: $cap $proto $key '$outcome'"; rc=1; }
    [ -f "checklist/$cap" ] || { echo "MISSING FILE: $cap"; rc=1; continue; }
    got=$(tshark -r "checklist/$cap" -Y "$evidence" -T fields -e frame.number 2>"$ERR" | paste -sd, -)
    grep -v "Running as user" "$ERR" | sed "s/^/  tshark: /"
    if [ "$got" != "$frames" ]; then
        echo "MISMATCH $cap $proto $key: filter [$evidence] matches [$got], row says [$frames]"
        rc=1
    else
        printf '%-30s %-11s %-38s %-16s ok\n' "$cap" "$proto" "$key" "$outcome"
    fi
done < <(tail -n +2 "$TSV")
for f in checklist/*.pcap; do
    b=${f#checklist/}
    awk -F'\t' -v f="$b" '$1==f {found=1} END {exit !found}' "$TSV" \
        || { echo "NO ROWS: $b"; rc=1; }
    # every TCP stream of a capture has a conn row (or the capture has none)
    have=$(tshark -r "$f" -T fields -e tcp.stream 2>/dev/null | grep -v '^$' | sort -un | paste -sd' ' -)
    want=$(awk -F'\t' -v f="$b" '$1==f && $2=="conn" {print $3}' "$TSV" | sort -un | paste -sd' ' -)
    [ "$have" = "$want" ] || { echo "STREAMS $b: capture [$have] conn rows [$want]"; rc=1; }
done
echo "$n rows checked"
exit $rc
