#!/usr/bin/python3
"""profile.py — where the plugin's extra instructions go (run it through
tests/bench/profile).

Runs tshark under valgrind --tool=callgrind, without (A) and with (B) the
plugin, for command pairs over one capture (default: fields and report over
the 100k mix):
  fields   -Y tcp -T fields -e tcp.stream -e frame.number   (+ -e tcpdiag.verdict)
  filter   -Y tcp.flags.reset==1                             (vs tcpdiag.verdict == "refused")
  report   -2 -q -z conv,tcp                                 (vs -z tcpdiag,conn)
  bare     -r F                                              (the same)
  disabled -r F                                              (+ --disable-protocol tcpdiag)
and over the DNS-heavy capture (gen_pcap.py --dns-lookups, default 20k lookups):
  dns         -r F                                           (the same)
  dns-fields  -Y dns -T fields -e frame.number -e dns.qry.name (+ -e tcpdiag.dns.verdict)
  dns-report  -2 -q -z dns,tree                              (vs -z tcpdiag,hosts)
(as in bench.py: B without tcpdiag.dns.verdict when the plugin lacks it, and
dns-report skipped when it lacks tcpdiag,hosts), and each side on one packet
of the mix for tshark's start-up; then compares the profiles: total
instructions (Ir), per packet with the start-up subtracted (mix pairs), the
plugin's own functions (inclusive), the functions whose exclusive cost grew
most, and the growth by shared object. Names of Wireshark's static functions (dissect_tcp,
...) show only when its debug symbols are installed (libwireshark16-dbgsym
from the debian-debug archive); without them they read "0x...".

SPDX-License-Identifier: GPL-2.0-or-later
"""
import argparse
import datetime
import glob
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench  # noqa: E402  (staging, capture generation)

# name, A args, B args, capture ("mix" or "dns")
PAIRS = [
    ("fields",
     ["-r", "{F}", "-Y", "tcp", "-T", "fields", "-e", "tcp.stream", "-e", "frame.number"],
     ["-r", "{F}", "-Y", "tcp", "-T", "fields", "-e", "tcp.stream", "-e", "frame.number",
      "-e", "tcpdiag.verdict"], "mix"),
    ("filter", ["-r", "{F}", "-Y", "tcp.flags.reset==1"],
     ["-r", "{F}", "-Y", 'tcpdiag.verdict == "refused"'], "mix"),
    ("report", ["-2", "-r", "{F}", "-q", "-z", "conv,tcp"],
     ["-2", "-r", "{F}", "-q", "-z", "tcpdiag,conn"], "mix"),
    ("bare", ["-r", "{F}"], ["-r", "{F}"], "mix"),
    ("disabled", ["-r", "{F}"], ["-r", "{F}", "--disable-protocol", "tcpdiag"], "mix"),
    ("dns", ["-r", "{F}"], ["-r", "{F}"], "dns"),
] + [("dns-fields",) + bench.DNS_ROWS[1][2:4] + ("dns",),
     ("dns-report",) + bench.DNS_ROWS[2][2:4] + ("dns",)]
BENCH_ROW = {"dns-fields": "dns-fields", "dns-report": "dns-report"}   # for bench.b_lacks
# tshark's start-up (profiles, dissector registration, the plugin's own
# registration on B) measured on one packet, to give per-packet figures.
STARTUP = ("startup", ["-r", "{F}", "-c", "1"], ["-r", "{F}", "-c", "1"], "mix")

LINE = re.compile(r"^\s*([\d,]+)\s+(?:\(\s*[\d.]+%\)\s+)?(.+?)(?:\s+\[(.+)\])?\s*$")


