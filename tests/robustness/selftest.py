#!/usr/bin/env python3
"""selftest.py — proves that the robustness harness would catch a memory
error or undefined behaviour in a plugin: builds canary/canary.c (a plugin
with deliberate bugs) with the sanitizers, loads it into tshark next to the
sanitized tcpdiag through tdrun.py, and expects

  * TDROB_CANARY=uaf: an AddressSanitizer report attributed to our code,
    and tshark killed by SIGABRT;
  * TDROB_CANARY=ub:  an UndefinedBehaviorSanitizer report, attributed,
    and tshark killed by SIGABRT;
  * no TDROB_CANARY:  a clean run with a tcpdiag verdict in the output (the
    sanitized tcpdiag itself loaded and worked).

    selftest.py --build BUILD_DIR_OF_THE_SANITIZED_PLUGIN

SPDX-License-Identifier: GPL-2.0-or-later
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tdrun  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


def build_canary(out_dir):
    tdrun.ensure_tool("pkg-config", "pkg-config")
    cflags = subprocess.run(["pkg-config", "--cflags", "wireshark"], capture_output=True,
                            text=True)
    if cflags.returncode != 0:
        raise tdrun.ToolError("pkg-config wireshark failed: apt-get install wireshark-dev pkg-config")
    so = os.path.join(out_dir, "tdcanary.so")
    cmd = (["gcc", "-shared", "-fPIC", "-O1", "-g", "-fsanitize=address,undefined",
            "-fno-omit-frame-pointer", "-fno-sanitize-recover=undefined"] +
           cflags.stdout.split() + [os.path.join(HERE, "canary", "canary.c"), "-o", so,
                                    "-lwireshark"])
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        raise tdrun.ToolError("building the canary failed:\n%s" % p.stderr)
    return so


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=None, help="build dir of the sanitized tcpdiag")
    ap.add_argument("--capture", default=os.path.join(tdrun.REPO, "tests", "captures",
                                                     "hostile", "syn_with_payload.pcap"))
    a = ap.parse_args()
    so = tdrun.plugin_in(a.build or tdrun.default_build())
    if not tdrun.is_sanitized(so):
        raise tdrun.ToolError("%s is not a sanitized build" % so)
    tmp = tempfile.mkdtemp(prefix="tdrob-canary.")
    passed = failed = 0

    def check(name, ok, detail=""):
        nonlocal passed, failed
        print("%s %s%s" % ("ok  " if ok else "FAIL", name, (": " + detail) if detail and not ok else ""))
        if ok:
            passed += 1
        else:
            failed += 1

    try:
        canary = build_canary(tmp)
        with tdrun.Tshark(so, extra_plugins=[canary]) as ts:
            for mode, kind in (("uaf", "AddressSanitizer: heap-use-after-free"),
                               ("ub", "runtime error: signed integer overflow")):
                r = ts.run(a.capture, ["-2", "-T", "fields", "-e", "tcpdiag.verdict"],
                           env={"TDROB_CANARY": mode})
                ours = r.our_sanitizer_reports()
                check("%s: report found" % mode, any(kind in b for b in ours),
                      "%s\n%s" % (r.describe(), r.stderr[-3000:]))
                check("%s: report attributed to our frames" % mode,
                      bool(ours) and "canary.c" in ours[0], r.stderr[-2000:])
                check("%s: tshark aborted (SIGABRT)" % mode, r.signal == 6, r.describe())
            r = ts.run(a.capture, ["-2", "-T", "fields", "-e", "tcpdiag.verdict"])
            check("clean run: exit 0, no report", r.rc == 0 and not r.sanitizer_reports(),
                  "%s\n%s" % (r.describe(), r.stderr[-3000:]))
            check("clean run: tcpdiag verdicts present", any(l.strip() for l in r.stdout.splitlines()),
                  repr(r.stdout[:300]))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("selftest: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except tdrun.ToolError as e:
        sys.exit("selftest.py: %s" % e)
