#!/usr/bin/python3
"""gen_hostile.py — write the hostile and odd captures of this folder.

Deterministic: fixed addresses, ports, sequence numbers and timestamps, and
our own pcap/pcapng writer (no tool-version strings in the files), so running
it again rewrites identical bytes. Packets are built with scapy (Debian's
python3-scapy; the /usr/bin/python3 of Debian 12 has it):

    apt-get install python3-scapy
    /usr/bin/python3 tests/captures/hostile/gen_hostile.py [OUT_DIR]

Each capture's connections and their expected verdicts, with the reason,
are in expected.tsv beside this file (checked by tests/robustness/
check_hostile.py). Addresses are from the documentation ranges: clients
192.0.2.0/24 and 2001:db8:1::/48, servers 198.51.100.0/24 and
2001:db8:2::/48, routers 203.0.113.0/24.

SPDX-License-Identifier: GPL-2.0-or-later
"""
import os
import struct
import sys

try:
    from scapy.layers.inet import GRE, ICMP, IP, TCP, UDP, IPerror, TCPerror, UDPerror
    from scapy.layers.inet6 import (ICMPv6DestUnreach, IPv6, IPv6ExtHdrDestOpt,
                                    IPv6ExtHdrFragment, IPv6ExtHdrHopByHop,
                                    IPv6ExtHdrRouting, IPv6ExtHdrSegmentRouting)
    from scapy.layers.l2 import ARP, CookedLinux, Ether
    from scapy.layers.dns import DNS, DNSQR
    from scapy.layers.vxlan import VXLAN
    from scapy.packet import Raw
except ImportError:
    sys.exit("gen_hostile.py needs scapy: apt-get install python3-scapy, "
             "and run it with /usr/bin/python3")

T0 = 1700000000 * 1000000          # capture start, microseconds
CLI4, SRV4, RTR4 = "192.0.2.10", "198.51.100.20", "203.0.113.1"
CLI6, SRV6 = "2001:db8:1::10", "2001:db8:2::20"
MAC_C, MAC_S = "02:00:00:00:00:01", "02:00:00:00:00:02"

LINKTYPE_ETHERNET, LINKTYPE_RAW, LINKTYPE_LINUX_SLL = 1, 101, 113


# ---- writers -------------------------------------------------------------

class Rec:
    """One packet: time in µs after T0, bytes, captured length (snap)."""

    def __init__(self, t_us, data, caplen=None, iface=0):
        self.t_us, self.data, self.iface = t_us, bytes(data), iface
        self.caplen = len(self.data) if caplen is None else min(caplen, len(self.data))


def write_pcap(path, recs, linktype=LINKTYPE_ETHERNET, snaplen=262144):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, snaplen, linktype))
        for r in recs:
            ts = T0 + r.t_us
            f.write(struct.pack("<IIII", ts // 1000000, ts % 1000000, r.caplen, len(r.data)))
            f.write(r.data[:r.caplen])


def pcapng_block(btype, body):
    body += b"\0" * (-len(body) % 4)
    n = 12 + len(body)
    return struct.pack("<II", btype, n) + body + struct.pack("<I", n)


def write_pcapng(path, ifaces, recs, raw_ts=None):
    """ifaces: list of (linktype, snaplen); recs: Rec with iface set.
    raw_ts: optional {index of rec: 64-bit timestamp in µs} to write as is."""
    out = [pcapng_block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1))]
    for lt, snap in ifaces:
        out.append(pcapng_block(0x00000001, struct.pack("<HHI", lt, 0, snap)))
    for i, r in enumerate(recs):
        ts = (raw_ts or {}).get(i, T0 + r.t_us)
        body = struct.pack("<IIIII", r.iface, ts >> 32, ts & 0xffffffff, r.caplen, len(r.data))
        body += r.data[:r.caplen]
        out.append(pcapng_block(0x00000006, body))
    with open(path, "wb") as f:
        f.write(b"".join(out))


# ---- packet helpers ---------------------------------------------------------

def eth(pkt, to_server=True):
    if pkt.haslayer(IPv6) and not pkt.haslayer(IP) or isinstance(pkt, IPv6):
        etype = 0x86dd
    else:
        etype = 0x0800
    src, dst = (MAC_C, MAC_S) if to_server else (MAC_S, MAC_C)
    return Ether(src=src, dst=dst, type=etype) / pkt


