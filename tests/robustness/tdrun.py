"""tdrun.py — run tshark with a tcpdiag build (plain or sanitized) many times
cheaply, and tell whether a run found a bug of ours.

Shared by the robustness tools in this folder (fuzz.py, check_hostile.py,
valgrind_pass.py). Like scripts/tshark-tcpdiag it drops to user nobody when
run as root (tshark as root ignores WIRESHARK_PLUGIN_DIR), but it stages the
plugin once per process rather than once per run, and it preloads the ASan
runtime into tshark only (not into the shell around it).

A sanitized plugin (-DTCPDIAG_SANITIZE=ON) loaded into the uninstrumented
tshark needs libasan first in the library list: LD_PRELOAD. Reports are then
attributed by their stack: a report counts as ours only when a frame lies in
our sources or in tcpdiag.so (tshark's own code is not instrumented, but ASan
also checks its mallocs and frees, so a report may come from elsewhere).

SPDX-License-Identifier: GPL-2.0-or-later
"""
import glob
import os
import re
import shutil
import signal
import subprocess
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# abort_on_error: a report ends the process with SIGABRT, never with exit
# status 1, which tshark also uses for ordinary errors. detect_leaks=0:
# tshark (not ours) leaks at exit by design.
ASAN_OPTIONS = "detect_leaks=0:abort_on_error=1:halt_on_error=1:symbolize=1:allocator_may_return_null=1"
UBSAN_OPTIONS = "print_stacktrace=1:halt_on_error=1:abort_on_error=1"

SANITIZER_MARKERS = ("ERROR: AddressSanitizer", "runtime error:", "AddressSanitizer:DEADLYSIGNAL",
                     "SUMMARY: UndefinedBehaviorSanitizer", "SUMMARY: AddressSanitizer",
                     "ERROR: LeakSanitizer")
# A frame of ours: a source file of the plugin or of these tests, or the
# plugin module itself when symbols are missing.
OURS = re.compile(r"/plugin/(?:core/|epan/)?[A-Za-z0-9_]+\.[ch]:\d+|tcpdiag\.so|/tests/robustness/canary/|"
                  r"\bin td_[A-Za-z0-9_]+ |\bin (dissect|init)_tcpdiag ")


class ToolError(RuntimeError):
    """The test setup itself is broken (missing build, tshark...)."""


def ensure_tool(path_or_name, package):
    """The tool's path; installs its Debian package first when it is missing
    and we are root (CI on a fresh machine), else ToolError."""
    found = path_or_name if os.path.isabs(path_or_name) and os.path.exists(path_or_name) \
        else shutil.which(path_or_name)
    if found:
        return found
    if os.geteuid() != 0:
        raise ToolError("%s not found: apt-get install %s" % (path_or_name, package))
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    for cmd in (["apt-get", "update", "-qq"],
                ["apt-get", "install", "-y", "-qq", "--no-install-recommends", package]):
        p = subprocess.run(cmd, env=env, capture_output=True, text=True)
        if p.returncode != 0:
            raise ToolError("%s failed: %s" % (" ".join(cmd), p.stderr[-1000:]))
    found = path_or_name if os.path.isabs(path_or_name) else shutil.which(path_or_name)
    if not found or not os.path.exists(found):
        raise ToolError("%s still missing after installing %s" % (path_or_name, package))
    return found


def asan_runtime():
    """Path of the libasan the plugin was linked against (gcc's)."""
    cc = shutil.which("gcc") or shutil.which("cc")
    if not cc:
        raise ToolError("gcc not found: needed to locate libasan.so")
    path = subprocess.run([cc, "-print-file-name=libasan.so"], capture_output=True,
                          text=True, check=True).stdout.strip()
    if not os.path.isabs(path) or not os.path.exists(path):
        raise ToolError("libasan.so not found (gcc says %r): apt-get install libasan8" % path)
    return os.path.realpath(path)


def plugin_in(build_dir):
    """tcpdiag.so staged in build_dir (plugins/<X.Y>/epan/), or ToolError."""
    hits = sorted(glob.glob(os.path.join(build_dir, "plugins", "*", "epan", "tcpdiag.so")))
    if not hits:
        raise ToolError("no plugin in %s/plugins/*/epan/: build it first" % build_dir)
    return hits[0]


def is_sanitized(so_path):
    """True if the module needs the ASan runtime."""
    out = subprocess.run(["ldd", so_path], capture_output=True, text=True).stdout
    return "libasan" in out


def tshark_abi(tshark="tshark"):
    """"X.Y" of the installed tshark: the plugin folder name it searches."""
    out = subprocess.run([tshark, "--version"], capture_output=True, text=True).stdout
    m = re.search(r"TShark \(Wireshark\) (\d+)\.(\d+)", out)
    if not m:
        raise ToolError("cannot tell the tshark version from: %r" % out[:200])
    return "%s.%s" % m.groups()


