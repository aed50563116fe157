#!/usr/bin/python3
"""Test services for the tcpdiag sample captures.

Runs inside the "srv" namespace (198.51.100.10 / 2001:db8:2::10) of
record.sh. Every listener is dual-stack (IPv6 socket, V6ONLY off).

  80    tiny HTTP/1.0 server: reads the request head, answers a short
        text/plain body, closes first (normal FIN close).
  7     echo: sends back whatever arrives, closes after the client's FIN.
  8080  echo (used for firewall, ICMP, lost-ACK and challenge-ACK cases).
  8443  echo (the router forges RSTs for this port; the listener proves the
        server itself would have accepted).
  8081  reset-after-accept: accept(), SO_LINGER {1,0}, close() -> RST right
        after the handshake, before any data.
  9999  nothing listens (closed port).
"""
import socket
import struct
import sys
import threading

BODY = b"hello from 198.51.100.10\n"


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def listener(port):
    s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    s.bind(("::", port))
    s.listen(16)
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
        c.sendall(b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n"
                  b"Content-Length: %d\r\n\r\n" % len(BODY) + BODY)
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


def serve(port, handler, inline=False):
    s = listener(port)

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


if __name__ == "__main__":
    serve(80, http)
    serve(7, echo)
    serve(8080, echo)
    serve(8443, echo)
    t = serve(8081, reset, inline=True)
    log("listening")
    t.join()
