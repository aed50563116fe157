#!/usr/bin/env bash
# fuzz-long.sh [N] — the long robustness run: N corrupted captures (default
# 10000) through tshark with the sanitized plugin (fuzz.py), then a valgrind
# pass with the plain plugin (valgrind_pass.py). Prints the captures tried,
# crashes, sanitizer reports and valgrind errors; exits 1 if any is ours.
#
# Environment:
#   TCPDIAG_ASAN_BUILD  sanitized build dir (default <repo>/build-asan;
#                       configured and built here when it has no plugin)
#   TCPDIAG_BUILD_DIR   plain build dir for valgrind (default <repo>/build)
#   JOBS (2), SEED (time of day), TIME_LIMIT (seconds, 0 = none),
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
seed=${SEED:-$(date +%s)}
echo "fuzz-long: $n captures, seed $seed, jobs ${JOBS:-2}, failing inputs to $out"
rc=0
"$py" "$here/fuzz.py" --build "$asan" --count "$n" --jobs "${JOBS:-2}" --seed "$seed" \
  --time-limit "${TIME_LIMIT:-0}" --require-sanitizer --out "$out" || rc=1
echo "fuzz-long: valgrind pass (plain build $plain)"
"$py" "$here/valgrind_pass.py" --build "$plain" || rc=1
if [ $rc = 0 ]; then echo "fuzz-long: PASS"; else echo "fuzz-long: FAIL (inputs and logs in $out)"; fi
exit $rc
