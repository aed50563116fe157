#!/usr/bin/python3
"""craft.py — writes the CRAFTED sample captures of tcpdiag.

These are situations a real Linux stack in record.sh's namespaces will not
produce on demand (simultaneous open, RFC 792 minimum ICMP quotes, stale
challenge ACKs without recovery, sequence wrap at chosen ISNs, RSTs a
compliant stack ignores, port-mirroring duplicates, out-of-order frames).

Deterministic: fixed ISNs, fixed IP IDs, fixed timestamps (base
2023-11-14 22:13:20 UTC), same addresses and MACs as record.sh, TTLs as seen
on the client's side (client 64, server 63 = one router hop, router 64).
Needs Debian's /usr/bin/python3 with scapy (apt-get install python3-scapy).

Usage: /usr/bin/python3 craft.py [OUTDIR]      (default: this directory)
"""
import os
import sys

from scapy.all import ICMP, IP, TCP, Ether, Raw, conf
from scapy.utils import PcapWriter

conf.verb = 0
OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))

BASE = 1700000000.0
CLI, SRV, RTR = "192.0.2.10", "198.51.100.10", "192.0.2.1"
MAC_CLI, MAC_RTR = "02:00:00:00:00:10", "02:00:00:00:01:01"
M32 = 0xFFFFFFFF
SYN_OPTS = [("MSS", 1460), ("SAckOK", b""), ("NOP", None), ("WScale", 7)]


class Capture:
    """Frames in file order; each carries its own timestamp."""

    def __init__(self, name):
        self.name = name
        self.frames = []
        self.ipid = {}

    def add(self, t, pkt):
        pkt.time = BASE + t
        self.frames.append(pkt)
        return pkt

    def ip(self, src, dst, ttl, ipid=None):
        if ipid is None:
            ipid = self.ipid.get(src, 0x1000 if src == CLI else 0x5000)
            self.ipid[src] = (ipid + 1) & 0xFFFF
        to_client = dst == CLI
        eth = Ether(src=MAC_RTR if to_client else MAC_CLI,
                    dst=MAC_CLI if to_client else MAC_RTR)
        return eth / IP(src=src, dst=dst, ttl=ttl, id=ipid, flags="DF")

    def tcp(self, t, src, dst, sport, dport, flags, seq, ack=0, data=b"",
            ttl=None, ipid=None, win=None):
        if ttl is None:
            ttl = 64 if src == CLI else 63
        opts = SYN_OPTS if "S" in flags else []
        if win is None:
            win = 64240 if "S" in flags else 502
        p = self.ip(src, dst, ttl, ipid) / TCP(
            sport=sport, dport=dport, flags=flags, seq=seq & M32,
            ack=ack & M32 if "A" in flags else 0, window=win, options=opts)
        if data:
            p = p / Raw(data)
        return self.add(t, p)

    def icmp_unreach(self, t, code, quoted, quote_len):
        """ICMP type 3 from the router quoting the first quote_len bytes of
        the quoted datagram's IP payload (8 = RFC 792 minimum)."""
        q = IP(bytes(quoted[IP]))          # as the router received it:
        q.ttl -= 1                         # already decremented once
        del q.chksum
        q = IP(bytes(q))
        raw = bytes(q)[: q.ihl * 4 + quote_len]
        p = self.ip(RTR, CLI, 64, ipid=0) / ICMP(type=3, code=code) / Raw(raw)
        return self.add(t, p)

    def write(self):
        path = os.path.join(OUT, self.name)
        w = PcapWriter(path, linktype=1, sync=True)
        for p in self.frames:
            w.write(p)
        w.close()
        print("wrote %s (%d frames)" % (path, len(self.frames)))


