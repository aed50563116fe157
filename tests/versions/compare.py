#!/usr/bin/env python3
"""compare.py — the same captures through tcpdiag on Wireshark 4.0 (this
machine), 4.4 and 4.6 (Debian roots ws44, ws46 of scripts/test-versions);
the answers must be the same.

For every capture (sample-captures/, tests/captures/hostile/,
tests/versions/captures/) and every version, two-pass (-2):
  * every packet's tcpdiag fields and expert items (PDML, as the golden
    runner reads them);
  * the -z tcpdiag,conn report's rows (verdict and SYN count per connection);
  * every TCP stream Wireshark made carries a tcpdiag.verdict (no stream of
    any version left without one).
Only representation is normalised (tests/lib/wsversion.py): booleans, the
truncation mark of expert labels, and stream numbers, renumbered in order
of first appearance, because versions split a reused port pair into
tcp.streams differently. Anything else that differs is reported: a verdict,
a count, a frame number, an expert item.

  compare.py [--repo DIR] [--versions 4.0,4.4,4.6] [--build V=DIR]...
                                                       run all, compare (DIR: the build
                                                       tree of version V, default build/,
                                                       build-ws44/, build-ws46/)
  compare.py --dump --build DIR CAPTURE...             (inside a root) JSON dump
Exit 0 when every version gives the same answers.
"""
import argparse
import glob
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(REPO, "tests", "lib"))
sys.path.insert(0, os.path.join(REPO, "tests", "golden"))
import wsversion  # noqa: E402
import run_golden  # noqa: E402  (parse_pdml: the golden runner's reading of PDML)

ROOTS = {"4.4": "ws44", "4.6": "ws46"}


def captures(repo):
    caps = sorted(glob.glob(os.path.join(repo, "sample-captures", "*.pcap")))
    for pat in ("*.pcap", "*.pcapng"):
        caps += sorted(glob.glob(os.path.join(repo, "tests", "captures", "hostile", pat)))
        caps += sorted(glob.glob(os.path.join(repo, "tests", "versions", "captures", pat)))
    return caps


