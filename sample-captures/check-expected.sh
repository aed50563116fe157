#!/bin/bash
# check-expected.sh — consistency check of expected.tsv against the captures:
# every .pcap has rows, every tcp.stream Wireshark assigns has exactly one row,
# no row names a stream that does not exist, verdicts use the vocabulary.
# Needs tshark only (no root). Exit status 1 on any mismatch.
set -u
cd "$(dirname "$0")"
VOCAB=" established no-response pending refused icmp-unreachable half-open aborted reset-before-data simultaneous-open stale midstream "
rc=0
tail -n +2 expected.tsv | while IFS=$'\t' read -r cap stream verdict note; do
    [[ "$VOCAB" == *" $verdict "* ]] || echo "BAD VERDICT: $cap $stream '$verdict'"
    [ -f "$cap" ] || echo "MISSING FILE: $cap"
done | grep . && rc=1
for f in *.pcap; do
    have=$(tshark -r "$f" -T fields -e tcp.stream 2>/dev/null | grep -v '^$' | sort -un | tr '\n' ' ')
    want=$(awk -F'\t' -v f="$f" '$1==f && $2!="-" {print $2}' expected.tsv | sort -n | tr '\n' ' ')
    dup=$(awk -F'\t' -v f="$f" '$1==f && $2!="-" {print $2}' expected.tsv | sort | uniq -d)
    rows=$(awk -F'\t' -v f="$f" '$1==f' expected.tsv | wc -l)
    if [ "$have" != "$want" ] || [ -n "$dup" ] || [ "$rows" = 0 ]; then
        echo "MISMATCH $f: streams in capture [$have] rows [$want]${dup:+ duplicate rows $dup}"
        rc=1
    else
        printf '%-36s ok  streams [%s] %s frames\n' "$f" "$have" \
            "$(tshark -r "$f" 2>/dev/null | wc -l)"
    fi
done
exit $rc