def exchange(c, t, cport, sport, cseq, sseq, req, resp, srv=SRV):
    """Data after an established handshake: client request, server ack +
    response, client ack, server FIN first, client FIN, last ACK.
    cseq/sseq are the next sequence numbers. Returns the end time."""
    c.tcp(t, CLI, srv, cport, sport, "PA", cseq, sseq, req)
    cseq += len(req)
    c.tcp(t + 0.000040, srv, CLI, sport, cport, "A", sseq, cseq)
    c.tcp(t + 0.000300, srv, CLI, sport, cport, "PA", sseq, cseq, resp)
    sseq += len(resp)
    c.tcp(t + 0.000330, CLI, srv, cport, sport, "A", cseq, sseq)
    c.tcp(t + 0.000400, srv, CLI, sport, cport, "FA", sseq, cseq)
    c.tcp(t + 0.000460, CLI, srv, cport, sport, "FA", cseq, sseq + 1)
    c.tcp(t + 0.000500, srv, CLI, sport, cport, "A", sseq + 1, cseq + 1)
    return t + 0.0005


REQ = b"GET / HTTP/1.0\r\nHost: 198.51.100.10\r\n\r\n"
RESP = (b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 25"
        b"\r\n\r\nhello from 198.51.100.10\n")


def simultaneous_open():
    # Two peers (e.g. NAT hole punching) connect to each other at the same
    # moment, 41200 <-> 41201. RFC 9293 §3.5 figure 8: SYNs cross, each side
    # answers with SYN,ACK, both are ESTABLISHED. Capture on 192.0.2.10.
    c = Capture("crafted-simultaneous-open.pcap")
    a, b = 0x1A2B3C4D, 0x5E6F7081
    pa, pb = 41200, 41201
    c.tcp(0.000000, CLI, SRV, pa, pb, "S", a)
    c.tcp(0.000080, SRV, CLI, pb, pa, "S", b)          # crossing SYN
    c.tcp(0.000100, CLI, SRV, pa, pb, "SA", a, b + 1)
    c.tcp(0.000180, SRV, CLI, pb, pa, "SA", b, a + 1)
    msg = b"hello peer\n"
    c.tcp(0.010000, CLI, SRV, pa, pb, "PA", a + 1, b + 1, msg)
    c.tcp(0.010200, SRV, CLI, pb, pa, "PA", b + 1, a + 1 + len(msg), msg)
    c.tcp(0.010220, CLI, SRV, pa, pb, "A", a + 1 + len(msg), b + 1 + len(msg))
    c.tcp(0.020000, CLI, SRV, pa, pb, "FA", a + 1 + len(msg), b + 1 + len(msg))
    c.tcp(0.020200, SRV, CLI, pb, pa, "FA", b + 1 + len(msg), a + 2 + len(msg))
    c.tcp(0.020220, CLI, SRV, pa, pb, "A", a + 2 + len(msg), b + 2 + len(msg))
    c.write()


def icmp_8byte_quote():
    c = Capture("crafted-icmp-8byte-quote.pcap")
    # connection 1: SYN, then the router's "communication administratively
    # prohibited" (type 3 code 13) quoting IP header + 8 bytes of TCP only.
    syn = c.tcp(0.000000, CLI, SRV, 41210, 8080, "S", 0x0BADF00D)
    c.icmp_unreach(0.000350, 13, syn, 8)
    # connection 2: the SYN itself is NOT in the capture (e.g. it left via
    # another interface / before the capture started); only the router's
    # host unreachable (type 3 code 1) quoting it proves it was sent.
    ghost = (Ether(src=MAC_CLI, dst=MAC_RTR)
             / IP(src=CLI, dst=SRV, ttl=64, id=0x2000, flags="DF")
             / TCP(sport=41211, dport=8080, flags="S", seq=0x0C0FFEE0,
                   window=64240, options=SYN_OPTS))
    c.icmp_unreach(0.500000, 1, ghost, 8)
    c.write()


def stale_challenge_ack():
    # The server still holds an old connection on this 4-tuple: it answers
    # the new SYN with a challenge ACK (RFC 5961 §4) acknowledging the OLD
    # data, not ISN+1. The client RSTs it (seq = that ack number, no ACK
    # flag) — and then the capture shows nothing more: no handshake.
    c = Capture("crafted-stale-challenge-ack.pcap")
    isn, old_rcv_nxt, old_snd_nxt = 0x44332211, 0x90000123, 0x20000777
    c.tcp(0.000000, CLI, SRV, 41220, 8080, "S", isn)
    c.tcp(0.000150, SRV, CLI, 8080, 41220, "A", old_snd_nxt, old_rcv_nxt)
    c.tcp(0.000170, CLI, SRV, 41220, 8080, "R", old_rcv_nxt, ipid=0)
    c.write()