class Result:
    def __init__(self, args, rc, stdout, stderr, timed_out=False):
        self.args, self.rc, self.stdout, self.stderr = args, rc, stdout, stderr
        self.timed_out = timed_out

    @property
    def signal(self):
        """The signal that killed tshark, or 0."""
        return -self.rc if self.rc < 0 else 0

    def sanitizer_reports(self):
        """The sanitizer reports in stderr, as a list of text blocks."""
        if not any(m in self.stderr for m in SANITIZER_MARKERS):
            return []
        blocks, cur = [], []
        for line in self.stderr.splitlines():
            starts = ("runtime error:" in line or line.startswith("=================") or
                      "AddressSanitizer:DEADLYSIGNAL" in line)
            if starts and cur and any(m in "\n".join(cur) for m in SANITIZER_MARKERS):
                blocks.append("\n".join(cur))
                cur = []
            cur.append(line)
        if cur and any(m in "\n".join(cur) for m in SANITIZER_MARKERS):
            blocks.append("\n".join(cur))
        return blocks

    def our_sanitizer_reports(self):
        return [b for b in self.sanitizer_reports() if OURS.search(b)]

    def crashed(self):
        """Killed by a signal or timed out (a sanitizer abort counts too)."""
        return self.timed_out or self.rc < 0

    def describe(self):
        what = ("timed out" if self.timed_out else
                "killed by signal %d" % self.signal if self.rc < 0 else "exit %d" % self.rc)
        return "tshark %s: %s" % (" ".join(self.args), what)


class Tshark:
    """tshark with (or without) one tcpdiag build, staged once.

    plugin: path of tcpdiag.so, or None for tshark without the plugin.
    extra_plugins: more epan plugin modules to load (the canary).
    """

    def __init__(self, plugin=None, extra_plugins=(), timeout=120, prefs=()):
        self.tshark = shutil.which("tshark")
        if not self.tshark:
            raise ToolError("tshark not found: apt-get install tshark")
        self.timeout = timeout
        self.prefs = list(prefs)
        # The name must not contain "tcpdiag": stderr is searched for it.
        self.stage = tempfile.mkdtemp(prefix="tdrob.")
        os.chmod(self.stage, 0o755)
        self.home = os.path.join(self.stage, "home")
        os.makedirs(self.home)
        self.inputs = os.path.join(self.stage, "in")
        os.makedirs(self.inputs)
        self.plugins = os.path.join(self.stage, "plugins")
        os.makedirs(self.plugins)
        self.sanitized = False
        mods = ([plugin] if plugin else []) + list(extra_plugins)
        abi = (os.path.basename(os.path.dirname(os.path.dirname(plugin))) if plugin
               else tshark_abi(self.tshark))
        for so in mods:
            dest = os.path.join(self.plugins, abi, "epan")
            os.makedirs(dest, exist_ok=True)
            shutil.copy(so, dest)
            self.sanitized = self.sanitized or is_sanitized(so)
        self.with_plugin = plugin is not None
        for root, dirs, files in os.walk(self.stage):
            for d in dirs:
                os.chmod(os.path.join(root, d), 0o755)
            for f in files:
                os.chmod(os.path.join(root, f), 0o644)
        self.env = {k: v for k, v in os.environ.items()
                    if not k.startswith(("WIRESHARK_", "ASAN_", "UBSAN_", "LD_PRELOAD"))}
        self.env.update(HOME=self.home, WIRESHARK_PLUGIN_DIR=self.plugins, LC_ALL="C.UTF-8")
        if self.sanitized:
            self.env.update(LD_PRELOAD=asan_runtime(), ASAN_OPTIONS=ASAN_OPTIONS,
                            UBSAN_OPTIONS=UBSAN_OPTIONS)
        self.prefix = []
        if os.geteuid() == 0:
            self.prefix = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"]

    def close(self):
        shutil.rmtree(self.stage, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def stage_input(self, path):
        """A copy of path that user nobody can read; returns its path."""
        fd, dest = tempfile.mkstemp(prefix="in-", suffix="-" + os.path.basename(path),
                                    dir=self.inputs)
        os.close(fd)
        shutil.copyfile(path, dest)
        os.chmod(dest, 0o644)
        return dest

    def run(self, capture, args, staged=False, wrapper=(), env=None, discard_stdout=False):
        """tshark -r capture args...; capture is staged unless staged=True;
        env: extra environment variables for this run; discard_stdout: send
        stdout to /dev/null (huge outputs)."""
        cap = capture if staged else self.stage_input(capture)
        pref_args = []
        for p in self.prefs:
            pref_args += ["-o", p]
        argv = list(self.prefix) + list(wrapper) + [self.tshark, "-n", "-r", cap] + pref_args + list(args)
        try:
            p = subprocess.run(argv, env=dict(self.env, **(env or {})),
                               stdout=subprocess.DEVNULL if discard_stdout else subprocess.PIPE,
                               stderr=subprocess.PIPE, timeout=self.timeout,
                               start_new_session=True)
            res = Result(args, p.returncode, (p.stdout or b"").decode("utf-8", "replace"),
                         p.stderr.decode("utf-8", "replace"))
        except subprocess.TimeoutExpired as e:
            res = Result(args, -signal.SIGKILL, (e.stdout or b"").decode("utf-8", "replace"),
                         (e.stderr or b"").decode("utf-8", "replace"), timed_out=True)
        finally:
            if not staged:
                os.unlink(cap)
        return res


def default_build():
    return os.environ.get("TCPDIAG_BUILD_DIR", os.path.join(REPO, "build"))
