#!/usr/bin/env python3
"""fuzz.py — corruption fuzzing of tcpdiag through tshark, in the manner of
Wireshark's tools/fuzz-test.sh.

Each iteration takes a capture (sample-captures/*.pcap, the checklist
captures of sample-captures/checklist/ and tests/captures/hostile/*.pcap*,
round robin), corrupts it with editcap
(random byte errors -E, truncation to a snap length -s, chopping -C, a time
shift -t, or a truncation, chop or time shift followed by errors), and runs tshark with the plugin:

    -V            one pass      -q -z tcpdiag,conn   one pass
    -2 -V         two passes    -2 -q -z tcpdiag,conn

and checks each run: exit status 0, no crash or hang, no sanitizer report,
no mention of tcpdiag on stderr, a drawn tcpdiag,conn report, and no
"Malformed Packet" or "Dissector bug" item that tshark without the plugin
does not also give on the same frame of the same file.

Use the sanitized build (-DTCPDIAG_SANITIZE=ON) to catch memory errors:
tdrun.py preloads the ASan runtime into tshark. Failing inputs are copied
to --out with a log; keep them as regressions in tests/robustness/regressions/
(replayed with --replay).

    fuzz.py --build /tmp/asan --count 100 --jobs 2       # a short run
    fuzz.py --build /tmp/asan --replay tests/robustness/regressions/*
    fuzz.py --build /tmp/asan --count 10000 --seed 1013 --ledger L.tsv   # resumable

With --ledger, every finished capture appends one row to the ledger (seed,
index, input, mutation, result, seconds, plugin commit); a later run with
the same seed and ledger skips the indices already there, so a campaign of
10,000 captures can be finished across sessions. SIGTERM or SIGINT stops
cleanly: no new capture starts, the ones running finish and are recorded.

Prints the captures tried, crashes, sanitizer reports (ours and elsewhere)
and failures, and "N passed, N failed"; exits 1 when anything of ours failed.

SPDX-License-Identifier: GPL-2.0-or-later
"""
import argparse
import concurrent.futures
import glob
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tdrun  # noqa: E402

RUNS = [
    ("1pass-V", ["-V"]),
    ("2pass-V", ["-2", "-V"]),
    ("1pass-conn", ["-q", "-z", "tcpdiag,conn"]),
    ("2pass-conn", ["-2", "-q", "-z", "tcpdiag,conn"]),
]

BAD_ITEM = re.compile(r"Malformed Packet|Dissector bug|\(Error/Malformed\)")
FRAME_START = re.compile(r"^Frame (\d+): ", re.M)


def default_inputs():
    pats = [os.path.join(tdrun.REPO, "sample-captures", "*.pcap"),
            os.path.join(tdrun.REPO, "sample-captures", "*.pcapng"),
            # the checklist captures (DNS, ARP/ND, ping, DHCP, UDP; issue 11)
            os.path.join(tdrun.REPO, "sample-captures", "checklist", "*.pcap"),
            os.path.join(tdrun.REPO, "tests", "captures", "hostile", "*.pcap"),
            os.path.join(tdrun.REPO, "tests", "captures", "hostile", "*.pcapng")]
    return sorted(f for p in pats for f in glob.glob(p))


# ---- mutations ---------------------------------------------------------------

def mutation(rnd):
    """A list of editcap option lists, applied in turn."""
    kind = rnd.choice(["E", "E", "E", "s", "C", "sE", "CE", "tE"])
    steps = []
    if "t" in kind:
        # Shift every time stamp far (pcapng keeps 64 bits: the epoch,
        # the far future, before 1970).
        steps.append(["-t", rnd.choice(["-1700000000", "-1800000000", "4000000000",
                                        "9000000000000", "-0.5", "100000000000"])])
    if "s" in kind:
        # Cut inside link, IP, TCP header and options, ICMP quotes.
        steps.append(["-s", str(rnd.choice([1, 8, 14, 16, 20, 24, 34, 38, 42, 46, 50, 54,
                                            58, 62, 66, 70, 74, 78, 90, 94]))])
    if "C" in kind:
        n = rnd.randint(1, 40)
        steps.append(["-C", rnd.choice(["%d" % n, "-%d" % n,
                                        "%d:%d" % (rnd.randint(0, 60), n)])])
    if "E" in kind:
        steps.append(["-E", rnd.choice(["0.001", "0.005", "0.01", "0.02", "0.05", "0.1"]),
                      "--seed", str(rnd.randint(1, 2**31 - 1)),
                      "-o", str(rnd.choice([0, 0, 14, 16, 34]))])
    return steps


