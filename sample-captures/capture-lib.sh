# capture-lib.sh — tcpdump start/stop in a network namespace, shared by
# record.sh and record-checklist.sh (sourced, not run).
#
# The caller sets NS_PREFIX (its namespaces' prefix, e.g. "td-"), OUT (where
# the captures go), LOG (a scratch folder), FILTER (the capture filter) and
# the array PIDS (background processes its cleanup kills).
# SPDX-License-Identifier: GPL-2.0-or-later

# cap_start VAR NS IFACE FILE [tcpdump args...]: start tcpdump in namespace
# $NS_PREFIX$NS, wait until it listens, store its pid in VAR.
cap_start() {
    local var=$1 ns=$2 ifc=$3 file=$4; shift 4
    local err="$LOG/$file.err"
    rm -f "$OUT/$file"
    : >"$err"
    # started directly (not through a shell function) so that $! is tcpdump
    ip netns exec "$NS_PREFIX$ns" tcpdump -i "$ifc" --immediate-mode -U -s 0 -Z root "$@" \
        -w "$OUT/$file" "$FILTER" 2>"$err" &
    local pid=$!
    PIDS+=("$pid")
    for _ in $(seq 100); do
        grep -q "listening on" "$err" && break
        kill -0 "$pid" 2>/dev/null || { cat "$err" >&2; return 1; }
        sleep 0.05
    done
    sleep 0.2
    printf -v "$var" '%s' "$pid"
}

# cap_stop PID...: SIGINT, then wait (tcpdump flushes the file).
cap_stop() {
    local p
    for p in "$@"; do kill -INT "$p" 2>/dev/null || true; done
    for p in "$@"; do wait "$p" 2>/dev/null || true; done
}
