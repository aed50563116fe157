#!/usr/bin/python3
"""bench.py — the tcpdiag performance benchmark (run it through tests/bench/run).

For each capture size, runs pairs of tshark commands — A without the plugin,
B with it — alternating A and B (ABAB... then BABA...) so that the drift of a
shared machine hits both alike, and reports the median wall time and peak RSS
(GNU time's %e and %M) of each, their ratios against the targets, and the
per-packet / per-connection slopes between two sizes. Output: Markdown on
stdout, and raw samples in <scratch>/results-<stamp>.json.

tshark runs as the unprivileged user nobody when we are root (tshark as root
ignores WIRESHARK_PLUGIN_DIR), directly on the generated capture (no copy),
with an empty HOME and, for A, an empty plugin folder.

SPDX-License-Identifier: GPL-2.0-or-later
"""
import argparse
import datetime
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(REPO, "tests", "lib"))
import wsversion  # noqa: E402  (-G protocols has more columns from 4.2 on)

# name: (description, A args, B args, B loads the plugin, target (wall, rss) or None)
# "{F}" is the capture. Every A runs with no plugin at all.
ROWS = [
    ("fields", "-T fields, + tcpdiag.verdict",
     ["-r", "{F}", "-Y", "tcp", "-T", "fields", "-e", "tcp.stream", "-e", "frame.number"],
     ["-r", "{F}", "-Y", "tcp", "-T", "fields", "-e", "tcp.stream", "-e", "frame.number",
      "-e", "tcpdiag.verdict"], (1.05, 1.10)),
    ("fields-idle", "-T fields, plugin loaded, unused",
     ["-r", "{F}", "-Y", "tcp", "-T", "fields", "-e", "tcp.stream", "-e", "frame.number"],
     ["-r", "{F}", "-Y", "tcp", "-T", "fields", "-e", "tcp.stream", "-e", "frame.number"],
     (1.05, 1.10)),
    ("filter", "-Y: tcp.flags.reset==1 vs tcpdiag.verdict==\"refused\"",
     ["-r", "{F}", "-Y", "tcp.flags.reset==1"],
     ["-r", "{F}", "-Y", 'tcpdiag.verdict == "refused"'], (1.05, 1.10)),
    ("report", "-2 -q: -z conv,tcp vs -z tcpdiag,conn",
     ["-2", "-r", "{F}", "-q", "-z", "conv,tcp"],
     ["-2", "-r", "{F}", "-q", "-z", "tcpdiag,conn"], (1.10, 1.10)),
    ("bare", "tshark -r F (summary lines)",
     ["-r", "{F}"], ["-r", "{F}"], (1.05, 1.10)),
    ("disabled", "tshark -r F, --disable-protocol tcpdiag",
     ["-r", "{F}"], ["-r", "{F}", "--disable-protocol", "tcpdiag"], (1.02, 1.02)),
]
# Rows over the DNS-heavy capture (--dns N, gen_pcap.py --dns-lookups): what
# the checklist evidence (issue #11) costs. B's field / report may not exist
# in the plugin measured: DNS_NEEDS says what B needs; without it dns-fields
# runs B without the extra field (the plugin loaded, nothing asked of it) and
# dns-report is reported "n/a".
DNS_ROWS = [
    ("dns-bare", "DNS capture: tshark -r F",
     ["-r", "{F}"], ["-r", "{F}"], None),
    ("dns-fields", "DNS capture: -Y dns -T fields, + tcpdiag.dns.verdict",
     ["-r", "{F}", "-Y", "dns", "-T", "fields", "-e", "frame.number", "-e", "dns.qry.name"],
     ["-r", "{F}", "-Y", "dns", "-T", "fields", "-e", "frame.number", "-e", "dns.qry.name",
      "-e", "tcpdiag.dns.verdict"], None),
    ("dns-report", "DNS capture: -2 -q: -z dns,tree vs -z tcpdiag,hosts",
     ["-2", "-r", "{F}", "-q", "-z", "dns,tree"],
     ["-2", "-r", "{F}", "-q", "-z", "tcpdiag,hosts"], None),
]
DNS_NEEDS = {"dns-fields": ("field", "tcpdiag.dns.verdict"),
             "dns-report": ("stat", "tcpdiag,hosts")}
