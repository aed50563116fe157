#!/bin/bash
# record.sh — re-creates the REAL sample captures of tcpdiag.
#
# Builds four network namespaces joined by veth pairs, lets the Linux kernel's
# own TCP stack talk through them (plus nftables on a router namespace for the
# firewall behaviours) and records with tcpdump on the client's veth (and, for
# one case, on the server's veth). Only documentation addresses are used and
# the namespaces have no link to the host network.
#
#   td-cli  c0 192.0.2.10/24      2001:db8:1::10/64   gw .1 / ::1
#      |
#   td-rtr  r0 192.0.2.1/24       2001:db8:1::1/64
#           br0 198.51.100.1/24   2001:db8:2::1/64   (ports r1, r2)
#           lo  203.0.113.1/32    ("public" address, DNAT 80 -> srv:80)
#      |                 |
#   td-srv  s0 198.51.100.10  2001:db8:2::10   (server.py services)
#   td-srv2 s0 198.51.100.20  2001:db8:2::20   (host firewall drops all TCP)
#
# Usage:  sudo ./record.sh            # all scenarios
#         sudo ./record.sh healthy midstream ...   # only these
# Needs root. Installs missing Debian packages (tcpdump nftables iproute2
# ethtool nmap python3) with apt-get. Namespaces are removed on exit.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${OUT:-$HERE}
PY=/usr/bin/python3          # Debian's python3 (not a pyenv one)
LOG=$(mktemp -d /tmp/tcpdiag-record.XXXXXX)
NS_ALL="td-cli td-rtr td-srv td-srv2"
# Capture filter: TCP, ICMP and ICMPv6 *errors* (types < 128) — keeps
# neighbour discovery, MLD and ARP chatter out of the samples.
FILTER='tcp or icmp or (icmp6 and ip6[40] < 128)'

CLI=192.0.2.10;  RTR_C=192.0.2.1;  SRV=198.51.100.10;  SRV2=198.51.100.20
PUB=203.0.113.1
CLI6=2001:db8:1::10;  SRV6=2001:db8:2::10

[ "$(id -u)" = 0 ] || { echo "record.sh: must run as root" >&2; exit 1; }

