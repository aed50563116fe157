#!/usr/bin/env python3
"""check_profile.py — the "TCP Handshake Diagnosis" profile works in tshark.

With the freshly built plugin (scripts/tshark-tcpdiag, TCPDIAG_BUILD_DIR):
  * `tshark -2 -C "TCP Handshake Diagnosis"` loads the profile from a
    configuration folder and every packet line shows the packet's verdict and
    diagnosis (the profile's two custom columns);
  * every colouring rule of the profile compiles as a display filter;
  * the tcpdiag rules come before Wireshark's own (the first matching rule
    wins: "TCP RST" or "Bad TCP" would otherwise colour the failures), cover
    every failure verdict plus pending and midstream, and name only verdicts
    the plugin knows.

  tests/docs/check_profile.py [--repo DIR] [--capture FILE]

SPDX-License-Identifier: GPL-2.0-or-later
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

PROFILE = "TCP Handshake Diagnosis"
MUST_COLOUR = ["no-response", "refused", "icmp-unreachable", "half-open", "aborted",
               "reset-before-data", "stale", "pending", "midstream"]


def run(wrapper, args, env=None):
    r = subprocess.run([wrapper, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True, check=False, env=env)
    return r.returncode, r.stdout, r.stderr


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repo", default=os.path.normpath(os.path.join(here, "..", "..")))
    ap.add_argument("--capture", help="default: sample-captures/seed-scenario.pcap")
    ap.add_argument("--profile-dir", help=f"default: plugin/profile/{PROFILE}")
    args = ap.parse_args()
    wrapper = os.path.join(args.repo, "scripts", "tshark-tcpdiag")
    profile_dir = args.profile_dir or os.path.join(args.repo, "plugin", "profile", PROFILE)
    cap = args.capture or os.path.join(args.repo, "sample-captures", "seed-scenario.pcap")
    if not os.path.isfile(cap):
        sys.exit(f"profile_sync: capture {cap} not found")
    problems = []

    # --- the columns --------------------------------------------------------
    conf = tempfile.mkdtemp(prefix="tcpdiag-profile.")
    try:
        shutil.copytree(profile_dir, os.path.join(conf, "profiles", PROFILE))
        env = dict(os.environ, TCPDIAG_CONFIG_DIR=conf)
        rc, out, err = run(wrapper, ["-2", "-C", PROFILE, "-r", cap], env)
    finally:
        shutil.rmtree(conf)
    if rc != 0:
        sys.exit(f"profile_sync: tshark -C \"{PROFILE}\" failed ({rc}):\n{err}")
    rc, fields, err = run(wrapper, ["-2", "-r", cap, "-T", "fields", "-E", "separator=\t",
                                    "-e", "tcpdiag.verdict", "-e", "tcpdiag.diagnosis"])
    if rc != 0:
        sys.exit(f"profile_sync: tshark -T fields failed ({rc}):\n{err}")
    lines, expect = out.splitlines(), fields.splitlines()
    if len(lines) != len(expect) or not lines:
        problems.append(f"the profile run printed {len(lines)} packet lines, expected "
                        f"{len(expect)}")
    judged, bad = 0, []
    for n, (line, exp) in enumerate(zip(lines, expect), 1):
        verdict, _, diagnosis = exp.partition("\t")
        if not verdict:
            continue
        judged += 1
        # tshark prints the columns with single spaces; compare a prefix of
        # the sentence so the line width never matters.
        if f" {verdict} " not in line or diagnosis[:40] not in line:
            bad.append(n)
            if len(bad) <= 3:
                problems.append(f"packet {n}: the Verdict or Handshake Diagnosis column is "
                                f"missing from the profile's output line: {line[:160]}")
    if len(bad) > 3:
        problems.append(f"... and {len(bad) - 3} more packets without them")
    if judged == 0:
        problems.append(f"no packet of {os.path.basename(cap)} has a tcpdiag verdict")

    # --- the colouring rules --------------------------------------------------
    rc, glossary, err = run(wrapper, ["-G", "fields"])
    known = []
    for row in glossary.splitlines():
        p = row.split("\t")
        # the connection verdicts and the checklist's (tcpdiag.dns.verdict...)
        if len(p) >= 8 and p[2].startswith("tcpdiag.") and p[2].endswith("verdict"):
            known += [v.strip() for v in p[7].split(":")[-1].split(",")]
    rules = []
    with open(os.path.join(profile_dir, "colorfilters"), encoding="utf-8") as f:
        for line in f:
            m = re.match(r"^(!?)@([^@]+)@([^@]+)@\[(\d+),(\d+),(\d+)\]\[(\d+),(\d+),(\d+)\]\s*$",
                         line)
            if m:
                rules.append((m.group(2), m.group(3), m.group(1) == "!"))
            elif line.strip() and not line.startswith("#"):
                problems.append(f"colorfilters: line not in Wireshark's format: {line.strip()}")
    # All rules in one tshark run; rule by rule only to name a broken one.
    rc, _, _ = run(wrapper, ["-r", cap, "-c", "1", "-Y",
                             " || ".join(f"({expr})" for _, expr, _ in rules)])
    for name, expr, _ in rules if rc != 0 else []:
        rc1, _, err = run(wrapper, ["-r", cap, "-c", "1", "-Y", expr])
        if rc1 != 0:
            problems.append(f"colorfilters: rule '{name}' does not compile: {expr}: "
                            f"{err.strip()}")
    ours = [i for i, (_, expr, _) in enumerate(rules) if "tcpdiag" in expr]
    if not ours:
        problems.append("colorfilters: no tcpdiag rule")
    elif ours != list(range(len(ours))):
        problems.append("colorfilters: the tcpdiag rules must come first (the first matching "
                        "rule wins)")
    coloured = set()
    for i in ours:
        name, expr, disabled = rules[i]
        named = set(re.findall(r'"([a-z-]+)"', expr))
        for v in sorted(named - set(known)):
            problems.append(f"colorfilters: rule '{name}' names verdict '{v}', which the "
                            "plugin does not have")
        if not disabled:
            coloured |= named
    for v in MUST_COLOUR:
        if v not in coloured:
            problems.append(f"colorfilters: no enabled rule colours verdict '{v}'")

    print(f"profile_sync: {judged} judged packets shown with the profile's columns, "
          f"{len(rules)} colouring rules ({len(ours)} tcpdiag)")
    for p in problems:
        print(f"profile_sync: FAIL: {p}")
    if problems:
        return 1
    print("profile_sync: the profile works")
    return 0


if __name__ == "__main__":
    sys.exit(main())