class Conn:
    """A TCP connection between a client and a server, for building its
    segments. wrap(ip_packet, to_server) -> link-layer bytes."""

    def __init__(self, sport, dport=80, isn_c=1000, isn_s=5000, v6=False,
                 cli=None, srv=None, wrap=None):
        self.sport, self.dport, self.isn_c, self.isn_s, self.v6 = sport, dport, isn_c, isn_s, v6
        self.cli = cli or (CLI6 if v6 else CLI4)
        self.srv = srv or (SRV6 if v6 else SRV4)
        self.wrap = wrap or (lambda p, to_server: bytes(eth(p, to_server)))

    def ip(self, to_server):
        src, dst = (self.cli, self.srv) if to_server else (self.srv, self.cli)
        return IPv6(src=src, dst=dst, hlim=64) if self.v6 else IP(src=src, dst=dst, ttl=64, id=1)

    def tcp(self, to_server, flags, seq, ack=0, payload=b"", options=None, win=64240):
        sp, dp = (self.sport, self.dport) if to_server else (self.dport, self.sport)
        t = TCP(sport=sp, dport=dp, flags=flags, seq=seq & 0xffffffff, ack=ack & 0xffffffff,
                window=win, options=options if options is not None else [])
        return t / Raw(payload) if payload else t

    def seg(self, to_server, flags, seq, ack=0, payload=b"", options=None):
        return self.wrap(self.ip(to_server) / self.tcp(to_server, flags, seq, ack, payload,
                                                      options), to_server)

    # The usual segments.
    def syn(self, options=None, payload=b"", flags="S"):
        return self.seg(True, flags, self.isn_c, 0, payload,
                        options if options is not None else [("MSS", 1460), ("SAckOK", b"")])

    def synack(self, ack_delta=1, options=None):
        return self.seg(False, "SA", self.isn_s, self.isn_c + ack_delta, b"",
                        options if options is not None else [("MSS", 1460), ("SAckOK", b"")])

    def ack(self, seq_delta=1, ack_delta=1, payload=b"", flags="A"):
        return self.seg(True, flags, self.isn_c + seq_delta, self.isn_s + ack_delta, payload)

    def sack(self, seq_delta=1, ack_delta=1, payload=b"", flags="A"):
        """A segment from the server."""
        return self.seg(False, flags, self.isn_s + seq_delta, self.isn_c + ack_delta, payload)

    def handshake(self, t, rtt=2000):
        return [Rec(t, self.syn()), Rec(t + rtt, self.synack()), Rec(t + rtt + 100, self.ack())]

    def exchange(self, t, rtt=2000, req=b"GET / HTTP/1.0\r\n\r\n", resp=b"HTTP/1.0 204 No Content\r\n\r\n"):
        """Handshake, request, response, both acknowledged."""
        r = self.handshake(t, rtt)
        t += rtt + 200
        r.append(Rec(t, self.ack(payload=req, flags="PA")))
        t += rtt
        r.append(Rec(t, self.sack(ack_delta=1 + len(req), payload=resp, flags="PA")))
        r.append(Rec(t + 100, self.ack(seq_delta=1 + len(req), ack_delta=1 + len(resp))))
        return r


def icmp4_unreach(conn, quoted_ip_bytes, code=3, reporter=None, t_wrap=None):
    """ICMPv4 destination unreachable to the client quoting raw bytes."""
    src = reporter or conn.srv
    p = IP(src=src, dst=conn.cli, ttl=64, id=2) / ICMP(type=3, code=code) / Raw(quoted_ip_bytes)
    return bytes(eth(p, False))


def later(recs, t_end):
    """A final unrelated packet (an ARP) so the capture ends at t_end."""
    return recs + [Rec(t_end, bytes(Ether(src=MAC_C, dst="ff:ff:ff:ff:ff:ff") /
                                    ARP(psrc=CLI4, pdst="192.0.2.1")))]


# ---- the captures -------------------------------------------------------------

def snaplen_cut():
    """TCP headers cut by the snap length (pcap caplen < len)."""
    r = []
    # stream 0: every packet cut after the ports and sequence number
    # (14 + 20 + 8 bytes): no flags, nothing to judge.
    a = Conn(40000)
    r += [Rec(0, a.syn(), 42), Rec(2000, a.synack(), 42), Rec(2100, a.ack(), 42)]
    # stream 1: cut right after the flags byte (14 + 20 + 14): judged.
    b = Conn(40001)
    r += [Rec(10000, b.syn(), 48), Rec(12000, b.synack(), 48), Rec(12100, b.ack(), 48)]
    # stream 2: the SYN's options cut in the middle, rest whole.
    c = Conn(40002)
    r += [Rec(20000, c.syn(options=[("MSS", 1460), ("SAckOK", b""), ("Timestamp", (1, 0)),
                                    ("NOP", None), ("WScale", 7)]), 14 + 20 + 27),
          Rec(22000, c.synack()), Rec(22100, c.ack())]
    # stream 3: only the SYN whole; SYN/ACK cut before its flags, ACK whole.
    d = Conn(40003)
    r += [Rec(30000, d.syn()), Rec(32000, d.synack(), 14 + 20 + 10), Rec(32100, d.ack())]
    # stream 4: a SYN cut inside the IP header (14 + 12): no TCP at all.
    e = Conn(40004)
    r += [Rec(40000, e.syn(), 26)]
    return "snaplen_cut.pcap", later(r, 3000000), LINKTYPE_ETHERNET, 48


