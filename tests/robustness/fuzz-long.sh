#!/usr/bin/env bash
# fuzz-long.sh [N] — the long robustness run: N corrupted captures (default
# 10000) through tshark with the sanitized plugin (fuzz.py), then a valgrind
# pass with the plain plugin (valgrind_pass.py). Prints the captures tried,
# crashes, sanitizer reports and valgrind errors; exits 1 if any is ours.
#
# Resumable: every finished capture is a row of the ledger (LEDGER, default
# tests/robustness/ledger.tsv, committed), and a run skips the indices the
# ledger already holds for its seed, so the 10,000 can be finished across
# sessions. Stop a run with SIGTERM to its fuzz.py (or Ctrl-C): the captures
# in flight finish and are recorded. The valgrind pass runs once the ledger
# holds all N (or when VALGRIND=1).
#
# Environment:
#   TCPDIAG_ASAN_BUILD  sanitized build dir (default <repo>/build-asan;
#                       configured and built here when it has no plugin)
#   TCPDIAG_BUILD_DIR   plain build dir for valgrind (default <repo>/build)
#   JOBS (2), SEED (the ledger's, else 1013), TIME_LIMIT (seconds, 0 = none),
#   LEDGER (tests/robustness/ledger.tsv; LEDGER= for none), VALGRIND (auto),
#   OUT (where failing inputs go; default a new /tmp/tcpdiag-fuzz.* folder)
#
# Cost: about 1.7 s of wall time per capture with JOBS=2 (four tshark runs
# under ASan), plus 3-5 minutes of valgrind; 10000 captures take hours, so
# use N or TIME_LIMIT to fit the time you have.
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
n=${1:-10000}
asan=${TCPDIAG_ASAN_BUILD:-$repo/build-asan}
plain=${TCPDIAG_BUILD_DIR:-$repo/build}
py=$(command -v python3)

need=()
for tool in tshark:tshark editcap:tshark valgrind:valgrind gcc:gcc cmake:cmake pkg-config:pkg-config; do
  command -v "${tool%%:*}" >/dev/null || need+=("${tool#*:}")
done
dpkg-query -W -f='${Status}' wireshark-dev 2>/dev/null | grep -q "install ok installed" || need+=(wireshark-dev)
if [ ${#need[@]} -gt 0 ]; then
  [ "$(id -u)" = 0 ] || { echo "fuzz-long.sh: missing ${need[*]}; install them (as root)" >&2; exit 2; }
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

build_if_needed() { # dir, extra cmake args...
  local dir=$1; shift
  if [ ! -f "$dir/CMakeCache.txt" ]; then
    cmake -S "$repo" -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBUILD_TESTING=OFF "$@" >/dev/null
  fi
  cmake --build "$dir" -j"$(nproc)" --target tcpdiag >/dev/null
}
build_if_needed "$asan" -DTCPDIAG_SANITIZE=ON
build_if_needed "$plain"

out=${OUT:-$(mktemp -d /tmp/tcpdiag-fuzz.XXXXXX)}
ledger=${LEDGER-$here/ledger.tsv}
ledger_seed=
if [ -n "$ledger" ] && [ -f "$ledger" ]; then
  ledger_seed=$(awk -F'\t' 'NR > 1 && $1 != "" { print $1; exit }' "$ledger")
fi
seed=${SEED:-${ledger_seed:-1013}}
echo "fuzz-long: $n captures, seed $seed, jobs ${JOBS:-2}, ledger ${ledger:-none}, failing inputs to $out"
rc=0
"$py" "$here/fuzz.py" --build "$asan" --count "$n" --jobs "${JOBS:-2}" --seed "$seed" \
  --time-limit "${TIME_LIMIT:-0}" --require-sanitizer --out "$out" \
  ${ledger:+--ledger "$ledger"} || rc=1
done_n=$n
if [ -n "$ledger" ]; then
  done_n=$(awk -F'\t' -v s="$seed" 'NR > 1 && $1 == s' "$ledger" | wc -l)
fi
if [ "${VALGRIND:-auto}" = 1 ] || { [ "${VALGRIND:-auto}" = auto ] && [ "$done_n" -ge "$n" ]; }; then
  echo "fuzz-long: valgrind pass (plain build $plain)"
  "$py" "$here/valgrind_pass.py" --build "$plain" || rc=1
else
  echo "fuzz-long: $done_n of $n done; valgrind pass when all are (or VALGRIND=1)"
fi
if [ $rc = 0 ]; then echo "fuzz-long: PASS"; else echo "fuzz-long: FAIL (inputs and logs in $out)"; fi
exit $rc
