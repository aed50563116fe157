#!/usr/bin/env bash
# record.sh — records the captures of tests/versions/captures/ with the real
# Linux TCP stack: the cases where Wireshark versions split tcp.stream
# differently (quick reuse of a port pair), so compare.py can check tcpdiag
# gives every attempt the same verdict on 4.0, 4.4 and 4.6.
#
#   tdv-cli c0 192.0.2.10/24 ---- veth ---- tdv-srv s0 198.51.100.10/24
#   (one link, on-link routes; no link to the host network)
#
#   connect-scan.pcap      nmap -sT (Debian's nmap, connect() scan) of 20
#                          ports, 2 open, twice in a row
#   refused-retry.pcap     a client bound to port 40001 connects to a closed
#                          port 5 times in 50 ms (same 4-tuple, new ISN each
#                          time: kernel secure_tcp_seq), then the service
#                          starts and the 6th attempt succeeds
#   mirrored-reuse.pcap    refused-retry's traffic seen twice: tcpdump on
#                          both veth ends, merged (what a SPAN port shows)
#   challenge-ack-reuse.pcap  the client forgets an established connection
#                          (its RST dropped by nft), reuses the 4-tuple: the
#                          server answers with a challenge ACK (RFC 5961 4),
#                          the client's RST clears it, the SYN retry succeeds
#
# Needs root, nmap, tcpdump, nftables, python3. Namespaces removed on exit.
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${OUT:-$here/captures}
py=/usr/bin/python3
[ "$(id -u)" = 0 ] || { echo "record.sh: needs root" >&2; exit 1; }
T=$(mktemp -d /tmp/tdv-record.XXXXXX)
pids=()
cleanup() {
  set +e
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
  ip netns del tdv-cli 2>/dev/null; ip netns del tdv-srv 2>/dev/null
  rm -rf "$T"
}
trap cleanup EXIT
C=192.0.2.10 S=198.51.100.10
ip netns add tdv-cli; ip netns add tdv-srv
ip link add c0 netns tdv-cli type veth peer name s0 netns tdv-srv
ip -n tdv-cli addr add $C/24 dev c0; ip -n tdv-srv addr add $S/24 dev s0
for n in cli srv; do ip -n tdv-$n link set lo up; done
ip -n tdv-cli link set c0 up; ip -n tdv-srv link set s0 up
ip -n tdv-cli route add $S/32 dev c0; ip -n tdv-srv route add $C/32 dev s0
for n in cli srv; do
  ip netns exec tdv-$n ethtool -K ${n:0:1}0 tso off gso off gro off tx off rx off >/dev/null 2>&1 || true
done
sleep 1  # DAD / link up

# A listener on the server: python's socket module, accepting and closing.
serve() { # port...
  ip netns exec tdv-srv "$py" -c '
import socket, sys, threading
def run(p):
    s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("198.51.100.10", p)); s.listen(16)
    while True:
        c, _ = s.accept()
        try:
            c.recv(100)
        except OSError:  # nmap -sT resets what it connected
            pass
        c.close()
for p in sys.argv[1:]:
    threading.Thread(target=run, args=(int(p),), daemon=True).start()
threading.Event().wait()' "$@" &
  pids+=($!); sleep 0.5
}
record() { # name, ns, iface
  ip netns exec "tdv-$2" tcpdump -U --immediate-mode -s 256 -i "$3" -w "$T/$1" tcp >/dev/null 2>&1 &
  pids+=($!); sleep 1
}
stop_rec() { sleep 1; kill "${pids[@]}" 2>/dev/null || true; for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done; pids=(); }

# --- connect scan ------------------------------------------------------------
serve 22 80
record connect-scan.pcap cli c0
for i in 1 2; do
  ip netns exec tdv-cli nmap -n -Pn -sT -p 20-25,80-85,440-447 --max-retries 0 $S >/dev/null
done
stop_rec

# --- refused retries from one source port, then success ----------------------
attempts='
import socket, sys, time
port = int(sys.argv[1])
for i in range(6):
    if i == 5:
        time.sleep(1.0)  # the service is started meanwhile
    s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("192.0.2.10", 40001))
    try:
        s.connect(("198.51.100.10", port)); s.send(b"hello\n"); s.recv(100)
    except OSError:
        pass
    s.close(); time.sleep(0.01)'
record refused-retry.pcap cli c0
ip netns exec tdv-srv tcpdump -U --immediate-mode -s 256 -i s0 -w "$T/srv-side.pcap" tcp >/dev/null 2>&1 &
pids+=($!); sleep 1
ip netns exec tdv-cli "$py" -c "$attempts" 8080 &
cpid=$!
sleep 0.5; serve 8080
wait $cpid || true
stop_rec
mergecap -w "$T/mirrored-reuse.pcap" -F pcap "$T/refused-retry.pcap" "$T/srv-side.pcap"

# --- challenge ACK on a reused 4-tuple -----------------------------------------
serve 9000
record challenge-ack-reuse.pcap cli c0
ip netns exec tdv-cli nft add table inet tdv
ip netns exec tdv-cli nft add chain inet tdv out '{ type filter hook output priority 0; }'
ip netns exec tdv-cli nft add rule inet tdv out 'tcp flags & rst == rst' drop
ip netns exec tdv-cli "$py" -c '
import socket, struct, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("192.0.2.10", 40002)); s.connect(("198.51.100.10", 9000))
# abortive close (SO_LINGER 0): an RST, dropped by nft: the server keeps it
s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)); s.close()'
sleep 0.2
ip netns exec tdv-cli nft delete table inet tdv
ip netns exec tdv-cli "$py" -c '
import socket
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("192.0.2.10", 40002)); s.connect(("198.51.100.10", 9000)); s.send(b"x\n"); s.recv(10); s.close()'
stop_rec

mkdir -p "$out"
for f in connect-scan refused-retry mirrored-reuse challenge-ack-reuse; do
  cp "$T/$f.pcap" "$out/$f.pcap"
  echo "record.sh: $out/$f.pcap ($(tshark -r "$out/$f.pcap" 2>/dev/null | wc -l) packets)"
done