def syn_options():
    """SYNs without options, with malformed and zero-length options."""
    r = []
    opts = [
        [],                                                    # 0: no options
        [("MSS", 1460), (8, b"\x00")],                         # 1: timestamps option 3 bytes long
        [(2, b"")],                                            # 2: MSS with length 2
        [("NOP", None), ("NOP", None), ("EOL", None), (99, b"\xff" * 5)],  # 3: unknown kind after EOL
    ]
    for i, o in enumerate(opts):
        c = Conn(41000 + i)
        r += [Rec(i * 10000, c.syn(options=o)), Rec(i * 10000 + 2000, c.synack()),
              Rec(i * 10000 + 2100, c.ack())]
    # 4: an option whose length byte is 0 and 5: one longer than the header
    # (raw bytes: scapy would fix the lengths).
    for i, raw in ((4, b"\x02\x00\x05\xb4"), (5, b"\x02\x28\x05\xb4")):
        c = Conn(41000 + i)
        syn = IP(src=CLI4, dst=SRV4, ttl=64, id=1) / TCP(sport=c.sport, dport=80, flags="S",
                                                        seq=c.isn_c, dataofs=6) / Raw(raw)
        r += [Rec(i * 10000, bytes(eth(syn))), Rec(i * 10000 + 2000, c.synack()),
              Rec(i * 10000 + 2100, c.ack())]
    # 6: a data offset beyond the segment (doff 15, 20 bytes present).
    c = Conn(41006)
    syn = IP(src=CLI4, dst=SRV4, ttl=64, id=1) / TCP(sport=c.sport, dport=80, flags="S",
                                                    seq=c.isn_c, dataofs=15)
    r += [Rec(60000, bytes(eth(syn)))]
    # 7: data offset below the minimum (doff 2).
    c = Conn(41007)
    syn = IP(src=CLI4, dst=SRV4, ttl=64, id=1) / TCP(sport=c.sport, dport=80, flags="S",
                                                    seq=c.isn_c, dataofs=2)
    r += [Rec(70000, bytes(eth(syn)))]
    r.sort(key=lambda x: x.t_us)
    return "syn_options.pcap", later(r, 3000000)


def illegal_flags():
    """SYN+FIN, SYN+RST, Xmas, null and other mixes."""
    r = []
    mixes = ["SF", "SR", "SRF", "FSRPAUEC", "", "FPU", "SRA", "SFA"]
    for i, fl in enumerate(mixes):
        c = Conn(42000 + i)
        r.append(Rec(i * 10000, c.seg(True, fl, c.isn_c)))
    # 8: a proper SYN whose SYN/ACK also has FIN set, then an ACK.
    c = Conn(42008)
    r += [Rec(80000, c.syn()), Rec(82000, c.seg(False, "SAF", c.isn_s, c.isn_c + 1)),
          Rec(82100, c.ack())]
    # 9: a proper handshake, then SYN+RST from the client.
    c = Conn(42009)
    r += c.handshake(90000) + [Rec(95000, c.seg(True, "SR", c.isn_c + 1))]
    return "illegal_flags.pcap", later(r, 3000000)


def syn_payload():
    """SYN carrying data (TCP Fast Open), RST carrying data."""
    r = []
    a = Conn(43000)                 # 0: TFO data acknowledged in the SYN/ACK
    r += [Rec(0, a.syn(payload=b"GET / HTTP/1.0\r\n\r\n")), Rec(2000, a.synack(ack_delta=19)),
          Rec(2100, a.ack(seq_delta=19))]
    b = Conn(43001)                 # 1: TFO data not accepted: SYN/ACK acks the SYN only
    r += [Rec(10000, b.syn(payload=b"x" * 100)), Rec(12000, b.synack()), Rec(12100, b.ack())]
    c = Conn(43002)                 # 2: SYN/ACK acknowledging more than was sent
    r += [Rec(20000, c.syn(payload=b"abc")), Rec(22000, c.synack(ack_delta=500))]
    d = Conn(43003)                 # 3: RST/ACK with a diagnostic payload (RFC 9293 §3.5.3)
    r += [Rec(30000, d.syn()), Rec(31000, d.sack(seq_delta=0, flags="RA",
                                               payload=b"connection refused by policy"))]
    e = Conn(43004)                 # 4: handshake, then a RST with payload
    r += e.handshake(40000) + [Rec(45000, e.sack(flags="R", payload=b"bye"))]
    f = Conn(43005)                 # 5: a SYN with 1400 bytes of data, never answered
    r += [Rec(50000, f.syn(payload=bytes(range(256)) * 5 + b"z" * 120))]
    return "syn_with_payload.pcap", later(r, 3000000)