def seq_wrap():
    # Healthy connection whose ISNs sit just below 2^32: every later
    # sequence/ack number wraps past zero.
    c = Capture("crafted-seq-wrap.pcap")
    ci, si = 0xFFFFFFFF, 0xFFFFFFFE
    cp, sp = 41230, 80
    c.tcp(0.000000, CLI, SRV, cp, sp, "S", ci)
    c.tcp(0.000150, SRV, CLI, sp, cp, "SA", si, ci + 1)    # ack = 0
    c.tcp(0.000170, CLI, SRV, cp, sp, "A", ci + 1, si + 1)  # seq 0, ack 2^32-1
    exchange(c, 0.000600, cp, sp, ci + 1, si + 1, REQ, RESP)
    c.write()


def rst_invalid():
    c = Capture("crafted-rst-invalid.pcap")
    # connection A: the SYN is answered by a RST WITHOUT the ACK bit. In
    # SYN-SENT such a RST is not acceptable (RFC 9293 §3.10.7.3) and a
    # compliant stack ignores it. Nothing else follows in the capture.
    a = 0x31415926
    c.tcp(0.000000, CLI, SRV, 41240, 8080, "S", a)
    c.tcp(0.000160, SRV, CLI, 8080, 41240, "R", 0, ipid=0)
    # connection B: a RST,ACK whose ack number is not ISN+1 (unacceptable,
    # ignored), then the genuine SYN,ACK, handshake and an exchange.
    b, s = 0x27182818, 0x16180339
    c.tcp(1.000000, CLI, SRV, 41241, 80, "S", b)
    c.tcp(1.000120, SRV, CLI, 80, 41241, "RA", 0, b + 1000, ipid=0)
    c.tcp(1.000200, SRV, CLI, 80, 41241, "SA", s, b + 1)
    c.tcp(1.000220, CLI, SRV, 41241, 80, "A", b + 1, s + 1)
    exchange(c, 1.000700, 41241, 80, b + 1, s + 1, REQ, RESP)
    c.write()


def dup_syn():
    c = Capture("crafted-dup-syn.pcap")
    # connection 1: a port-mirroring duplicate — the very same SYN (same IP
    # ID, same bytes) twice, 2 ms apart; then SYN,ACK and ACK. Not a
    # retransmission (a real one would come ~1 s later).
    x, y = 0x600DCAFE, 0x0DDBA11
    syn = c.tcp(0.000000, CLI, SRV, 41250, 80, "S", x)
    dup = syn.copy()
    c.add(0.002000, dup)
    c.tcp(0.002150, SRV, CLI, 80, 41250, "SA", y, x + 1)
    c.tcp(0.002170, CLI, SRV, 41250, 80, "A", x + 1, y + 1)
    exchange(c, 0.002600, 41250, 80, x + 1, y + 1, REQ, RESP)
    # connection 2: frame order differs from event order. The SYN,ACK is the
    # first frame in the file; the SYN's timestamp is 50 us EARLIER but it
    # was written after it (e.g. merged from two capture points).
    u, v = 0x7E57AB1E, 0x5CA1AB1E
    t = 1.000000
    syn2 = c.tcp(t, CLI, SRV, 41251, 80, "S", u)
    synack2 = c.tcp(t + 0.000050, SRV, CLI, 80, 41251, "SA", v, u + 1)
    c.frames[-2:] = [synack2, syn2]                 # file order swapped
    c.tcp(t + 0.000070, CLI, SRV, 41251, 80, "A", u + 1, v + 1)
    exchange(c, t + 0.000500, 41251, 80, u + 1, v + 1, REQ, RESP)
    c.write()