def annotate(path, inclusive):
    """{function: Ir} and the program total from callgrind_annotate."""
    out = subprocess.run(["callgrind_annotate", "--inclusive=" + ("yes" if inclusive else "no"),
                          "--threshold=100", path], stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, check=True).stdout.decode(errors="replace")
    funcs, total, in_table = {}, None, False
    for line in out.splitlines():
        if "PROGRAM TOTALS" in line:
            total = int(line.split()[0].replace(",", ""))
            continue
        if line.startswith("Ir") and "file:function" in line:
            in_table = True
            continue
        if not in_table or not line.strip() or line.startswith("-"):
            continue
        m = LINE.match(line)
        if not m:
            continue
        fn = m.group(2)
        fn = re.sub(r"^\S*?:(?=[^:])", "", fn, count=1) if ":" in fn else fn  # drop the file
        obj = os.path.basename(m.group(3) or "?")
        obj = re.sub(r"\.so[.\d]*$", ".so", obj)
        key = (fn, obj)
        funcs[key] = funcs.get(key, 0) + int(m.group(1).replace(",", ""))
    return funcs, total


def fmt(n):
    return "{:,}".format(n)


def total_ir(path):
    """The program total of a callgrind output (its "summary:" line)."""
    with open(path, errors="replace") as f:
        for line in f:
            if line.startswith("summary:") or line.startswith("totals:"):
                return int(line.split()[1])
    return annotate(path, False)[1]


