#!/usr/bin/env python3
"""check_hostile.py — tshark with the plugin over the hostile and odd captures
of tests/captures/hostile/, checked against expected.tsv there:

  1. verdicts: with -2, every packet that carries tcpdiag output names one
     connection (tcpdiag.stream, or "-" for a connection known only from an
     ICMP quote) and one verdict, the same on all its packets; the set of
     connections and their verdicts is exactly the expected one (a capture
     expected to give no output must give none). The -2 and one-pass
     `-z tcpdiag,conn` reports list the same connections and verdicts.
  2. no warning storm: per connection at most one verdict expert item and
     at most max_warnings tcpdiag items of severity Warning; a server-level
     conclusion raised at most once per capture; no tcpdiag item of
     severity Error anywhere.
  3. tcpdiag changes nothing else: the -V text of tshark without the plugin
     equals the -V text with it once the tcpdiag subtrees are deleted (one
     pass and -2), and so does the Info column with default preferences.
  4. every run exits 0 with no sanitizer report and no tcpdiag on stderr.

    check_hostile.py [--build BUILD] [CAPTURE-NAME...]

expected.tsv columns: capture, stream (tcp.stream; "-" for an ICMP-only
connection; "*" with verdict "none" for a capture that must give no tcpdiag
output), verdict, max_warnings, reason. Packets that carry only checklist
evidence (DNS, ARP/ND, ping, DHCP, UDP; no tcpdiag.verdict) belong to no
connection: at most max_warnings of the row with stream "evidence" (0
without one) of their expert items may be Warnings.

SPDX-License-Identifier: GPL-2.0-or-later
"""
import argparse
import concurrent.futures
import csv
import os
import re
import sys
import xml.etree.ElementTree as ET

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tdrun  # noqa: E402
sys.path.insert(0, os.path.join(tdrun.REPO, "tests", "lib"))
import wsversion  # noqa: E402  stream numbers differ between versions: ranks

HOSTILE = os.path.join(tdrun.REPO, "tests", "captures", "hostile")
VERDICTS = ("established", "no-response", "pending", "refused", "icmp-unreachable",
            "half-open", "aborted", "reset-before-data", "simultaneous-open", "stale",
            "midstream")
VERDICT_EXPERTS = {"tcpdiag.expert." + v.replace("-", "_") for v in VERDICTS}


def load_expected(path):
    exp = {}
    with open(path, newline="") as f:
        for row in csv.reader(f, delimiter="\t"):
            if not row or row[0].startswith("#") or row[0] == "capture":
                continue
            if len(row) != 5:
                raise tdrun.ToolError("%s: want 5 tab-separated columns: %r" % (path, row))
            cap, stream, verdict, maxw, reason = row
            if verdict != "none" and verdict not in VERDICTS and stream != "evidence":
                raise tdrun.ToolError("%s: unknown verdict %r" % (path, verdict))
            exp.setdefault(cap, {})[stream] = (verdict, int(maxw), reason)
    return exp


def parse_pdml(text):
    """[(frame, stream key, verdict, [(expert name, severity, message)])] for packets
    with tcpdiag output."""
    out = []
    for pkt in ET.fromstring(text).iter("packet"):
        num = None
        for proto in pkt.findall("proto"):
            if proto.get("name") == "geninfo":
                for f in proto.findall("field"):
                    if f.get("name") == "num":
                        num = int(f.get("show"))
        for proto in pkt.findall("proto"):
            if proto.get("name") != "tcpdiag":
                continue
            verdict = stream = None
            experts = []
            for f in proto.iter("field"):
                name = f.get("name", "")
                if name == "tcpdiag.verdict":
                    verdict = f.get("show")
                elif name == "tcpdiag.stream":
                    stream = f.get("show")
                elif name == "_ws.expert":
                    kind = next((c.get("name") for c in f
                                 if c.get("name", "").startswith("tcpdiag.expert.")), "?")
                    sev = next((c.get("showname", "").split(": ")[-1] for c in f
                                if c.get("name") == "_ws.expert.severity"), "?")
                    msg = next((c.get("show", "") for c in f
                                if c.get("name") == "_ws.expert.message"), "")
                    experts.append((kind, sev, msg))
            out.append((num, stream if stream is not None else "-", verdict, experts))
    return out