def seq_wrap():
    """Sequence and acknowledgement numbers wrapping past 2^32."""
    r = []
    a = Conn(44000, isn_c=0xffffffff, isn_s=0xfffffffe)     # 0: both ISNs at the edge
    r += a.exchange(0)
    b = Conn(44001, isn_c=0xfffffff0, isn_s=0x7fffffff)     # 1: data crosses 2^32
    r += b.exchange(10000, req=b"q" * 64, resp=b"r" * 64)
    c = Conn(44002, isn_c=0xffffffff, isn_s=0x10)           # 2: refused, RST acks 0
    r += [Rec(20000, c.syn()), Rec(21000, c.seg(False, "RA", 0, 0))]
    d = Conn(44003, isn_c=0xffffffff, isn_s=0x10)           # 3: RST acking 2^32 (wrong)
    r += [Rec(30000, d.syn()), Rec(31000, d.seg(False, "RA", 0, 0xffffffff))]
    return "seq_wrap.pcap", later(r, 3000000)


def dup_reorder():
    """Duplicate and out-of-order handshake packets."""
    r = []
    a = Conn(45000)                 # 0: SYN captured twice 50 µs apart
    r += [Rec(0, a.syn()), Rec(50, a.syn()), Rec(2000, a.synack()), Rec(2100, a.ack())]
    b = Conn(45001)                 # 1: SYN/ACK written before the SYN
    r += [Rec(10000, b.synack()), Rec(10001, b.syn()), Rec(10100, b.ack())]
    c = Conn(45002)                 # 2: ACK written before the SYN/ACK
    r += [Rec(20000, c.syn()), Rec(22000, c.ack()), Rec(22001, c.synack())]
    d = Conn(45003)                 # 3: everything twice (SPAN of both directions)
    for x in d.handshake(30000):
        r += [x, Rec(x.t_us + 20, x.data)]
    e = Conn(45004)                 # 4: SYN/ACK twice, ACK twice, reversed
    r += [Rec(40000, e.syn()), Rec(42000, e.synack()), Rec(42001, e.synack()),
          Rec(42100, e.ack()), Rec(42101, e.ack())]
    f = Conn(45005)                 # 5: ACK first, then SYN/ACK, then SYN
    r += [Rec(50000, f.ack()), Rec(50001, f.synack()), Rec(50002, f.syn())]
    g = Conn(45006)                 # 6: SYN retransmitted at +1 s, then answered
    r += [Rec(60000, g.syn()), Rec(1060000, g.syn()), Rec(1062000, g.synack()),
          Rec(1062100, g.ack())]
    r.sort(key=lambda x: x.t_us)
    return "dup_reorder.pcap", later(r, 3000000)


def icmp_quotes():
    """ICMP errors quoting 8 bytes, non-SYN segments, unseen connections."""
    r = []
    a = Conn(46000)                 # 0: SYN, ICMP quoting IP + 8 bytes of it
    syn_ip = a.ip(True) / a.tcp(True, "S", a.isn_c, options=[("MSS", 1460)])
    r += [Rec(0, a.syn(options=[("MSS", 1460)])),
          Rec(1000, icmp4_unreach(a, bytes(syn_ip)[:28], code=3))]
    b = Conn(46001)                 # 1: established; ICMP quoting a data segment
    r += b.exchange(10000)
    data_ip = b.ip(True) / b.tcp(True, "PA", b.isn_c + 1, b.isn_s + 1, b"GET / HTTP/1.0\r\n\r\n")
    r += [Rec(16000, icmp4_unreach(b, bytes(data_ip), code=1, reporter=RTR4))]
    c = Conn(46002)                 # -: never-seen SYN quoted whole (router)
    r += [Rec(20000, icmp4_unreach(c, bytes(c.ip(True) / c.tcp(True, "S", 777)), code=13,
                                   reporter=RTR4))]
    d = Conn(46003, srv="198.51.100.21")   # -: never-seen connection, 8-byte quote
    r += [Rec(30000, icmp4_unreach(d, bytes(d.ip(True) / d.tcp(True, "S", 888))[:28], code=3))]
    e = Conn(46004)                 # 2: SYN, ICMP time exceeded, no answer
    q = bytes(e.ip(True) / e.tcp(True, "S", e.isn_c))
    r += [Rec(40000, e.syn(options=[])),
          Rec(41000, bytes(eth(IP(src=RTR4, dst=CLI4, id=2) / ICMP(type=11, code=0) / Raw(q),
                               False)))]
    f = Conn(46005)                 # 3: SYN, ICMP quoting only 4 bytes of TCP (too short)
    r += [Rec(50000, f.syn(options=[])),
          Rec(51000, icmp4_unreach(f, bytes(f.ip(True) / f.tcp(True, "S", f.isn_c))[:24]))]
    g = Conn(46006, v6=True)        # 4: IPv6 SYN, ICMPv6 port unreachable quoting it
    q6 = bytes(g.ip(True) / g.tcp(True, "S", g.isn_c))
    r += [Rec(60000, g.syn(options=[])),
          Rec(61000, bytes(eth(IPv6(src=SRV6, dst=CLI6) / ICMPv6DestUnreach(code=4) / Raw(q6),
                               False)))]
    h = Conn(46007)                 # 5: SYN, ICMP quoting the SYN/ACK direction
    q = bytes(h.ip(False) / h.tcp(False, "SA", h.isn_s, h.isn_c + 1))
    r += [Rec(70000, h.syn(options=[])),
          Rec(71000, bytes(eth(IP(src=RTR4, dst=SRV4, id=2) / ICMP(type=3, code=1) / Raw(q),
                               True)))]
    i = Conn(46008)                 # 6: SYN, ICMP unreachable with a wrong seq quoted
    q = bytes(i.ip(True) / i.tcp(True, "S", i.isn_c + 99))
    r += [Rec(80000, i.syn(options=[])), Rec(81000, icmp4_unreach(i, q, code=3))]
    return "icmp_quotes.pcap", later(r, 3000000)


