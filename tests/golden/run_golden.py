#!/usr/bin/env python3
"""End-to-end golden tests: run tshark with the freshly built tcpdiag plugin
over a capture, one-pass and two-pass, and compare

  * every tcpdiag field and expert item of every packet (PDML) with a
    reviewed golden file, tests/golden/expected/<capture>.txt;
  * each connection's verdict with the ground truth written down when the
    capture was recorded (sample-captures/expected.tsv) — in the -2 fields,
    in the one-pass and two-pass `-z tcpdiag,conn` reports (final in both);
  * the `-z tcpdiag,conn` report text with the golden file.

Modelled on Wireshark's test/suite_dissection.py. Usage:
  run_golden.py [--update] [--expected-tsv F] [--option PREF:VALUE]... CAPTURE...
--update rewrites the golden files (read the diff before committing them!).
--option passes `-o PREF:VALUE` to every tshark run: the same golden files
must hold, e.g. with tcpdiag.header_observers:FALSE (headers read from
Wireshark's fields instead of the observers).
--checklist: the captures of sample-captures/checklist/ (issue 11): golden
files in tests/golden/expected/checklist/, the connections' ground truth in
the "conn" rows of sample-captures/checklist-expected.tsv, and the
`-z tcpdiag,hosts` report locked too (the other rows of that file are
checked by tests/checklist/check_plugin.py).
"""
import argparse
import csv
import difflib
import os
import subprocess
import sys
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "lib"))
import wsversion  # noqa: E402  how 4.0/4.4/4.6 print the same thing (representation only)

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TSHARK = os.path.join(REPO, "scripts", "tshark-tcpdiag")
GOLDEN_DIR = os.path.join(REPO, "tests", "golden", "expected")


