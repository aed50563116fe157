#!/bin/bash
# record.sh — re-creates the REAL sample captures of tcpdiag.
#
# Builds four network namespaces joined by veth pairs, lets the Linux kernel's
# own TCP stack talk through them (plus nftables on a router namespace for the
# firewall behaviours) and records with tcpdump on the client's veth (and, for
# the lost-ACK server side and the SYN floods, on the server's veth). Only
# documentation addresses are used and the namespaces have no link to the
# host network.
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
# ethtool nmap python3 python3-scapy) with apt-get. Namespaces are removed
# on exit. One recording at a time (lock /run/lock/tcpdiag-record.lock).
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
# one recording at a time: the namespaces have fixed names
mkdir -p /run/lock
exec 9>/run/lock/tcpdiag-record.lock
flock -n 9 || { echo "record.sh: another recording is running" >&2; exit 1; }

# --- packages ---------------------------------------------------------------
need=()
command -v tcpdump >/dev/null || need+=(tcpdump)
command -v nft     >/dev/null || need+=(nftables)
command -v ip      >/dev/null || need+=(iproute2)
command -v ethtool >/dev/null || need+=(ethtool)
command -v nmap    >/dev/null || need+=(nmap)
command -v sysctl  >/dev/null || need+=(procps)
[ -x "$PY" ]                  || need+=(python3)
# synflood.py (syn-flood scenarios) needs scapy in Debian's python3
[ -x "$PY" ] && "$PY" -c 'import scapy' 2>/dev/null || need+=(python3-scapy)
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

# cap_start / cap_stop: tcpdump in a namespace (capture-lib.sh).
NS_PREFIX=td-
# shellcheck source=capture-lib.sh
. "$HERE/capture-lib.sh"
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

# nmap's OS detection (issue 13): its probes include SYN+FIN+PSH+URG (T3)
# and SYN+ECE+CWR (ECN) SYNs, which are connection attempts like any SYN.
# Linux drops SYN+FIN unanswered (tcp_rcv_state_process: LISTEN discards a
# SYN with FIN); the others are answered and the scanner's kernel resets.
s_nmap_os() {
    scenario nmap-os-detect.pcap
    cap_start c cli c0 nmap-os-detect.pcap
    nsx cli nmap -O -Pn -n -p 80,9999 --max-os-tries 1 $SRV \
        | grep -E '^[0-9]+/tcp|^(Running|OS details|Aggressive|No exact)' || true
    sleep 1.5; cap_stop $c
}

# A RST from the server after its own unacknowledged, retransmitted
# SYN/ACKs (issue 13): nmap -sS from port 41080 with the client kernel's
# RSTs dropped (nmap reads the SYN/ACK through libpcap; the kernel never
# answers it), so the server retransmits its SYN/ACK at +1 and +3 s; then
# nmap -sA from the same port sends an ACK whose ack number is random. The
# server's SYN-RECEIVED entry finds it unacceptable and resets (RFC 9293
# §3.10.7.4; Linux tcp_check_req). No ACK of the SYN/ACK was ever sent.
s_nmap_ack_probe() {
    scenario nmap-ack-probe-half-open.pcap
    nsx cli nft -f - <<'EOF'
table inet noreset {
    chain out { type filter hook output priority filter; policy accept; tcp sport 41080 tcp flags rst drop; }
}
EOF
    cap_start c cli c0 nmap-ack-probe-half-open.pcap
    nsx cli nmap -sS -Pn -n -g 41080 -p 80 --max-retries 0 $SRV | grep -E '^[0-9]+/tcp' || true
    sleep 4.2
    nsx cli nmap -sA -Pn -n -g 41080 -p 80 --max-retries 0 $SRV | grep -E '^[0-9]+/tcp' || true
    sleep 1.2; cap_stop $c
    nsx cli nft delete table inet noreset
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

# --- cross-connection conclusions and option findings ----------------------
# Helpers for the scenarios below: a service of their own in a namespace,
# and sysctls put back afterwards (namespaces are shared by all scenarios).

# srv_start VAR NS ARGS...: server.py ARGS in td-NS, wait until it listens,
# store its pid in VAR.
srv_start() {
    local var=$1 ns=$2; shift 2
    local log="$LOG/server-$ns-$var.log"
    ip netns exec "td-$ns" "$PY" "$HERE/server.py" "$@" 2>"$log" &
    local pid=$!
    PIDS+=("$pid")
    for _ in $(seq 100); do
        grep -q listening "$log" && break
        kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; return 1; }
        sleep 0.05
    done
    grep -q listening "$log" || { echo "server.py $* did not start" >&2; return 1; }
    printf -v "$var" '%s' "$pid"
}
srv_stop() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

