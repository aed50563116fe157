#!/bin/sh
# coverage.sh — line and branch coverage of the pure core reached by a
# fuzzing corpus: builds the replay driver with gcc --coverage, replays the
# given corpus directories (default: the committed corpus and, if present,
# ${WORK:-/tmp/tcpdiag-fuzz}/corpus from run-fuzz.sh) and prints gcov's
# summary for conn_state.c and diagnosis.c.
#
#   tests/fuzz/coverage.sh [CORPUS-DIR...]
#
# SPDX-License-Identifier: GPL-2.0-or-later
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=${WORK:-${TMPDIR:-/tmp}/tcpdiag-fuzz}
if [ $# -eq 0 ]; then
    set -- "$here/corpus"
    [ -d "$work/corpus" ] && set -- "$@" "$work/corpus"
fi
abs=""
for d in "$@"; do abs="$abs $(cd "$d" && pwd)"; done
# shellcheck disable=SC2086
set -- $abs
out=$(mktemp -d "${TMPDIR:-/tmp}/tcpdiag-cov.XXXXXX")
trap 'rm -rf "$out"' EXIT
core="$root/plugin/core"
(
    cd "$out"
    # shellcheck disable=SC2046
    gcc -O0 --coverage -I"$core" $(pkg-config --cflags glib-2.0) \
        "$here/fuzz_conn_state.c" "$here/fuzz_driver_main.c" \
        "$core/conn_state.c" "$core/diagnosis.c" "$core/textbuf.c" \
        "$core/options.c" "$core/conclusions.c" \
        $(pkg-config --libs glib-2.0) -o replay
    ./replay "$@"
    gcov -n -b replay-conn_state.gcno replay-diagnosis.gcno |
        grep -A4 -E "^File '.*/(conn_state|diagnosis)\.c'"
)
