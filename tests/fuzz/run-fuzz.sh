#!/bin/sh
# run-fuzz.sh — builds fuzz_conn_state with clang (libFuzzer + ASan + UBSan)
# and fuzzes it for N seconds (default 60).
#
#   tests/fuzz/run-fuzz.sh [SECONDS] [libFuzzer options...]
#
# The committed seed corpus (tests/fuzz/corpus) is read, never written: new
# inputs go to $WORK/corpus, crash reproducers to $WORK/artifacts
# (WORK defaults to ${TMPDIR:-/tmp}/tcpdiag-fuzz). To keep a reproducer,
# copy it into tests/fuzz/corpus/ once the bug is fixed. Needs clang and its
# libFuzzer runtime (Debian: libclang-rt-14-dev or libfuzzer-14-dev).
#
# SPDX-License-Identifier: GPL-2.0-or-later
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
secs=${1:-60}
[ $# -gt 0 ] && shift
work=${WORK:-${TMPDIR:-/tmp}/tcpdiag-fuzz}
cc=${CC:-clang}
mkdir -p "$work/corpus" "$work/artifacts"

# Built by CMake from plugin/sources.cmake (the one source list), in a build
# tree of its own with clang and without the plugin.
cmake -S "$root" -B "$work/build" -DCMAKE_C_COMPILER="$cc" -DTCPDIAG_PLUGIN=OFF \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$work/build" --target fuzz_conn_state -j"$(nproc)" >/dev/null
cp "$work/build/tests/fuzz/fuzz_conn_state" "$work/fuzz_conn_state"

echo "fuzzing for $secs s; new inputs in $work/corpus, crashes in $work/artifacts"
exec "$work/fuzz_conn_state" -max_total_time="$secs" -print_final_stats=1 \
    -artifact_prefix="$work/artifacts/" "$@" "$work/corpus" "$here/corpus"