def corrupt(src, dst, steps, workdir):
    cur = src
    for i, opts in enumerate(steps):
        out = dst if i == len(steps) - 1 else os.path.join(workdir, "step%d.pcapng" % i)
        p = subprocess.run(["editcap", "-F", "pcapng"] + opts + [cur, out],
                           capture_output=True, text=True)
        if p.returncode != 0:
            raise tdrun.ToolError("editcap %s failed: %s" % (" ".join(opts), p.stderr.strip()))
        cur = out


# ---- checks -------------------------------------------------------------------

def bad_items_per_frame(text):
    """{frame: number of malformed / dissector-bug lines} of -V output."""
    counts = {}
    starts = [(m.start(), int(m.group(1))) for m in FRAME_START.finditer(text)]
    for i, (pos, num) in enumerate(starts):
        end = starts[i + 1][0] if i + 1 < len(starts) else len(text)
        n = len(BAD_ITEM.findall(text[pos:end]))
        if n:
            counts[num] = counts.get(num, 0) + n
    return counts


class Verdict:
    """Outcome of the checks on one capture."""

    def __init__(self):
        self.problems = []      # (category, text): failures of ours
        self.foreign = []       # (category, text): tshark's own, not ours

    def ok(self):
        return not self.problems


def check_capture(cap, ts, base, keep_going=True):
    """Runs the four tshark invocations on cap with the plugin (ts) and,
    where needed, without it (base). Returns a Verdict."""
    v = Verdict()
    staged = ts.stage_input(cap)
    staged_base = base.stage_input(cap)
    try:
        for name, args in RUNS:
            r = ts.run(staged, args, staged=True)
            ours = r.our_sanitizer_reports()
            if ours:
                v.problems.append(("sanitizer", "%s\n%s" % (name, ours[0][:6000])))
            elif r.sanitizer_reports():
                v.foreign.append(("sanitizer", "%s\n%s" % (name, r.sanitizer_reports()[0][:3000])))
            if r.crashed() or r.rc != 0:
                if ours:
                    pass
                else:
                    # Is it tshark's own? The same run without the plugin.
                    b = base.run(staged_base, args, staged=True)
                    if b.crashed() or b.rc != 0:
                        v.foreign.append(("crash" if r.crashed() else "exit",
                                          "%s: %s (also without the plugin)" % (name, r.describe())))
                    else:
                        v.problems.append(("crash" if r.crashed() else "exit",
                                           "%s: %s\n%s" % (name, r.describe(), r.stderr[-4000:])))
                continue
            if "tcpdiag" in r.stderr.lower():
                v.problems.append(("stderr", "%s: %s" % (name, r.stderr[-2000:])))
            if name.endswith("conn"):
                if "Connections: " not in r.stdout:
                    v.problems.append(("report", "%s: no tcpdiag,conn report drawn" % name))
                continue
            mine = bad_items_per_frame(r.stdout)
            if re.search(r"Malformed Packet: TCPDIAG|Dissector bug, protocol TCPDIAG", r.stdout):
                v.problems.append(("malformed", "%s: an item names TCPDIAG" % name))
            if mine:
                b = base.run(staged_base, args, staged=True)
                theirs = bad_items_per_frame(b.stdout) if b.rc == 0 else None
                if theirs is None:
                    v.foreign.append(("exit", "%s: baseline failed: %s" % (name, b.describe())))
                    continue
                extra = {f: n - theirs.get(f, 0) for f, n in mine.items() if n > theirs.get(f, 0)}
                if extra:
                    v.problems.append(("malformed", "%s: tcpdiag adds malformed/dissector-bug "
                                       "items on frames %s" % (name, sorted(extra)[:20])))
            if v.problems and not keep_going:
                break
    finally:
        os.unlink(staged)
        os.unlink(staged_base)
    return v


# ---- ledger ---------------------------------------------------------------------

LEDGER_HEADER = "seed\tindex\tinput\tmutation\tresult\tseconds\tcommit"


def read_ledger(path):
    """[(seed, index, result, seconds)] of the rows in the ledger (none if absent)."""
    rows = []
    if not os.path.exists(path):
        return rows
    with open(path) as f:
        for line in f:
            if line.startswith("seed\t") or not line.strip():
                continue
            c = line.rstrip("\n").split("\t")
            rows.append((int(c[0]), int(c[1]), c[4], float(c[5])))
    return rows