DNS_ROW_NAMES = [r[0] for r in DNS_ROWS]
ROW_NAMES = [r[0] for r in ROWS] + DNS_ROW_NAMES
DEFAULT_ROWS = ["fields", "filter", "report", "bare", "disabled"] + DNS_ROW_NAMES
LARGE_ROWS = ["report", "bare"]     # 10M: the rows a forced tree hurts most (~15 min)


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def die(msg):
    log("bench: " + msg)
    sys.exit(1)


def parse_count(s):
    s = s.strip().lower()
    mult = {"k": 1000, "m": 1000000}.get(s[-1:], 1)
    return int(float(s[:-1] if mult > 1 else s) * mult)


def label(n):
    if n % 1000000 == 0:
        return "%dM" % (n // 1000000)
    if n % 1000 == 0:
        return "%dk" % (n // 1000)
    return str(n)


class Stage:
    """Plugin folders (with / without tcpdiag.so) and a HOME nobody can use."""

    def __init__(self, so, compare=None):
        self.dir = tempfile.mkdtemp(prefix="tcpdiag-bench-stage.")
        os.chmod(self.dir, 0o755)
        abi = os.path.basename(os.path.dirname(os.path.dirname(so)))
        self.with_plugin = os.path.join(self.dir, "plugins")
        self.compare = os.path.join(self.dir, "plugins-c")
        self.without = os.path.join(self.dir, "no-plugins")
        self.home = os.path.join(self.dir, "home")
        os.makedirs(os.path.join(self.with_plugin, abi, "epan"))
        os.makedirs(self.without)
        os.makedirs(self.home)
        shutil.copy(so, os.path.join(self.with_plugin, abi, "epan", "tcpdiag.so"))
        if compare:
            os.makedirs(os.path.join(self.compare, abi, "epan"))
            shutil.copy(compare, os.path.join(self.compare, abi, "epan", "tcpdiag.so"))
        for root, dirs, files in os.walk(self.dir):
            for d in dirs:
                os.chmod(os.path.join(root, d), 0o755)
            for f in files:
                os.chmod(os.path.join(root, f), 0o755)
        os.chmod(self.home, 0o777)

    def cmd(self, plugin, args, prefix=()):
        """plugin: False (A), True (B) or "C" (the --compare build)."""
        pdir = self.compare if plugin == "C" else self.with_plugin if plugin else self.without
        env = ["env", "-i", "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LANG=C.UTF-8",
               "HOME=" + self.home, "WIRESHARK_PLUGIN_DIR=" + pdir]
        drop = []
        if os.geteuid() == 0:
            drop = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"]
        return env + drop + list(prefix) + ["tshark"] + list(args)

    def cleanup(self):
        shutil.rmtree(self.dir, ignore_errors=True)


def timed(stage, plugin, args, stdout_path=os.devnull):
    """Runs one tshark under GNU time; returns (wall s, peak RSS KiB, cpu s)."""
    tf = tempfile.NamedTemporaryFile(prefix="tcpdiag-bench-time.", delete=False)
    tf.close()
    cmd = ["/usr/bin/time", "-o", tf.name, "-f", "%e %M %U %S"] + stage.cmd(plugin, args)
    with open(stdout_path, "wb") as out:
        p = subprocess.run(cmd, stdout=out, stderr=subprocess.PIPE)
    with open(tf.name) as f:
        last = f.read().strip().splitlines()
    os.unlink(tf.name)
    err = p.stderr.decode(errors="replace")
    err = "\n".join(l for l in err.splitlines() if "Running as user" not in l)
    if p.returncode != 0 or err.strip():
        die("tshark failed (%d): %s\n%s" % (p.returncode, " ".join(cmd), err))
    wall, rss, user, sys_ = last[-1].split()
    return float(wall), int(rss), float(user) + float(sys_)


def ensure_capture(scratch, packets, flood, dns=0):
    """Generates the capture unless an identical one (same .meta) exists.
    dns: a DNS-heavy capture of that many lookups instead."""
    name = ("dns-%d" % dns) if dns else ("mix-%d" % packets) if packets else ("flood-%d" % flood)
    path = os.path.join(scratch, name + ".pcap")
    want = {"packets": packets, "syn_flood": flood}
    gen = os.path.join(HERE, "gen_pcap.py")
    src = open(gen).read()
    want["generator_version"] = int(re.search(r"^VERSION = (\d+)", src, re.M).group(1))
    if dns:
        want["dns_lookups"] = dns
        want["dns_version"] = int(re.search(r"^DNS_VERSION = (\d+)", src, re.M).group(1))
    try:
        with open(path + ".meta") as f:
            meta = json.load(f)
        if os.path.exists(path) and all(meta[k] == v for k, v in want.items()):
            return path, meta
    except (OSError, ValueError, KeyError):
        pass
    log("bench: generating %s" % path)
    cmd = [sys.executable, gen, "-o", path]
    if dns:
        cmd += ["--dns-lookups", str(dns)]
    else:
        cmd += ["--packets", str(packets)] if packets else ["--syn-flood", str(flood)]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    os.chmod(path, 0o644)
    with open(path + ".meta") as f:
        return path, json.load(f)


def count_connections(stage, path):
    """Connections as tcpdiag counts them (its report's summary line)."""
    out = subprocess.run(stage.cmd(True, ["-r", path, "-q", "-z", "tcpdiag,conn"]),
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    m = re.search(rb"^Connections: (\d+)", out.stdout, re.M)
    if out.returncode != 0 or not m:
        die("the plugin does not load or report: %s" % out.stderr.decode(errors="replace"))
    return int(m.group(1))


def sanity(stage, path):
    """The A side must lack the plugin, the B side must have it."""
    def protos(plugin):
        out = subprocess.run(stage.cmd(plugin, ["-G", "protocols"]), stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL)
        return "tcpdiag" in wsversion.protocol_filter_names(out.stdout.decode(errors="replace"))
    if protos(False) or not protos(True):
        die("plugin staging is wrong (A sees tcpdiag: %s, B sees it: %s)"
            % (protos(False), protos(True)))


def b_lacks(stage, row_name, plugin=True):
    """What B's command needs and the plugin measured lacks (plugin="C":
    the --compare build), or None."""
    need = DNS_NEEDS.get(row_name)
    if not need:
        return None
    kind, what = need
    if kind == "field":
        out = subprocess.run(stage.cmd(plugin, ["-G", "fields"]), stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL).stdout.decode(errors="replace")
        ok = any(line.split("\t")[2:3] == [what] for line in out.splitlines())
    else:
        # tshark -z help lists every registered statistic, one per line
        p = subprocess.run(stage.cmd(plugin, ["-z", "help"]), stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT)
        ok = what in p.stdout.decode(errors="replace").split()
    return None if ok else what


def machine():
    cpu = "?"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = "?"
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal"):
                mem = "%.1f GiB" % (int(line.split()[1]) / 1048576)
    ver = subprocess.run(["tshark", "--version"], stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL).stdout.decode().splitlines()[0].rstrip(".")
    return {"nproc": os.cpu_count(), "cpu": cpu, "memory": mem, "tshark": ver,
            "kernel": platform.release(), "loadavg": open("/proc/loadavg").read().split()[:3]}


def median(xs):
    return statistics.median(xs)


def run_pair(stage, row, path, reps, sides=("A", "B"), c_args=None):
    """c_args: C's command when it differs from B's."""
    name, _, a_args, b_args = row[:4]
    args = {"A": a_args, "B": b_args, "C": b_args if c_args is None else c_args}
    args = {k: [x.replace("{F}", path) for x in v] for k, v in args.items()}
    samples = {side: [] for side in sides}
    for i in range(reps):
        # ABAB... then BABA... (with C: ABC, BCA, CAB...)
        order = sides[i % len(sides):] + sides[:i % len(sides)]
        for side in order:
            plugin = {"A": False, "B": True, "C": "C"}[side]
            r = timed(stage, plugin, args[side])
            samples[side].append(r)
            log("bench:   %-12s %s rep %d: %.2f s %d KiB" % (name, side, i + 1, r[0], r[1]))
    return samples


def summarize(samples):
    s = {}
    for side in samples:
        s[side] = {"wall": median([x[0] for x in samples[side]]),
                   "rss": median([x[1] for x in samples[side]]),
                   "cpu": median([x[2] for x in samples[side]]),
                   "walls": [x[0] for x in samples[side]]}
    s["wall_ratio"] = s["B"]["wall"] / s["A"]["wall"] if s["A"]["wall"] else float("nan")
    s["rss_ratio"] = s["B"]["rss"] / s["A"]["rss"] if s["A"]["rss"] else float("nan")
    if "C" in s:
        s["C_wall_ratio"] = s["C"]["wall"] / s["A"]["wall"] if s["A"]["wall"] else float("nan")
        s["C_rss_ratio"] = s["C"]["rss"] / s["A"]["rss"] if s["A"]["rss"] else float("nan")
    return s


def verdict(ratio, target):
    if target is None:
        return ""
    return "ok" if ratio <= target else "**over**"


def main():
    ap = argparse.ArgumentParser(description="tcpdiag performance benchmark")
    ap.add_argument("--sizes", default="100k,1M",
                    help="mix sizes in packets, comma separated (default 100k,1M; \"\" for none)")
    ap.add_argument("--large", action="store_true",
                    help="also 10M packets (rows --large-rows) and a 1M-SYN flood (all rows), "
                    "--large-reps each")
    ap.add_argument("--large-rows", default=",".join(LARGE_ROWS),
                    help="rows for 10M packets (default %s)" % ",".join(LARGE_ROWS))
    ap.add_argument("--flood", metavar="N",
                    help="also a capture of N spoofed SYNs (all rows; --large implies 1M)")
    ap.add_argument("--dns", metavar="N[,N]",
                    help="also a DNS-heavy capture of N lookups (gen_pcap.py --dns-lookups; "
                    "rows %s); two sizes give per-lookup slopes" % ",".join(DNS_ROW_NAMES))
    ap.add_argument("--reps", type=int, default=3, help="repetitions of each A and B (median)")
    ap.add_argument("--large-reps", type=int, default=1,
                    help="repetitions for sizes of 10M packets or more (default 1)")
    ap.add_argument("--rows", default=",".join(DEFAULT_ROWS),
                    help="rows to run among %s (default %s)" % (",".join(ROW_NAMES),
                                                                 ",".join(DEFAULT_ROWS)))
    ap.add_argument("--plugin", help="tcpdiag.so to measure (default: the build tree's)")
    ap.add_argument("--compare", metavar="SO",
                    help="a second tcpdiag.so (C), run in turn with A and B: to measure a change")
    ap.add_argument("--scratch", default=os.environ.get("TCPDIAG_BENCH_DIR", "/tmp/tcpdiag-bench"))
    a = ap.parse_args()

    so = a.plugin
    if not so:
        build = os.environ.get("TCPDIAG_BUILD_DIR", os.path.join(REPO, "build"))
        import glob
        found = sorted(glob.glob(os.path.join(build, "plugins", "*", "epan", "tcpdiag.so")))
        if not found:
            die("no tcpdiag.so under %s/plugins — run scripts/setup" % build)
        so = found[0]
    rows = [r for r in ROWS if r[0] in a.rows.split(",")]
    dns_rows = [r for r in DNS_ROWS if r[0] in a.rows.split(",")]
    unknown = set(a.rows.split(",")) - set(ROW_NAMES)
    if unknown or not (rows or dns_rows):
        die("unknown rows %s; choose among %s" % (",".join(sorted(unknown)), ",".join(ROW_NAMES)))
    dns_sizes = [parse_count(x) for x in a.dns.split(",") if x] if a.dns else []
    if dns_sizes and not dns_rows:
        dns_rows = DNS_ROWS
    os.makedirs(a.scratch, exist_ok=True)
    os.chmod(a.scratch, 0o755)

    sets = [(parse_count(s), 0, a.reps, rows) for s in a.sizes.split(",") if s] if rows else []
    if a.large and rows:
        large_rows = [r for r in ROWS if r[0] in a.large_rows.split(",")] or rows
        sets.append((10000000, 0, a.large_reps, large_rows))
    flood = a.flood or ("1M" if a.large else None)
    if flood and rows:
        sets.append((0, parse_count(flood), a.large_reps if a.large else a.reps, rows))
    sets = [(p, f, a.large_reps if p >= 10000000 else r, rw, 0) for p, f, r, rw in sets]
    sets += [(0, 0, a.reps, dns_rows, n) for n in dns_sizes]
    if not sets:
        die("nothing to run: give --sizes, --flood, --dns or --large")

    stage = Stage(so, a.compare)
    sides = ("A", "B", "C") if a.compare else ("A", "B")
    results = {"machine": machine(), "plugin": so, "compare": a.compare, "reps": a.reps,
               "runs": []}
    try:
        first = True
        for packets, flood, reps, rws, dns in sets:
            path, meta = ensure_capture(a.scratch, packets, flood, dns)
            if first:
                sanity(stage, path)
                first = False
            conns = count_connections(stage, path)
            log("bench: %s: %d frames, %d connections, %d rep(s)"
                % (os.path.basename(path), meta["frames"], conns, reps))
            for row in rws:
                lacks = b_lacks(stage, row[0])
                note = None
                if lacks and row[0] == "dns-report":
                    log("bench:   %s: n/a, the plugin lacks %s" % (row[0], lacks))
                    results["runs"].append({"capture": os.path.basename(path), "row": row[0],
                                            "packets": meta["frames"], "flood": flood,
                                            "dns": dns, "na": "plugin lacks " + lacks})
                    continue
                if lacks:
                    # the same command as A, with the plugin loaded (the baseline)
                    note = "plugin lacks %s: B without it" % lacks
                    log("bench:   %s: %s" % (row[0], note))
                    row = row[:3] + (row[2],) + row[4:]
                c_args = None
                if a.compare and not lacks and b_lacks(stage, row[0], "C"):
                    # the --compare build predates the field / report: A's command
                    note = "C: plugin lacks %s, runs A's command" % b_lacks(stage, row[0], "C")
                    log("bench:   %s: %s" % (row[0], note))
                    c_args = row[2]
                s = summarize(run_pair(stage, row, path, reps, sides, c_args))
                run = {"capture": os.path.basename(path), "packets": meta["frames"],
                       "flood": flood, "connections": conns, "row": row[0], "reps": reps,
                       "A": s["A"], "B": s["B"], "wall_ratio": s["wall_ratio"],
                       "rss_ratio": s["rss_ratio"], "dns": dns}
                if note:
                    run["note"] = note
                if "C" in s:
                    run.update({"C": s["C"], "C_wall_ratio": s["C_wall_ratio"],
                                "C_rss_ratio": s["C_rss_ratio"]})
                results["runs"].append(run)
    finally:
        stage.cleanup()
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    raw = os.path.join(a.scratch, "results-%s.json" % stamp)
    with open(raw, "w") as f:
        json.dump(results, f, indent=1)
    md = report(results, {r[0]: r for r in ROWS + DNS_ROWS})
    with open(os.path.join(a.scratch, "results-%s.md" % stamp), "w") as f:
        f.write(md)
    print(md)
    log("bench: raw samples in %s" % raw)


def report(results, rowdef):
    m = results["machine"]
    out = []
    out.append("Machine: %s CPUs, %s, %s RAM, Linux %s, load %s at start; %s."
               % (m["nproc"], m["cpu"], m["memory"], m["kernel"], " ".join(m["loadavg"]),
                  m["tshark"]))
    out.append("Median of %d alternating A/B runs (--large-reps for 10M and the --large flood); "
               "A = tshark without the plugin, B = with it. CPU = user + system time, less "
               "sensitive than wall time to other load on the machine.\n" % results["reps"])
    out.append("| Command | Capture | A wall s | B wall s | wall B/A | CPU B/A | A RSS MiB "
               "| B RSS MiB | RSS B/A | target (wall, RSS) |")
    out.append("|---|---|--:|--:|--:|--:|--:|--:|--:|---|")
    for r in results["runs"]:
        d = rowdef[r["row"]]
        tgt = d[4]
        cap = capture_label(r)
        if "na" in r:
            out.append("| %s | %s | n/a: %s | | | | | | | |" % (d[1], cap, r["na"]))
            continue
        desc = d[1] + (" (%s)" % r["note"] if r.get("note") else "")
        tg = "—" if tgt is None else "≤ %.2f, ≤ %.2f: %s, %s" % (
            tgt[0], tgt[1], verdict(r["wall_ratio"], tgt[0]), verdict(r["rss_ratio"], tgt[1]))
        cpu_ratio = r["B"]["cpu"] / r["A"]["cpu"] if r["A"]["cpu"] else float("nan")
        out.append("| %s | %s | %.2f | %.2f | %.3f | %.3f | %.0f | %.0f | %.3f | %s |" % (
            desc, cap, r["A"]["wall"], r["B"]["wall"], r["wall_ratio"], cpu_ratio,
            r["A"]["rss"] / 1024,
            r["B"]["rss"] / 1024, r["rss_ratio"], tg))
    if results.get("compare"):
        out.append("\nC = %s, run in turn with A and B:\n" % results["compare"])
        out.append("| Command | Capture | B wall s | C wall s | wall B/A | wall C/A | CPU B/A "
                   "| CPU C/A | B RSS MiB | C RSS MiB | RSS C/A |")
        out.append("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|")
        for r in results["runs"]:
            if "na" in r:
                continue
            cap = capture_label(r)
            ca = r["A"]["cpu"] or float("nan")
            out.append("| %s | %s | %.2f | %.2f | %.3f | %.3f | %.3f | %.3f | %.0f | %.0f | %.3f |"
                       % (rowdef[r["row"]][1], cap, r["B"]["wall"], r["C"]["wall"],
                          r["wall_ratio"], r["C_wall_ratio"], r["B"]["cpu"] / ca,
                          r["C"]["cpu"] / ca, r["B"]["rss"] / 1024, r["C"]["rss"] / 1024,
                          r["C_rss_ratio"]))
    # Slopes: between the smallest and the largest mix size of each row.
    by_row = {}
    for r in results["runs"]:
        if not r["flood"] and not r.get("dns"):
            by_row.setdefault(r["row"], []).append(r)
    if any(len({r["packets"] for r in rs}) > 1 for rs in by_row.values()):
        out.append("\nSlopes between the two mix sizes (B − A: what the plugin adds; "
                   "per connection: the extra divided by the extra connections):\n")
        out.append("| Command | sizes | A µs/pkt | B µs/pkt | +µs/pkt | +µs/conn | A B/pkt | "
                   "B B/pkt | +B/pkt | +B/conn |")
        out.append("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|")
    for name, rs in by_row.items():
        if len({r["packets"] for r in rs}) < 2:
            continue
        rs.sort(key=lambda r: r["packets"])
        lo, hi = rs[0], rs[-1]
        dp = hi["packets"] - lo["packets"]
        dc = hi["connections"] - lo["connections"]
        sl = {}
        for side in "AB":  # (C: see the raw samples)
            sl[side + "t"] = (hi[side]["wall"] - lo[side]["wall"]) / dp * 1e6
            sl[side + "m"] = (hi[side]["rss"] - lo[side]["rss"]) * 1024 / dp
        xt = sl["Bt"] - sl["At"]
        xm = sl["Bm"] - sl["Am"]
        out.append("| %s | %s→%s | %.2f | %.2f | %+.2f | %+.1f | %.0f | %.0f | %+.0f | %+.0f |" % (
            rowdef[name][1], label(lo["packets"]), label(hi["packets"]), sl["At"], sl["Bt"], xt,
            xt * dp / dc if dc else float("nan"), sl["Am"], sl["Bm"], xm,
            xm * dp / dc if dc else float("nan")))
    flood = [r for r in results["runs"] if r["flood"]]
    if flood:
        out.append("\nSYN flood (one packet per connection): per-connection cost of the plugin:\n")
        out.append("| Command | +µs/conn | +B/conn (RSS) |")
        out.append("|---|--:|--:|")
        for r in flood:
            c = r["connections"] or 1
            out.append("| %s | %+.2f | %+.0f |" % (
                rowdef[r["row"]][1], (r["B"]["wall"] - r["A"]["wall"]) / c * 1e6,
                (r["B"]["rss"] - r["A"]["rss"]) * 1024 / c))
    dns = [r for r in results["runs"] if r.get("dns") and "na" not in r]
    if dns:
        out.append("\nDNS capture: what the plugin adds per lookup (B − A divided by the "
                   "lookups; the capture's connections are included):\n")
        out.append("| Command | lookups | frames | connections | +µs/lookup (wall) | "
                   "+µs/lookup (CPU) | +B/lookup (RSS) |")
        out.append("|---|--:|--:|--:|--:|--:|--:|")
        for r in dns:
            n = r["dns"]
            out.append("| %s | %s | %d | %d | %+.2f | %+.2f | %+.0f |" % (
                rowdef[r["row"]][1] + (" (%s)" % r["note"] if r.get("note") else ""),
                label(n), r["packets"], r["connections"],
                (r["B"]["wall"] - r["A"]["wall"]) / n * 1e6,
                (r["B"]["cpu"] - r["A"]["cpu"]) / n * 1e6,
                (r["B"]["rss"] - r["A"]["rss"]) * 1024 / n))
        by = {}
        for r in dns:
            by.setdefault(r["row"], []).append(r)
        slopes = []
        for name, rs in by.items():
            if len({r["dns"] for r in rs}) < 2:
                continue
            rs.sort(key=lambda r: r["dns"])
            lo, hi = rs[0], rs[-1]
            dn = hi["dns"] - lo["dns"]
            ext = [((hi[s]["wall"] - lo[s]["wall"]) / dn * 1e6,
                    (hi[s]["rss"] - lo[s]["rss"]) * 1024 / dn) for s in "AB"]
            slopes.append("| %s | %s→%s | %+.2f | %+.0f |" % (
                rowdef[name][1], label(lo["dns"]), label(hi["dns"]),
                ext[1][0] - ext[0][0], ext[1][1] - ext[0][1]))
        if slopes:
            out.append("\nPer-lookup slopes between the DNS sizes (B − A, fixed costs "
                       "removed):\n")
            out.append("| Command | lookups | +µs/lookup | +B/lookup |")
            out.append("|---|---|--:|--:|")
            out += slopes
    return "\n".join(out) + "\n"


def capture_label(r):
    if r.get("dns"):
        return "%s DNS lookups" % label(r["dns"])
    if r["flood"]:
        return "%s SYN flood" % label(r["flood"])
    return label(r["packets"])


if __name__ == "__main__":
    main()