def conn_report(text):
    """{stream key: [verdicts]} from a -z tcpdiag,conn report."""
    rows = {}
    inside = False
    for line in text.splitlines():
        if line.startswith("Stream "):
            inside = True
            continue
        if not inside or line.startswith("Connections:") or line.startswith("====="):
            if line.startswith("Connections:"):
                inside = False
            continue
        cols = line.split()
        if len(cols) >= 4 and cols[3] in VERDICTS:
            rows.setdefault(cols[0], []).append(cols[3])
    return rows


def strip_tcpdiag(text):
    """-V text without the tcpdiag subtrees."""
    out, skipping = [], False
    for line in text.splitlines():
        if re.match(r"^\[?TCP Handshake Diagnosis", line):
            skipping = True
            continue
        if skipping and line.startswith(" "):
            continue
        skipping = False
        out.append(line)
    return out


def check(cap, exp, ts, base):
    problems = []

    def run(t, args):
        r = t.run(cap, args)
        if r.rc != 0 or r.crashed() or r.sanitizer_reports():
            problems.append("%s\n%s" % (r.describe(), r.stderr[-3000:]))
        elif t is ts and "tcpdiag" in r.stderr.lower():
            problems.append("%s: stderr mentions tcpdiag: %s" % (r.describe(), r.stderr[-1000:]))
        return r

    # 1 + 2: verdicts and expert items, two passes.
    r = run(ts, ["-2", "-T", "pdml"])
    if r.rc == 0:
        pkts = parse_pdml(r.stdout)
        # expected.tsv numbers connections by 4.0's tcp.stream; 4.4+ split a
        # reused port pair into more streams (the plugin keeps one connection
        # per attempt): compare the connections' order, not their numbers.
        rank = wsversion.stream_ranks([p[1] for p in pkts])
        pkts = [(num, rank(key), verdict, experts) for num, key, verdict, experts in pkts]
        exp_rank = wsversion.stream_ranks(list(exp))
        exp = {exp_rank(k): v for k, v in exp.items()}
        seen = {}
        verdict_items = {}
        warnings = {}
        conclusions = {}
        evidence_warnings = []
        for num, key, verdict, experts in pkts:
            if verdict is None and key == "-":
                # Checklist evidence (DNS, ARP/ND, ping, DHCP, UDP; issue
                # 11) on a packet of no connection: no verdict to check,
                # but its warnings count (none expected in hostile input
                # unless its row says so).
                evidence_warnings += [(num, m) for kind, sev, m in experts if sev == "Warning"]
                if any(sev == "Error" for kind, sev, m in experts):
                    problems.append("frame %d: tcpdiag expert item of severity Error" % num)
                continue
            seen.setdefault(key, set()).add(verdict)
            for kind, sev, msg in experts:
                if kind in VERDICT_EXPERTS:
                    verdict_items[key] = verdict_items.get(key, 0) + 1
                if kind == "tcpdiag.expert.conclusion":
                    # A server-level conclusion: once per capture, not once
                    # per connection of that server.
                    conclusions.setdefault(msg, []).append(num)
                elif sev == "Warning":
                    warnings[key] = warnings.get(key, 0) + 1
                if sev == "Error":
                    problems.append("frame %d: tcpdiag expert item %s of severity Error" % (num, kind))
        want = {k: v for k, v in exp.items() if k not in ("*", "evidence")}
        if "*" in exp and seen:
            problems.append("expected no tcpdiag output, got connections %s" % sorted(seen))
        for key, verdicts in sorted(seen.items()):
            if len(verdicts) != 1:
                problems.append("stream %s: several verdicts on its packets: %s" % (key, sorted(verdicts)))
            if key not in want:
                problems.append("stream %s: unexpected connection with verdict %s" % (key, sorted(verdicts)))
            elif want[key][0] not in verdicts or len(verdicts) != 1:
                problems.append("stream %s: verdict %s, expected %s (%s)"
                                % (key, "/".join(sorted(verdicts)), want[key][0], want[key][2]))
        for key in want:
            if key not in seen:
                problems.append("stream %s: no tcpdiag output, expected %s (%s)"
                                % (key, want[key][0], want[key][2]))
        for msg, frames in sorted(conclusions.items()):
            if len(frames) > 1:
                problems.append("the same conclusion raised %d times (frames %s; warning storm): %s"
                                % (len(frames), ",".join(map(str, frames[:10])), msg[:160]))
        for key, n in verdict_items.items():
            if n > 1:
                problems.append("stream %s: %d verdict expert items (at most one per connection)" % (key, n))
        for key, n in warnings.items():
            limit = want.get(key, (None, 0))[1]
            if n > limit:
                problems.append("stream %s: %d tcpdiag warnings, at most %d expected (warning storm)"
                                % (key, n, limit))
        ev_limit = exp.get("evidence", (None, 0))[1]
        if len(evidence_warnings) > ev_limit:
            problems.append("%d tcpdiag warnings on checklist evidence, at most %d expected: %s"
                            % (len(evidence_warnings), ev_limit,
                               "; ".join("frame %d: %s" % w for w in evidence_warnings[:5])))
        # The reports, final in both modes.
        expected_rows = {k: [v[0]] for k, v in want.items()}
        for args in (["-2", "-q", "-z", "tcpdiag,conn"], ["-q", "-z", "tcpdiag,conn"]):
            rr = run(ts, args)
            if rr.rc == 0:
                rep = conn_report(rr.stdout)
                rep_rank = wsversion.stream_ranks(list(rep))
                rows = {rep_rank(k): sorted(v) for k, v in rep.items()}
                if rows != expected_rows:
                    problems.append("%s report: %s, expected %s" % (" ".join(args), rows, expected_rows))
    # 3: nothing else changes.
    for args in (["-2", "-V"], ["-V"]):
        a, b = run(ts, args), run(base, args)
        if a.rc == 0 and b.rc == 0:
            mine, theirs = strip_tcpdiag(a.stdout), b.stdout.splitlines()
            if mine != theirs:
                diff = [l for l in __import__("difflib").unified_diff(theirs, mine, "without", "with",
                                                                      lineterm="", n=1)][:30]
                problems.append("%s: -V text differs beyond the tcpdiag subtree:\n%s"
                                % (" ".join(args), "\n".join(diff)))
    for args in (["-2", "-T", "fields", "-e", "frame.number", "-e", "_ws.col.Info"],
                 ["-T", "fields", "-e", "frame.number", "-e", "_ws.col.Info"]):
        a, b = run(ts, args), run(base, args)
        if a.rc == 0 and b.rc == 0 and a.stdout != b.stdout:
            problems.append("%s: the Info column differs with the plugin" % " ".join(args))
    return problems


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--build", default=None, help="build dir of the plugin (sanitized or not)")
    ap.add_argument("--expected", default=os.path.join(HOSTILE, "expected.tsv"))
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("captures", nargs="*", help="capture names (default: all in expected.tsv)")
    a = ap.parse_args()
    exp = load_expected(a.expected)
    on_disk = sorted(f for f in os.listdir(HOSTILE) if f.endswith((".pcap", ".pcapng")))
    names = a.captures or sorted(exp)
    failed = passed = 0
    missing = [f for f in on_disk if f not in exp]
    if missing and not a.captures:
        print("FAIL captures without a line in expected.tsv: %s" % ", ".join(missing))
        failed += len(missing)
    so = tdrun.plugin_in(a.build or tdrun.default_build())
    with tdrun.Tshark(so) as ts, tdrun.Tshark(None) as base:
        print("check_hostile: plugin %s (%s)" % (so, "sanitized" if ts.sanitized else "plain"))

        def one(name):
            path = os.path.join(HOSTILE, name)
            if not os.path.exists(path):
                return name, ["capture missing (run gen_hostile.py)"]
            return name, check(path, exp.get(name, {}), ts, base)
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, a.jobs)) as ex:
            for name, problems in ex.map(one, names):
                if problems:
                    failed += 1
                    print("FAIL %s" % name)
                    for p in problems:
                        print("     " + p.replace("\n", "\n     "))
                else:
                    passed += 1
                    print("ok   %s" % name)
    print("check_hostile: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except tdrun.ToolError as e:
        sys.exit("check_hostile.py: %s" % e)