def ipv6_ext_headers():
    """IPv6 extension headers before TCP."""
    r = []
    chains = [
        lambda: IPv6ExtHdrHopByHop(),                                     # 0
        lambda: IPv6ExtHdrDestOpt(),                                      # 1
        lambda: IPv6ExtHdrRouting(type=0, segleft=0, addresses=["2001:db8:3::1"]),  # 2
        lambda: IPv6ExtHdrFragment(offset=0, m=0, id=7),                  # 3 atomic fragment
        lambda: IPv6ExtHdrHopByHop() / IPv6ExtHdrDestOpt() / IPv6ExtHdrRouting(
            type=0, segleft=0, addresses=["2001:db8:3::1"]) / IPv6ExtHdrFragment(
                offset=0, m=0, id=8) / IPv6ExtHdrDestOpt(),                # 4 all of them
        lambda: IPv6ExtHdrSegmentRouting(addresses=["2001:db8:3::1"], segleft=0),  # 5 SRH
    ]
    for n, mk in enumerate(chains):
        def wrap(p, to_server, mk=mk):
            ip6 = p.getlayer(IPv6)
            inner = ip6.payload
            ip6.remove_payload()
            return bytes(eth(ip6 / mk() / inner, to_server))
        c = Conn(47000 + n, v6=True, wrap=wrap)
        r += c.exchange(n * 10000)
    # 6: a SYN in two IPv6 fragments (reassembled by Wireshark).
    c = Conn(47006, v6=True)
    syn = bytes(c.tcp(True, "S", c.isn_c, options=[("MSS", 1440), ("SAckOK", b""),
                                                   ("Timestamp", (5, 0)), ("NOP", None),
                                                   ("WScale", 7)]))
    tcp_bytes = bytes(IPv6(src=CLI6, dst=SRV6) / TCP(syn))[40:]
    frag1 = IPv6(src=CLI6, dst=SRV6, nh=44) / IPv6ExtHdrFragment(nh=6, offset=0, m=1, id=9) / Raw(tcp_bytes[:24])
    frag2 = IPv6(src=CLI6, dst=SRV6, nh=44) / IPv6ExtHdrFragment(nh=6, offset=3, m=0, id=9) / Raw(tcp_bytes[24:])
    r += [Rec(60000, bytes(eth(frag1))), Rec(60010, bytes(eth(frag2))),
          Rec(62000, c.synack()), Rec(62100, c.ack())]
    return "ipv6_ext_headers.pcap", later(r, 3000000)


def ipv6_routing_segleft():
    """A routing header with segments left: in the client's packets ipv6.dst
    is the next hop, not the final destination (the server, last in the
    list), which is what TCP keys its conversation on (pinfo->dst)."""
    def wrap_rh(p, to_server):
        ip6 = p.getlayer(IPv6)
        inner = ip6.payload
        ip6.remove_payload()
        if to_server:
            final = ip6.dst
            ip6.dst = "2001:db8:3::1"
            return bytes(eth(ip6 / IPv6ExtHdrRouting(type=0, segleft=1, addresses=[final]) /
                             inner, True))
        return bytes(eth(ip6 / inner, False))
    c = Conn(47007, v6=True, wrap=wrap_rh)
    return "ipv6_routing_segleft.pcap", later(c.exchange(0), 3000000)


