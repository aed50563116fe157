#!/usr/bin/env python3
"""wsversion.py — the one place where the tests absorb how Wireshark 4.0, 4.4
and 4.6 *print* the same thing differently. Representation only, never
meaning: a verdict, a count, a frame number or an expert item that differs is
a bug for the plugin to fix, not something to normalise here.

What differs (checked on 4.0.17, 4.4.19 and 4.6.9):
  * booleans: PDML "show" and `-T fields` print 1/0 on 4.0, True/False from
    4.2 on (ftypes rewrite) — normalised to 1/0;
  * field type names (`tshark -G ftypes`): "Unsigned integer (1 byte)" on 4.0,
    "(8 bits)" from 4.2 on — normalised to 4.0's names, which
    docs/reference.md uses;
  * an expert item's label in PDML (showname) longer than the label length
    (ITEM_LABEL_LENGTH) is marked " [truncated]" in front on 4.0, "[…] " on
    4.4+, and cut at a slightly different place — normalised by dropping the
    mark and cutting every expert text at EXPERT_TEXT_CUT characters;
  * `tshark -G protocols`: 3 columns (name, short name, filter name) on 4.0,
    3 more (enabled, ...) from 4.2 on — read by protocol_filter_names();
  * tcp.stream numbers: versions split a reused port pair into streams
    differently (4.4+ start a new stream at a SYN after a RST or a challenge
    ACK), so streams are renumbered in order of first appearance where a
    comparison spans versions (compare.py) — the per-version golden files
    keep each version's own numbers; checks against expected stream numbers
    written on 4.0 (tests/robustness/check_hostile.py) compare ranks
    (stream_ranks).

Used by tests/golden/run_golden.py, tests/docs/check_reference.py,
tests/versions/compare.py, and from shell (tests/cli/test_cli.sh) as a filter:
  wsversion.py fields < tshark-fields-output     booleans of -T fields to 1/0
"""
import re
import sys

# Labels are cut at 240 bytes by every version (ITEM_LABEL_LENGTH); what
# follows the cut (nothing, "…", " [...]") differs. 180 characters is below
# the cut of every version for "Expert Info (Warning/Sequence): " + text.
EXPERT_TEXT_CUT = 180

_BOOL = {"True": "1", "False": "0", "true": "1", "false": "0"}


def boolean(value):
    """A boolean field's value as 4.0 prints it (1/0); others unchanged."""
    return _BOOL.get(value, value)


_FTYPE_BITS = re.compile(r"^(Unsigned integer|Signed integer|Character) \((\d+) bits\)$")


def ftype_name(name):
    """A field type name as 4.0 prints it: "(8 bits)" -> "(1 byte)"."""
    m = _FTYPE_BITS.match(name)
    if not m:
        return name
    n = int(m.group(2)) // 8
    return "%s (%d byte%s)" % (m.group(1), n, "" if n == 1 else "s")


_TRUNCATED_MARKS = (" [truncated]", "[truncated]", "[…] ", "[…]")


def expert_text(showname):
    """An expert item's text from its PDML showname ("Expert Info (Warning/
    Sequence): text"), without the version's truncation mark, cut where every
    version still shows all of it: "(Warning/Sequence): text"."""
    for mark in _TRUNCATED_MARKS:
        if showname.startswith(mark):
            showname = showname[len(mark):]
            break
    if showname.startswith("Expert Info "):
        showname = showname[len("Expert Info "):]
    for tail in ("…", "[...]", "..."):
        if showname.endswith(tail):
            showname = showname[: -len(tail)]
    return showname.rstrip()[:EXPERT_TEXT_CUT]


def fields_line(line, sep="\t"):
    """A line of `tshark -T fields` output with booleans as 1/0 (also inside
    comma-separated occurrences)."""
    return sep.join(",".join(boolean(v) for v in cell.split(","))
                    for cell in line.split(sep))


class Renumber:
    """Stream numbers renumbered in order of first appearance (cross-version
    comparisons only: how a version numbers streams is not tcpdiag's)."""

    def __init__(self):
        self.map = {}

    def __call__(self, stream):
        if stream in ("", "-", None):
            return stream
        return self.map.setdefault(stream, str(len(self.map)))


def protocol_filter_names(text):
    """The filter names (third column) of `tshark -G protocols` output."""
    return {cols[2] for cols in (l.split("\t") for l in text.splitlines()) if len(cols) >= 3}


def stream_ranks(keys):
    """{stream: rank} for the numeric stream keys among keys (tcp.stream
    numbers grow with a stream's first frame on every version, so the rank is
    the connection's place in the capture): "0", "2" -> "0", "1". Other keys
    ("-": a connection known only from an ICMP error) map to themselves."""
    nums = sorted({k for k in keys if k.isdigit()}, key=int)
    out = {k: str(i) for i, k in enumerate(nums)}
    return lambda k: out.get(k, k)


def main(argv):
    if len(argv) == 2 and argv[1] == "fields":
        for line in sys.stdin:
            sys.stdout.write(fields_line(line.rstrip("\n")) + "\n")
        return 0
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
