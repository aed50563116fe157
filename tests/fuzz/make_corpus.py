#!/usr/bin/python3
"""make_corpus.py -- writes the seed corpus of fuzz_conn_state.

One file per representative handshake (every verdict and the traps of
tests/unit/test_conn_state.c), encoded in the record format documented at
the top of fuzz_conn_state.c. Files are named seed-*; other files in
corpus/ (reproducers found by fuzzing) are left alone.

Usage: tests/fuzz/make_corpus.py [output-dir]   (default: corpus/ here)

SPDX-License-Identifier: GPL-2.0-or-later
"""
import os
import struct
import sys

T0 = 1700000000000000000  # FUZZ_T0 in fuzz_conn_state.c
SEC = 1000000000
MS = 1000000
THR = SEC  # TD_NO_RESPONSE_NS_DEFAULT

TCP, ICMP_UNREACH, ICMP_OTHER = 3, 1, 2
FIN, SYN, RST, PSH, ACK = 0x01, 0x02, 0x04, 0x08, 0x10
CL, SV = 0, 1
CI, SI = 1000, 5000
ROUTER, SERVER = 2, 1


class Capture:
    """Packets at absolute offsets (ns from T0); encodes time deltas."""

    def __init__(self):
        self.recs = []
        self.t = 0  # the harness's clock, in ns from T0

    def pkt(self, t_ns, kind=TCP, dir=CL, flags=0, seq=0, ack=0, frame=0,
            length=0, tsval=0, tsecr=0, flags_known=1, has_ts=0,
            reporter=0, icmp_type=0, icmp_code=0, conn=0, diag_len=0):
        delta_us = (t_ns - self.t) // 1000
        sign = 0x80 if delta_us < 0 else 0
        mag = abs(delta_us)
        shift = 0  # the finest step that fits 16 bits; self.t keeps the
        while mag >> shift > 0xFFFF and shift < 15:  # rounding exact
            shift += 1
        dt = mag >> shift
        self.t += (-1 if sign else 1) * (dt << shift) * 1000
        ctl = (kind & 3) | (dir & 1) << 2 | (flags_known & 1) << 3 | \
            (has_ts & 1) << 4 | (reporter & 3) << 5 | (conn & 1) << 7
        self.recs.append(struct.pack(
            "<BBBBHHBBHIIHH", ctl, flags, icmp_type, icmp_code, frame, dt,
            shift | sign, diag_len, length, seq & 0xFFFFFFFF,
            ack & 0xFFFFFFFF, tsval, tsecr))
        return self

    def encode(self, now_ns, thr=THR):
        return struct.pack("<qq", now_ns, thr) + b"".join(self.recs)


def tcp(c, t, dir, flags, seq, ack=0, length=0, **kw):
    return c.pkt(t, dir=dir, flags=flags, seq=seq, ack=ack, length=length, **kw)


def icmp(c, t, seq, code, full=True, reporter=ROUTER, kind=ICMP_UNREACH,
         icmp_type=3, **kw):
    return c.pkt(t, kind=kind, dir=kw.pop("dir", CL), flags=SYN if full else 0,
                 seq=seq, flags_known=1 if full else 0, reporter=reporter,
                 icmp_type=icmp_type, icmp_code=code, **kw)


def handshake(c, t=0, ci=CI, si=SI, conn=0):
    tcp(c, t, CL, SYN, ci, conn=conn)
    tcp(c, t + 10 * MS, SV, SYN | ACK, si, ci + 1, conn=conn)
    tcp(c, t + 20 * MS, CL, ACK, ci + 1, si + 1, conn=conn)
    return c


