#!/usr/bin/python3
"""Writes the seed corpus of fuzz_evidence.c (tests/fuzz/corpus_evidence/):
one seed per checklist capture, holding its DNS, ARP, ND, DHCP, echo and
ICMP-error payloads as records in the harness's format, plus a few
hand-made hostile messages (compression loops, truncated records, option
lengths past the end). Standard library only; output is the same on every
run.

SPDX-License-Identifier: GPL-2.0-or-later
"""
import glob
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
CAPS = os.path.join(HERE, "..", "..", "sample-captures", "checklist")
OUT = os.path.join(HERE, "corpus_evidence")


def frames(path):
    data = open(path, "rb").read()
    magic = struct.unpack("<I", data[:4])[0]
    nsec = magic == 0xA1B23C4D
    off, prev = 24, None
    while off + 16 <= len(data):
        sec, frac, incl, _ = struct.unpack("<IIII", data[off:off + 16])
        pkt = data[off + 16:off + 16 + incl]
        off += 16 + incl
        t = sec * 1000 + (frac // (1000000 if nsec else 1000))
        dt = 0 if prev is None else max(0, min(65535, t - prev))
        prev = t
        yield dt, pkt


def rec(kind, flags, dt, payload):
    return struct.pack("<BBHH", kind, flags, len(payload), dt) + payload


def records(pkt, dt):
    if len(pkt) < 14:
        return b""
    et = struct.unpack("!H", pkt[12:14])[0]
    l3 = pkt[14:]
    if et == 0x0806:
        return rec(2, 0, dt, l3)
    if et == 0x0800 and len(l3) >= 20:
        hl = (l3[0] & 15) * 4
        proto, l4 = l3[9], l3[hl:]
        if proto == 17 and len(l4) >= 8:
            sp, dp = struct.unpack("!HH", l4[:4])
            if 53 in (sp, dp):
                return rec(0, int(sp == 53), dt, l4[8:])
            if sp in (67, 68):
                return rec(4, 0, dt, l4[8:]) + rec(12, 0x10 if sp == 67 else 0x20, 0, l4[8:])
        if proto == 1 and len(l4) >= 8:
            if l4[0] in (0, 8):
                return rec(5, int(l4[0] == 0), dt, l4)
            if l4[0] == 3:
                return rec(7, 0, dt, l4[:2] + l4[30:32]) + rec(10, 0, 0, l4)
        if proto == 6 and len(l4) >= 20 and l4[13] & 0x12 == 0x02:
            return rec(8, 0, dt, b"")
    if et == 0x86DD and len(l3) >= 40 and l3[6] == 58:
        l4 = l3[40:]
        if len(l4) >= 8 and l4[0] in (135, 136):
            return rec(3, 0, dt, l4)
        if len(l4) >= 8 and l4[0] in (128, 129):
            return rec(6, int(l4[0] == 129), dt, l4)
        if len(l4) >= 8 and l4[0] == 1:
            return rec(7, 16, dt, l4[:2] + l4[48:50]) + rec(11, 0, 0, l4)
    return b""


def hostile():
    hdr = lambda fl, qd, an: struct.pack("!HHHHHH", 1, fl, qd, an, 0, 0)
    q = b"\x01a\x07example\x00\x00\x01\x00\x01"
    yield "dns-pointer-loop", rec(0, 1, 0, hdr(0x8180, 1, 1) + q + b"\xc0\x1d\x00\x01\x00\x01\x00\x00\x00\x3c\x00\x04\x01\x02\x03\x04")
    yield "dns-question-loop", rec(0, 0, 0, hdr(0x0100, 1, 0) + b"\xc0\x0c\x00\x01\x00\x01")
    yield "dns-rdlen-past-end", rec(0, 1, 0, hdr(0x8180, 1, 1) + q + b"\xc0\x0c\x00\x01\x00\x01\x00\x00\x00\x3c\xff\xff")
    yield "dns-ancount-huge", rec(0, 1, 0, hdr(0x8180, 1, 65535) + q + (b"\xc0\x0c\x00\x05\x00\x01\x00\x00\x00\x3c\x00\x02\xc0\x0c") * 80)
    yield "dns-long-labels", rec(0, 0, 0, hdr(0x0100, 1, 0) + (b"\x3f" + b"x" * 63) * 5 + b"\x00\x00\x01\x00\x01")
    yield "arp-short", rec(2, 0, 0, bytes([0, 1, 8, 0, 6, 4, 0, 1]))
    yield "nd-zero-option", rec(3, 0, 0, bytes([136, 0, 0, 0, 0x60, 0, 0, 0]) + bytes(16) + bytes([2, 0, 0, 0]))
    bootp = bytearray(240)
    bootp[0:3] = b"\x01\x01\x06"
    bootp[236:240] = b"\x63\x82\x53\x63"
    yield "dhcp-option-past-end", rec(4, 0, 0, bytes(bootp) + b"\x35\xff\x01")
    yield "dhcp-no-end", rec(4, 0, 0, bytes(bootp) + b"\x35\x01\x01" + b"\x00" * 20)


def main():
    os.makedirs(OUT, exist_ok=True)
    for path in sorted(glob.glob(os.path.join(CAPS, "*.pcap"))):
        seed = b"".join(records(p, dt) for dt, p in frames(path))
        if seed:
            name = "seed-" + os.path.basename(path)[:-5]
            open(os.path.join(OUT, name), "wb").write(seed)
    for name, data in hostile():
        open(os.path.join(OUT, "hostile-" + name), "wb").write(data)


if __name__ == "__main__":
    main()
