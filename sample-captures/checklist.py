#!/usr/bin/python3
"""Helper programs for record-checklist.sh (the troubleshooting-checklist
captures). Standard library only; every program runs inside a namespace of
record-checklist.sh and talks only to documentation addresses.

  checklist.py dns-server ADDR...
        A small authoritative DNS server for example.com (UDP and TCP, port
        53) whose answers are chosen by the name asked:
          www.example.com     A 198.51.100.10, AAAA 2001:db8:2::10
          db.example.com      A 198.51.100.20 (the filtered host)
          alias.example.com   CNAME www.example.com (chain followed here)
          mail.example.com    CNAME nomail.example.com, which has TXT only
          noaddr.example.com  TXT only: NOERROR, no address (NODATA)
          big.example.com     60 A records: over UDP the answer does not fit
                              512 bytes, so TC=1 and no records (RFC 1035
                              4.2.1, RFC 2181 9); over TCP the full answer
          servfail.example.com  SERVFAIL
          silent.example.com  no answer at all
          other *.example.com NXDOMAIN (with the zone's SOA, RFC 2308)
          anything else       REFUSED (not our zone, no recursion)
        The server does not implement EDNS (RFC 6891 6.1.1 lets a server
        that does not know the OPT record answer without it), so UDP answers
        stay within 512 bytes.

  checklist.py udp-send HOST PORT [--count N] [--interval S] [--sport P]
        N datagrams to HOST:PORT, S seconds apart (default 3, 1.0 s), and
        report whatever comes back (an ICMP error shows up as
        ECONNREFUSED/EHOSTUNREACH/EACCES on the connected socket).

  checklist.py dns-bulk SERVER COUNT
        COUNT lookups one after the other (A queries over UDP, 1 s timeout
        each, no retry): every 4th for www.example.com, the others for
        hostN.example.com (NXDOMAIN at dnsmasq). For the benchmark capture.

  checklist.py sink PORT [--rcvbuf B] [--read-for S]
        A TCP receiver: SO_RCVBUF B on the listening socket (inherited by
        the accepted one), accept one connection, read it for S seconds
        (default 0: never read), then hold it without reading: the kernel's
        receive buffer fills and the advertised window closes (RFC 9293
        3.8.6.1 zero window, probed by the sender).

  checklist.py bulk HOST PORT [--sport P] [--chunk B] [--every S]
                             [--duration S]
        A TCP sender: connect, write B-byte chunks every S seconds (default
        16384 bytes, as fast as the socket accepts) for D seconds, then
        abort (SO_LINGER {1,0}).
"""
import argparse
import errno
import select
import socket
import struct
import sys
import threading
import time


def log(*a):
    print(*a, file=sys.stderr, flush=True)


# --- DNS ----------------------------------------------------------------------
ZONE = "example.com"
T_A, T_NS, T_CNAME, T_SOA, T_TXT, T_AAAA = 1, 2, 5, 6, 16, 28
NOERROR, SERVFAIL, NXDOMAIN, REFUSED = 0, 2, 3, 5

RECORDS = {
    "www.example.com": [(T_A, "198.51.100.10"), (T_AAAA, "2001:db8:2::10")],
    "db.example.com": [(T_A, "198.51.100.20")],
    "alias.example.com": [(T_CNAME, "www.example.com")],
    "mail.example.com": [(T_CNAME, "nomail.example.com")],
    "nomail.example.com": [(T_TXT, "no mail here")],
    "noaddr.example.com": [(T_TXT, "this name has no address")],
    "big.example.com": [(T_A, "198.51.100.%d" % (100 + i)) for i in range(60)],
}
RCODE_NAMES = {"servfail.example.com": SERVFAIL}
SILENT = {"silent.example.com"}


def enc_name(name):
    out = b""
    for label in name.rstrip(".").split("."):
        if label:
            out += bytes([len(label)]) + label.encode()
    return out + b"\0"


def dec_question(msg):
    """(name, qtype, qclass, end offset) of the first question, or None."""
    off, labels = 12, []
    while True:
        if off >= len(msg):
            return None
        n = msg[off]
        off += 1
        if n == 0:
            break
        if n & 0xC0 or off + n > len(msg):
            return None            # no compression in a question we accept
        labels.append(msg[off:off + n].decode("ascii", "replace").lower())
        off += n
    if off + 4 > len(msg):
        return None
    qtype, qclass = struct.unpack("!HH", msg[off:off + 4])
    return ".".join(labels), qtype, qclass, off + 4


