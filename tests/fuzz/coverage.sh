#!/bin/sh
# coverage.sh — line and branch coverage of the pure core reached by a
# fuzzing corpus: builds the replay driver with gcc --coverage, replays the
# given corpus directories (default: the committed corpus and, if present,
# ${WORK:-/tmp/tcpdiag-fuzz-fuzz_conn_state}/corpus from run-fuzz.sh) and prints gcov's
# summary for conn_state.c and diagnosis.c.
#
#   tests/fuzz/coverage.sh [CORPUS-DIR...]
#   TARGET=fuzz_evidence tests/fuzz/coverage.sh [CORPUS-DIR...]
#       the checklist harness (default corpus: corpus_evidence and
#       ${WORK:-/tmp/tcpdiag-fuzz-fuzz_evidence}/corpus): the files of its
#       readers and state machines (dns_wire.c ... checklist.c, evidence.c)
#
# SPDX-License-Identifier: GPL-2.0-or-later
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
target=${TARGET:-fuzz_conn_state}
case $target in
    fuzz_conn_state) seeds=$here/corpus files="conn_state diagnosis" ;;
    fuzz_evidence) seeds=$here/corpus_evidence
        files="dns_wire dns_lookup neighbor ping dhcp udp_unreach zero_window checklist evidence" ;;
    *) echo "coverage.sh: unknown TARGET $target" >&2; exit 2 ;;
esac
work=${WORK:-${TMPDIR:-/tmp}/tcpdiag-fuzz-$target} # run-fuzz.sh's
if [ $# -eq 0 ]; then
    set -- "$seeds"
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
        "$here/$target.c" "$here/fuzz_driver_main.c" "$core"/*.c \
        $(pkg-config --libs glib-2.0) -o replay
    ./replay "$@" >/dev/null
    notes=""
    for f in $files; do notes="$notes replay-$f.gcno"; done
    # shellcheck disable=SC2086
    gcov -n -b $notes | grep -A4 -E "^File '.*/($(echo $files | tr ' ' '|'))\.c'"
)