def plugin_commit():
    """The commit the plugin was built from, '+' when the tree had changes."""
    try:
        head = subprocess.run(["git", "-C", tdrun.REPO, "rev-parse", "--short=12", "HEAD"],
                              capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", tdrun.REPO, "status", "--porcelain", "--", "plugin"],
                               capture_output=True, text=True).stdout.strip()
        return head + ("+" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "?"


def result_word(v):
    if v.problems:
        return "FAIL:" + ",".join(sorted(set(c for c, _ in v.problems)))
    if v.foreign:
        return "ok,foreign:" + ",".join(sorted(set(c for c, _ in v.foreign)))
    return "ok"


# ---- driver --------------------------------------------------------------------

class Tally:
    def __init__(self):
        self.lock = threading.Lock()
        self.tried = self.failed = 0
        self.crashes = self.sanitizer = self.malformed = self.other = 0
        self.foreign_sanitizer = self.foreign_crash = 0

    def add(self, v):
        with self.lock:
            self.tried += 1
            cats = [c for c, _ in v.problems]
            if cats:
                self.failed += 1
            self.crashes += cats.count("crash")
            self.sanitizer += cats.count("sanitizer")
            self.malformed += cats.count("malformed")
            self.other += sum(1 for c in cats if c not in ("crash", "sanitizer", "malformed"))
            fc = [c for c, _ in v.foreign]
            self.foreign_sanitizer += fc.count("sanitizer")
            self.foreign_crash += sum(1 for c in fc if c in ("crash", "exit"))

    def summary(self, elapsed):
        return ("captures tried: %d\ncrashes (ours): %d\nsanitizer reports (ours): %d\n"
                "malformed/dissector-bug items added by tcpdiag: %d\nother failures (ours): %d\n"
                "tshark-internal (also without the plugin): crashes/errors %d, sanitizer reports %d\n"
                "elapsed: %.0f s\n%d passed, %d failed"
                % (self.tried, self.crashes, self.sanitizer, self.malformed, self.other,
                   self.foreign_crash, self.foreign_sanitizer, elapsed,
                   self.tried - self.failed, self.failed))


def save_failure(out_dir, cap, label, v, lock):
    with lock:
        os.makedirs(out_dir, exist_ok=True)
        base = os.path.join(out_dir, label)
        shutil.copyfile(cap, base + os.path.splitext(cap)[1])
        with open(base + ".log", "w") as f:
            for cat, text in v.problems + [("foreign-" + c, t) for c, t in v.foreign]:
                f.write("== %s\n%s\n" % (cat, text))
        return base


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--build", default=None,
                    help="build dir with the (sanitized) plugin; default $TCPDIAG_BUILD_DIR or build/")
    ap.add_argument("--count", type=int, default=100, help="corrupted captures to try")
    ap.add_argument("--time-limit", type=float, default=0,
                    help="stop starting new captures after this many seconds")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--inputs", nargs="*", default=None, help="captures to corrupt")
    ap.add_argument("--replay", nargs="*", default=None,
                    help="check these captures as they are (no corruption)")
    ap.add_argument("--out", default=None, help="where failing inputs go "
                    "(default: a new /tmp/tcpdiag-fuzz.* folder)")
    ap.add_argument("--require-sanitizer", action="store_true",
                    help="fail unless the plugin is a sanitized build")
    ap.add_argument("--ledger", default=None,
                    help="resumable campaign: append one row per finished capture here and "
                    "skip the indices of this seed already in it")
    ap.add_argument("-v", "--verbose", action="store_true")
    a = ap.parse_args()

    build = a.build or tdrun.default_build()
    so = tdrun.plugin_in(build)
    if a.require_sanitizer and not tdrun.is_sanitized(so):
        sys.exit("fuzz.py: %s is not a sanitized build (configure with -DTCPDIAG_SANITIZE=ON)" % so)
    tdrun.ensure_tool("editcap", "tshark")
    out_dir = a.out or tempfile.mkdtemp(prefix="tcpdiag-fuzz.")
    work = tempfile.mkdtemp(prefix="tdrob-work.")
    save_lock = threading.Lock()
    tally = Tally()
    t0 = time.time()

    ts = tdrun.Tshark(so)
    base = tdrun.Tshark(None)
    print("fuzz: plugin %s (%s)" % (so, "sanitized" if ts.sanitized else "NOT sanitized"),
          flush=True)

    if a.replay is not None:
        jobs = [(f, None) for f in a.replay]
    else:
        inputs = a.inputs if a.inputs else default_inputs()
        if not inputs:
            sys.exit("fuzz.py: no input captures")
        print("fuzz: %d input captures, %d corrupted captures, seed %d"
              % (len(inputs), a.count, a.seed), flush=True)
        jobs = [(inputs[i % len(inputs)], i) for i in range(a.count)]
        if a.ledger:
            done = {i for s_, i, _r, _t in read_ledger(a.ledger) if s_ == a.seed}
            jobs = [j for j in jobs if j[1] not in done]
            print("fuzz: ledger %s: %d of %d already done for seed %d, %d to go"
                  % (a.ledger, a.count - len(jobs), a.count, a.seed, len(jobs)), flush=True)
            if not os.path.exists(a.ledger):
                with open(a.ledger, "w") as f:
                    f.write(LEDGER_HEADER + "\n")
    commit = plugin_commit() if a.ledger else None
    ledger_lock = threading.Lock()
    stopping = threading.Event()

    def stop(signum, _frame):
        if not stopping.is_set():
            print("fuzz: signal %d: no new captures; waiting for the running ones" % signum,
                  flush=True)
        stopping.set()
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)

    def one(job):
        src, i = job
        if stopping.is_set() or (a.time_limit and time.time() - t0 > a.time_limit):
            return None
        t1 = time.time()
        if i is None:
            cap, desc = src, "replay " + src
        else:
            rnd = random.Random(a.seed * 1000003 + i)
            steps = mutation(rnd)
            cap = os.path.join(work, "fuzz-%06d.pcapng" % i)
            corrupt(src, cap, steps, tempfile.mkdtemp(dir=work))
            desc = "%s <- editcap %s" % (os.path.basename(src),
                                          " | ".join(" ".join(s) for s in steps))
        try:
            v = check_capture(cap, ts, base)
        except tdrun.ToolError:
            raise
        tally.add(v)
        if a.ledger and i is not None:
            with ledger_lock, open(a.ledger, "a") as f:
                f.write("%d\t%d\t%s\t%s\t%s\t%.1f\t%s\n" % (
                    a.seed, i, os.path.relpath(src, tdrun.REPO),
                    " | ".join(" ".join(s) for s in steps), result_word(v), time.time() - t1,
                    commit))
        if not v.ok() or (a.verbose and v.foreign):
            label = ("fuzz-s%d-%06d-" % (a.seed, i) if i is not None else "replay-") + \
                re.sub(r"[^A-Za-z0-9_.-]", "_", os.path.splitext(os.path.basename(src))[0])
            saved = save_failure(out_dir, cap, label, v, save_lock)
            print("FAIL %s\n     %s\n     saved %s.*" % (desc, "; ".join(
                "%s: %s" % (c, t.splitlines()[0]) for c, t in v.problems) or "foreign only",
                saved), flush=True)
        elif a.verbose:
            print("ok   %s" % desc, flush=True)
        if i is not None:
            os.unlink(cap)
        return v

    try:
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, a.jobs)) as ex:
            for n, v in enumerate(ex.map(one, jobs), 1):
                if v is not None and not a.verbose and n % 100 == 0:
                    print("fuzz: %d/%d tried, %d failed (%.0f s)" % (tally.tried, len(jobs),
                                                                    tally.failed, time.time() - t0),
                          flush=True)
    finally:
        ts.close()
        base.close()
        shutil.rmtree(work, ignore_errors=True)
    print(tally.summary(time.time() - t0))
    if a.ledger:
        rows = [r for r in read_ledger(a.ledger) if r[0] == a.seed]
        fails = [r for r in rows if r[2].startswith("FAIL")]
        print("ledger (seed %d, all sessions): %d of %d captures done, %d failed, "
              "%d crashes, %d sanitizer reports, %.0f s of capture time"
              % (a.seed, len(rows), a.count, len(fails),
                 sum(1 for r in fails if "crash" in r[2]),
                 sum(1 for r in fails if "sanitizer" in r[2]), sum(r[3] for r in rows)))
    if tally.failed:
        print("fuzz: failing inputs and logs in %s" % out_dir)
    elif not a.out:
        shutil.rmtree(out_dir, ignore_errors=True)
    return 1 if tally.failed else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except tdrun.ToolError as e:
        sys.exit("fuzz.py: %s" % e)