def rr(name, rtype, value, ttl=60):
    if rtype == T_A:
        rdata = socket.inet_pton(socket.AF_INET, value)
    elif rtype == T_AAAA:
        rdata = socket.inet_pton(socket.AF_INET6, value)
    elif rtype == T_CNAME:
        rdata = enc_name(value)
    elif rtype == T_TXT:
        rdata = bytes([len(value)]) + value.encode()
    elif rtype == T_SOA:
        rdata = (enc_name("ns." + ZONE) + enc_name("hostmaster." + ZONE)
                 + struct.pack("!IIIII", 2026120101, 3600, 600, 86400, 60))
    else:
        raise ValueError(rtype)
    return enc_name(name) + struct.pack("!HHIH", rtype, 1, ttl, len(rdata)) + rdata


def soa():
    return rr(ZONE, T_SOA, None)


def answer(query, udp):
    """The response bytes for one query, or None to stay silent."""
    if len(query) < 12:
        return None
    qid, flags = struct.unpack("!HH", query[:4])
    if flags & 0x8000:
        return None                # a response: ignore
    q = dec_question(query)
    if q is None:
        return struct.pack("!HHHHHH", qid, 0x8001, 0, 0, 0, 0)   # FORMERR
    name, qtype, qclass, qend = q
    question = query[12:qend]
    rd = flags & 0x0100
    if name in SILENT:
        return None
    ans, auth, rcode, aa = [], [], NOERROR, 0x0400
    if not (name == ZONE or name.endswith("." + ZONE)):
        rcode, aa = REFUSED, 0
    elif name in RCODE_NAMES:
        rcode, aa = RCODE_NAMES[name], 0
    else:
        cur, seen = name, set()
        while cur in RECORDS and cur not in seen:    # follow CNAMEs in-zone
            seen.add(cur)
            recs = RECORDS[cur]
            cn = [v for t, v in recs if t == T_CNAME]
            if cn and qtype != T_CNAME:
                ans.append(rr(cur, T_CNAME, cn[0]))
                cur = cn[0]
                continue
            ans += [rr(cur, t, v) for t, v in recs if t == qtype]
            break
        final = [t for t, _ in RECORDS.get(cur, [])]
        if cur not in RECORDS:
            if not ans:
                rcode = NXDOMAIN
            auth.append(soa())     # RFC 2308: SOA with negative answers
        elif qtype not in final and qtype != T_CNAME:
            auth.append(soa())     # NODATA: NOERROR, no record of this type
    tc = 0
    if udp:
        size = 12 + len(question) + sum(map(len, ans)) + sum(map(len, auth))
        if size > 512:
            tc, ans, auth = 0x0200, [], []
    hdr = struct.pack("!HHHHHH", qid, 0x8000 | aa | tc | rd | rcode, 1,
                      len(ans), len(auth), 0)
    return hdr + question + b"".join(ans) + b"".join(auth)


def dns_udp(addr):
    s = socket.socket(socket.AF_INET6 if ":" in addr else socket.AF_INET,
                      socket.SOCK_DGRAM)
    s.bind((addr, 53))
    while True:
        q, peer = s.recvfrom(4096)
        r = answer(q, udp=True)
        if r is not None:
            s.sendto(r, peer)


def dns_tcp_conn(c):
    try:
        c.settimeout(10)
        buf = b""
        while True:
            d = c.recv(4096)
            if not d:
                return
            buf += d
            while len(buf) >= 2:
                n = struct.unpack("!H", buf[:2])[0]
                if len(buf) < 2 + n:
                    break
                r = answer(buf[2:2 + n], udp=False)
                buf = buf[2 + n:]
                if r is not None:
                    c.sendall(struct.pack("!H", len(r)) + r)
    except OSError:
        pass
    finally:
        c.close()


def dns_tcp(addr):
    s = socket.socket(socket.AF_INET6 if ":" in addr else socket.AF_INET,
                      socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, 53))
    s.listen(16)
    while True:
        c, _ = s.accept()
        threading.Thread(target=dns_tcp_conn, args=(c,), daemon=True).start()


def cmd_dns_server(a):
    for addr in a.addr:
        threading.Thread(target=dns_udp, args=(addr,), daemon=True).start()
        threading.Thread(target=dns_tcp, args=(addr,), daemon=True).start()
    time.sleep(0.2)
    log("dns-server listening on", " ".join(a.addr))
    while True:
        time.sleep(3600)


