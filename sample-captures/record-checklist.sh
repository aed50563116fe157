#!/bin/bash
# record-checklist.sh — re-creates the REAL captures of the troubleshooting
# checklist (issue #11): name resolution, ARP / neighbour discovery, ping,
# DHCP, UDP ports and zero windows, each tied to the connections it explains.
#
# Same conventions as record.sh: network namespaces joined by veth pairs and
# Linux bridges, the kernel's own stacks, real Debian programs (dnsmasq,
# udhcpc, dig, ping, glibc's resolver through Python and getent), nftables
# for the firewalls, tcpdump --immediate-mode on the veth of the host whose
# view the capture is. Only documentation addresses; no link to the host.
# The captures go to sample-captures/checklist/ (ground truth:
# checklist-expected.tsv, description: README.md "Checklist captures").
#
#   client link: bridge brc in ck-rtr, 192.0.2.0/24, 2001:db8:1::/64
#     ck-rtr   brc 192.0.2.1       2001:db8:1::1    02:00:00:00:01:00
#              (gateway; dnsmasq DHCP server in the DHCP scenarios)
#     ck-cli   c0  192.0.2.10      2001:db8:1::10   02:00:00:00:00:10
#     ck-dhc   d0  (DHCP client)                    02:00:00:00:00:30
#     ck-dns   n0  192.0.2.53 dnsmasq (DNS)         02:00:00:00:00:53
#                  192.0.2.54 checklist.py dns-server (rcodes, TC, CNAME)
#                  192.0.2.55 no DNS service (kernel: ICMP port unreachable)
#                  192.0.2.56 host firewall drops DNS (silent server)
#     ck-dupa  a0  192.0.2.20      2001:db8:1::20   02:00:00:00:00:21
#     ck-dupb  b0  (192.0.2.20 / 2001:db8:1::20 in the duplicate scenarios)
#                                                   02:00:00:00:00:22
#     nobody       192.0.2.50      2001:db8:1::50   (unowned, on-link)
#     nobody       192.0.2.254                      (a dead gateway)
#   server link: bridge brs in ck-rtr, 198.51.100.0/24, 2001:db8:2::/64
#     ck-rtr   brs 198.51.100.1    2001:db8:2::1
#     ck-srv   s0  198.51.100.10   2001:db8:2::10   (server.py services)
#     ck-srv2  s0  198.51.100.20   2001:db8:2::20   (host firewall drops TCP)
#   ck-rtr lo 203.0.113.1/32 "public": DNAT tcp 80 -> 198.51.100.10:80, no
#     UDP forwarded (its own kernel answers ICMP port unreachable)
#
# Usage:  sudo ./record-checklist.sh               # all scenarios
#         sudo ./record-checklist.sh dns_nxdomain arp_unanswered ...
# Needs root. Installs missing Debian packages with apt-get. Namespaces,
# /etc/netns/ck-* (per-namespace resolv.conf/hosts for glibc) and helper
# processes are removed on every exit. One recording at a time (lock
# /run/lock/tcpdiag-record-checklist.lock); the namespace names (ck-*) differ
# from record.sh's (td-*), so both can run.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${OUT:-$HERE/checklist}
PY=/usr/bin/python3          # Debian's python3 (not a pyenv one)
LOG=$(mktemp -d /tmp/tcpdiag-record-checklist.XXXXXX)
NS_ALL="ck-rtr ck-cli ck-dhc ck-dns ck-dupa ck-dupb ck-srv ck-srv2"
# Capture filter: everything the checklist reads (ARP, UDP incl. DNS and
# DHCP, TCP, ICMP, ICMPv6 incl. neighbour discovery and echo). MLD reports
# carry a hop-by-hop header first, so `icmp6` does not match them.
FILTER='arp or udp or tcp or icmp or icmp6'

CLI=192.0.2.10; GW=192.0.2.1; SRV=198.51.100.10; SRV2=198.51.100.20
PUB=203.0.113.1; DUP=192.0.2.20; NOBODY=192.0.2.50; DEADGW=192.0.2.254
DNS_OK=192.0.2.53; DNS_PY=192.0.2.54; DNS_CLOSED=192.0.2.55; DNS_SILENT=192.0.2.56
CLI6=2001:db8:1::10; SRV6=2001:db8:2::10; DUP6=2001:db8:1::20; NOBODY6=2001:db8:1::50

