#!/usr/bin/env python3
"""check_reference.py — docs/reference.md must match what the plugin registers.

Runs tshark with the freshly built plugin (scripts/tshark-tcpdiag; the build
tree comes from TCPDIAG_BUILD_DIR) and compares with the four tables of
docs/reference.md:

  ## Fields         -G fields: every tcpdiag.* field but the expert ones;
                    the Type column must be Wireshark's name of the field type
                    (tshark -G ftypes)
  ## Verdicts       the values listed in the description of tcpdiag.verdict
  ## Expert items   -G fields: every tcpdiag.expert.* item; Severity and Group
                    as registered (Wireshark 4.0's tshark has no -G expert, so
                    those two come from the registrations in plugin/epan/*.c, which
                    must cover every item tshark reports)
  ## Preferences    -G currentprefs: every tcpdiag.* preference and its default

Fails, naming each difference, when something registered is missing from the
document or something documented is not registered.

  tests/docs/check_reference.py [--repo DIR] [--doc FILE]

SPDX-License-Identifier: GPL-2.0-or-later
"""
import argparse
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "lib"))
import wsversion  # noqa: E402  type names as 4.0 prints them (representation only)

SEVERITY = {"PI_COMMENT": "Comment", "PI_CHAT": "Chat", "PI_NOTE": "Note",
            "PI_WARN": "Warning", "PI_ERROR": "Error"}
GROUP = {"PI_CHECKSUM": "Checksum", "PI_SEQUENCE": "Sequence",
         "PI_RESPONSE_CODE": "Response code", "PI_REQUEST_CODE": "Request code",
         "PI_UNDECODED": "Undecoded", "PI_REASSEMBLE": "Reassemble",
         "PI_MALFORMED": "Malformed", "PI_DEBUG": "Debug", "PI_PROTOCOL": "Protocol",
         "PI_SECURITY": "Security", "PI_COMMENTS_GROUP": "Comment",
         "PI_DECRYPTION": "Decryption", "PI_ASSUMPTION": "Assumption",
         "PI_DEPRECATED": "Deprecated"}
PREF_TYPE = [("A decimal number", "Decimal number"),
             ("TRUE or FALSE", "Boolean"),
             ("A string", "String"),
             ("One of:", "Enumeration")]