SYSCTL_SAVED=()
ns_sysctl() {  # ns_sysctl NS key=value...: set; ns_sysctl_restore undoes
    local ns=$1 kv; shift
    for kv in "$@"; do
        SYSCTL_SAVED+=("$ns" "${kv%%=*}=$(nsx "$ns" sysctl -n "${kv%%=*}")")
        nsx "$ns" sysctl -q -w "$kv"
    done
}
ns_sysctl_restore() {
    local i
    for ((i = ${#SYSCTL_SAVED[@]} - 2; i >= 0; i -= 2)); do
        nsx "${SYSCTL_SAVED[i]}" sysctl -q -w "${SYSCTL_SAVED[i + 1]}"
    done
    SYSCTL_SAVED=()
}

s_listen_queue_overflow() {
    scenario listen-queue-overflow.pcap
    # a service whose application hangs: listen(1), never accept()
    ns_sysctl srv net.ipv4.tcp_abort_on_overflow=0
    srv_start q srv --port 8090 --mode no-accept --backlog 1
    cap_start c cli c0 listen-queue-overflow.pcap
    local i ps=()
    for i in 0 1 2 3 4 5 6 7; do     # 8 connects, 0.1 s apart
        bg_cli p $SRV 8090 --sport $((41300 + i)) --lines 1 --timeout 10
        ps+=("$p")
        sleep 0.1
    done
    sleep 3.8; cap_stop $c          # the last SYNs' 3rd try at ~3.7 s
    for p in "${ps[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
    srv_stop $q
    ns_sysctl_restore
}

s_listen_queue_slow_accept() {
    scenario listen-queue-slow-accept.pcap
    # the same tiny backlog, but the application does accept(): one
    # connection a second, so the queue drains a little and whichever SYN
    # arrives next after an accept() gets in
    ns_sysctl srv net.ipv4.tcp_abort_on_overflow=0
    srv_start q srv --port 8091 --mode slow-accept --backlog 1 --accept-every 1
    cap_start c cli c0 listen-queue-slow-accept.pcap
    local i ps=()
    for i in $(seq 0 11); do        # 12 connects, 0.25 s apart
        bg_cli p $SRV 8091 --sport $((41360 + i)) --lines 1 --timeout 10
        ps+=("$p")
        sleep 0.25
    done
    sleep 3.5; cap_stop $c          # the last connects' 3rd SYN at ~6.5 s
    for p in "${ps[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
    srv_stop $q
    ns_sysctl_restore
}

s_service_stopped() {
    scenario service-stopped.pcap
    srv_start w srv --port 8000 --mode http
    cap_start c cli c0 service-stopped.pcap
    cli $SRV 8000 --sport 41310 --http
    sleep 0.3
    cli $SRV 8000 --sport 41311 --http
    sleep 0.3
    cli $SRV 8000 --sport 41312 --http
    sleep 0.3
    srv_stop $w                     # the service dies (SIGTERM)
    sleep 0.3
    cli $SRV 8000 --sport 41313 --http     # refused: RST/ACK
    sleep 0.3
    cli $SRV 8000 --sport 41314 --http
    sleep 0.3; cap_stop $c
}

# flood_capture FILE PORT: 60 spoofed SYNs to S:PORT, captured on the
# server's veth for ~4 s, SYN cookies off on the server.
flood_capture() {
    # The spoofed sources 203.0.113.0/24 "live" behind the client link,
    # and the router drops every packet for them: the server's SYN/ACKs
    # vanish and no RST ever comes back. SYN cookies off, so the server
    # keeps every half-open connection it has room for and retransmits its
    # SYN/ACK (+1 s, +3 s with tcp_synack_retries=2).
    nsx rtr ip route add 203.0.113.0/24 via $CLI
    fw_add ip daddr 203.0.113.0/24 drop
    ns_sysctl srv net.ipv4.tcp_syncookies=0
    cap_start s srv s0 "$1"
    nsx cli "$PY" "$HERE/synflood.py" $SRV "$2" --count 60 --interval 0.01
    sleep 3.6; cap_stop $s          # last SYN/ACK retransmission at ~3.6 s
    sleep 4                         # the server gives up on them (+7 s)
    nsx rtr ip route del 203.0.113.0/24 via $CLI
    ns_sysctl_restore
}

s_syn_flood() {
    scenario syn-flood.pcap
    flood_capture syn-flood.pcap 80         # listen(128): room for all 60
}

s_syn_flood_backlog_full() {
    scenario syn-flood-backlog-full.pcap
    # listen(16): the SYN queue is full after 17 half-open connections and
    # (no cookies) the kernel drops the other SYNs without an answer
    srv_start f srv --port 8001 --mode http --backlog 16
    flood_capture syn-flood-backlog-full.pcap 8001
    srv_stop $f
}

s_client_side_blocked() {
    scenario client-side-blocked.pcap
    # The client's access link drops all its TCP (the ingress of the
    # router's r0, i.e. right after the capture point): three different
    # servers and ports, none answers.
    nft_rtr -f - <<EOF_NFT
table netdev tdegress {
    chain in {
        type filter hook ingress device "r0" priority filter; policy accept;
        ip saddr $CLI meta l4proto tcp drop
    }
}
EOF_NFT
    cap_start c cli c0 client-side-blocked.pcap
    local p1 p2 p3
    bg_cli p1 $SRV 80   --sport 41320
    sleep 0.2
    bg_cli p2 $SRV2 443 --sport 41321
    sleep 0.2
    bg_cli p3 $PUB 22   --sport 41322
    sleep 4.2; cap_stop $c          # 3rd SYN of the last at ~3.4 s
    wait $p1 $p2 $p3 || true
    nft_rtr delete table netdev tdegress
}

s_server_no_options() {
    scenario server-no-options.pcap
    ns_sysctl srv net.ipv4.tcp_sack=0 net.ipv4.tcp_window_scaling=0 \
        net.ipv4.tcp_timestamps=0
    cap_start c cli c0 server-no-options.pcap
    cli $SRV 7 --sport 41330 --lines 4 --interval 0.05
    sleep 0.3; cap_stop $c
    ns_sysctl_restore
}

s_mss_clamping() {
    scenario mss-clamping.pcap
    fw_add meta nfproto ipv4 tcp flags syn tcp option maxseg size set 1360
    fw_add meta nfproto ipv6 tcp flags syn tcp option maxseg size set 1300
    cap_start c cli c0 mss-clamping.pcap
    cli $SRV 80 --sport 41340 --http
    sleep 0.3; cap_stop $c
    cap_start c cli c0 ipv6-mss-clamping.pcap
    cli $SRV6 80 --sport 41341 --http
    sleep 0.3; cap_stop $c
}

s_healthy_busy() {
    scenario healthy-busy.pcap
    # td-srv2 plays a 2nd healthy server here: its firewall is lifted
    nsx srv2 nft flush chain inet hostfw in
    srv_start b srv2
    cap_start c cli c0 healthy-busy.pcap
    cli $SRV  80   --sport 41350 --http;  sleep 0.1
    cli $SRV2 80   --sport 41351 --http;  sleep 0.1
    cli $SRV  7    --sport 41352 --lines 2; sleep 0.1
    cli $SRV2 7    --sport 41353 --lines 2; sleep 0.1
    cli $SRV  9999 --sport 41354;         sleep 0.1   # closed port: genuine RST
    cli $SRV2 7    --sport 41355 --lines 1; sleep 0.1
    cli $SRV  80   --sport 41356 --http;  sleep 0.1
    cli $SRV2 80   --sport 41357 --http;  sleep 0.1
    cli $SRV  7    --sport 41358 --lines 1
    sleep 0.3; cap_stop $c
    srv_stop $b
    nsx srv2 nft add rule inet hostfw in meta l4proto tcp drop
}

ALL="healthy closed_port firewall_drop forged_rst icmp lost_ack nmap
     reset_after_accept port_forward lost_syn ipv6 midstream capture_ends
     seed challenge_ack
     listen_queue_overflow listen_queue_slow_accept service_stopped syn_flood
     syn_flood_backlog_full client_side_blocked
     server_no_options mss_clamping healthy_busy nmap_os nmap_ack_probe"

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