[ "$(id -u)" = 0 ] || { echo "record-checklist.sh: must run as root" >&2; exit 1; }
mkdir -p /run/lock
exec 9>/run/lock/tcpdiag-record-checklist.lock
flock -n 9 || { echo "record-checklist.sh: another recording is running" >&2; exit 1; }

# --- packages ---------------------------------------------------------------
need=()
command -v tcpdump >/dev/null || need+=(tcpdump)
command -v nft     >/dev/null || need+=(nftables)
command -v ip      >/dev/null || need+=(iproute2)
command -v ethtool >/dev/null || need+=(ethtool)
command -v sysctl  >/dev/null || need+=(procps)
command -v ping    >/dev/null || need+=(iputils-ping)
command -v arping  >/dev/null || need+=(iputils-arping)
command -v dnsmasq >/dev/null || need+=(dnsmasq-base)
command -v udhcpc  >/dev/null || need+=(udhcpc)
command -v dig     >/dev/null || need+=(bind9-dnsutils)
command -v getent  >/dev/null || need+=(libc-bin)
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
    # dnsmasq and udhcpc daemonize / run out of PIDS' reach: their pid
    # files say who
    for f in "$LOG"/*.pid; do
        [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null
    done
    for ns in $NS_ALL; do
        ip netns del "$ns" 2>/dev/null
        rm -rf "/etc/netns/$ns"
    done
    rmdir /etc/netns 2>/dev/null
    rm -rf "$LOG"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

nsx() { local ns=$1; shift; ip netns exec "ck-$ns" "$@"; }
pyc() { local ns=$1; shift; nsx "$ns" "$PY" "$HERE/client.py" "$@"; }
ckpy() { local ns=$1; shift; nsx "$ns" "$PY" "$HERE/checklist.py" "$@"; }

# resolv NS LINE...: the resolv.conf glibc reads in namespace ck-NS (ip netns
# exec bind-mounts /etc/netns/ck-NS/resolv.conf over /etc/resolv.conf).
resolv() {
    local ns=$1; shift
    mkdir -p "/etc/netns/ck-$ns"
    printf '%s\n' "$@" >"/etc/netns/ck-$ns/resolv.conf"
    # and a hosts file without the host machine's names
    printf '127.0.0.1 localhost\n::1 localhost\n' >"/etc/netns/ck-$ns/hosts"
}

# cap_start / cap_stop: tcpdump in a namespace (capture-lib.sh).
NS_PREFIX=ck-
# shellcheck source=capture-lib.sh
. "$HERE/capture-lib.sh"
# bg VAR NS CMD...: CMD in namespace ck-NS in the background, its pid in VAR
# (ip netns exec execs CMD, so the pid is CMD's own)
bg() {
    local var=$1 ns=$2; shift 2
    ip netns exec "ck-$ns" "$@" &
    PIDS+=("$!")
    printf -v "$var" '%s' "$!"
}
stop() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }
scenario() { echo; echo "=== $1"; }
# flush NS: forget the neighbour cache (so the next packet ARPs/solicits)
flush() { nsx "$1" ip neigh flush all; nsx "$1" ip -6 neigh flush all; }

# start_py VAR NS LOGNAME ARGS...: a python helper that prints "listening"
start_py() {
    local var=$1 ns=$2 name=$3; shift 3
    local log="$LOG/$name.log"
    ip netns exec "ck-$ns" "$PY" "$@" 2>"$log" &
    local pid=$!
    PIDS+=("$pid")
    for _ in $(seq 100); do
        grep -q listening "$log" && break
        kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; return 1; }
        sleep 0.05
    done
    grep -q listening "$log" || { echo "$name did not start" >&2; return 1; }
    printf -v "$var" '%s' "$pid"
}

# dhcp_server_start [RANGE [ROUTER]]: dnsmasq as the DHCP server on the
# router's client bridge (no DNS: port 0); ROUTER (option 3) defaults to $GW. It checks an address with an ICMP echo
# before offering it (dnsmasq(8): "checks that an address is not in use ...
# by sending an ICMP echo request"), so the router also ARPs for it.
dhcp_server_start() {
    local range=${1:-192.0.2.100,192.0.2.149} router=${2:-$GW}
    nsx rtr dnsmasq --conf-file=/dev/null --port=0 --interface=brc \
        --bind-interfaces --except-interface=lo --user=root --group=root \
        --dhcp-range="$range,255.255.255.0,1h" \
        --dhcp-option=option:router,$router --dhcp-option=option:dns-server,$DNS_OK \
        --dhcp-authoritative --dhcp-leasefile="$LOG/dhcp.leases" \
        --pid-file="$LOG/dnsmasq-dhcp.pid" --log-facility="$LOG/dnsmasq-dhcp.log" \
        --log-dhcp
    sleep 0.3
}
dhcp_server_stop() {
    [ -f "$LOG/dnsmasq-dhcp.pid" ] || return 0
    kill "$(cat "$LOG/dnsmasq-dhcp.pid")" 2>/dev/null || true
    sleep 0.3
    rm -f "$LOG/dnsmasq-dhcp.pid"
}
# udhcpc's event script: only the address and the default route (no
# resolv.conf rewrite: the namespace's one is written by resolv()).
write_udhcpc_script() {
    cat >"$LOG/udhcpc.script" <<'EOF'
#!/bin/sh
case "$1" in
  deconfig) ip addr flush dev "$interface" scope global ;;
  bound|renew)
    ip addr flush dev "$interface" scope global
    ip addr add "$ip/${mask:-24}" dev "$interface"
    [ -n "$router" ] && ip route replace default via "${router%% *}" dev "$interface"
    ;;
esac
exit 0
EOF
    chmod +x "$LOG/udhcpc.script"
}

# --- topology ---------------------------------------------------------------
veth() {   # veth NS IFACE MAC BRIDGE: ck-NS:IFACE <-> ck-rtr port on BRIDGE
    local ns=$1 ifc=$2 mac=$3 br=$4 port="p-$1"
    nsx rtr ip link add "$port" type veth peer name "$ifc" address "$mac" netns "ck-$ns"
    nsx rtr ip link set "$port" master "$br"
    nsx rtr ethtool -K "$port" tx off rx off tso off gso off gro off >/dev/null 2>&1 || true
    nsx "$ns" ethtool -K "$ifc" tx off rx off tso off gso off gro off >/dev/null 2>&1 || true
    nsx rtr ip link set "$port" up
}

setup() {
    local ns
    for ns in $NS_ALL; do ip netns del "$ns" 2>/dev/null || true; done
    for ns in $NS_ALL; do
        ip netns add "$ns"
        # as record.sh: no DAD/router solicitation noise, classic SYN backoff
        ip netns exec "$ns" sysctl -q -w \
            net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0 \
            net.ipv6.conf.all.router_solicitations=0 \
            net.ipv6.conf.default.router_solicitations=0 \
            net.ipv4.tcp_syn_retries=2
        if ip netns exec "$ns" test -e /proc/sys/net/ipv4/tcp_syn_linear_timeouts; then
            ip netns exec "$ns" sysctl -q -w net.ipv4.tcp_syn_linear_timeouts=0
        fi
        ip -n "$ns" link set lo up
    done
    nsx rtr sysctl -q -w net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
    local br
    for br in brc brs; do
        nsx rtr ip link add "$br" type bridge
        # no IGMP/MLD snooping: solicited-node multicast reaches every port
        # (no querier on these links anyway)
        nsx rtr ip link set "$br" type bridge mcast_snooping 0
    done
    nsx rtr ip link set brc address 02:00:00:00:01:00
    nsx rtr ip link set brs address 02:00:00:00:01:01
    veth cli  c0 02:00:00:00:00:10 brc
    veth dhc  d0 02:00:00:00:00:30 brc
    veth dns  n0 02:00:00:00:00:53 brc
    veth dupa a0 02:00:00:00:00:21 brc
    veth dupb b0 02:00:00:00:00:22 brc
    veth srv  s0 02:00:00:00:02:10 brs
    veth srv2 s0 02:00:00:00:02:20 brs

    nsx rtr  ip addr add $GW/24 dev brc
    nsx rtr  ip addr add 2001:db8:1::1/64 dev brc nodad
    nsx rtr  ip addr add 198.51.100.1/24 dev brs
    nsx rtr  ip addr add 2001:db8:2::1/64 dev brs nodad
    nsx rtr  ip addr add $PUB/32 dev lo
    nsx cli  ip addr add $CLI/24 dev c0
    nsx cli  ip addr add $CLI6/64 dev c0 nodad
    local a
    for a in $DNS_OK $DNS_PY $DNS_CLOSED $DNS_SILENT; do
        nsx dns ip addr add $a/24 dev n0
    done
    nsx dupa ip addr add $DUP/24 dev a0
    nsx dupa ip addr add $DUP6/64 dev a0 nodad
    nsx srv  ip addr add $SRV/24 dev s0
    nsx srv  ip addr add $SRV6/64 dev s0 nodad
    nsx srv2 ip addr add $SRV2/24 dev s0
    nsx srv2 ip addr add 2001:db8:2::20/64 dev s0 nodad
    nsx rtr ip link set brc up
    nsx rtr ip link set brs up
    for a in cli:c0 dhc:d0 dns:n0 dupa:a0 srv:s0 srv2:s0; do
        nsx "${a%%:*}" ip link set "${a#*:}" up
    done
    # ck-dupb stays down until a duplicate scenario brings it up
    for ns in cli dns dupa; do nsx $ns ip route add default via $GW; done
    for ns in cli dupa; do nsx $ns ip -6 route add default via 2001:db8:1::1; done
    nsx dupb ip link set b0 down
    for ns in srv srv2; do
        nsx $ns ip route add default via 198.51.100.1
        nsx $ns ip -6 route add default via 2001:db8:2::1
    done

    # router: port forwarding of TCP 80 only (the "camera" of record.sh)
    nsx rtr nft -f - <<EOF
table inet ckfw {
    chain fw { type filter hook forward priority filter; policy accept; }
}
table ip nat {
    chain pre {
        type nat hook prerouting priority dstnat; policy accept;
        ip daddr $PUB tcp dport 80 dnat to $SRV:80
    }
}
EOF
    # srv2: host firewall drops every TCP segment (ping still answered)
    nsx srv2 nft -f - <<'EOF'
table inet hostfw {
    chain in { type filter hook input priority filter; policy accept; meta l4proto tcp drop; }
}
EOF
    # ck-dns: 192.0.2.56 is a DNS server that never answers
    nsx dns nft -f - <<EOF
table inet hostfw {
    chain in {
        type filter hook input priority filter; policy accept;
        ip daddr $DNS_SILENT udp dport 53 drop
        ip daddr $DNS_SILENT tcp dport 53 drop
    }
}
EOF

    # services
    local p
    start_py p srv server "$HERE/server.py"
    start_py p dupa server-dupa "$HERE/server.py"
    start_py p dns dns-py "$HERE/checklist.py" dns-server $DNS_PY
    # dnsmasq as the DNS server of the site: authoritative (--local) for
    # example.com, so unknown names get NXDOMAIN; no upstream, no DHCP
    nsx dns dnsmasq --conf-file=/dev/null --no-resolv --no-hosts --no-poll \
        --listen-address=$DNS_OK --bind-interfaces --user=root --group=root \
        --local=/example.com/ \
        --host-record=www.example.com,$SRV,$SRV6 \
        --host-record=db.example.com,$SRV2 \
        --cname=alias.example.com,www.example.com \
        --pid-file="$LOG/dnsmasq-dns.pid" --log-facility="$LOG/dnsmasq-dns.log" \
        --log-queries
    sleep 0.3
    write_udhcpc_script
    warm_up
}

# warm_up: fill the neighbour caches of the client (outside any capture)
warm_up() {
    nsx cli ping -c 1 -W 1 -q $GW >/dev/null || true
    nsx cli ping -c 1 -W 1 -q $DNS_OK >/dev/null || true
    nsx cli ping -6 -c 1 -W 1 -q 2001:db8:1::1 >/dev/null || true
    nsx rtr ping -c 1 -W 1 -q $SRV >/dev/null || true
    nsx rtr ping -c 1 -W 1 -q $SRV2 >/dev/null || true
    sleep 0.3
}

# --- name resolution -------------------------------------------------------
# glibc's resolver (Python's connect() on a name, getent) with a short
# timeout: "options timeout:1 attempts:2" (resolv.conf(5)).

s_dns_resolved_dead_host() {
    scenario dns-resolved-dead-host.pcap
    resolv cli "nameserver $DNS_OK" "options timeout:1 attempts:2"
    cap_start c cli c0 dns-resolved-dead-host.pcap
    pyc cli db.example.com 5432 --sport 41500 --timeout 12
    sleep 0.3; cap_stop $c
}

s_dns_nxdomain() {
    scenario dns-nxdomain.pcap
    resolv cli "nameserver $DNS_OK" "options timeout:1 attempts:2"
    cap_start c cli c0 dns-nxdomain.pcap
    pyc cli nosuch.example.com 80 --sport 41501   # connect fails: no name
    sleep 0.5
    pyc cli nosuch.example.com 80 --sport 41501   # the user tries again
    sleep 1.5; cap_stop $c
}

s_dns_servfail() {
    scenario dns-servfail.pcap
    resolv cli "nameserver $DNS_PY" "options timeout:1 attempts:2"
    cap_start c cli c0 dns-servfail.pcap
    pyc cli servfail.example.com 80 --sport 41502
    sleep 1.5; cap_stop $c
}

s_dns_refused() {
    scenario dns-refused.pcap
    resolv cli "nameserver $DNS_PY" "options timeout:1 attempts:2"
    cap_start c cli c0 dns-refused.pcap
    pyc cli www.example.net 80 --sport 41503      # not the server's zone
    sleep 1.5; cap_stop $c
}

s_dns_no_address() {
    scenario dns-no-address.pcap
    resolv cli "nameserver $DNS_PY" "options timeout:1 attempts:2"
    cap_start c cli c0 dns-no-address.pcap
    nsx cli getent ahosts noaddr.example.com || echo "getent: no address (rc $?)"
    sleep 0.5
    pyc cli mail.example.com 25 --sport 41504     # CNAME to a name without A
    sleep 1.5; cap_stop $c
}

s_dns_no_answer() {
    scenario dns-no-answer.pcap
    resolv cli "nameserver $DNS_SILENT" "options timeout:1 attempts:2"
    cap_start c cli c0 dns-no-answer.pcap
    pyc cli www.example.com 80 --sport 41505
    sleep 1.5; cap_stop $c
}

s_dns_server_down() {
    scenario dns-server-down.pcap
    # the first server never answers; glibc falls back to the second
    resolv cli "nameserver $DNS_SILENT" "nameserver $DNS_OK" "options timeout:1 attempts:1"
    cap_start c cli c0 dns-server-down.pcap
    pyc cli www.example.com 80 --sport 41506 --http
    sleep 0.3
    pyc cli alias.example.com 80 --sport 41507 --http
    sleep 1.5; cap_stop $c
}

s_dns_port_unreachable() {
    scenario dns-port-unreachable.pcap
    # no DNS service at the address: the kernel answers ICMP port unreachable
    resolv cli "nameserver $DNS_CLOSED" "options timeout:1 attempts:2"
    cap_start c cli c0 dns-port-unreachable.pcap
    pyc cli www.example.com 80 --sport 41508
    sleep 1.5; cap_stop $c
}

s_dns_truncated() {
    scenario dns-truncated.pcap
    cap_start c cli c0 dns-truncated.pcap
    nsx cli dig +ignore +tries=1 +timeout=2 @$DNS_PY big.example.com A | grep -E 'flags|status' || true
    sleep 1.5; cap_stop $c
}

s_dns_tcp_fallback() {
    scenario dns-tcp-fallback.pcap
    cap_start c cli c0 dns-tcp-fallback.pcap
    nsx cli dig +tries=1 +timeout=2 @$DNS_PY big.example.com A | grep -E 'flags|status|MSG SIZE' || true
    sleep 1.5; cap_stop $c
}

s_dns_pending() {
    scenario dns-pending.pcap
    cap_start c cli c0 dns-pending.pcap
    local d
    bg d cli dig +tries=1 +timeout=3 @$DNS_SILENT www.example.com A
    sleep 0.4; cap_stop $c          # the capture ends 0.4 s after the query
    wait $d 2>/dev/null || true
}

# --- link layer -------------------------------------------------------------
s_arp_unanswered() {
    scenario arp-unanswered.pcap
    cap_start c cli c0 arp-unanswered.pcap
    # on-link address nobody owns: the kernel ARPs 3 times (mcast_solicit
    # 3, 1 s apart) and fails the connect with EHOSTUNREACH; no SYN leaves
    pyc cli $NOBODY 80 --sport 41520 --timeout 10
    sleep 0.5; cap_stop $c
}

s_nd_unanswered() {
    scenario nd-unanswered.pcap
    cap_start c cli c0 nd-unanswered.pcap
    pyc cli $NOBODY6 80 --sport 41521 --timeout 10
    sleep 0.5; cap_stop $c
}

s_dead_gateway() {
    scenario dead-gateway.pcap
    nsx cli ip route replace default via $DEADGW
    cap_start c cli c0 dead-gateway.pcap
    pyc cli $SRV 80 --sport 41522 --timeout 10
    pyc cli $PUB 80 --sport 41523 --timeout 10
    sleep 0.5; cap_stop $c
    nsx cli ip route replace default via $GW
    nsx cli ip neigh del $DEADGW dev c0 2>/dev/null || true
}

# dupb_up: ck-dupb takes 192.0.2.20 / 2001:db8:1::20 too (no announcement:
# the kernel's arp_notify ARP at link-up leaves before a veth's qdisc is
# active and is lost, so the scenarios announce with arping -U).
dupb_up() {
    nsx dupb ip addr add $DUP/24 dev b0
    nsx dupb ip addr add $DUP6/64 dev b0 nodad
    nsx dupb ip link set b0 up
    nsx dupb ip route add default via $GW
}
dupb_down() {
    nsx dupb ip link set b0 down
    nsx dupb ip addr flush dev b0
    flush cli; flush dupa; flush rtr    # nobody remembers dupb's MAC
}

s_duplicate_ip() {
    scenario duplicate-ip.pcap
    flush cli
    cap_start c cli c0 duplicate-ip.pcap
    pyc cli $DUP 80 --sport 41530 --http            # only dupa: fine
    sleep 0.5
    dupb_up
    sleep 0.3
    # dupb announces "its" address: gratuitous ARP requests (arping(8) -U)
    nsx dupb arping -q -U -c 2 -I b0 $DUP || true
    sleep 0.5
    pyc cli $DUP 80 --sport 41531 --http --timeout 5  # reaches dupb: RST
    sleep 0.3
    flush cli
    pyc cli $DUP 80 --sport 41532 --http --timeout 5  # both answer the ARP
    sleep 0.5; cap_stop $c
    dupb_down
}

s_duplicate_ipv6() {
    scenario duplicate-ipv6.pcap
    dupb_up
    sleep 0.5
    flush cli
    cap_start c cli c0 duplicate-ipv6.pcap
    # both hosts answer the neighbour solicitation with a solicited NA
    pyc cli $DUP6 80 --sport 41533 --http --timeout 5
    sleep 0.5
    flush cli
    pyc cli $DUP6 80 --sport 41534 --http --timeout 5
    sleep 0.5; cap_stop $c
    dupb_down
}

s_gratuitous_arp() {
    scenario gratuitous-arp.pcap
    # false-positive check: one host announcing its own address (ARP
    # request form, arping -U, and reply form, arping -A; RFC 5227 3) is
    # no duplicate
    flush cli
    cap_start c cli c0 gratuitous-arp.pcap
    pyc cli $DUP 80 --sport 41535 --http
    nsx dupa arping -q -U -c 2 -I a0 $DUP || true
    nsx dupa arping -q -A -c 2 -I a0 $DUP || true
    pyc cli $DUP 80 --sport 41536 --http
    sleep 0.5; cap_stop $c
}

# --- ping -------------------------------------------------------------------
s_ping_port_filtered() {
    scenario ping-port-filtered.pcap
    cap_start c cli c0 ping-port-filtered.pcap
    nsx cli ping -c 3 -i 0.5 $SRV2 | tail -2
    pyc cli $SRV2 80 --sport 41540 --timeout 12 &
    local p=$!
    sleep 4.2; cap_stop $c          # 3 SYNs at 0, 1, 3 s
    wait $p || true
}

s_ping_unanswered() {
    scenario ping-unanswered.pcap
    # srv2 drops everything (its ARP still works, on the far link)
    nsx srv2 nft add rule inet hostfw in drop
    cap_start c cli c0 ping-unanswered.pcap
    nsx cli ping -c 3 -i 0.5 -W 1 $SRV2 | tail -2 || true
    pyc cli $SRV2 80 --sport 41541 --timeout 12 &
    local p=$!
    sleep 4.2; cap_stop $c
    wait $p || true
    nsx srv2 nft flush chain inet hostfw in
    nsx srv2 nft add rule inet hostfw in meta l4proto tcp drop
}

s_ping6_answered() {
    scenario ping6-answered.pcap
    cap_start c cli c0 ping6-answered.pcap
    nsx cli ping -6 -c 2 -i 0.5 $SRV6 | tail -1
    sleep 0.3; cap_stop $c
}

# --- DHCP -------------------------------------------------------------------
dhc_reset() {
    nsx dhc ip addr flush dev d0
    nsx dhc ip route flush dev d0 2>/dev/null || true
    flush dhc
}

s_dhcp_no_offer() {
    scenario dhcp-no-offer.pcap
    dhc_reset
    dhcp_server_stop
    cap_start c dhc d0 dhcp-no-offer.pcap
    # 4 DISCOVERs, 2 s apart, then give up (-n)
    nsx dhc udhcpc -i d0 -f -q -n -t 4 -T 2 -s "$LOG/udhcpc.script" 2>&1 | tail -2 || true
    # what a link-local fallback (RFC 3927, avahi-autoipd) leaves the host
    # with: a 169.254/16 address and every destination "on link"
    nsx dhc ip addr add 169.254.77.10/16 dev d0
    nsx dhc ip route add default dev d0 scope link
    sleep 0.5
    # the DNS server answers the ARP but routes its SYN/ACK to its gateway
    # (192.0.2.0/24 knows no 169.254/16): the client sees no answer
    pyc dhc $DNS_OK 53 --sport 41550 --timeout 10
    sleep 0.5; cap_stop $c
    dhc_reset
}

s_dhcp_nak() {
    scenario dhcp-nak.pcap
    dhc_reset
    rm -f "$LOG/dhcp.leases"
    dhcp_server_start 192.0.2.100,192.0.2.149
    local u
    bg u dhc udhcpc -i d0 -f -t 4 -T 2 -s "$LOG/udhcpc.script" -p "$LOG/udhcpc.pid"
    for _ in $(seq 50); do nsx dhc ip -4 addr show dev d0 | grep -q 'inet ' && break; sleep 0.2; done
    # the site is renumbered: a new pool, the old lease forgotten
    dhcp_server_stop
    rm -f "$LOG/dhcp.leases"
    dhcp_server_start 192.0.2.160,192.0.2.199
    cap_start c dhc d0 dhcp-nak.pcap
    kill -USR1 "$u"                 # udhcpc(8): SIGUSR1 = renew now
    # renew: REQUEST for the old address -> NAK -> DISCOVER ... ACK
    sleep 10; cap_stop $c
    stop $u; rm -f "$LOG/udhcpc.pid"
    dhcp_server_stop
    dhc_reset
}

s_dhcp_dead_gateway() {
    scenario dhcp-dead-gateway.pcap
    # the DHCP server hands out a default gateway (option 3) nobody holds on
    # the link: udhcpc's script installs the route, and the first remote
    # connect makes the kernel ARP for 192.0.2.254 (3 requests, 1 s apart;
    # neigh mcast_solicit 3) and fail with EHOSTUNREACH: no SYN leaves
    dhc_reset
    rm -f "$LOG/dhcp.leases"
    dhcp_server_start 192.0.2.100,192.0.2.149 $DEADGW
    cap_start c dhc d0 dhcp-dead-gateway.pcap
    nsx dhc udhcpc -i d0 -f -q -t 4 -T 3 -s "$LOG/udhcpc.script" 2>&1 | tail -1
    nsx dhc ip -4 route show dev d0
    pyc dhc $SRV 80 --sport 41590 --timeout 10
    sleep 0.5; cap_stop $c
    dhcp_server_stop
    dhc_reset
}

# --- UDP ports --------------------------------------------------------------
s_udp_port_unreachable() {
    scenario udp-port-unreachable.pcap
    cap_start c cli c0 udp-port-unreachable.pcap
    # the public address forwards only TCP 80: the router's kernel answers
    ckpy cli udp-send $PUB 5060 --sport 41560 --count 3 --interval 1.1
    # nothing listens on the server's UDP 5060: the server's kernel answers
    ckpy cli udp-send $SRV 5060 --sport 41561 --count 2 --interval 1.1
    ckpy cli udp-send $SRV6 5060 --sport 41562 --count 2 --interval 1.1
    sleep 0.3; cap_stop $c
}

s_udp_prohibited() {
    scenario udp-prohibited.pcap
    nsx rtr nft add rule inet ckfw fw ip daddr $SRV udp dport 5061 reject with icmp type admin-prohibited
    nsx rtr nft add rule inet ckfw fw ip6 daddr $SRV6 udp dport 5061 reject with icmpv6 type admin-prohibited
    cap_start c cli c0 udp-prohibited.pcap
    ckpy cli udp-send $SRV 5061 --sport 41563 --count 3 --interval 1.1
    ckpy cli udp-send $SRV6 5061 --sport 41564 --count 2 --interval 1.1
    sleep 0.3; cap_stop $c
    nsx rtr nft flush chain inet ckfw fw
}

# --- zero window -----------------------------------------------------------
s_zero_window() {
    scenario zero-window.pcap
    local k
    # the application accepts and never reads; a small receive buffer
    start_py k srv sink "$HERE/checklist.py" sink 9000 --rcvbuf 4096
    cap_start c cli c0 zero-window.pcap
    ckpy cli bulk $SRV 9000 --sport 41570 --chunk 16384 --duration 3
    sleep 0.3; cap_stop $c
    stop $k
}

s_zero_window_late() {
    scenario zero-window-late.pcap
    # false-positive check: a receiver that reads for 4 s (~400 kB at the
    # sender's 100 kB/s) and only then stops; the window closes late
    local k
    start_py k srv sink "$HERE/checklist.py" sink 9001 --read-for 4
    cap_start c cli c0 zero-window-late.pcap -s 128
    ckpy cli bulk $SRV 9001 --sport 41571 --chunk 2000 --every 0.02 --duration 7
    sleep 0.3; cap_stop $c
    stop $k
}

# --- benchmark (not in ALL, not committed) -----------------------------------
s_dns_bulk() {
    # 100 k real lookups against dnsmasq (~20 MB): the issue's benchmark
    # capture. Written to $BULK_OUT (default /tmp), never to checklist/.
    local out=${BULK_OUT:-/tmp} n=${BULK_COUNT:-100000}
    scenario "dns-bulk.pcap ($n lookups, in $out)"
    local saved=$OUT
    OUT=$out
    cap_start c cli c0 dns-bulk.pcap
    ckpy cli dns-bulk $DNS_OK "$n"
    sleep 0.5; cap_stop $c
    OUT=$saved
}

# --- healthy (false positives) ----------------------------------------------
s_healthy() {
    scenario healthy.pcap
    # a host boots on the client link: DHCP (with the server's ping probe
    # of the offered address), DNS (A, AAAA, a CNAME chain), ARP, ping of
    # the server, TCP to the names; nothing here is a failure
    dhc_reset
    rm -f "$LOG/dhcp.leases"
    dhcp_server_start 192.0.2.100,192.0.2.149
    resolv dhc "nameserver $DNS_OK" "options timeout:1 attempts:2"
    cap_start c dhc d0 healthy.pcap
    nsx dhc udhcpc -i d0 -f -q -t 4 -T 3 -s "$LOG/udhcpc.script" 2>&1 | tail -1
    nsx dhc getent ahosts www.example.com | head -2
    nsx dhc ping -c 2 -i 0.3 $SRV | tail -1
    nsx dhc ping -c 1 $GW | tail -1
    pyc dhc www.example.com 80 --sport 41580 --http
    pyc dhc alias.example.com 80 --sport 41581 --http
    sleep 0.5; cap_stop $c
    dhcp_server_stop
    dhc_reset
}

ALL="healthy dns_resolved_dead_host dns_nxdomain dns_servfail dns_refused
     dns_no_address dns_no_answer dns_server_down dns_port_unreachable
     dns_truncated dns_tcp_fallback dns_pending
     arp_unanswered nd_unanswered dead_gateway duplicate_ip duplicate_ipv6
     gratuitous_arp ping_port_filtered ping_unanswered ping6_answered
     dhcp_no_offer dhcp_nak dhcp_dead_gateway udp_port_unreachable udp_prohibited
     zero_window zero_window_late"

mkdir -p "$OUT"
setup
for s in ${@:-$ALL}; do
    s=${s//-/_}
    "s_$s"
done
echo; echo "done: captures in $OUT"
