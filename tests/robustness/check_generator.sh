#!/usr/bin/env bash
# check_generator.sh — regenerate the hostile captures into a temporary
# folder and compare them byte for byte with the committed ones. Exit 77
# (ctest: skipped) when Debian's python3-scapy is not installed.
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
hostile=$here/../captures/hostile
if ! /usr/bin/python3 -c 'import scapy' 2>/dev/null; then
  echo "check_generator.sh: SKIPPED: /usr/bin/python3 has no scapy (apt-get install python3-scapy)"
  exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
/usr/bin/python3 "$hostile/gen_hostile.py" "$tmp" >/dev/null
fail=0 pass=0
for f in "$tmp"/*; do
  name=$(basename "$f")
  if cmp -s "$f" "$hostile/$name"; then pass=$((pass + 1)); else
    echo "FAIL $name differs from what gen_hostile.py writes (regenerate and commit it)"; fail=$((fail + 1)); fi
done
for f in "$hostile"/*.pcap "$hostile"/*.pcapng; do
  [ -e "$tmp/$(basename "$f")" ] || { echo "FAIL $(basename "$f") is not written by gen_hostile.py"; fail=$((fail + 1)); }
done
echo "check_generator: $pass passed, $fail failed"
[ $fail = 0 ]