def tunnel(kind):
    """TCP inside GRE, VXLAN, IP-in-IP, 6in4 or 4in6: two IP layers."""
    outer = {"gre": ("10.0.0.1", "10.0.0.2"), "vxlan": ("10.0.1.1", "10.0.1.2"),
             "ipip": ("10.0.2.1", "10.0.2.2"), "6in4": ("10.0.3.1", "10.0.3.2"),
             "4in6": ("2001:db8:f::1", "2001:db8:f::2")}[kind]

    def wrap(p, to_server):
        o_src, o_dst = outer if to_server else outer[::-1]
        if kind == "gre":
            o = IP(src=o_src, dst=o_dst, id=3) / GRE(proto=0x0800) / p
        elif kind == "vxlan":
            o = IP(src=o_src, dst=o_dst, id=3) / UDP(sport=49152, dport=4789) / VXLAN(vni=42) / eth(p, to_server)
        elif kind == "ipip":
            o = IP(src=o_src, dst=o_dst, id=3, proto=4) / p
        elif kind == "6in4":
            o = IP(src=o_src, dst=o_dst, id=3, proto=41) / p
        else:
            o = IPv6(src=o_src, dst=o_dst, nh=4) / p
        return bytes(eth(o, to_server))

    v6 = kind == "6in4"
    r = []
    a = Conn(48000, v6=v6, wrap=wrap)          # 0: established
    r += a.exchange(0)
    b = Conn(48001, v6=v6, wrap=wrap)          # 1: refused
    r += [Rec(10000, b.syn()), Rec(11000, b.seg(False, "RA", 0, b.isn_c + 1))]
    c = Conn(48002, v6=v6, wrap=wrap)          # 2: no answer to 3 SYNs
    r += [Rec(20000, c.syn()), Rec(1020000, c.syn()), Rec(3020000, c.syn())]
    # 3: the same 4-tuple as stream 0 outside the tunnel: a different
    # connection for Wireshark? (inner addresses equal, outer absent)
    d = Conn(48000, v6=v6, isn_c=99000, isn_s=77000)
    r += [Rec(30000, d.syn()), Rec(32000, d.synack()), Rec(32100, d.ack())]
    r.sort(key=lambda x: x.t_us)
    return "tunnel_%s.pcap" % kind, later(r, 4000000)


def icmp_about_tunnel():
    """An ICMPv4 error from the tunnel's far end quoting a 6in4 SYN: the
    quoted connection is IPv6 inside the quoted IPv4."""
    o_src, o_dst = "10.0.3.1", "10.0.3.2"

    def wrap(p, to_server):
        a, b = (o_src, o_dst) if to_server else (o_dst, o_src)
        return bytes(eth(IP(src=a, dst=b, id=3, proto=41) / p, to_server))
    c = Conn(48100, v6=True, wrap=wrap)
    quoted = IP(src=o_src, dst=o_dst, id=3, proto=41) / c.ip(True) / c.tcp(True, "S", c.isn_c)
    icmp = IP(src=o_dst, dst=o_src, id=4) / ICMP(type=3, code=1) / Raw(bytes(quoted))
    r = [Rec(0, c.syn(options=[])), Rec(1000, bytes(eth(icmp, False)))]
    return "icmp_about_6in4.pcap", later(r, 3000000)


def no_tcp():
    """No TCP at all: ARP, DNS over UDP, ICMP echo, ICMP quoting UDP."""
    r = [Rec(0, bytes(Ether(src=MAC_C, dst="ff:ff:ff:ff:ff:ff") / ARP(psrc=CLI4, pdst=SRV4))),
         Rec(1000, bytes(eth(IP(src=CLI4, dst=SRV4) / UDP(sport=5353, dport=53) /
                             DNS(rd=1, qd=DNSQR(qname="example.com"))))),
         Rec(2000, bytes(eth(IP(src=CLI4, dst=SRV4) / ICMP(type=8, id=1, seq=1) / Raw(b"ping")))),
         Rec(3000, bytes(eth(IP(src=SRV4, dst=CLI4) / ICMP(type=3, code=3) /
                             Raw(bytes(IP(src=CLI4, dst=SRV4) / UDP(sport=5353, dport=53) /
                                       Raw(b"\0" * 12))), False))),
         # An IPv4 packet claiming protocol 6 whose payload is 3 bytes.
         Rec(4000, bytes(eth(IP(src=CLI4, dst=SRV4, proto=6) / Raw(b"\x01\x02\x03"))))]
    return "no_tcp.pcap", r