# --- UDP ----------------------------------------------------------------------
def cmd_udp_send(a):
    fam = socket.AF_INET6 if ":" in a.host else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_DGRAM)
    if a.sport:
        s.bind(("::" if fam == socket.AF_INET6 else "0.0.0.0", a.sport))
    s.connect((a.host, a.port))    # connected: ICMP errors come back as errno
    for i in range(a.count):
        try:
            s.send(b"checklist datagram %d\n" % i)
        except OSError as e:
            print("udp %s:%d send %d: %s" % (a.host, a.port, i, e), flush=True)
        end = time.monotonic() + a.interval
        while True:
            left = end - time.monotonic()
            if left <= 0:
                break
            r, _, _ = select.select([s], [], [], left)
            if not r:
                continue
            try:
                d = s.recv(4096)
                print("udp %s:%d got %r" % (a.host, a.port, d), flush=True)
            except OSError as e:
                print("udp %s:%d after %d: %s" % (a.host, a.port, i,
                      errno.errorcode.get(e.errno, e)), flush=True)


def cmd_dns_bulk(a):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.connect((a.server, 53))
    s.settimeout(1.0)
    answered = 0
    for i in range(a.count):
        name = "www.example.com" if i % 4 == 0 else "host%d.example.com" % i
        qid = i & 0xFFFF
        s.send(struct.pack("!HHHHHH", qid, 0x0100, 1, 0, 0, 0) + enc_name(name)
               + struct.pack("!HH", T_A, 1))
        try:
            while True:
                r = s.recv(4096)
                if len(r) >= 2 and struct.unpack("!H", r[:2])[0] == qid:
                    answered += 1
                    break
        except (socket.timeout, OSError):
            pass
    print("dns-bulk: %d lookups, %d answered" % (a.count, answered), flush=True)


# --- TCP receiver that stops reading, and a sender ------------------------------
def cmd_sink(a):
    s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    if a.rcvbuf:
        # set before listen(): the window scale of the SYN/ACK and the
        # accepted socket's buffer follow it (tcp(7), socket(7))
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, a.rcvbuf)
    s.bind(("::", a.port))
    s.listen(4)
    log("sink listening on", a.port)
    c, peer = s.accept()
    log("sink accepted", peer)
    end = time.monotonic() + a.read_for
    while time.monotonic() < end:
        c.settimeout(max(0.01, end - time.monotonic()))
        try:
            if not c.recv(65536):
                break
        except socket.timeout:
            break
    log("sink stops reading")
    time.sleep(3600)


def cmd_bulk(a):
    fam = socket.AF_INET6 if ":" in a.host else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if a.sport:
        s.bind(("::" if fam == socket.AF_INET6 else "0.0.0.0", a.sport))
    s.connect((a.host, a.port))
    s.setblocking(False)
    chunk = b"x" * a.chunk
    end = time.monotonic() + a.duration
    sent = 0
    while time.monotonic() < end:
        try:
            sent += s.send(chunk)
        except BlockingIOError:
            pass
        time.sleep(a.every if a.every else 0.001)
    print("bulk %s:%d: %d bytes accepted by the socket" % (a.host, a.port, sent),
          flush=True)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    s.close()


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    d = sub.add_parser("dns-server")
    d.add_argument("addr", nargs="+")
    u = sub.add_parser("udp-send")
    u.add_argument("host")
    u.add_argument("port", type=int)
    u.add_argument("--count", type=int, default=3)
    u.add_argument("--interval", type=float, default=1.0)
    u.add_argument("--sport", type=int, default=0)
    g = sub.add_parser("dns-bulk")
    g.add_argument("server")
    g.add_argument("count", type=int)
    k = sub.add_parser("sink")
    k.add_argument("port", type=int)
    k.add_argument("--rcvbuf", type=int, default=0)
    k.add_argument("--read-for", type=float, default=0.0)
    b = sub.add_parser("bulk")
    b.add_argument("host")
    b.add_argument("port", type=int)
    b.add_argument("--sport", type=int, default=0)
    b.add_argument("--chunk", type=int, default=16384)
    b.add_argument("--every", type=float, default=0.0)
    b.add_argument("--duration", type=float, default=3.0)
    a = p.parse_args()
    {"dns-server": cmd_dns_server, "udp-send": cmd_udp_send, "dns-bulk": cmd_dns_bulk,
     "sink": cmd_sink,
     "bulk": cmd_bulk}[a.cmd](a)


if __name__ == "__main__":
    main()
