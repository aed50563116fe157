#!/usr/bin/env python3
"""memory.py — bounded resources: peak RSS of tshark with and without tcpdiag
over captures of N spoofed SYNs from random sources (each SYN its own
connection, never answered: the worst case for per-connection state), at
several sizes, to show that the plugin's memory grows linearly and to
report the bytes it adds per connection.

    memory.py [--build BUILD] [--sizes 500000,1000000] [--mode one-pass|two-pass|conn]
              [--max-bytes-per-conn B]

Modes (a display filter makes tshark -q dissect at all): one-pass
(-q -Y tcp), two-pass (-2 -q -Y tcp), conn (-q -Y tcp, plus -z tcpdiag,conn
with the plugin: the report's row per connection counts as its cost). Peak RSS comes from GNU time
(%M, kB). Prints a table, the per-connection slope with and without the
plugin (least squares over the sizes) and the difference; with
--max-bytes-per-conn exits 1 when the plugin adds more than B bytes per
connection.

SPDX-License-Identifier: GPL-2.0-or-later
"""
import argparse
import os
import random
import shutil
import struct
import sys
import tempfile
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tdrun  # noqa: E402

T0 = 1700000000
ETH = bytes.fromhex("020000000002" "020000000001" "0800")
IP = struct.Struct(">BBHHHBBH4s4s")
TCP = struct.Struct(">HHIIBBHHH")
REC = struct.Struct("<IIII")
DST = bytes([192, 0, 2, 10])


def syn_flood(path, n, seed=1):
    """n SYNs, 10 µs apart, from random sources to 192.0.2.10:80."""
    rnd = random.Random(seed)
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 262144, 1))
        chunk = []
        for i in range(n):
            # Random unicast sources outside 0/8, 127/8 and 224/3.
            a = rnd.randrange(1, 224)
            if a == 127:
                a = 128
            src = bytes([a, rnd.randrange(256), rnd.randrange(256), rnd.randrange(1, 255)])
            ip = IP.pack(0x45, 0, 40, i & 0xffff, 0, 64, 6, 0, src, DST)
            tcp = TCP.pack(rnd.randrange(1024, 65536), 80, rnd.getrandbits(32), 0, 0x50, 0x02,
                           64240, 0, 0)
            us = i * 10
            frame = ETH + ip + tcp
            chunk.append(REC.pack(T0 + us // 1000000, us % 1000000, len(frame), len(frame)) + frame)
            if len(chunk) >= 10000:
                f.write(b"".join(chunk))
                chunk = []
        f.write(b"".join(chunk))


# tshark -q alone skips dissection (nothing to print, filter or tap), and
# the plugin would never run: a display filter forces it, in both runs.
MODES = {"one-pass": (["-q", "-Y", "tcp"], []),
         "two-pass": (["-2", "-q", "-Y", "tcp"], []),
         "conn": (["-q", "-Y", "tcp"], ["-z", "tcpdiag,conn"])}


def peak_rss_kb(ts, cap, args):
    scratch = os.path.join(ts.stage, "scratch")  # writable by user nobody
    os.makedirs(scratch, exist_ok=True)
    os.chmod(scratch, 0o777)
    out = os.path.join(scratch, "time.txt")
    t = time.time()
    r = ts.run(cap, args, staged=True, wrapper=["/usr/bin/time", "-f", "%M", "-o", out],
               discard_stdout=True)
    if r.rc != 0:
        raise tdrun.ToolError("%s\n%s" % (r.describe(), r.stderr[-2000:]))
    with open(out) as f:
        kb = int(f.read().strip().splitlines()[-1])
    os.unlink(out)
    return kb, time.time() - t


def slope(xs, ys):
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    den = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / den if den else 0.0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--build", default=None)
    ap.add_argument("--sizes", default="500000,1000000")
    ap.add_argument("--mode", choices=sorted(MODES), default="one-pass")
    ap.add_argument("--max-bytes-per-conn", type=float, default=0)
    a = ap.parse_args()
    tdrun.ensure_tool("/usr/bin/time", "time")
    sizes = [int(s) for s in a.sizes.split(",")]
    if len(sizes) < 2:
        raise tdrun.ToolError("give at least two sizes")
    so = tdrun.plugin_in(a.build or tdrun.default_build())
    if tdrun.is_sanitized(so):
        raise tdrun.ToolError("%s is sanitized: measure the plain build" % so)
    rows = []
    with tdrun.Tshark(so, timeout=3600) as ts, tdrun.Tshark(None, timeout=3600) as base:
        for n in sizes:
            tmp = tempfile.mkdtemp(prefix="tdmem.")
            cap = os.path.join(tmp, "synflood-%d.pcap" % n)
            syn_flood(cap, n)
            staged = ts.stage_input(cap)
            staged_b = base.stage_input(cap)
            shutil.rmtree(tmp)
            args, extra = MODES[a.mode]
            without, tw = peak_rss_kb(base, staged_b, args)
            with_, tp = peak_rss_kb(ts, staged, args + extra)
            os.unlink(staged)
            os.unlink(staged_b)
            rows.append((n, without, with_, tw, tp))
            print("%9d SYNs: peak RSS without %8d kB (%5.0f s), with tcpdiag %8d kB (%5.0f s), "
                  "added %7d kB = %6.0f B/conn" % (n, without, tw, with_, tp, with_ - without,
                                                   (with_ - without) * 1024.0 / n), flush=True)
    ns = [r[0] for r in rows]
    s_without = slope(ns, [r[1] * 1024.0 for r in rows])
    s_with = slope(ns, [r[2] * 1024.0 for r in rows])
    print("mode %s: growth per connection: without %.0f B, with %.0f B; tcpdiag adds %.0f B/conn"
          % (a.mode, s_without, s_with, s_with - s_without))
    if a.max_bytes_per_conn and s_with - s_without > a.max_bytes_per_conn:
        print("FAIL: more than %.0f B per connection" % a.max_bytes_per_conn)
        return 1
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except tdrun.ToolError as e:
        sys.exit("memory.py: %s" % e)