def tshark(*args):
    r = subprocess.run([os.path.join(REPO, "scripts", "tshark-tcpdiag"), *args],
                       capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError("tshark %s: exit %d: %s" % (" ".join(args), r.returncode, r.stderr))
    return r.stdout


def dump_one(cap):
    """One capture on this machine's Wireshark: normalised answers."""
    ren = wsversion.Renumber()
    frames = []
    for num, items in run_golden.parse_pdml(tshark("-2", "-r", cap, "-T", "pdml", "-J", "tcpdiag")):
        out = []
        for k, v in items:
            if k == "stream":
                v = ren(v)
            out.append("%s=%s" % (k, v))
        frames.append([num, out])
    report = []
    text = tshark("-2", "-r", cap, "-q", "-z", "tcpdiag,conn")
    lines = text.splitlines()
    start = next((i for i, l in enumerate(lines) if l.startswith("Stream ")), None)
    if start is not None:
        for l in lines[start + 1:]:
            if l.startswith("Connections:") or l.startswith("="):
                break
            cols = l.split()
            if len(cols) >= 5:
                # stream, client, server, verdict, SYNs (the rest is the diagnosis)
                report.append([ren(cols[0]), cols[1], cols[2], cols[3], cols[4]])
    # Streams Wireshark made, and whether each got a verdict.
    unjudged = set()
    seen = {}
    # A stream counts when one of its segments has its whole 20-byte header
    # captured (tcp.urgent_pointer, the header's last field, is there):
    # Wireshark 4.6 makes streams of segments cut after the flags, 4.0/4.4
    # do not, and tcpdiag judges neither (hook.c).
    for line in tshark("-2", "-r", cap, "-T", "fields", "-e", "tcp.stream",
                       "-e", "tcp.urgent_pointer", "-e", "tcpdiag.verdict").splitlines():
        cols = line.split("\t") + ["", ""]
        if cols[0] == "":
            continue
        st = cols[0].split(",")[-1]
        if cols[1] == "" and st not in seen:
            continue
        seen.setdefault(st, False)
        if cols[2]:
            seen[st] = True
    unjudged = sorted(s for s, v in seen.items() if not v)
    return {"frames": frames, "report": report, "unjudged_streams": unjudged,
            "streams": len(seen)}


def dump(caps):
    out = {}
    for cap in caps:
        try:
            out[os.path.relpath(cap, REPO)] = dump_one(cap)
        except Exception as e:  # reported as a difference, not a crash of the runner
            out[os.path.relpath(cap, REPO)] = {"error": str(e)}
    return out


def run_version(repo, version, caps, build=None):
    rel = [os.path.relpath(c, repo) for c in caps]
    if version == "4.0":
        env = dict(os.environ)
        if build:
            env["TCPDIAG_BUILD_DIR"] = build
        env.setdefault("TCPDIAG_BUILD_DIR", os.path.join(repo, "build"))
        cmd = [sys.executable, os.path.abspath(__file__), "--dump", *rel]
    else:
        root = ROOTS[version]
        env = dict(os.environ)
        build = os.path.abspath(build or os.path.join(repo, "build-" + root))
        binds = ["--bind", repo] + ([] if build.startswith(repo + os.sep) else ["--bind", build])
        cmd = [os.path.join(repo, "scripts", "debian-root"), "run", root, *binds, "--",
               "/bin/sh", "-c",
               'cd "$1"; b=$2; shift 2; TCPDIAG_BUILD_DIR="$b" exec /usr/bin/python3 '
               'tests/versions/compare.py --dump "$@"', "sh", repo, build, *rel]
    r = subprocess.run(cmd, cwd=repo, env=env, capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError("Wireshark %s: dump failed (%d): %s" % (version, r.returncode, r.stderr[-2000:]))
    return json.loads(r.stdout)


def diff_capture(name, ref_v, ref, v, got):
    errs = []
    if "error" in ref or "error" in got:
        return ["%s: %s: %s / %s: %s" % (name, ref_v, ref.get("error", "ok"), v, got.get("error", "ok"))]
    if got["unjudged_streams"]:
        errs.append("%s: Wireshark %s: tcp.stream %s without a tcpdiag.verdict"
                    % (name, v, ",".join(got["unjudged_streams"])))
    if ref["report"] != got["report"]:
        errs.append("%s: -z tcpdiag,conn rows differ:\n  %s: %s\n  %s: %s"
                    % (name, ref_v, ref["report"], v, got["report"]))
    rf = {n: i for n, i in ref["frames"]}
    gf = {n: i for n, i in got["frames"]}
    bad = [n for n in sorted(set(rf) | set(gf)) if rf.get(n) != gf.get(n)]
    for n in bad[:3]:
        a, b = rf.get(n, []), gf.get(n, [])
        only_a = [x for x in a if x not in b]
        only_b = [x for x in b if x not in a]
        errs.append("%s: frame %d differs: %s only %s; %s only %s"
                    % (name, n, ref_v, only_a, v, only_b))
    if len(bad) > 3:
        errs.append("%s: ... %d frames differ in all" % (name, len(bad)))
    return errs


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repo", default=REPO)
    ap.add_argument("--versions", default="4.0,4.4,4.6")
    ap.add_argument("--dump", action="store_true")
    ap.add_argument("--build", action="append", default=[], metavar="V=DIR")
    ap.add_argument("captures", nargs="*")
    a = ap.parse_args()
    if a.dump:
        json.dump(dump([os.path.abspath(c) for c in a.captures]), sys.stdout)
        return 0
    caps = [os.path.abspath(c) for c in a.captures] or captures(a.repo)
    versions = a.versions.split(",")
    results = {}
    builds = dict(b.split("=", 1) for b in a.build)
    for v in versions:
        results[v] = run_version(a.repo, v, caps, builds.get(v))
    ref_v = versions[0]
    errors = []
    streams = 0
    for cap in caps:
        name = os.path.relpath(cap, a.repo)
        ref = results[ref_v][name]
        if "error" not in ref:
            streams += ref["streams"]
            if ref["unjudged_streams"]:
                errors.append("%s: Wireshark %s: tcp.stream %s without a tcpdiag.verdict"
                              % (name, ref_v, ",".join(ref["unjudged_streams"])))
        for v in versions[1:]:
            errors += diff_capture(name, ref_v, ref, v, results[v][name])
    for e in errors:
        print("DIFF " + e)
    print("compare: %d captures, %d tcp.streams on %s, through Wireshark %s: %s"
          % (len(caps), streams, ref_v, ", ".join(versions),
             "same answers" if not errors else "%d differences" % len(errors)))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