def unrelated_segments():
    # Issue 13: segments that share the 4-tuple but answer no SYN. An
    # anonymiser (or NAT) re-addressed another flow's packets onto this
    # port pair; no kernel produces this on demand.
    c = Capture("crafted-unrelated-segments.pcap")
    # connection 1: SYNs at 0, +1, +3, +7 s (Linux backoff) get nothing;
    # 28 s after the last one, FIN/ACKs from the "server" whose numbers fit
    # no SYN of this connection, retransmitted with doubling RTO. They are
    # not challenge ACKs (a FIN, and far too late): no answer at all.
    a = 0x4B1D0000
    for t in (0.0, 1.0, 3.0, 7.0):
        c.tcp(t, CLI, SRV, 41260, 8080, "S", a)
    for t in (35.0, 35.2, 35.6, 36.4):
        c.tcp(t, SRV, CLI, 8080, 41260, "FA", 0x5A5A0001, 0x3C3C0457, ipid=0x7000)
    # connection 2: SYNs at 40, +1 s; a bare ACK with foreign numbers 6 s
    # after the last SYN. A challenge ACK (RFC 5961) comes one round trip
    # after the SYN it answers, before the next retry (here at most 3 s).
    b = 0x4B1E0000
    c.tcp(40.0, CLI, SRV, 41261, 8080, "S", b)
    c.tcp(41.0, CLI, SRV, 41261, 8080, "S", b)
    c.tcp(47.0, SRV, CLI, 8080, 41261, "A", 0x6E6E0001, 0x2D2D0001, ipid=0x7100)
    c.tcp(48.5, CLI, SRV, 41262, 9999, "S", 0x4B1F0000)
    c.tcp(48.50015, SRV, CLI, 9999, 41262, "RA", 0, 0x4B1F0001, ipid=0)
    # connection 4: the same from the connecting side: SYNs at 50, +1 s,
    # then FIN/ACKs whose sequence number does not follow the SYN. They
    # prove no handshake (a missed SYN/ACK would be followed by seq ISN+1).
    d = 0x4B200000
    c.tcp(50.0, CLI, SRV, 41263, 8080, "S", d)
    c.tcp(51.0, CLI, SRV, 41263, 8080, "S", d)
    for t in (60.0, 60.3):
        c.tcp(t, CLI, SRV, 41263, 8080, "FA", 0x9A9A0001, 0x1B1B0001, ipid=0x7200)
    c.write()


def reordered_handshake():
    # Issue 13: handshakes written out of order within microseconds (a
    # capture on several queues, port mirroring of both directions).
    c = Capture("crafted-reordered-handshake.pcap")
    # connection 1 (SSH, the server speaks first): ACK, SYN/ACK, SYN, each
    # 1 us after the previous in the file; then the banner and its ACK.
    x, y = 0x11223344, 0x55667788
    c.tcp(0.000000, CLI, SRV, 41270, 22, "A", x + 1, y + 1)
    c.tcp(0.000001, SRV, CLI, 22, 41270, "SA", y, x + 1)
    c.tcp(0.000002, CLI, SRV, 41270, 22, "S", x)
    banner = b"SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n"
    c.tcp(0.004000, SRV, CLI, 22, 41270, "PA", y + 1, x + 1, banner)
    c.tcp(0.004040, CLI, SRV, 41270, 22, "A", x + 1, y + 1 + len(banner))
    # connection 2: SYN, then the client's ACK written 3 us before the
    # SYN/ACK it acknowledges; then a GET/200 exchange.
    u, v = 0x2468ACE0, 0x13579BDF
    c.tcp(1.000000, CLI, SRV, 41271, 80, "S", u)
    c.tcp(1.000150, CLI, SRV, 41271, 80, "A", u + 1, v + 1)
    c.tcp(1.000153, SRV, CLI, 80, 41271, "SA", v, u + 1)
    exchange(c, 1.000600, 41271, 80, u + 1, v + 1, REQ, RESP)
    c.write()


if __name__ == "__main__":
    simultaneous_open()
    icmp_8byte_quote()
    stale_challenge_ack()
    seq_wrap()
    rst_invalid()
    dup_syn()
    unrelated_segments()
    reordered_handshake()
