#!/bin/sh
# run-fuzz.sh — builds fuzz_conn_state with clang (libFuzzer + ASan + UBSan)
# and fuzzes it for N seconds (default 60).
#
#   tests/fuzz/run-fuzz.sh [SECONDS] [libFuzzer options...]
#   TARGET=fuzz_evidence tests/fuzz/run-fuzz.sh ...   # the checklist evidence
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
target=${TARGET:-fuzz_conn_state}
case $target in
    fuzz_conn_state) seeds=$here/corpus ;;
    fuzz_evidence) seeds=$here/corpus_evidence ;;
    *) echo "run-fuzz.sh: unknown TARGET $target" >&2; exit 2 ;;
esac
work=${WORK:-${TMPDIR:-/tmp}/tcpdiag-fuzz-$target}
cc=${CC:-clang}
mkdir -p "$work/corpus" "$work/artifacts"

# Built by CMake from plugin/sources.cmake (the one source list), in a build
# tree of its own with clang and without the plugin.
cmake -S "$root" -B "$work/build" -DCMAKE_C_COMPILER="$cc" -DTCPDIAG_PLUGIN=OFF \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$work/build" --target "$target" -j"$(nproc)" >/dev/null
cp "$work/build/tests/fuzz/$target" "$work/$target"

echo "fuzzing for $secs s; new inputs in $work/corpus, crashes in $work/artifacts"
exec "$work/$target" -max_total_time="$secs" -print_final_stats=1 \
    -artifact_prefix="$work/artifacts/" "$@" "$work/corpus" "$seeds"
