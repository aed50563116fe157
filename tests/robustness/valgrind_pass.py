#!/usr/bin/env python3
"""valgrind_pass.py — tshark with the plain (unsanitized) tcpdiag build under
valgrind memcheck, on a few captures, one pass and two passes.

Only errors with a frame in tcpdiag (our sources or tcpdiag.so) count:
tshark and its libraries have their own, which valgrind.supp (beside this
file) silences where known, and which are otherwise listed apart. Exits 1
when an error of ours was found.

    valgrind_pass.py [--build BUILD] [CAPTURE...]

SPDX-License-Identifier: GPL-2.0-or-later
"""
import argparse
import glob
import os
import shutil
import sys
import tempfile
import xml.etree.ElementTree as ET

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tdrun  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
# A few captures that reach most of the code: about 20 s per run.
DEFAULT = ["sample-captures/seed-scenario.pcap", "sample-captures/healthy.pcap",
           "tests/captures/hostile/icmp_quotes.pcap", "tests/captures/hostile/dup_reorder.pcap",
           "tests/captures/hostile/tunnel_6in4.pcap", "tests/captures/hostile/multi_iface.pcapng",
           "tests/captures/hostile/blind_resets.pcap",
           # issue 13: odd SYN flags, wrong ACK, unrelated segments, reordering
           "sample-captures/nmap-os-detect.pcap", "sample-captures/nmap-ack-probe-half-open.pcap",
           "sample-captures/crafted-unrelated-segments.pcap",
           "sample-captures/crafted-reordered-handshake.pcap"]
RUNS = [["-V", "-z", "tcpdiag,conn"], ["-2", "-V", "-z", "tcpdiag,conn"]]


def errors_in(xml_path):
    """[(kind, ours, text)] of the errors in a valgrind XML file."""
    try:
        root = ET.parse(xml_path).getroot()
    except (ET.ParseError, FileNotFoundError) as e:
        raise tdrun.ToolError("valgrind wrote no readable XML (%s): %s" % (xml_path, e))
    out = []
    for err in root.findall("error"):
        kind = err.findtext("kind", "?")
        frames = []
        for fr in err.iter("frame"):
            frames.append("%s %s %s:%s" % (fr.findtext("fn", "?"), fr.findtext("obj", ""),
                                           fr.findtext("file", ""), fr.findtext("line", "")))
        text = "%s: %s\n  %s" % (kind, err.findtext("what") or
                                 err.findtext("xwhat/text") or "", "\n  ".join(frames[:25]))
        ours = any("tcpdiag.so" in f or "/plugin/" in f or " td_" in " " + f.split(" ")[0]
                   for f in frames)
        out.append((kind, ours, text))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--build", default=None, help="build dir of the plain plugin")
    ap.add_argument("captures", nargs="*")
    a = ap.parse_args()
    tdrun.ensure_tool("valgrind", "valgrind")
    so = tdrun.plugin_in(a.build or tdrun.default_build())
    if tdrun.is_sanitized(so):
        raise tdrun.ToolError("%s is a sanitized build; valgrind needs the plain one" % so)
    caps = a.captures or sorted(f for p in DEFAULT for f in glob.glob(os.path.join(tdrun.REPO, p)))
    if not caps:
        raise tdrun.ToolError("no captures")
    ours_n = theirs_n = runs = 0
    with tdrun.Tshark(so, timeout=900) as ts:
        logdir = tempfile.mkdtemp(prefix="vg.", dir=ts.stage)
        os.chmod(logdir, 0o777)
        supp = os.path.join(ts.stage, "valgrind.supp")
        shutil.copyfile(os.path.join(HERE, "valgrind.supp"), supp)
        os.chmod(supp, 0o644)
        for cap in caps:
            for args in RUNS:
                runs += 1
                xml = os.path.join(logdir, "%d.xml" % runs)
                vg = ["valgrind", "--tool=memcheck", "--error-exitcode=99", "--leak-check=no",
                      "--track-origins=yes", "--num-callers=40", "--suppressions=" + supp,
                      "--xml=yes", "--xml-file=" + xml]
                r = ts.run(cap, args, wrapper=vg)
                errs = errors_in(xml)
                mine = [e for e in errs if e[1]]
                # tshark leaks at exit by design: count its leaks, show the rest.
                other = [e for e in errs if not e[1] and not e[0].startswith("Leak_")]
                leaks = sum(1 for e in errs if not e[1] and e[0].startswith("Leak_"))
                ours_n += len(mine)
                theirs_n += len(other)
                status = "ok  " if not mine and r.rc in (0, 99) else "FAIL"
                print("%s %s %s: exit %d, %d errors of ours, %d elsewhere (+%d leaks at exit)"
                      % (status, os.path.basename(cap), " ".join(args), r.rc, len(mine),
                         len(other), leaks), flush=True)
                for _k, _o, text in mine:
                    print(text)
                for _k, _o, text in other[:3]:
                    print("  (not ours) " + text.splitlines()[0])
                if r.rc not in (0, 99):
                    print(r.stderr[-2000:])
                    ours_n += 1
    print("valgrind: %d runs, %d errors with tcpdiag frames, %d errors elsewhere (tshark's own)"
          % (runs, ours_n, theirs_n))
    return 1 if ours_n else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except tdrun.ToolError as e:
        sys.exit("valgrind_pass.py: %s" % e)
