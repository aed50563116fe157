#!/usr/bin/python3
"""TCP client for the tcpdiag sample captures (runs in the "cli" namespace).

Never fails the caller: connect errors are printed and exit status is 0.

  client.py HOST PORT [--sport N] [--http | --lines N [--interval S]]
            [--sleep S] [--wait-recv] [--close normal|abort] [--timeout S]
"""
import argparse
import socket
import struct
import sys
import time

p = argparse.ArgumentParser()
p.add_argument("host")
p.add_argument("port", type=int)
p.add_argument("--sport", type=int, default=0, help="fixed source port (bind)")
p.add_argument("--http", action="store_true",
               help="send a HTTP/1.0 GET and read the answer until EOF")
p.add_argument("--lines", type=int, default=0,
               help="send N lines, reading each echo")
p.add_argument("--interval", type=float, default=0.0,
               help="pause between lines")
p.add_argument("--sleep", type=float, default=0.0,
               help="sleep this long after connecting, sending nothing")
p.add_argument("--wait-recv", action="store_true",
               help="wait for data, EOF or RST from the server")
p.add_argument("--close", choices=["normal", "abort"], default="normal",
               help="normal: shutdown(WR), read to EOF, close; "
                    "abort: SO_LINGER {1,0} + close = RST")
p.add_argument("--timeout", type=float, default=30.0)
a = p.parse_args()

fam = socket.AF_INET6 if ":" in a.host else socket.AF_INET
tag = "client %s port %d (sport %s)" % (a.host, a.port, a.sport or "auto")
s = socket.socket(fam, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
if a.sport:
    s.bind(("::" if fam == socket.AF_INET6 else "0.0.0.0", a.sport))
s.settimeout(a.timeout)
t0 = time.monotonic()


def say(msg):
    print("%s: %s (%.2f s)" % (tag, msg, time.monotonic() - t0), flush=True)


def read_to_eof():
    got = b""
    while True:
        d = s.recv(4096)
        if not d:
            return got
        got += d


try:
    s.connect((a.host, a.port))
except OSError as e:
    say("connect failed: %s" % e)
    sys.exit(0)
say("connected")
try:
    if a.sleep:
        time.sleep(a.sleep)
    if a.http:
        s.sendall(b"GET / HTTP/1.0\r\nHost: %s\r\n\r\n" % a.host.encode())
        say("got %r" % read_to_eof().split(b"\r\n\r\n")[-1])
    for i in range(a.lines):
        line = b"line %d\n" % i
        s.sendall(line)
        got = b""
        while len(got) < len(line):
            d = s.recv(4096)
            if not d:
                break
            got += d
        if i + 1 < a.lines and a.interval:
            time.sleep(a.interval)
    if a.wait_recv:
        say("received %r" % s.recv(4096))
    if a.close == "abort":
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        s.close()
        say("aborted (RST)")
    else:
        if not a.http:
            s.shutdown(socket.SHUT_WR)
            read_to_eof()
        s.close()
        say("closed")
except OSError as e:
    say("error: %s" % e)
