#!/usr/bin/python3
"""Test services for the tcpdiag sample captures.

Runs inside the "srv" namespace (198.51.100.10 / 2001:db8:2::10) of
record.sh (and, for healthy-busy.pcap only, in "srv2"). Every listener is
dual-stack (IPv6 socket, V6ONLY off).

  80    tiny HTTP/1.0 server: reads the request head, answers a short
        text/plain body ("hello from <address reached>"), closes first
        (normal FIN close).
  7     echo: sends back whatever arrives, closes after the client's FIN.
  8080  echo (used for firewall, ICMP, lost-ACK and challenge-ACK cases).
  8443  echo (the router forges RSTs for this port; the listener proves the
        server itself would have accepted).
  8081  reset-after-accept: accept(), SO_LINGER {1,0}, close() -> RST right
        after the handshake, before any data.
  9999  nothing listens (closed port).

Every listener has a backlog of 128 (the SYN-flood scenario keeps 60
half-open connections on port 80 with SYN cookies off; listen(16) would
drop most of them).

One service only (scenarios that stop a service or fill its queue):

  server.py --port P --mode echo|http|no-accept [--backlog N]

  server.py --port P --mode slow-accept [--backlog N] [--accept-every S]

  no-accept    listen(N) and never call accept(): the accept queue fills up.
  slow-accept  listen(N), accept() one connection every S seconds and echo
               it inline: a single-threaded server that cannot keep up.
"""
import argparse
import socket
import struct
import sys
import threading
import time


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def listener(port, backlog=128):
    s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    s.bind(("::", port))
    s.listen(backlog)
    return s


def http(c):
    data = b""
    try:
        c.settimeout(10)
        while b"\r\n\r\n" not in data:
            d = c.recv(1024)
            if not d:
                break
            data += d
        # the address the client reached (IPv4-mapped form stripped)
        body = b"hello from %s\n" % c.getsockname()[0].replace("::ffff:", "").encode()
        c.sendall(b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n"
                  b"Content-Length: %d\r\n\r\n" % len(body) + body)
    except OSError as e:
        log("http:", e)
    c.close()


def echo(c):
    try:
        c.settimeout(60)
        while True:
            d = c.recv(4096)
            if not d:
                break
            c.sendall(d)
    except OSError as e:
        log("echo:", e)
    c.close()


def reset(c):
    c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    c.close()


def serve(port, handler, inline=False, backlog=128):
    s = listener(port, backlog)

    def loop():
        while True:
            c, peer = s.accept()
            log("port %d: accepted %s" % (port, peer[0]))
            if inline:
                handler(c)
            else:
                threading.Thread(target=handler, args=(c,), daemon=True).start()

    t = threading.Thread(target=loop, daemon=True)
    t.start()
    return t


def serve_one(port, mode, backlog, every):
    if mode == "no-accept":
        s = listener(port, backlog)
        log("listening")
        while True:          # keep the socket open, accept nothing
            time.sleep(3600)
    if mode == "slow-accept":
        s = listener(port, backlog)
        log("listening")
        while True:
            time.sleep(every)
            c, peer = s.accept()
            log("port %d: accepted %s" % (port, peer[0]))
            echo(c)
    t = serve(port, http if mode == "http" else echo, backlog=backlog)
    log("listening")
    t.join()


def all_services():
    serve(80, http)
    serve(7, echo)
    serve(8080, echo)
    serve(8443, echo)
    t = serve(8081, reset, inline=True)
    log("listening")
    t.join()


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, help="run only this one service")
    p.add_argument("--mode", choices=["echo", "http", "no-accept", "slow-accept"],
                   default="echo")
    p.add_argument("--backlog", type=int, default=128)
    p.add_argument("--accept-every", type=float, default=1.0, help="slow-accept: seconds")
    a = p.parse_args()
    if a.port:
        serve_one(a.port, a.mode, a.backlog, a.accept_every)
    else:
        all_services()