def summarize(name, a_path, b_path, top, startup=None, packets=None):
    a_ex, a_tot = annotate(a_path, False)
    b_ex, b_tot = annotate(b_path, False)
    b_in, _ = annotate(b_path, True)
    d = b_tot - a_tot
    out = ["### %s\n" % name,
           "| | Ir |", "|---|--:|",
           "| A (no plugin) | %s |" % fmt(a_tot), "| B (plugin) | %s |" % fmt(b_tot),
           "| B − A | %s (%+.1f%%) |" % (fmt(d), 100.0 * d / a_tot)]
    if startup and packets:
        sa, sb = startup
        per = (d - (sb - sa)) / float(packets)
        out.append("| per packet, start-up (%s / %s) subtracted | A %s, B − A %+.0f (B/A %.3f) |"
                   % (fmt(sa), fmt(sb), fmt(int((a_tot - sa) / packets)), per,
                      1 + (d - (sb - sa)) / float(a_tot - sa)))
    out.append("")
    own = sorted(((v, f) for (f, o), v in b_in.items() if o == "tcpdiag.so"), reverse=True)
    out += ["Plugin functions, inclusive (share of B − A):\n", "| function | Ir | of B − A |",
            "|---|--:|--:|"]
    for v, f in own[:top]:
        out.append("| %s | %s | %.1f%% |" % (f, fmt(v), 100.0 * v / d if d else 0))
    delta = {}
    for k in set(a_ex) | set(b_ex):
        delta[k] = b_ex.get(k, 0) - a_ex.get(k, 0)
    grew = sorted(delta.items(), key=lambda kv: -kv[1])
    out += ["\nFunctions whose exclusive cost grew most (B − A):\n",
            "| function | object | A Ir | B Ir | Δ | of B − A |", "|---|---|--:|--:|--:|--:|"]
    for (f, o), v in grew[:top]:
        out.append("| %s | %s | %s | %s | %s | %.1f%% |" % (
            f, o, fmt(a_ex.get((f, o), 0)), fmt(b_ex.get((f, o), 0)), fmt(v),
            100.0 * v / d if d else 0))
    by_obj = {}
    for (f, o), v in delta.items():
        by_obj[o] = by_obj.get(o, 0) + v
    out += ["\nGrowth by object:\n", "| object | Δ Ir | of B − A |", "|---|--:|--:|"]
    for o, v in sorted(by_obj.items(), key=lambda kv: -abs(kv[1]))[:8]:
        out.append("| %s | %s | %.1f%% |" % (o, fmt(v), 100.0 * v / d if d else 0))
    return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser(description="callgrind profile of tshark with / without tcpdiag")
    ap.add_argument("--packets", default="100k", help="mix capture size (default 100k)")
    ap.add_argument("--dns-lookups", default="20k",
                    help="DNS capture size for the dns* pairs (default 20k lookups)")
    ap.add_argument("--pairs", default="fields,report",
                    help="among %s (default fields,report)" % ",".join(p[0] for p in PAIRS))
    ap.add_argument("--plugin", help="tcpdiag.so (default: the build tree's)")
    ap.add_argument("--top", type=int, default=20)
    ap.add_argument("--scratch", default=os.environ.get("TCPDIAG_BENCH_DIR", "/tmp/tcpdiag-bench"))
    ap.add_argument("--reuse", help="a folder of earlier callgrind.*.out files: only summarize")
    a = ap.parse_args()

    pairs = [p for p in PAIRS if p[0] in a.pairs.split(",")]
    unknown = set(a.pairs.split(",")) - {p[0] for p in PAIRS}
    if unknown or not pairs:
        bench.die("unknown pairs %s; choose among %s" % (",".join(sorted(unknown)),
                                                          ",".join(p[0] for p in PAIRS)))
    notes = {}
    packets = bench.parse_count(a.packets)
    if a.reuse:
        pairs = [p for p in pairs if os.path.exists(
            os.path.join(a.reuse, "callgrind.%s.B.out" % p[0]))]
        outdir = a.reuse
    else:
        so = a.plugin
        if not so:
            build = os.environ.get("TCPDIAG_BUILD_DIR", os.path.join(bench.REPO, "build"))
            found = sorted(glob.glob(os.path.join(build, "plugins", "*", "epan", "tcpdiag.so")))
            if not found:
                bench.die("no tcpdiag.so under %s/plugins — run scripts/setup" % build)
            so = found[0]
        os.makedirs(a.scratch, exist_ok=True)
        os.chmod(a.scratch, 0o755)
        caps = {}
        caps["mix"] = bench.ensure_capture(a.scratch, packets, 0)[0]  # always: the start-up runs on it
        if any(p[3] == "dns" for p in pairs):
            caps["dns"] = bench.ensure_capture(a.scratch, 0, 0,
                                               bench.parse_count(a.dns_lookups))[0]
        outdir = os.path.join(a.scratch, "callgrind-" +
                              datetime.datetime.now().strftime("%Y%m%d-%H%M%S"))
        os.makedirs(outdir)
        os.chmod(outdir, 0o777)   # written by tshark running as nobody
        stage = bench.Stage(so)
        try:
            kept = []
            for name, a_args, b_args, cap in pairs + [STARTUP]:
                path = caps[cap]
                lacks = bench.b_lacks(stage, BENCH_ROW.get(name, ""))
                if lacks and name == "dns-report":
                    bench.log("profile: %s skipped, the plugin lacks %s" % (name, lacks))
                    continue
                if lacks:
                    notes[name] = "the plugin lacks %s: B runs A's command" % lacks
                    bench.log("profile: %s: %s" % (name, notes[name]))
                    b_args = a_args
                if name != STARTUP[0]:
                    kept.append((name, a_args, b_args, cap))
                for side, args in (("A", a_args), ("B", b_args)):
                    out = os.path.join(outdir, "callgrind.%s.%s.out" % (name, side))
                    vg = ["valgrind", "--tool=callgrind", "--callgrind-out-file=" + out]
                    cmd = stage.cmd(side == "B", [x.replace("{F}", path) for x in args], vg)
                    bench.log("profile: %s %s (valgrind, a few minutes)" % (name, side))
                    with open(os.devnull, "wb") as null:
                        p = subprocess.run(cmd, stdout=null, stderr=subprocess.PIPE)
                    if p.returncode != 0 or not os.path.exists(out):
                        bench.die("callgrind failed: %s\n%s" % (
                            " ".join(cmd), p.stderr.decode(errors="replace")[-2000:]))
        finally:
            stage.cleanup()
        pairs = kept
    md = ["## callgrind: %s\n" % outdir]
    startup = None
    sa = os.path.join(outdir, "callgrind.startup.A.out")
    sb = os.path.join(outdir, "callgrind.startup.B.out")
    if os.path.exists(sa) and os.path.exists(sb):
        startup = (total_ir(sa), total_ir(sb))
    for name, _, _, cap in pairs:
        if name in notes:
            md.append("(%s: %s)\n" % (name, notes[name]))
        md.append(summarize(name, os.path.join(outdir, "callgrind.%s.A.out" % name),
                            os.path.join(outdir, "callgrind.%s.B.out" % name), a.top,
                            startup if cap == "mix" else None, packets))
    text = "\n".join(md)
    with open(os.path.join(outdir, "summary.md"), "w") as f:
        f.write(text)
    print(text)


if __name__ == "__main__":
    main()