def tshark(*args):
    r = subprocess.run([TSHARK, *args], capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError("tshark %s failed (%d): %s" % (" ".join(args), r.returncode, r.stderr))
    # tshark prints warnings on stderr; any mention of tcpdiag there is a bug.
    if "tcpdiag" in r.stderr.lower():
        raise RuntimeError("tshark stderr mentions tcpdiag: %s" % r.stderr)
    return r.stdout


def parse_pdml(xml_text):
    """Per frame: (frame number, [(name, value)]) of the tcpdiag fields (the
    nested ones too) and expert items, in tree order."""
    frames = []
    root = ET.fromstring(xml_text)
    for packet in root.iter("packet"):
        num = None
        items = []
        for proto in packet.findall("proto"):
            if proto.get("name") == "geninfo":
                for f in proto.findall("field"):
                    if f.get("name") == "num":
                        num = int(f.get("show"))
            if proto.get("name") != "tcpdiag":
                continue
            for f in proto.iter("field"):
                name = f.get("name", "")
                if name.startswith("_ws.expert.") or name.startswith("tcpdiag.expert."):
                    continue  # inside an expert item, reported with it below
                if name == "_ws.expert":
                    kind = next((c.get("name")[len("tcpdiag.expert."):] for c in f
                                 if c.get("name", "").startswith("tcpdiag.expert.")), "?")
                    # "Expert Info (Warning/Sequence): message"
                    items.append(("expert", kind + " " + wsversion.expert_text(
                        f.get("showname", ""))))
                elif name.startswith("tcpdiag."):
                    items.append((name[len("tcpdiag."):], wsversion.boolean(f.get("show", ""))))
        frames.append((num, items))
    return frames


def render_frames(frames):
    """One line per frame; a frame whose connection fields equal those of
    the previous frame of the same stream is shortened to "= frame N" (its
    expert items are still listed), so that golden files stay readable."""
    lines = []
    last = {}
    for num, items in frames:
        if not items:
            lines.append("%d: -" % num)
            continue
        fields = [kv for kv in items if kv[0] != "expert"]
        experts = [kv for kv in items if kv[0] == "expert"]
        stream = dict(fields).get("stream", "-")
        prev = last.get(stream)
        last[stream] = (num, fields)
        if prev and prev[1] == fields:
            body = ["= frame %d" % prev[0]]
        else:
            body = ["%s=%s" % kv for kv in fields]
        body += ["%s=%s" % kv for kv in experts]
        lines.append("%d: %s" % (num, "; ".join(body)))
    return lines


def verdicts_by_stream(frames):
    """stream -> set of verdicts seen on its packets (must be one)."""
    out = {}
    for _num, items in frames:
        d = dict(i for i in items if i[0] in ("stream", "verdict"))
        if "verdict" in d:
            out.setdefault(d.get("stream", "-"), set()).add(d["verdict"])
    return out


def report_verdicts(report):
    """stream -> verdict from a -z tcpdiag,conn report."""
    out = {}
    lines = report.splitlines()
    try:
        start = next(i for i, l in enumerate(lines) if l.startswith("Stream "))
    except StopIteration:
        raise RuntimeError("no tcpdiag,conn report in output:\n" + report)
    for l in lines[start + 1:]:
        if l.startswith("Connections:"):
            break
        cols = l.split()
        out.setdefault(cols[0], []).append(cols[3])
    return out


def load_expected(tsv, capture):
    exp = {}
    if not os.path.exists(tsv):
        return exp
    with open(tsv, newline="") as fh:
        rows = (r for r in fh if not r.startswith("#"))
        for row in csv.DictReader(rows, delimiter="\t"):
            if row["capture"] != capture:
                continue
            if "protocol" in row:  # checklist-expected.tsv: its "conn" rows
                if row["protocol"] == "conn":
                    exp.setdefault(row["key"], []).append(row["outcome"])
            else:
                exp.setdefault(row["tcp.stream"], []).append(row["verdict"])
    return exp


def check_capture(path, update, expected_tsv, prefs=(), golden_dir=GOLDEN_DIR, hosts=False):
    name = os.path.basename(path)
    errors = []
    out = []
    extra = [x for p in prefs for x in ("-o", p)]
    for mode, opts in (("two-pass", ["-2"] + extra), ("one-pass", extra)):
        pdml = tshark(*opts, "-r", path, "-T", "pdml", "-J", "tcpdiag")
        frames = parse_pdml(pdml)
        out.append("## %s fields and expert items" % mode)
        out.extend(render_frames(frames))
        if mode == "two-pass":
            per_stream = verdicts_by_stream(frames)
            for stream, vs in sorted(per_stream.items()):
                if len(vs) != 1:
                    errors.append("%s: stream %s shows several verdicts on -2: %s" % (name, stream, sorted(vs)))
            two_pass_fields = {s: sorted(v)[0] for s, v in per_stream.items()}
        report = tshark(*opts, "-r", path, "-q", "-z", "tcpdiag,conn")
        out.append("## %s -z tcpdiag,conn" % mode)
        out.extend(report.rstrip("\n").splitlines())
        if hosts:
            hr = tshark(*opts, "-r", path, "-q", "-z", "tcpdiag,hosts")
            out.append("## %s -z tcpdiag,hosts" % mode)
            out.extend(hr.rstrip("\n").splitlines())
        rv = report_verdicts(report)
        exp = load_expected(expected_tsv, name)
        if exp:
            if rv != exp:
                errors.append("%s: %s conn report verdicts %s != expected %s" % (name, mode, rv, exp))
            if mode == "two-pass":
                for stream, vs in exp.items():
                    if stream == "-":
                        continue
                    got = two_pass_fields.get(stream)
                    if got != vs[0]:
                        errors.append("%s: -2 field verdict of stream %s is %s, expected %s" % (name, stream, got, vs[0]))
        elif hosts:
            # a checklist capture without "conn" rows holds no connection
            if rv:
                errors.append("%s: %s conn report lists %s; the ground truth has no connection"
                              % (name, mode, rv))
        else:
            errors.append("%s: no ground truth in %s" % (name, expected_tsv))

    golden = os.path.join(golden_dir, os.path.splitext(name)[0] + ".txt")
    text = "\n".join(out) + "\n"
    if update:
        with open(golden, "w") as fh:
            fh.write(text)
    elif not os.path.exists(golden):
        errors.append("%s: no golden file %s (run with --update and review it)" % (name, golden))
    else:
        with open(golden) as fh:
            want = fh.read()
        if want != text:
            diff = difflib.unified_diff(want.splitlines(), text.splitlines(), "golden", "actual", lineterm="", n=1)
            errors.append("%s: output differs from %s:\n%s" % (name, golden, "\n".join(list(diff)[:80])))
    return errors


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--update", action="store_true")
    ap.add_argument("--expected-tsv", default=os.path.join(REPO, "sample-captures", "expected.tsv"))
    ap.add_argument("--option", action="append", default=[], metavar="PREF:VALUE")
    ap.add_argument("--checklist", action="store_true")
    ap.add_argument("captures", nargs="+")
    a = ap.parse_args()
    golden_dir = os.path.join(GOLDEN_DIR, "checklist") if a.checklist else GOLDEN_DIR
    if a.checklist and a.expected_tsv == ap.get_default("expected_tsv"):
        a.expected_tsv = os.path.join(REPO, "sample-captures", "checklist-expected.tsv")
    if a.update and a.option:
        ap.error("--update with --option: golden files are written from the default settings")
    failed = passed = 0
    for cap in a.captures:
        try:
            errs = check_capture(cap, a.update, a.expected_tsv, a.option, golden_dir,
                                 hosts=a.checklist)
        except Exception as e:  # a crash of tshark is a failure, not an error of the runner
            errs = ["%s: %s" % (os.path.basename(cap), e)]
        for e in errs:
            print("FAIL " + e)
        if errs:
            failed += 1
        else:
            passed += 1
            print("ok   " + os.path.basename(cap))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
