#!/usr/bin/env bash
# build-asan.sh SRC_DIR BUILD_DIR [C_COMPILER] — configure and build the
# plugin with -DTCPDIAG_SANITIZE=ON (AddressSanitizer + UBSan) into its own
# build dir, for the robustness tests (ctest fixture robustness_asan).
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail
src=$1 dir=$2 cc=${3:-}
args=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DTCPDIAG_SANITIZE=ON -DBUILD_TESTING=OFF)
[ -n "$cc" ] && args+=(-DCMAKE_C_COMPILER="$cc")
cmake -S "$src" -B "$dir" "${args[@]}" >/dev/null
cmake --build "$dir" -j"$(nproc)" --target tcpdiag >/dev/null
so=$(ls "$dir"/plugins/*/epan/tcpdiag.so)
libs=$(ldd "$so")  # not piped into grep -q: with pipefail, SIGPIPE would fail it
case $libs in *libasan*) ;; *) echo "build-asan.sh: $so is not linked with libasan" >&2; exit 1 ;; esac
echo "build-asan.sh: built $so"