def checklist_malformed():
    """Malformed DNS, ARP, ND and DHCP for the checklist evidence (issue #11),
    and an ARP sweep: 64 addresses, 3 unanswered requests each, from one host
    (a scanner or a router refreshing its table: by design, no storm)."""
    def dns(payload, to_server=True):
        sp, dp = (40000, 53) if to_server else (53, 40000)
        src, dst = (CLI4, SRV4) if to_server else (SRV4, CLI4)
        return bytes(eth(IP(src=src, dst=dst) / UDP(sport=sp, dport=dp) / Raw(payload), to_server))
    hdr = lambda fl, qd, an: struct.pack("!HHHHHH", 7, fl, qd, an, 0, 0)
    q = b"\x01a\x07example\x00\x00\x01\x00\x01"
    r = [Rec(0, dns(hdr(0x0100, 1, 0) + q)),
         # answer owner pointing at itself (compression loop)
         Rec(1000, dns(hdr(0x8180, 1, 1) + q + b"\xc0\x1b\x00\x01\x00\x01\0\0\0\x3c\x00\x04\1\2\3\4", False)),
         # question name pointing at itself
         Rec(2000, dns(hdr(0x0100, 1, 0) + b"\xc0\x0c\x00\x01\x00\x01")),
         # rdlength past the end, ANCOUNT 65535
         Rec(3000, dns(hdr(0x8180, 1, 65535) + q + b"\xc0\x0c\x00\x01\x00\x01\0\0\0\x3c\xff\xff", False)),
         # a 320-byte name (labels of 63)
         Rec(4000, dns(hdr(0x0100, 1, 0) + (b"\x3f" + b"x" * 63) * 5 + b"\x00\x00\x01\x00\x01")),
         # header only
         Rec(5000, dns(hdr(0x8183, 1, 0)[:11], False)),
         # ARP: truncated, and with hardware length 16
         Rec(6000, bytes(Ether(src=MAC_C, dst="ff:ff:ff:ff:ff:ff", type=0x0806) / Raw(b"\x00\x01\x08\x00\x06\x04\x00\x01"))),
         Rec(7000, bytes(Ether(src=MAC_C, dst="ff:ff:ff:ff:ff:ff", type=0x0806) /
                         Raw(b"\x00\x01\x08\x00\x10\x04\x00\x02" + b"\x02" * 40)))]
    # ND: an NA whose option has length 0 (RFC 4861 4.6: invalid)
    na = bytes([136, 0, 0, 0, 0x60, 0, 0, 0]) + bytes(16) + bytes([2, 0, 0, 0, 0, 0, 0, 0])
    r.append(Rec(8000, bytes(eth(IPv6(src=SRV6, dst=CLI6, nh=58, hlim=255) / Raw(na), False))))
    # DHCP: option 53 whose length runs past the end; no end option; no cookie
    bootp = bytearray(240)
    bootp[0:3] = b"\x01\x01\x06"
    bootp[28:34] = bytes.fromhex("020000000001")
    bootp[236:240] = b"\x63\x82\x53\x63"
    for i, opts in enumerate([b"\x35\xff\x01", b"\x35\x01\x01" + b"\x00" * 20, b""]):
        body = bytes(bootp) + opts
        if i == 2:
            body = body[:236] + b"\0\0\0\0"
        r.append(Rec(9000 + 1000 * i, bytes(Ether(src=MAC_C, dst="ff:ff:ff:ff:ff:ff") /
                                            IP(src="0.0.0.0", dst="255.255.255.255") /
                                            UDP(sport=68, dport=67) / Raw(body))))
    # the ARP sweep
    t = 20000
    for k in range(3):
        for h in range(64):
            r.append(Rec(t, bytes(Ether(src=MAC_S, dst="ff:ff:ff:ff:ff:ff") /
                                  ARP(hwsrc=MAC_S, psrc="192.0.2.1", pdst="192.0.2.%d" % (100 + h)))))
            t += 1000
        t += 1000000
    return "checklist_malformed.pcap", r