# --- packages ---------------------------------------------------------------
need=()
command -v tcpdump >/dev/null || need+=(tcpdump)
command -v nft     >/dev/null || need+=(nftables)
command -v ip      >/dev/null || need+=(iproute2)
command -v ethtool >/dev/null || need+=(ethtool)
command -v nmap    >/dev/null || need+=(nmap)
command -v sysctl  >/dev/null || need+=(procps)
[ -x "$PY" ]                  || need+=(python3)
if [ ${#need[@]} -gt 0 ]; then
    echo "installing: ${need[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"
fi

# --- helpers ----------------------------------------------------------------
PIDS=()
cleanup() {
    set +e
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
    for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null; done
    for ns in $NS_ALL; do ip netns del "$ns" 2>/dev/null; done
    rm -rf "$LOG"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

nsx() { local ns=$1; shift; ip netns exec "td-$ns" "$@"; }
cli() { nsx cli "$PY" "$HERE/client.py" "$@"; }
nft_rtr() { nsx rtr nft "$@"; }
fw_reset() { nft_rtr flush chain inet tcpdiag fw; }
fw_add() { nft_rtr add rule inet tcpdiag fw "$@"; }

# cap_start VAR NS IFACE FILE [tcpdump args...]: start tcpdump, wait until it
# listens, store its pid in VAR.
cap_start() {
    local var=$1 ns=$2 ifc=$3 file=$4; shift 4
    local err="$LOG/$file.err"
    rm -f "$OUT/$file"
    : >"$err"
    # started directly (not through a shell function) so that $! is tcpdump
    ip netns exec "td-$ns" tcpdump -i "$ifc" --immediate-mode -U -s 0 -Z root "$@" \
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
cap_stop() {   # cap_stop PID...: SIGINT, then wait (tcpdump flushes the file)
    local p
    for p in "$@"; do kill -INT "$p" 2>/dev/null || true; done
    for p in "$@"; do wait "$p" 2>/dev/null || true; done
}
bg_cli() {     # bg_cli VAR ARGS...: client in the background, pid in VAR
    local var=$1; shift
    ip netns exec td-cli "$PY" "$HERE/client.py" "$@" &
    PIDS+=("$!")
    printf -v "$var" '%s' "$!"
}
scenario() { echo; echo "=== $1"; fw_reset; sleep 0.2; }

# --- topology ---------------------------------------------------------------
setup() {
    local ns
    for ns in $NS_ALL; do ip netns del "$ns" 2>/dev/null || true; done
    for ns in $NS_ALL; do
        ip netns add "$ns"
        ip netns exec "$ns" sysctl -q -w \
            net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0 \
            net.ipv6.conf.all.router_solicitations=0 \
            net.ipv6.conf.default.router_solicitations=0 \
            net.ipv4.tcp_syn_retries=2 net.ipv4.tcp_synack_retries=2
        # Linux >= 6.7 retransmits the first SYNs with a *linear* 1 s
        # timeout (tcp_syn_linear_timeouts, default 4): turn that off to get
        # the classic exponential backoff, SYNs at 0, +1, +3 s, give-up ~7 s.
        if ip netns exec "$ns" test -e /proc/sys/net/ipv4/tcp_syn_linear_timeouts; then
            ip netns exec "$ns" sysctl -q -w net.ipv4.tcp_syn_linear_timeouts=0
        fi
        ip -n "$ns" link set lo up
    done
    nsx rtr sysctl -q -w net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1

    nsx rtr ip link add r0 address 02:00:00:00:01:01 type veth \
        peer name c0 address 02:00:00:00:00:10 netns td-cli
    nsx rtr ip link add r1 address 02:00:00:00:01:02 type veth \
        peer name s0 address 02:00:00:00:02:10 netns td-srv
    nsx rtr ip link add r2 address 02:00:00:00:01:03 type veth \
        peer name s0 address 02:00:00:00:02:20 netns td-srv2
    nsx rtr ip link add br0 address 02:00:00:00:01:00 type bridge
    nsx rtr ip link set r1 master br0
    nsx rtr ip link set r2 master br0

    # offloads off: the capture shows the segments as they are on the wire
    local pair
    for pair in rtr:r0 rtr:r1 rtr:r2 cli:c0 srv:s0 srv2:s0; do
        nsx "${pair%%:*}" ethtool -K "${pair#*:}" tx off rx off tso off gso off gro off \
            >/dev/null 2>&1 || true
    done

    nsx cli  ip addr add $CLI/24 dev c0
    nsx cli  ip addr add $CLI6/64 dev c0 nodad
    nsx rtr  ip addr add $RTR_C/24 dev r0
    nsx rtr  ip addr add 2001:db8:1::1/64 dev r0 nodad
    nsx rtr  ip addr add 198.51.100.1/24 dev br0
    nsx rtr  ip addr add 2001:db8:2::1/64 dev br0 nodad
    nsx rtr  ip addr add $PUB/32 dev lo
    nsx srv  ip addr add $SRV/24 dev s0
    nsx srv  ip addr add $SRV6/64 dev s0 nodad
    nsx srv2 ip addr add $SRV2/24 dev s0
    nsx srv2 ip addr add 2001:db8:2::20/64 dev s0 nodad
    for pair in rtr:r0 rtr:r1 rtr:r2 rtr:br0 cli:c0 srv:s0 srv2:s0; do
        nsx "${pair%%:*}" ip link set "${pair#*:}" up
    done
    nsx cli  ip route add default via $RTR_C
    nsx cli  ip -6 route add default via 2001:db8:1::1
    for ns in srv srv2; do
        nsx $ns ip route add default via 198.51.100.1
        nsx $ns ip -6 route add default via 2001:db8:2::1
    done

    # router: a filter chain the scenarios fill, and the port forwarding of
    # the "camera" case (203.0.113.1:80 -> 198.51.100.10:80; 6036 not
    # forwarded, so the router's own kernel answers RST).
    nft_rtr -f - <<EOF
table inet tcpdiag {
    chain fw { type filter hook forward priority filter; policy accept; }
}
table ip nat {
    chain pre {
        type nat hook prerouting priority dstnat; policy accept;
        ip daddr $PUB tcp dport 80 dnat to $SRV:80
    }
}
EOF
    # srv2: a dead/filtered host — its own firewall drops every TCP segment
    nsx srv2 nft -f - <<'EOF'
table inet hostfw {
    chain in { type filter hook input priority filter; policy accept; meta l4proto tcp drop; }
}
EOF

    ip netns exec td-srv "$PY" "$HERE/server.py" 2>"$LOG/server.log" &
    PIDS+=("$!")
    for _ in $(seq 100); do
        grep -q listening "$LOG/server.log" 2>/dev/null && break
        sleep 0.05
    done
    # warm up neighbour caches (one UDP datagram to the discard port of each
    # host; outside any capture) so no scenario starts with ARP/ND delays
    nsx cli "$PY" -c 'import socket,sys
for h in sys.argv[1:]:
    f = socket.AF_INET6 if ":" in h else socket.AF_INET
    socket.socket(f, socket.SOCK_DGRAM).sendto(b"warm-up", (h, 9))' \
        $SRV $SRV2 $SRV6 2001:db8:2::20
    sleep 0.5
}

# --- scenarios --------------------------------------------------------------
# Fixed client source ports (41xxx) make each connection easy to find.

s_healthy() {
    scenario healthy.pcap
    cap_start c cli c0 healthy.pcap
    cli $SRV 80 --sport 41000 --http
    sleep 0.3; cap_stop $c
}

s_closed_port() {
    scenario closed-port.pcap
    cap_start c cli c0 closed-port.pcap
    cli $SRV 9999 --sport 41010
    sleep 0.3; cap_stop $c
}

s_firewall_drop() {
    scenario firewall-drop.pcap
    fw_add ip daddr $SRV tcp dport 8080 drop
    cap_start c cli c0 firewall-drop.pcap
    bg_cli p $SRV 8080 --sport 41020
    sleep 4.2; cap_stop $c          # 3 SYNs at 0, 1, 3 s; stop ~1 s later
    wait $p || true                 # client gives up at ~7 s
}

s_forged_rst() {
    scenario forged-rst.pcap
    fw_add ip daddr $SRV tcp dport 8443 reject with tcp reset
    cap_start c cli c0 forged-rst.pcap
    cli $SRV 80   --sport 41030 --http    # healthy: server's TTL baseline (63)
    sleep 0.2
    cli $SRV 8443 --sport 41031           # RST forged by the router (TTL 64)
    sleep 0.2
    cli $SRV 9999 --sport 41032           # genuine RST from the server (TTL 63)
    sleep 0.3; cap_stop $c
}

s_icmp() {   # s_icmp NAME TYPE SPORT
    scenario "icmp-$1.pcap"
    fw_add ip daddr $SRV tcp dport 8080 reject with icmp type "$2"
    cap_start c cli c0 "icmp-$1.pcap"
    cli $SRV 8080 --sport "$3" --timeout 12
    sleep 0.3; cap_stop $c
}

s_lost_ack() {
    scenario "lost-ack-client-side.pcap + lost-ack-server-side.pcap"
    fw_add ip saddr $CLI ip daddr $SRV tcp dport 8080 'tcp flags == ack' drop
    cap_start c cli c0 lost-ack-client-side.pcap
    cap_start s srv s0 lost-ack-server-side.pcap
    bg_cli p $SRV 8080 --sport 41050 --sleep 6 --close abort
    sleep 4.5; cap_stop $c $s       # SYN/ACK at 0, +1, +3 s
    wait $p || true
}

s_nmap() {
    scenario nmap-syn-scan.pcap
    cap_start c cli c0 nmap-syn-scan.pcap
    nsx cli nmap -sS -Pn -n -g 41060 -p 80,9999 $SRV | grep -E '^[0-9]+/tcp' || true
    sleep 0.3; cap_stop $c
}

s_reset_after_accept() {
    scenario reset-after-accept.pcap
    cap_start c cli c0 reset-after-accept.pcap
    cli $SRV 8081 --sport 41070 --wait-recv
    sleep 0.3; cap_stop $c
}

s_port_forward() {
    scenario port-forward.pcap
    cap_start c cli c0 port-forward.pcap
    cli $PUB 80   --sport 41080 --http     # DNAT to 198.51.100.10:80
    sleep 0.2
    cli $PUB 6036 --sport 41081            # not forwarded: router's RST
    sleep 0.3; cap_stop $c
}

s_lost_syn() {
    scenario lost-syn-then-success.pcap
    fw_add ip daddr $SRV tcp dport 80 'tcp flags == syn' drop
    cap_start c cli c0 lost-syn-then-success.pcap
    bg_cli p $SRV 80 --sport 41090 --http
    sleep 0.5; fw_reset             # the retransmitted SYN (+1 s) gets through
    wait $p || true
    sleep 0.3; cap_stop $c
}

s_ipv6() {
    scenario ipv6-healthy.pcap
    cap_start c cli c0 ipv6-healthy.pcap
    cli $SRV6 80 --sport 41100 --http
    sleep 0.3; cap_stop $c

    scenario ipv6-closed-port.pcap
    cap_start c cli c0 ipv6-closed-port.pcap
    cli $SRV6 9999 --sport 41101
    sleep 0.3; cap_stop $c

    scenario ipv6-firewall-drop.pcap
    fw_add ip6 daddr $SRV6 tcp dport 8080 drop
    cap_start c cli c0 ipv6-firewall-drop.pcap
    bg_cli p $SRV6 8080 --sport 41102
    sleep 4.2; cap_stop $c
    wait $p || true

    scenario ipv6-icmp-admin-prohibited.pcap
    fw_add ip6 daddr $SRV6 tcp dport 8080 reject with icmpv6 type admin-prohibited
    cap_start c cli c0 ipv6-icmp-admin-prohibited.pcap
    cli $SRV6 8080 --sport 41103 --timeout 12
    sleep 0.3; cap_stop $c
}

s_midstream() {
    scenario midstream.pcap
    bg_cli p $SRV 7 --sport 41110 --lines 11 --interval 0.2   # 2 s of lines
    sleep 0.5
    cap_start c cli c0 midstream.pcap
    sleep 1.0; cap_stop $c
    wait $p || true
}

s_capture_ends() {
    scenario capture-ends-after-syn.pcap
    fw_add ip daddr $SRV tcp dport 8080 drop
    cap_start c cli c0 capture-ends-after-syn.pcap -c 1
    bg_cli p $SRV 8080 --sport 41120
    wait $c || true                  # tcpdump -c 1 exits after the SYN
    kill $p 2>/dev/null || true; wait $p 2>/dev/null || true
}

s_seed() {
    scenario seed-scenario.pcap
    cap_start c cli c0 seed-scenario.pcap
    bg_cli p $SRV2 80 --sport 41130       # dead/filtered host: SYNs at 0, 1, 3 s
    sleep 0.5
    cli $SRV 80  --sport 41131 --http     # web server: fine
    sleep 3.0                             # (after the 3rd SYN to .20)
    cli $PUB 80   --sport 41132 --http    # camera via port forward: fine
    sleep 0.5
    cli $PUB 6036 --sport 41133           # camera's other port: router RST
    sleep 0.3; cap_stop $c                # last frame ~1.1 s after the 3rd SYN
    wait $p || true
}

s_challenge_ack() {
    scenario challenge-ack-recovered.pcap
    # the router swallows the client's RST of the first connection, so the
    # server keeps it ESTABLISHED
    fw_add ip saddr $CLI tcp sport 41140 'tcp flags & rst == rst' drop
    cap_start c cli c0 challenge-ack-recovered.pcap
    cli $SRV 8080 --sport 41140 --lines 1 --close abort
    fw_reset
    sleep 0.5
    # same 4-tuple again: server sends a challenge ACK, client RSTs it,
    # the retransmitted SYN (+1 s) opens a fresh connection
    cli $SRV 8080 --sport 41140 --lines 1
    sleep 0.3; cap_stop $c
}

ALL="healthy closed_port firewall_drop forged_rst icmp lost_ack nmap
     reset_after_accept port_forward lost_syn ipv6 midstream capture_ends
     seed challenge_ack"

s_icmp_all() {
    s_icmp admin-prohibited admin-prohibited 41040
    s_icmp port-unreachable port-unreachable 41041
    s_icmp host-unreachable host-unreachable 41042
    s_icmp net-unreachable  net-unreachable  41043
}

setup
for s in ${@:-$ALL}; do
    s=${s//-/_}
    if [ "$s" = icmp ]; then s_icmp_all; else "s_$s"; fi
done
echo; echo "done: captures in $OUT"