def seeds():
    s = {}
    end = T0 + 10 * SEC  # "now": the capture ends well after

    c = handshake(Capture())
    tcp(c, 21 * MS, CL, PSH | ACK, CI + 1, SI + 1, 100)
    s["established-plain"] = c.encode(end)

    c = Capture()
    for t in (0, SEC, 3 * SEC):
        tcp(c, t, CL, SYN, CI)
    tcp(c, 3 * SEC + 30 * MS, SV, SYN | ACK, SI, CI + 1)
    tcp(c, 3 * SEC + 31 * MS, CL, ACK, CI + 1, SI + 1)
    s["established-slow-connect"] = c.encode(end)

    c = Capture()
    tcp(c, 0, CL, SYN, CI, has_ts=1, tsval=100)
    tcp(c, SEC, CL, SYN, CI, has_ts=1, tsval=1100)
    tcp(c, SEC + 200 * MS, SV, SYN | ACK, SI, CI + 1, has_ts=1, tsval=7, tsecr=100)
    tcp(c, SEC + 201 * MS, CL, ACK, CI + 1, SI + 1)
    s["established-tsecr-first-syn"] = c.encode(end)

    c = Capture()
    tcp(c, 0, CL, SYN, CI)
    tcp(c, SEC, CL, SYN, CI)
    tcp(c, SEC + 50 * MS, SV, SYN | ACK, SI, CI + 1)
    tcp(c, 3 * SEC, CL, SYN, CI)
    tcp(c, 3 * SEC + 50 * MS, SV, SYN | ACK, SI, CI + 1)
    tcp(c, 3 * SEC + 51 * MS, CL, ACK, CI + 1, SI + 1)
    s["established-late-syn"] = c.encode(end)

    c = Capture()
    for t in (0, SEC, 3 * SEC):
        tcp(c, t, CL, SYN, CI)
    s["no-response-3-syns"] = c.encode(T0 + 3 * SEC)

    c = tcp(Capture(), 0, CL, SYN, CI)
    s["pending-syn"] = c.encode(T0 + 500 * MS)
    s["no-response-1-syn"] = c.encode(T0 + SEC)
    s["pending-threshold-10s"] = c.encode(T0 + 5 * SEC, 10 * SEC)
    s["extreme-now-min"] = c.encode(-(1 << 63), THR)
    s["extreme-now-max"] = c.encode((1 << 63) - 1, -(1 << 63))

    c = tcp(Capture(), 0, CL, SYN, CI)
    tcp(c, MS, SV, RST | ACK, 0, CI + 1)
    s["refused"] = c.encode(end)

    c = tcp(Capture(), 0, CL, SYN, CI)
    tcp(c, MS, SV, RST, 0)
    s["refused-rst-without-ack"] = c.encode(end)

    c = tcp(Capture(), 0, CL, SYN, CI)
    tcp(c, MS, SV, RST | ACK, 0, CI + 77)
    tcp(c, 20 * MS, SV, SYN | ACK, SI, CI + 1)
    tcp(c, 21 * MS, CL, ACK, CI + 1, SI + 1)
    s["established-after-invalid-rst"] = c.encode(end)

    c = tcp(Capture(), 0, CL, SYN, CI)
    icmp(c, 3 * MS, CI, 13)
    s["icmp-full-quote"] = c.encode(end)

    c = tcp(Capture(), 0, CL, SYN, CI)
    icmp(c, 3 * MS, CI, 3, full=False, reporter=SERVER)
    s["icmp-8-byte-quote"] = c.encode(end)

    s["icmp-only-8-byte"] = icmp(Capture(), 0, CI, 1, full=False, frame=7).encode(end)
    s["icmp-only-full"] = icmp(Capture(), 0, CI, 1, frame=7).encode(end)
    s["icmpv6-port-unreachable"] = icmp(Capture(), 0, CI, 4, icmp_type=1,
                                        reporter=SERVER).encode(end)
    s["icmp-time-exceeded-only"] = icmp(Capture(), 0, CI, 0, kind=ICMP_OTHER,
                                        icmp_type=11).encode(end)

    c = tcp(Capture(), 0, CL, SYN, CI)
    icmp(c, 3 * MS, CI, 1)
    tcp(c, 40 * MS, SV, SYN | ACK, SI, CI + 1)
    s["icmp-then-synack"] = c.encode(end)
    tcp(c, 41 * MS, CL, ACK, CI + 1, SI + 1)
    s["icmp-then-established"] = c.encode(end)

    c = tcp(Capture(), 0, CL, SYN, CI)
    tcp(c, MS, SV, SYN | ACK, SI, CI + 1)
    s["pending-synack"] = c.encode(T0 + 500 * MS)
    s["half-open-1-synack"] = c.encode(end)
    tcp(c, SEC, SV, SYN | ACK, SI, CI + 1)
    s["half-open-retrans"] = c.encode(T0 + SEC)

    c = tcp(Capture(), 0, SV, SYN | ACK, SI, CI + 1, frame=5)
    tcp(c, MS, CL, ACK, CI + 1, SI + 1, frame=6)
    s["midstream-synack-without-syn"] = c.encode(end)

    c = tcp(Capture(), 0, CL, SYN, CI)
    tcp(c, MS, SV, SYN | ACK, SI, CI + 1)
    tcp(c, 2 * MS, CL, RST, CI + 1)
    s["aborted-nmap-ss"] = c.encode(end)

    c = tcp(Capture(), 0, CL, SYN, CI)
    tcp(c, 500 * MS, CL, RST | ACK, CI + 1)
    s["aborted-before-answer"] = c.encode(end)

    c = handshake(Capture())
    tcp(c, 21 * MS, SV, RST | ACK, SI + 1, CI + 1)
    s["reset-before-data-server"] = c.encode(end)

    c = handshake(Capture())
    tcp(c, 21 * MS, CL, PSH | ACK, CI + 1, SI + 1, 300)
    tcp(c, 22 * MS, CL, RST, CI + 301)
    s["reset-before-data-client"] = c.encode(end)

    c = handshake(Capture())
    tcp(c, 21 * MS, CL, PSH | ACK, CI + 1, SI + 1, 100)
    tcp(c, 30 * MS, SV, PSH | ACK, SI + 1, CI + 101, 500)
    tcp(c, 31 * MS, CL, ACK, CI + 101, SI + 501)
    tcp(c, 40 * MS, SV, RST, SI + 501)
    s["established-data-then-rst"] = c.encode(end)

    c = tcp(Capture(), 0, CL, SYN, CI)
    tcp(c, MS, SV, SYN, SI)
    tcp(c, 2 * MS, CL, SYN | ACK, CI, SI + 1)
    tcp(c, 2 * MS, SV, SYN | ACK, SI, CI + 1)
    tcp(c, 3 * MS, CL, ACK, CI + 1, SI + 1)
    s["simultaneous-open"] = c.encode(end)

    c = tcp(Capture(), 0, CL, SYN, CI)
    tcp(c, MS, SV, ACK, 777777, 123456)
    tcp(c, 2 * MS, CL, RST, 123456)
    s["stale"] = c.encode(end)
    tcp(c, SEC, CL, SYN, CI)
    tcp(c, SEC + MS, SV, SYN | ACK, SI, CI + 1)
    tcp(c, SEC + 2 * MS, CL, ACK, CI + 1, SI + 1)
    s["stale-recovered"] = c.encode(end)
    tcp(c, SEC + 3 * MS, SV, RST, SI + 1)
    s["stale-recovered-then-reset"] = c.encode(end)

    c = tcp(Capture(), 0, CL, PSH | ACK, 5000, 9000, 100, frame=10)
    tcp(c, MS, SV, PSH | ACK, 9000, 5100, 100, frame=11)
    tcp(c, 2 * MS, SV, RST, 9100, frame=12)
    s["midstream-data"] = c.encode(end)

    c = tcp(Capture(), 0, SV, SYN | ACK, SI, CI + 1)
    tcp(c, 5 * MS, SV, PSH | ACK, SI + 1, CI + 1, 200)
    s["midstream-one-direction"] = c.encode(end)

    c = tcp(Capture(), 0, CL, SYN, CI)
    tcp(c, 20 * MS, CL, ACK, CI + 1, SI + 1)
    s["hs-missed-client-ack"] = c.encode(end)

    c = tcp(Capture(), 0, CL, SYN, CI)
    tcp(c, 4 * SEC, CL, PSH | ACK, CI + 1, SI + 1, 50)
    s["hs-missed-client-data"] = c.encode(end)

    c = tcp(Capture(), 0, CL, SYN, CI)
    tcp(c, 30 * MS, SV, PSH | ACK, SI + 1, CI + 1, 100)
    s["hs-missed-server-data"] = c.encode(end)

    c = tcp(Capture(), 0, CL, SYN, CI)
    tcp(c, MS, SV, SYN | ACK, SI, CI + 1)
    tcp(c, 5 * MS, SV, PSH | ACK, SI + 1, CI + 1, 40)
    s["hs-missed-ack-server-banner"] = c.encode(end)

    c = tcp(Capture(), 0, CL, SYN, CI)
    tcp(c, 30 * MS, CL, PSH | ACK, CI + 1, SI + 1, 100)
    tcp(c, 40 * MS, SV, PSH | ACK, SI + 1, CI + 101, 200)
    tcp(c, 41 * MS, CL, ACK, CI + 101, SI + 201)
    s["data-acked-both-ways"] = c.encode(end)

    c = tcp(Capture(), 0, CL, SYN, CI)
    tcp(c, 9 * MS, CL, SYN, CI)
    s["syn-duplicate"] = c.encode(T0 + 100 * MS)
    tcp(c, 19 * MS, CL, SYN, CI)
    s["syn-duplicate-then-retrans"] = c.encode(T0 + 100 * MS)

    c = tcp(Capture(), 0, CL, SYN, CI)
    tcp(c, SEC, CL, SYN, CI + 99999)
    tcp(c, SEC + MS, SV, SYN | ACK, SI, CI + 1)
    tcp(c, SEC + 2 * MS, SV, SYN | ACK, SI, CI + 100000)
    s["syn-new-isn-bad-synack"] = c.encode(end)

    c = tcp(Capture(), 10 * MS, SV, SYN | ACK, SI, CI + 1, frame=2)
    tcp(c, 0, CL, SYN, CI, frame=1)
    tcp(c, 11 * MS, CL, ACK, CI + 1, SI + 1, frame=3)
    s["reordered-synack-first"] = c.encode(end)

    c = handshake(Capture())
    tcp(c, 1010 * MS, SV, SYN | ACK, SI, CI + 1)
    s["synack-retrans-after-ack"] = c.encode(end)

    ci, si = 0xFFFFFFFF, 0xFFFFFFFE
    c = handshake(Capture(), ci=ci, si=si)
    tcp(c, 21 * MS, CL, PSH | ACK, 0, 0xFFFFFFFF, 100)
    tcp(c, 22 * MS, SV, PSH | ACK, 0xFFFFFFFF, 100, 50)
    tcp(c, 23 * MS, CL, ACK, 100, 49)
    tcp(c, 24 * MS, SV, RST, 49)
    s["sequence-wrap"] = c.encode(end)

    c = tcp(Capture(), 0, CL, SYN | RST, CI)
    tcp(c, MS, SV, SYN | FIN, SI)
    tcp(c, 2 * MS, SV, SYN | RST | ACK, SI, CI + 1)
    s["illegal-flags"] = c.encode(end)

    c = tcp(Capture(), 0, CL, SYN, CI, length=64)
    tcp(c, MS, SV, SYN | ACK, SI, CI + 65)
    tcp(c, 2 * MS, SV, PSH | ACK, SI + 1, CI + 65, 300)
    s["tfo-syn-data"] = c.encode(end)

    c = tcp(Capture(), 0, CL, SYN, CI, frame=1)
    tcp(c, SEC + 50 * MS, SV, SYN | ACK, SI, CI + 1, frame=3)
    tcp(c, SEC, CL, SYN, CI, frame=2)
    tcp(c, SEC + 51 * MS, CL, ACK, CI + 1, SI + 1, frame=4)
    s["reordered-syn-retrans"] = c.encode(end)

    c = handshake(Capture())
    tcp(c, SEC, SV, SYN, 99)
    s["server-syn-after-completion"] = c.encode(end)

    c = tcp(Capture(), 0, CL, SYN, CI)
    tcp(c, MS, CL, SYN | ACK, SI, CI + 1)
    s["synack-from-client-side"] = c.encode(end)

    c = tcp(Capture(), 0, CL, SYN, CI)
    tcp(c, MS, SV, SYN | ACK, SI, CI + 1)
    tcp(c, 2 * MS, SV, RST, SI + 1)
    s["half-open-server-rst"] = c.encode(end)

    c = tcp(Capture(), 0, CL, SYN, CI)
    tcp(c, MS, SV, SYN, SI)
    tcp(c, 5 * MS, CL, PSH | ACK, CI + 1, SI + 1, 10)
    tcp(c, 6 * MS, SV, PSH | ACK, SI + 1, CI + 11, 20)
    tcp(c, 7 * MS, CL, ACK, CI + 11, SI + 21)
    s["simultaneous-open-synacks-missed"] = c.encode(end)

    c = tcp(Capture(), 0, CL, SYN, CI)
    tcp(c, MS, CL, PSH, CI + 1, 0, 10)
    tcp(c, 2 * MS, SV, FIN, SI + 1)
    s["segments-without-ack"] = c.encode(end)

    c = tcp(Capture(), 0, CL, SYN, CI)
    tcp(c, MS, SV, ACK, 777777, 123456)
    tcp(c, 2 * MS, CL, RST, 123456)
    tcp(c, SEC, CL, SYN, CI)
    tcp(c, SEC + 2 * MS, CL, ACK, CI + 1, SI + 1)
    s["stale-recovered-synack-missed"] = c.encode(end)

    c = tcp(Capture(), 0, CL, SYN, CI)
    icmp(c, MS, CI + 1, 3, full=False)       # quotes another segment
    icmp(c, 2 * MS, CI + 5, 3)               # a SYN, but another ISN
    icmp(c, 3 * MS, SI, 3, dir=SV)           # the other direction
    tcp(c, 4 * MS, SV, SYN | ACK, SI, CI + 1)
    icmp(c, 5 * MS, CI, 3)                   # late: answered already
    s["icmp-not-for-this-syn"] = c.encode(end)

    for code, name in ((5, "source-route-failed"), (6, "net-unknown"),
                       (20, "code-unknown")):
        c = tcp(Capture(), 0, CL, SYN, CI)
        icmp(c, MS, CI, code)
        s["icmp-" + name] = c.encode(end)
    c = tcp(Capture(), 0, CL, SYN, CI)
    icmp(c, MS, CI, 3, icmp_type=9)
    s["icmp-type-unknown"] = c.encode(end)

    # Two connections interleaved, each judged on its own.
    c = Capture()
    tcp(c, 0, CL, SYN, CI, conn=0)
    tcp(c, MS, CL, SYN, 42, conn=1)
    tcp(c, 2 * MS, SV, SYN | ACK, SI, CI + 1, conn=0)
    tcp(c, 3 * MS, SV, RST | ACK, 0, 43, conn=1)
    tcp(c, 4 * MS, CL, ACK, CI + 1, SI + 1, conn=0)
    s["two-connections"] = c.encode(end)

    # Issue 13: odd SYN flags, unrelated segments, wrong ACKs, reordering.
    URG, ECE, CWR = 0x20, 0x40, 0x80
    c = tcp(Capture(), 0, CL, SYN | FIN | PSH | URG, CI)
    tcp(c, 150 * MS, CL, SYN | FIN | PSH | URG, CI)
    tcp(c, 300 * MS, SV, SYN | FIN, SI)                # answering SYN+FIN: illegal
    s["syn-flags-odd"] = c.encode(end)
    c = tcp(Capture(), 0, CL, SYN | ECE | CWR, CI)
    tcp(c, MS, SV, SYN | ACK | ECE, SI, CI + 1)
    tcp(c, 2 * MS, CL, RST, CI + 1)
    s["syn-ecn-aborted"] = c.encode(end)
    c = tcp(Capture(), 0, CL, SYN, CI)
    tcp(c, SEC, CL, SYN, CI)
    tcp(c, 3 * SEC, CL, SYN, CI)
    tcp(c, 20 * SEC, SV, FIN | ACK, 88888, 424242)
    tcp(c, 21 * SEC, SV, ACK, 88888, 424242)
    tcp(c, 21 * SEC, SV, PSH | ACK, 88888, 424242, 50)
    s["unrelated-late-fins"] = c.encode(end)
    c = tcp(Capture(), 0, CL, SYN, CI)
    tcp(c, SEC, CL, SYN, CI)
    tcp(c, 9 * SEC, CL, FIN | ACK, 0x80000000, 424242)
    tcp(c, 9 * SEC + MS, CL, ACK, CI + 1, SI + 1)
    s["unrelated-client-fin"] = c.encode(end)
    c = tcp(Capture(), 0, CL, SYN, CI)
    tcp(c, MS, SV, SYN | ACK, SI, CI + 1)
    tcp(c, SEC, SV, SYN | ACK, SI, CI + 1)
    tcp(c, 2 * SEC, CL, ACK, CI + 1, SI + 0x40000000)
    tcp(c, 2 * SEC + MS, SV, RST, SI + 0x40000000)
    s["ack-wrong-server-rst"] = c.encode(end)
    c = tcp(Capture(), 0, CL, ACK, CI + 1, SI + 1)
    tcp(c, 1000, SV, SYN | ACK, SI, CI + 1)
    tcp(c, 2000, CL, SYN, CI)
    s["reordered-ack-synack-syn"] = c.encode(end)
    c = tcp(Capture(), 0, CL, ACK, CI + 1, SI + 1)
    tcp(c, 1000, CL, SYN, CI)
    tcp(c, 2000, SV, SYN | ACK, SI, CI + 1)
    s["reordered-ack-syn-synack"] = c.encode(end)
    c = tcp(Capture(), 0, CL, SYN, CI)
    tcp(c, 2 * MS, CL, ACK, CI + 1, SI + 1)
    tcp(c, 2 * MS + 1000, SV, SYN | ACK, SI, CI + 1)
    s["reordered-ack-before-synack"] = c.encode(end)

    # Small diagnosis buffers (byte 9) over a multi-byte character.
    c = handshake(Capture())
    for n in (0, 1, 2, 8, 26, 27, 28):
        tcp(c, 30 * MS + n, CL, ACK, CI + 1, SI + 1, diag_len=n)
    s["diagnosis-truncation"] = c.encode(end)
    return s


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "corpus")
    os.makedirs(out, exist_ok=True)
    for name, blob in sorted(seeds().items()):
        with open(os.path.join(out, "seed-" + name), "wb") as f:
            f.write(blob)
    print("wrote %d seeds to %s" % (len(seeds()), out))


if __name__ == "__main__":
    main()