def multi_iface():
    """pcapng with Ethernet, Linux cooked (SLL) and raw IP interfaces."""
    def on(kind):
        def wrap(p, to_server):
            if kind == "eth":
                return bytes(eth(p, to_server))
            if kind == "sll":
                return bytes(CookedLinux(pkttype=4 if to_server else 0, lladdrtype=1,
                                         lladdrlen=6, src=b"\x02\0\0\0\0\x01\0\0",
                                         proto=0x86dd if p.haslayer(IPv6) else 0x0800) / p)
            return bytes(p)
        return wrap
    iface = {"eth": 0, "sll": 1, "raw": 2}
    recs = []

    def add(t, kind, data):
        recs.append(Rec(t, data, iface=iface[kind]))
    # 0: SYN on Ethernet, SYN/ACK on SLL, ACK on raw IP.
    add(0, "eth", Conn(49000, wrap=on("eth")).syn())
    add(2000, "sll", Conn(49000, wrap=on("sll")).synack())
    add(2100, "raw", Conn(49000, wrap=on("raw")).ack())
    # 1: the same SYN seen on all three interfaces, then answered.
    for k, dt in (("eth", 0), ("sll", 30), ("raw", 60)):
        add(10000 + dt, k, Conn(49001, wrap=on(k)).syn())
    add(12000, "eth", Conn(49001, wrap=on("eth")).synack())
    add(12100, "eth", Conn(49001, wrap=on("eth")).ack())
    # 2: IPv6 on raw IP, refused.
    c = Conn(49002, v6=True, wrap=on("raw"))
    add(20000, "raw", c.syn())
    add(21000, "raw", c.seg(False, "RA", 0, c.isn_c + 1))
    # 3: IPv4 on SLL, each packet cut right after the TCP flags
    # (16 + 20 + 14 bytes).
    c = Conn(49003, wrap=on("sll"))
    for x in c.handshake(30000):
        recs.append(Rec(x.t_us, x.data, caplen=50, iface=iface["sll"]))
    recs.sort(key=lambda x: x.t_us)
    return "multi_iface.pcapng", recs, [(LINKTYPE_ETHERNET, 262144),
                                       (LINKTYPE_LINUX_SLL, 262144), (LINKTYPE_RAW, 262144)]


def time_extremes():
    """Timestamps at the edges: zero, far future, going backwards."""
    recs = []
    a = Conn(50000)                 # 0: handshake at time 0 (the epoch)
    recs += [Rec(0, a.syn()), Rec(1, a.synack()), Rec(2, a.ack())]
    b = Conn(50001)                 # 1: SYN/ACK 1 s BEFORE the SYN (clock step)
    recs += [Rec(3, b.syn()), Rec(4, b.synack()), Rec(5, b.ack())]
    c = Conn(50002)                 # 2: SYN at the largest 64-bit µs time, no answer
    recs += [Rec(6, c.syn())]
    d = Conn(50003)                 # 3: SYN at 0, SYN/ACK at the largest time
    recs += [Rec(7, d.syn()), Rec(8, d.synack())]
    raw = {0: 0, 1: 1, 2: 2,
           3: 5000000, 4: 4000000, 5: 5000100,
           6: 0xffffffffffffffff,
           7: 0, 8: 0xfffffffffffffff0}
    return "time_extremes.pcapng", recs, [(LINKTYPE_ETHERNET, 262144)], raw


def ts_overflow():
    """One SYN stamped 2^64 - 1 µs after 1970 (pcapng allows it): its time
    in nanoseconds does not fit in 64 bits."""
    c = Conn(50100)
    return "ts_overflow.pcapng", [Rec(0, c.syn())], [(LINKTYPE_ETHERNET, 262144)], \
        {0: 0xffffffffffffffff}


def blind_resets():
    """A SYN met by 20 RSTs with guessed sequence numbers, then a SYN/ACK."""
    c = Conn(51000)
    r = [Rec(0, c.syn())]
    for k in range(20):
        r.append(Rec(100 + k * 10, c.seg(False, "R", 0x1000 * k, 0)))
    r += [Rec(2000, c.synack()), Rec(2100, c.ack())]
    d = Conn(51001)                 # 1: same, never answered otherwise
    r += [Rec(10000, d.syn())]
    for k in range(20):
        r.append(Rec(10100 + k * 10, d.seg(False, "RA", 0, 0x2000 * k)))
    return "blind_resets.pcap", later(r, 3000000)


CAPTURES = [snaplen_cut, syn_options, illegal_flags, syn_payload, seq_wrap, dup_reorder,
            icmp_quotes, ipv6_ext_headers, ipv6_routing_segleft, lambda: tunnel("gre"), lambda: tunnel("vxlan"),
            lambda: tunnel("ipip"), lambda: tunnel("6in4"), lambda: tunnel("4in6"),
            icmp_about_tunnel, no_tcp, multi_iface, time_extremes, ts_overflow,
            blind_resets, checklist_malformed]


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    for make in CAPTURES:
        res = make()
        name = res[0]
        path = os.path.join(out, name)
        if name.endswith(".pcapng"):
            write_pcapng(path, res[2], res[1], res[3] if len(res) > 3 else None)
        else:
            lt = res[2] if len(res) > 2 else LINKTYPE_ETHERNET
            snap = res[3] if len(res) > 3 else 262144
            write_pcap(path, res[1], lt, snap)
        print("wrote %s (%d packets)" % (path, len(res[1])))


if __name__ == "__main__":
    main()