def tshark(wrapper, *args):
    """Runs the wrapper; returns stdout, failing loudly on errors."""
    r = subprocess.run([wrapper, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True, check=False)
    if r.returncode != 0:
        sys.exit(f"docs_sync: {os.path.basename(wrapper)} {' '.join(args)} failed "
                 f"({r.returncode}):\n{r.stderr}")
    return r.stdout


def registered(wrapper, repo):
    """What the loaded plugin registers."""
    ftypes = {}
    for line in tshark(wrapper, "-G", "ftypes").splitlines():
        parts = line.split("\t")
        if len(parts) == 2:
            ftypes[parts[0]] = wsversion.ftype_name(parts[1])

    fields, experts, verdicts = {}, set(), []
    for line in tshark(wrapper, "-G", "fields").splitlines():
        p = line.split("\t")
        if len(p) < 8 or p[0] != "F" or p[4] != "tcpdiag":
            continue
        abbrev, ftype, blurb = p[2], p[3], p[7]
        if abbrev.startswith("tcpdiag.expert."):
            experts.add(abbrev)
            continue
        fields[abbrev] = ftypes.get(ftype, ftype)
        if abbrev == "tcpdiag.verdict":
            # "Outcome of the connection's handshake: established, no-response, ..."
            verdicts = [v.strip() for v in blurb.split(":", 1)[-1].split(",") if v.strip()]
    if not fields:
        sys.exit("docs_sync: tshark lists no tcpdiag field: is the plugin built and loaded? "
                 f"(TCPDIAG_BUILD_DIR={os.environ.get('TCPDIAG_BUILD_DIR', '<repo>/build')})")
    if not verdicts:
        sys.exit("docs_sync: cannot read the verdict values from the description of "
                 "tcpdiag.verdict")

    prefs = {}
    comment = []
    for line in tshark(wrapper, "-G", "currentprefs").splitlines():
        if line.startswith("# "):
            comment.append(line[2:])
            continue
        m = re.match(r"^#?(tcpdiag\.[A-Za-z0-9_.]+):\s*(.*)$", line)
        if m:
            kind = ""
            for start, name in PREF_TYPE:
                if any(c.startswith(start) for c in comment):
                    kind = name
            prefs[m.group(1)] = (m.group(2).strip(), kind)
        comment = []

    # Severity and group: from the registrations (TD_EI(ei, "name", GROUP, SEVERITY, ...)
    # or a plain { &ei, { "tcpdiag.expert.name", GROUP, SEVERITY, ... } }).
    sev_group = {}
    src_dir = os.path.join(repo, "plugin", "epan")
    pat_macro = re.compile(r'\bTD_EI\(\s*[^,()]+?(?:\[[^\]]*\])?\s*,\s*"([A-Za-z0-9_.]+)"\s*,'
                           r'\s*(PI_[A-Z_]+)\s*,\s*(PI_[A-Z_]+)', re.S)
    pat_plain = re.compile(r'"(tcpdiag\.expert\.[A-Za-z0-9_.]+)"\s*,\s*(PI_[A-Z_]+)\s*,'
                           r'\s*(PI_[A-Z_]+)', re.S)
    for name in sorted(os.listdir(src_dir)):
        if not name.endswith(".c"):
            continue
        with open(os.path.join(src_dir, name), encoding="utf-8") as f:
            text = f.read()
        for m in pat_macro.finditer(text):
            sev_group["tcpdiag.expert." + m.group(1)] = (m.group(3), m.group(2))
        for m in pat_plain.finditer(text):
            sev_group[m.group(1)] = (m.group(3), m.group(2))
    return fields, verdicts, experts, sev_group, prefs


def split_row(line):
    cells = re.split(r"(?<!\\)\|", line.strip())
    return [c.strip().replace("\\|", "|") for c in cells[1:-1]]


def documented(doc):
    """{section: {name: [cells]}} of the tables under the four headings, and
    the names documented twice."""
    wanted = {"Fields", "Verdicts", "Expert items", "Preferences"}
    tables = {w: {} for w in wanted}
    twice = []
    section = None
    with open(doc, encoding="utf-8") as f:
        for line in f:
            if line.startswith("## "):
                title = line[3:].strip()
                section = title if title in wanted else None
                continue
            if section is None or not line.lstrip().startswith("|"):
                continue
            cells = split_row(line)
            m = re.fullmatch(r"`([^`]+)`", cells[0]) if cells else None
            if not m:
                continue  # header or separator row
            if m.group(1) in tables[section]:
                twice.append(f"{m.group(1)} (## {section})")
            tables[section][m.group(1)] = cells
    return tables, twice


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--repo", default=os.path.normpath(os.path.join(here, "..", "..")))
    ap.add_argument("--doc", help="default: <repo>/docs/reference.md")
    args = ap.parse_args()
    doc = args.doc or os.path.join(args.repo, "docs", "reference.md")
    wrapper = os.path.join(args.repo, "scripts", "tshark-tcpdiag")

    fields, verdicts, experts, sev_group, prefs = registered(wrapper, args.repo)
    tables, twice = documented(doc)
    rel = os.path.relpath(doc, args.repo)
    problems = [f"{n} is documented twice in {rel}" for n in twice]

    def compare(section, have, what):
        doc_names = set(tables[section])
        for n in sorted(set(have) - doc_names):
            problems.append(f"{what} {n} is registered by the plugin but missing from "
                            f"{rel} (## {section})")
        for n in sorted(doc_names - set(have)):
            problems.append(f"{what} {n} is documented in {rel} (## {section}) but the "
                            "plugin does not register it")

    compare("Fields", fields, "field")
    for n, ftype in sorted(fields.items()):
        cells = tables["Fields"].get(n)
        if cells and (len(cells) < 2 or cells[1] != ftype):
            problems.append(f"field {n}: Type is '{cells[1] if len(cells) > 1 else ''}' in "
                            f"{rel}, the plugin registers '{ftype}'")

    compare("Verdicts", verdicts, "verdict")

    compare("Expert items", experts, "expert item")
    for n in sorted(experts):
        if n not in sev_group:
            problems.append(f"expert item {n}: no registration with severity and group found "
                            "in plugin/epan/*.c")
            continue
        sev, grp = SEVERITY.get(sev_group[n][0], sev_group[n][0]), GROUP.get(sev_group[n][1],
                                                                              sev_group[n][1])
        cells = tables["Expert items"].get(n)
        if not cells:
            continue
        if len(cells) < 3 or cells[1] != sev or cells[2] != grp:
            problems.append(f"expert item {n}: documented as "
                            f"{'/'.join(cells[1:3])}, registered as {sev}/{grp}")

    compare("Preferences", prefs, "preference")
    for n, (default, kind) in sorted(prefs.items()):
        cells = tables["Preferences"].get(n)
        if not cells:
            continue
        if len(cells) < 3:
            problems.append(f"preference {n}: the row needs Type and Default columns")
            continue
        if kind and cells[1] != kind:
            problems.append(f"preference {n}: Type is '{cells[1]}' in {rel}, tshark says "
                            f"'{kind}'")
        if cells[2].strip("`") != default:
            problems.append(f"preference {n}: Default is '{cells[2]}' in {rel}, tshark says "
                            f"'{default}'")

    print(f"docs_sync: plugin registers {len(fields)} fields, {len(verdicts)} verdicts, "
          f"{len(experts)} expert items, {len(prefs)} preferences")
    if problems:
        for p in problems:
            print(f"docs_sync: FAIL: {p}")
        print(f"docs_sync: {len(problems)} difference(s) between the plugin and {rel}")
        return 1
    print(f"docs_sync: {rel} matches the plugin")
    return 0


if __name__ == "__main__":
    sys.exit(main())
