#!/usr/bin/env python3
"""check_layers.py — plugin/'s dependencies run one way (see plugin/README.md).

Reads every `#include` of plugin/core and plugin/epan and fails when
  - a core file includes an epan or Wireshark header (core is pure C; GLib
    only for conclusions),
  - a file includes a module of a higher layer than its own (the layer table
    below is the one plugin/README.md documents),
  - the include graph has a circle,
  - anybody includes the entry file, or a module is in no layer.
Prints one line per problem and "N passed, N failed".

SPDX-License-Identifier: GPL-2.0-or-later
"""
import argparse
import os
import re
import sys

# Layers, lowest first. A module (x.c with its x.h) may include modules of
# its own layer or lower ones only.
LAYERS = [
    ("core", ["tcp_wire", "td_limits", "time_ns", "tuple", "textbuf", "conn_state", "options",
              "diagnosis", "conclusions",
              # checklist evidence (issue 11)
              "evidence", "dns_wire", "dns_lookup", "neighbor", "ping", "dhcp", "udp_unreach",
              "zero_window", "checklist"]),
    ("compat", ["compat"]),
    ("prefs", ["prefs"]),
    ("hook", ["hook", "evidence_hook"]),
    ("extract", ["extract"]),
    ("conn_table", ["conn_record", "conn_cache", "conn_table"]),
    ("evidence_table", ["evidence_table"]),
    ("capture", ["capture"]),
    ("view", ["view"]),
    ("output", ["render", "render_evidence", "tap", "reports", "report_conn", "report_servers", "report_hosts", "stats_tree"]),
    ("entry", ["packet-tcpdiag", "plugin"]),
]
ENTRY = "packet-tcpdiag"
CORE_ALLOWED_SYSTEM = re.compile(r"^(std[a-z0-9_]*|string|limits|inttypes|math|ctype|errno|"
                                 r"assert|glib)\.h$")

INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]', re.M)


def module_of(path):
    return os.path.splitext(os.path.basename(path))[0]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repo", default=os.path.join(os.path.dirname(__file__), "..", ".."))
    args = ap.parse_args()
    plugin = os.path.join(args.repo, "plugin")
    rank = {m: i for i, (_, mods) in enumerate(LAYERS) for m in mods}
    problems, checks = [], 0
    graph = {}  # module -> set of modules it includes
    for sub in ("core", "epan"):
        d = os.path.join(plugin, sub)
        for name in sorted(os.listdir(d)):
            if not name.endswith((".c", ".h")):
                continue
            mod = module_of(name)
            checks += 1
            if mod not in rank:
                problems.append(f"plugin/{sub}/{name}: module {mod} is in no layer "
                                "(tests/layers/check_layers.py, plugin/README.md)")
                continue
            if (sub == "core") != (rank[mod] == 0):
                problems.append(f"plugin/{sub}/{name}: layer {LAYERS[rank[mod]][0]} in {sub}/")
            with open(os.path.join(d, name), encoding="utf-8") as f:
                text = f.read()
            for kind, inc in INCLUDE.findall(text):
                checks += 1
                base = os.path.basename(inc)
                if kind == "<":
                    if sub == "core" and not CORE_ALLOWED_SYSTEM.match(base) or \
                            sub == "core" and base == "glib.h" and mod != "conclusions":
                        problems.append(f"plugin/core/{name}: includes <{inc}>: the core is "
                                        "pure C (GLib only in conclusions)")
                    continue
                dep = module_of(inc)
                if dep == ENTRY:
                    problems.append(f"plugin/{sub}/{name}: includes the entry file {inc}")
                    continue
                if dep not in rank:
                    problems.append(f"plugin/{sub}/{name}: includes {inc}, in no layer")
                    continue
                if dep != mod:
                    graph.setdefault(mod, set()).add(dep)
                if rank[dep] > rank[mod]:
                    problems.append(f"plugin/{sub}/{name}: includes {inc} of layer "
                                    f"{LAYERS[rank[dep]][0]}, above its own "
                                    f"({LAYERS[rank[mod]][0]})")
    # Circles (a module's .c and .h are one node).
    state = {}

    def visit(m, path):
        state[m] = 1
        for d in sorted(graph.get(m, ())):
            if state.get(d) == 1:
                problems.append("include circle: " + " -> ".join(path[path.index(d):] + [d])
                                if d in path else f"include circle through {d}")
            elif not state.get(d):
                visit(d, path + [d])
        state[m] = 2

    for m in sorted(graph):
        if not state.get(m):
            visit(m, [m])
    checks += 1
    for p in problems:
        print(p)
    failed = len(problems)
    print(f"{checks - failed if checks > failed else 0} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
