#!/usr/bin/env python3
"""check_plugin.py — the plugin's checklist evidence (issue 11) against the
ground truth of the real checklist captures, sample-captures/
checklist-expected.tsv. ctest `checklist_plugin`.

sample-captures/check-checklist.sh proves with plain tshark that each row's
evidence filter matches exactly the row's `frames`; this test proves that
tshark *with the plugin* (two-pass, -2: verdicts such as no-answer need the
end of the capture) says the row's outcome on exactly those frames:

  dns          tcpdiag.dns.verdict (+ .name/.type from the key, .server, .tries,
               .answer on responses, tcpdiag.frame.dns_query, tcpdiag.dns.rtt)
  dns-server   the conclusion "DNS server <key> answered none of <queries>
               queries while <other-server> answered" in -z tcpdiag,hosts,
               -z tcpdiag,servers or an expert text (SKIP while no hosts report
               is registered and neither says it)
  arp, nd      tcpdiag.arp.verdict (+ .requests); outcome `duplicate`:
               tcpdiag.arp.duplicate naming the address and both MACs; a
               `gateway` row with dhcp-gateway=<mac>: the conclusion "<key> is
               the default gateway the DHCP server gave <mac>" in
               -z tcpdiag,hosts or -z tcpdiag,servers; a `gateway` row without
               it (a static route): no report says so
  ping         tcpdiag.ping.verdict (+ tcpdiag.ping.rtt on replies)
  dhcp         tcpdiag.dhcp.verdict (+ .address, .server on OFFER/ACK/NAK)
  udp          tcpdiag.udp.verdict on the ICMP errors, and (2nd pass) on the
               datagrams of the flow
  zero_window  tcpdiag.zero_window true on the row's frames (zero-window), or on
               no frame of the stream (none)
  conn         tcpdiag.verdict on the row's frames and on every frame of the
               stream; details server.name=, duplicate=, ping=, link-local=,
               zero_window — and their absence when the row does not name them
               (the false-positive rows)

then that no frame of any checklist capture carries a failure value without a
row with that outcome covering it (the row lists the frame, or the frame
belongs to the row's key: same lookup name/type, address, flow, client MAC +
xid), that the captures whose rows are all healthy raise no Warning or
Error from tcpdiag (`tshark -2 -q -z expert`), and that Wireshark's own
dissectors find the same frames malformed with and without the plugin.

Fields the plugin does not register (`tshark -G fields`) are not asked for
(tshark would refuse the whole run); every check that needs one FAILs with
"plugin lacks field X".

Usage: TCPDIAG_BUILD_DIR=build tests/checklist/check_plugin.py [CAPTURE...]
Exit status 1 on any failure. Python 3 standard library only.
"""
import argparse
import csv
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(REPO, "tests", "lib"))
import wsversion  # noqa: E402  how 4.0/4.4/4.6 print the same thing (representation only)

TSHARK = os.path.join(REPO, "scripts", "tshark-tcpdiag")
CAPDIR = os.path.join(REPO, "sample-captures", "checklist")
TSV = os.path.join(REPO, "sample-captures", "checklist-expected.tsv")

# The contract of docs/design/checklist.md, "Fields": every name must be
# registered, even those this test only requires to exist.
DESIGN_FIELDS = [
    "tcpdiag.dns.name", "tcpdiag.dns.type", "tcpdiag.dns.verdict", "tcpdiag.dns.server",
    "tcpdiag.dns.tries", "tcpdiag.dns.rtt", "tcpdiag.dns.answer",
    "tcpdiag.frame.dns_query", "tcpdiag.frame.dns_response", "tcpdiag.server.name",
    "tcpdiag.arp.verdict", "tcpdiag.arp.duplicate", "tcpdiag.arp.requests",
    "tcpdiag.ping.verdict", "tcpdiag.ping.rtt",
    "tcpdiag.dhcp.verdict", "tcpdiag.dhcp.address", "tcpdiag.dhcp.server",
    "tcpdiag.udp.verdict", "tcpdiag.zero_window", "tcpdiag.client.link_local",
]
DESIGN_EXPERTS = [
    "tcpdiag.expert.dns_failed", "tcpdiag.expert.dns_server_silent",
    "tcpdiag.expert.arp_unanswered", "tcpdiag.expert.arp_duplicate",
    "tcpdiag.expert.arp_sweep", "tcpdiag.expert.ping_unanswered",
    "tcpdiag.expert.dhcp_failed", "tcpdiag.expert.udp_unreachable",
    "tcpdiag.expert.zero_window_early",
]
# Existing fields this test reads too.
OLD_FIELDS = ["tcpdiag.verdict", "tcpdiag.server.summary"]
BOOLEANS = {"tcpdiag.zero_window", "tcpdiag.client.link_local"}
# Plain Wireshark fields: which frame is which, and the keys of the rows.
PLAIN = [
    "frame.number", "tcp.stream", "ip.src", "ip.dst", "ipv6.src", "ipv6.dst", "udp.dstport",
    "icmp.type", "icmpv6.type", "dns.flags.response", "arp.src.proto_ipv4",
    "arp.dst.proto_ipv4", "icmpv6.nd.ns.target_address", "icmpv6.nd.na.target_address",
    "dhcp.hw.mac_addr", "dhcp.id", "dhcp.option.dhcp",
]

# Failure values per field (docs/design/checklist.md; `udp`: every value).
FAILING = {
    "tcpdiag.dns.verdict": {"nxdomain", "servfail", "refused", "no-answer", "truncated",
                            "no-address", "error"},
    "tcpdiag.arp.verdict": {"unanswered", "duplicate"},
    "tcpdiag.ping.verdict": {"unanswered"},
    "tcpdiag.dhcp.verdict": {"no-offer", "nak", "declined"},
    "tcpdiag.udp.verdict": None,
}
# The row protocols a field's value can be covered by.
FIELD_PROTOS = {
    "tcpdiag.dns.verdict": ("dns",),
    "tcpdiag.arp.verdict": ("arp", "nd"),
    "tcpdiag.ping.verdict": ("ping",),
    "tcpdiag.dhcp.verdict": ("dhcp",),
    "tcpdiag.udp.verdict": ("udp",),
}
MAIN_FIELD = {
    "dns": "tcpdiag.dns.verdict", "arp": "tcpdiag.arp.verdict", "nd": "tcpdiag.arp.verdict",
    "ping": "tcpdiag.ping.verdict", "dhcp": "tcpdiag.dhcp.verdict",
    "udp": "tcpdiag.udp.verdict", "zero_window": "tcpdiag.zero_window",
    "conn": "tcpdiag.verdict",
}
# Outcomes that make a capture not healthy (any other row outcome is healthy).
UNHEALTHY = {
    "dns": FAILING["tcpdiag.dns.verdict"], "arp": {"unanswered", "duplicate"},
    "nd": {"unanswered", "duplicate"}, "ping": {"unanswered"},
    "dhcp": {"no-offer", "nak", "declined"}, "dns-server": {"unanswered"},
    "zero_window": {"zero-window"}, "udp": {"port-unreachable", "prohibited", "unreachable"},
}
SEP = "\x1f"  # occurrences of one field: strings (server.summary) hold commas


class Missing(Exception):
    """A check needs a field the plugin does not register."""


def tshark(args):
    r = subprocess.run([TSHARK] + args, capture_output=True, text=True)
    err = "\n".join(l for l in r.stderr.splitlines() if "Running as user" not in l
                    and "This could be dangerous" not in l)
    return r.returncode, r.stdout, err


def load_rows(only):
    rows = []
    with open(TSV, newline="") as fh:
        for i, row in enumerate(csv.DictReader(fh, delimiter="\t"), start=2):
            if only and row["capture"] not in only:
                continue
            row["line"] = i
            row["frame_list"] = [int(x) for x in row["frames"].split(",")]
            row["details"] = parse_detail(row["detail"])
            rows.append(row)
    return rows


def parse_detail(text):
    """ "server=192.0.2.53;tries=2;no-connection" -> {"server": ..., "tries": ...,
    "no-connection": True}; "-" -> {}."""
    out = {}
    if text in ("", "-"):
        return out
    for part in text.split(";"):
        k, eq, v = part.partition("=")
        out[k] = v if eq else True
    return out


def frames_text(nums):
    """ "2,4,7-9" (runs as ranges: a stream's frames stay readable)."""
    nums = sorted(set(nums))
    if not nums:
        return "none"
    parts, start = [], nums[0]
    for a, b in zip(nums, nums[1:] + [None]):
        if b != a + 1:
            parts.append(str(start) if start == a else "%d-%d" % (start, a))
            start = b
    return ",".join(parts)


class Capture:
    """The -2 fields of one capture: frame number -> {field: [values]}."""

    def __init__(self, name, fields):
        self.name = name
        self.fields = fields
        self.frames = {}
        self.error = None
        args = ["-2", "-r", os.path.join(CAPDIR, name), "-T", "fields", "-E", "separator=/t",
                "-E", "occurrence=a", "-E", "aggregator=" + SEP]
        for f in fields:
            args += ["-e", f]
        rc, out, err = tshark(args)
        if rc != 0:
            self.error = "tshark -2 -T fields failed (exit %d): %s" % (rc, err.strip()[:400])
            return
        if "tcpdiag" in err.lower():
            self.error = "tshark's stderr mentions tcpdiag: %s" % err.strip()[:400]
        for line in out.splitlines():
            cols = line.split("\t")
            if len(cols) != len(fields):
                continue
            rec = {}
            for f, cell in zip(fields, cols):
                if cell == "":
                    continue
                vals = cell.split(SEP)
                if f in BOOLEANS:
                    vals = [wsversion.boolean(v) for v in vals]
                rec[f] = vals
            self.frames[int(cols[0])] = rec

    def has(self, field):
        if field not in self.fields:
            raise Missing(field)
        return True

    def get(self, num, field):
        """The values of field on frame num ([] when absent)."""
        self.has(field)
        return self.frames.get(num, {}).get(field, [])

    def one(self, num, field):
        """The field's value on frame num as one string ("" when absent)."""
        return SEP.join(self.get(num, field))

    def stream_frames(self, stream):
        return sorted(n for n, r in self.frames.items() if str(stream) in r.get("tcp.stream", []))

    def is_true(self, num, field):
        return "1" in self.get(num, field)

    def addrs(self, num, *fields):
        out = set()
        for f in fields:
            out.update(self.frames.get(num, {}).get(f, []))
        return out

    def srcs(self, num):
        return self.addrs(num, "ip.src", "ipv6.src")

    def dsts(self, num):
        return self.addrs(num, "ip.dst", "ipv6.dst")

    def is_icmp(self, num):
        return bool(self.addrs(num, "icmp.type", "icmpv6.type"))


def seen_by_value(cap, nums, field):
    """ "nxdomain on 2,4; absent on 3" for the frames nums."""
    groups = {}
    for n in nums:
        v = cap.one(n, field)
        if field in BOOLEANS:
            v = {"1": "true", "0": "false"}.get(v, v)
        groups.setdefault(v if v != "" else "(absent)", []).append(n)
    return "; ".join("%s on %s" % (v, frames_text(ns)) for v, ns in sorted(groups.items()))


class _Part:
    def __init__(self, rc):
        self.rc = rc

    def __enter__(self):
        return self

    def __exit__(self, kind, exc, tb):
        if kind is Missing:
            text = "plugin lacks field %s: cannot check it" % exc.args[0]
            if text not in self.rc.problems:
                self.rc.fail(text)
            return True
        return False


class RowCheck:
    """The problems found for one row."""

    def __init__(self, row):
        self.row = row
        self.problems = []
        self.skipped = None
        self.info = []

    def fail(self, text):
        self.problems.append(text)

    def part(self):
        """with rc.part(): one check; a field the plugin lacks fails it (once
        per field) and the row's other checks still run."""
        return _Part(self)

    def expect_value(self, cap, nums, field, want, what=None):
        """field == want on every frame of nums."""
        with self.part():
            bad = [n for n in nums if cap.one(n, field) != want]
            if bad:
                self.fail("%s expected %r on frames %s; seen %s" % (
                    what or field, want, frames_text(nums), seen_by_value(cap, nums, field)))

    def expect_true(self, cap, nums, field, want=True):
        """Boolean field true (want) / absent or false (not want) on nums."""
        with self.part():
            cap.has(field)
            bad = [n for n in nums if cap.is_true(n, field) != want]
            if bad:
                self.fail("%s expected %s on frames %s; not so on %s (seen %s)" % (
                    field, "true" if want else "absent/false", frames_text(nums),
                    frames_text(bad), seen_by_value(cap, bad, field)))


# ---- per-protocol row checks -------------------------------------------------

def is_query_of(cap, n, name):
    return ("0" in cap.addrs(n, "dns.flags.response") and not cap.is_icmp(n)
            and cap.one(n, "tcpdiag.dns.name") == name)


def check_dns(cap, row, rc):
    nums = row["frame_list"]
    d = row["details"]
    client, name, qtype = row["key"].split(" ")
    rc.expect_value(cap, nums, "tcpdiag.dns.verdict", row["outcome"])
    rc.expect_value(cap, nums, "tcpdiag.dns.name", name)
    rc.expect_value(cap, nums, "tcpdiag.dns.type", qtype)
    if "server" in d:
        rc.expect_value(cap, nums, "tcpdiag.dns.server", d["server"])
    if "tries" in d:
        rc.expect_value(cap, nums, "tcpdiag.dns.tries", d["tries"])
    responses = [n for n in nums if "1" in cap.addrs(n, "dns.flags.response")
                 and not cap.is_icmp(n)]
    with rc.part():
        # the link goes back to a query of the same lookup
        for n in responses:
            q = cap.get(n, "tcpdiag.frame.dns_query")
            if not q or any(not is_query_of(cap, int(x), name) or int(x) >= n for x in q):
                rc.fail("tcpdiag.frame.dns_query on response frame %d expected an earlier query "
                        "of %s (a frame with dns.flags.response 0 and tcpdiag.dns.name %s); seen %s"
                        % (n, name, name, q or "(absent)"))
    # The response time and the answer are the deciding response's (the
    # row's last response: the outcome is that of the latest answer).
    deciding = responses[-1:]
    with rc.part():
        bad = [n for n in deciding if not cap.get(n, "tcpdiag.dns.rtt")]
        if bad:
            rc.fail("tcpdiag.dns.rtt absent on the deciding response frame %s" % frames_text(bad))
    if row["outcome"] != "resolved":
        return
    with rc.part():
        for n in deciding:
            ans = cap.one(n, "tcpdiag.dns.answer")
            want = []
            if "addr" in d and not ans.startswith(d["addr"]):
                want.append("to start with %s" % d["addr"])
            if "cname" in d and d["cname"] not in ans:
                want.append("to name the CNAME %s" % d["cname"])
            if "addrs" in d and "+%d" % (int(d["addrs"]) - 1) not in ans:
                want.append("to say +%d (first of %s addresses)" % (int(d["addrs"]) - 1, d["addrs"]))
            if want:
                rc.fail("tcpdiag.dns.answer on response frame %d expected %s; seen %r" % (
                    n, " and ".join(want), ans or "(absent)"))


def check_neighbor(cap, row, rc):
    nums = row["frame_list"]
    d = row["details"]
    if row["outcome"] == "duplicate":
        macs = d.get("macs", "").split(",")
        with rc.part():
            bad = []
            for n in nums:
                text = cap.one(n, "tcpdiag.arp.duplicate")
                if not text.startswith(row["key"] + " ") or not all(m in text for m in macs):
                    bad.append(n)
            if bad:
                rc.fail("tcpdiag.arp.duplicate expected on frames %s naming %s and %s "
                        "(\"%s claimed by %s and %s\"); wrong on %s, seen %s" % (
                            frames_text(nums), row["key"], " and ".join(macs), row["key"],
                            macs[0], macs[-1], frames_text(bad),
                            seen_by_value(cap, bad, "tcpdiag.arp.duplicate")))
        with rc.part():
            # the burst verdicts on these frames must not be failures either
            failing = [n for n in nums if cap.one(n, "tcpdiag.arp.verdict") == "unanswered"]
            if failing:
                rc.fail("tcpdiag.arp.verdict unanswered on frames %s of a duplicate (answered) "
                        "address" % frames_text(failing))
        return
    rc.expect_value(cap, nums, "tcpdiag.arp.verdict", row["outcome"])
    if "requests" in d:
        rc.expect_value(cap, nums, "tcpdiag.arp.requests", d["requests"])
    with rc.part():
        dup = [n for n in nums if cap.get(n, "tcpdiag.arp.duplicate")]
        if dup:
            rc.fail("tcpdiag.arp.duplicate on frames %s of an address only one host claims: %s" % (
                frames_text(dup), seen_by_value(cap, dup, "tcpdiag.arp.duplicate")))


def check_ping(cap, row, rc):
    nums = row["frame_list"]
    rc.expect_value(cap, nums, "tcpdiag.ping.verdict", row["outcome"])
    if row["outcome"] == "answered":
        with rc.part():
            replies = [n for n in nums if cap.addrs(n, "icmp.type", "icmpv6.type") & {"0", "129"}]
            bad = [n for n in replies if not cap.get(n, "tcpdiag.ping.rtt")]
            if bad:
                rc.fail("tcpdiag.ping.rtt absent on echo replies %s" % frames_text(bad))


def check_dhcp(cap, row, rc):
    nums = row["frame_list"]
    d = row["details"]
    rc.expect_value(cap, nums, "tcpdiag.dhcp.verdict", row["outcome"])
    # OFFER (2) and ACK (5) carry the address; OFFER, ACK and NAK (6) the server
    if "addr" in d:
        carrying = [n for n in nums if cap.addrs(n, "dhcp.option.dhcp") & {"2", "5"}]
        rc.expect_value(cap, carrying, "tcpdiag.dhcp.address", d["addr"],
                        "tcpdiag.dhcp.address (OFFER/ACK)")
        with rc.part():
            other = [n for n in nums if n not in carrying and cap.get(n, "tcpdiag.dhcp.address")
                     and cap.one(n, "tcpdiag.dhcp.address") != d["addr"]]
            if other:
                rc.fail("tcpdiag.dhcp.address on frames %s is not %s: %s" % (
                    frames_text(other), d["addr"],
                    seen_by_value(cap, other, "tcpdiag.dhcp.address")))
    if "server" in d:
        carrying = [n for n in nums if cap.addrs(n, "dhcp.option.dhcp") & {"2", "5", "6"}]
        rc.expect_value(cap, carrying, "tcpdiag.dhcp.server", d["server"],
                        "tcpdiag.dhcp.server (OFFER/ACK/NAK)")


def udp_key(key):
    """ "192.0.2.10>203.0.113.1:5060" -> (client, server, port); IPv6 too."""
    flow, _, port = key.rpartition(":")
    client, _, server = flow.partition(">")
    return client, server, port


def udp_flow_of(cap, n, key):
    """Frame n is a datagram of the row's flow, or an ICMP error quoting one."""
    client, server, port = udp_key(key)
    return client in cap.srcs(n) and server in cap.dsts(n) and port in cap.addrs(n, "udp.dstport")


def check_udp(cap, row, rc):
    nums = row["frame_list"]
    rc.expect_value(cap, nums, "tcpdiag.udp.verdict", row["outcome"],
                    "tcpdiag.udp.verdict (ICMP errors)")
    # the rejected datagrams themselves, on the second pass
    datagrams = [n for n in sorted(cap.frames)
                 if not cap.is_icmp(n) and udp_flow_of(cap, n, row["key"])]
    want = row["details"].get("datagrams")
    if want and len(datagrams) != int(want):
        rc.fail("the capture has %d datagrams of %s (frames %s), the row says %s: check the row" % (
            len(datagrams), row["key"], frames_text(datagrams), want))
    rc.expect_value(cap, datagrams, "tcpdiag.udp.verdict", row["outcome"],
                    "tcpdiag.udp.verdict (the datagrams, 2nd pass)")


def check_zero_window(cap, row, rc):
    if row["outcome"] == "zero-window":
        rc.expect_true(cap, row["frame_list"], "tcpdiag.zero_window")
    else:
        rc.expect_true(cap, cap.stream_frames(row["key"]), "tcpdiag.zero_window", want=False)


def check_conn(cap, row, rc):
    nums = row["frame_list"]
    d = row["details"]
    stream = cap.stream_frames(row["key"])
    rc.expect_value(cap, nums, "tcpdiag.verdict", row["outcome"])
    others = [n for n in stream if cap.get(n, "tcpdiag.verdict")
              and cap.one(n, "tcpdiag.verdict") != row["outcome"]]
    if others:
        rc.fail("tcpdiag.verdict on other frames of stream %s is not %s: %s" % (
            row["key"], row["outcome"], seen_by_value(cap, others, "tcpdiag.verdict")))
    # each detail, and its absence (the false-positive rows say "-")
    if "server.name" in d:
        rc.expect_value(cap, nums, "tcpdiag.server.name", d["server.name"])
    else:
        with rc.part():
            named = [n for n in stream if cap.get(n, "tcpdiag.server.name")]
            if named:
                rc.fail("tcpdiag.server.name on stream %s, which no lookup named: %s" % (
                    row["key"], seen_by_value(cap, named, "tcpdiag.server.name")))
    with rc.part():
        if "duplicate" in d:
            bad = [n for n in nums if d["duplicate"] not in cap.one(n, "tcpdiag.arp.duplicate")]
            if bad:
                rc.fail("tcpdiag.arp.duplicate expected to name %s on frames %s; seen %s" % (
                    d["duplicate"], frames_text(nums),
                    seen_by_value(cap, bad, "tcpdiag.arp.duplicate")))
        else:
            dup = [n for n in stream if cap.get(n, "tcpdiag.arp.duplicate")]
            if dup:
                rc.fail("tcpdiag.arp.duplicate on stream %s, whose server nobody else claims: %s"
                        % (row["key"], seen_by_value(cap, dup, "tcpdiag.arp.duplicate")))
    with rc.part():
        if "ping" in d:
            phrase = {"answered": "answers ping", "unanswered": "answers neither ping"}[d["ping"]]
            bad = [n for n in nums if phrase not in cap.one(n, "tcpdiag.server.summary")]
            if bad:
                rc.fail("tcpdiag.server.summary expected to say %r on frames %s; seen %s" % (
                    phrase, frames_text(nums), seen_by_value(cap, bad, "tcpdiag.server.summary")))
        else:
            pinged = [n for n in stream if re.search(r"\bping\b", cap.one(n, "tcpdiag.server.summary"))
                      and "ping proves nothing" not in cap.one(n, "tcpdiag.server.summary")]
            if pinged:
                rc.fail("tcpdiag.server.summary tells a ping result on stream %s without a "
                        "ping= detail: %s" % (row["key"],
                                               seen_by_value(cap, pinged, "tcpdiag.server.summary")))
    if "link-local" in d:
        rc.expect_true(cap, nums, "tcpdiag.client.link_local")
    else:
        rc.expect_true(cap, stream, "tcpdiag.client.link_local", want=False)
    if "zero_window" in d:
        rc.expect_true(cap, nums, "tcpdiag.zero_window")
    else:
        rc.expect_true(cap, stream, "tcpdiag.zero_window", want=False)


def reports_available():
    rc, out, err = tshark(["-z", "help"])
    return {l.strip() for l in (out + err).splitlines() if l.strip().startswith("tcpdiag,")}


def check_dns_server(capname, row, rc, reports):
    """A conclusion, not a per-frame value: look for its sentence."""
    d = row["details"]
    want = ["DNS server %s answered none" % row["key"]]
    if "queries" in d:
        want.append("none of %s queries" % d["queries"])
    if "other-server" in d:
        want.append("while %s answered" % d["other-server"])
    texts = []
    for rep in ("tcpdiag,hosts", "tcpdiag,servers"):
        if rep in reports:
            code, out, err = tshark(["-2", "-q", "-r", os.path.join(CAPDIR, capname), "-z", rep])
            texts.append((rep, out if code == 0 else ""))
    code, out, err = tshark(["-2", "-q", "-r", os.path.join(CAPDIR, capname), "-z", "expert"])
    texts.append(("expert", out))
    for where, text in texts:
        flat = " ".join(text.split())
        if all(w in flat for w in want):
            rc.info.append("said in %s" % where)
            return
    if "tcpdiag,hosts" not in reports:
        rc.skipped = ("no -z tcpdiag,hosts report yet, and neither -z tcpdiag,servers nor an "
                      "expert text says %s" % " ... ".join(repr(w) for w in want))
        return
    rc.fail("no report says %s (looked in %s)" % (
        " ... ".join(repr(w) for w in want), ", ".join(w for w, _ in texts)))


def check_dhcp_gateway(capname, row, rc, reports):
    """An unanswered gateway row: the DHCP-gateway conclusion when the row
    names the client the lease went to (dhcp-gateway=<mac>), none otherwise
    (dead-gateway.pcap's route is static: no DHCP server gave it)."""
    d = row["details"]
    if "gateway" not in d or row["outcome"] != "unanswered":
        return
    stem = "%s is the default gateway the DHCP server gave" % row["key"]
    texts = []
    for rep in ("tcpdiag,hosts", "tcpdiag,servers"):
        if rep in reports:
            code, out, err = tshark(["-2", "-q", "-r", os.path.join(CAPDIR, capname), "-z", rep])
            texts.append((rep, " ".join(out.split()) if code == 0 else ""))
    if "tcpdiag,hosts" not in reports:
        rc.fail("no -z tcpdiag,hosts report: cannot check the DHCP gateway conclusion")
        return
    if "dhcp-gateway" in d:
        want = "%s %s" % (stem, d["dhcp-gateway"])
        if any(want in t for _, t in texts):
            rc.info.append("DHCP gateway conclusion said")
        else:
            rc.fail("no report says %r (looked in %s)" % (want, ", ".join(w for w, _ in texts)))
    else:
        said = [w for w, t in texts if stem in t]
        if said:
            rc.fail("%s says %r, but no DHCP server gave this gateway" % (", ".join(said), stem))


ROW_CHECKS = {"dns": check_dns, "arp": check_neighbor, "nd": check_neighbor, "ping": check_ping,
              "dhcp": check_dhcp, "udp": check_udp, "zero_window": check_zero_window,
              "conn": check_conn}


# ---- no failure value without a row --------------------------------------------

def covers(cap, row, n, field, value):
    """Does row (of a protocol of field, with outcome value) cover frame n?"""
    if n in row["frame_list"]:
        return True
    key = row["key"]
    if field == "tcpdiag.dns.verdict":
        client, name, qtype = key.split(" ")
        return (cap.one(n, "tcpdiag.dns.name") == name and cap.one(n, "tcpdiag.dns.type") == qtype
                and client in cap.srcs(n) | cap.dsts(n))
    if field == "tcpdiag.arp.verdict":
        return key in cap.addrs(n, "arp.src.proto_ipv4", "arp.dst.proto_ipv4",
                                "icmpv6.nd.ns.target_address", "icmpv6.nd.na.target_address")
    if field == "tcpdiag.ping.verdict":
        a, _, b = key.partition(">")
        s, t = cap.srcs(n), cap.dsts(n)
        return (a in s and b in t) or (b in s and a in t)
    if field == "tcpdiag.dhcp.verdict":
        mac = key.split(" ")[0]
        xid = row["details"].get("xid")
        return mac in cap.addrs(n, "dhcp.hw.mac_addr") and (not xid or xid in cap.addrs(n, "dhcp.id"))
    if field == "tcpdiag.udp.verdict":
        return udp_flow_of(cap, n, key)
    return False


def check_no_stray(cap, rows):
    """Problems: failure values that no row covers, duplicates, zero windows
    and link-local findings outside the rows that state them."""
    problems = []
    for field, failing in FAILING.items():
        if field not in cap.fields:
            continue
        stray = {}
        for n in sorted(cap.frames):
            for value in set(cap.get(n, field)):
                if failing is not None and value not in failing:
                    continue
                candidates = [r for r in rows if r["protocol"] in FIELD_PROTOS[field]
                              and r["outcome"] == value]
                try:
                    covered = any(covers(cap, r, n, field, value) for r in candidates)
                except Missing as e:
                    problems.append("plugin lacks field %s: cannot tell which row frame %d's %s=%s "
                                    "belongs to" % (e.args[0], n, field, value))
                    continue
                if not covered:
                    stray.setdefault(value, []).append(n)
        for value, ns in sorted(stray.items()):
            problems.append("%s=%s on frames %s, but no %s row with outcome %s lists those frames "
                            "or their lookup/address/flow" % (
                                field, value, frames_text(ns), "/".join(FIELD_PROTOS[field]), value))
    conn = {r["key"]: r for r in rows if r["protocol"] == "conn"}
    if "tcpdiag.arp.duplicate" in cap.fields:
        dup_rows = {r["key"] for r in rows if r["protocol"] in ("arp", "nd")
                    and r["outcome"] == "duplicate"}
        bad = []
        for n in sorted(cap.frames):
            for text in cap.get(n, "tcpdiag.arp.duplicate"):
                addr = text.split(" ")[0]
                streams = cap.frames[n].get("tcp.stream", [])
                ok = addr in dup_rows
                if streams:
                    ok = ok and all(conn.get(s, {}).get("details", {}).get("duplicate") == addr
                                    for s in streams)
                if not ok:
                    bad.append((n, text))
        if bad:
            problems.append("tcpdiag.arp.duplicate without a duplicate row for its address (or "
                            "on a connection whose row does not say duplicate=): %s" % "; ".join(
                                "frame %d %r" % b for b in bad[:8]))
    for field, detail, what in (("tcpdiag.zero_window", "zero_window", "zero window"),
                                ("tcpdiag.client.link_local", "link-local", "link-local client")):
        if field not in cap.fields:
            continue
        bad = [n for n in sorted(cap.frames) if cap.is_true(n, field)
               and not any(detail in conn.get(s, {}).get("details", {})
                           for s in cap.frames[n].get("tcp.stream", []))]
        if bad:
            problems.append("%s true on frames %s, but no conn row of their stream states a %s" % (
                field, frames_text(bad), what))
    return problems


# ---- healthy captures: no warning ------------------------------------------------

def malformed_frames(capname, plugin=True):
    """The frames Wireshark's own dissectors call malformed (-2)."""
    env = dict(os.environ)
    if not plugin:
        env["TCPDIAG_NO_PLUGIN"] = "1"
    r = subprocess.run([TSHARK, "-2", "-r", os.path.join(CAPDIR, capname), "-Y", "_ws.malformed",
                        "-T", "fields", "-e", "frame.number"], capture_output=True, text=True,
                       env=env)
    return [int(x) for x in r.stdout.split()] if r.returncode == 0 else None


def tcpdiag_protocols():
    """Short names (the -z expert Protocol column) of tcpdiag's protocols."""
    rc, out, err = tshark(["-G", "protocols"])
    return {cols[1] for cols in (l.split("\t") for l in out.splitlines())
            if len(cols) >= 3 and cols[2].startswith("tcpdiag")}


def expert_warnings(capname, protos):
    """Lines of the Errors/Warns sections of -z expert raised by tcpdiag."""
    code, out, err = tshark(["-2", "-q", "-r", os.path.join(CAPDIR, capname), "-z", "expert"])
    if code != 0:
        return ["tshark -z expert failed (exit %d): %s" % (code, err.strip()[:300])]
    found, section = [], None
    for line in out.splitlines():
        m = re.match(r"^(Errors|Warns|Warnings|Notes|Chats|Comments) \(\d+\)", line)
        if m:
            section = m.group(1)
            continue
        if section not in ("Errors", "Warns", "Warnings"):
            continue
        m = re.match(r"^\s*\d+\s+\S+\s+(.*)$", line)
        if m and any(m.group(1).startswith(p + "  ") for p in protos):
            found.append("%s: %s" % (section, " ".join(line.split())))
    return found


# ---- main ------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("captures", nargs="*", help="only these captures (names in checklist/)")
    a = ap.parse_args()
    failed = passed = skipped = 0

    rc, out, err = tshark(["-G", "fields"])
    registered = {l.split("\t")[2] for l in out.splitlines() if l.startswith("F\t") and
                  len(l.split("\t")) > 2}
    if "tcpdiag.verdict" not in registered:
        print("FAIL the tcpdiag plugin is not loaded (tshark -G fields lists no tcpdiag.verdict; "
              "build it and set TCPDIAG_BUILD_DIR): %s" % err.strip()[:300])
        return 1
    missing = [f for f in DESIGN_FIELDS + DESIGN_EXPERTS + OLD_FIELDS if f not in registered]
    for f in missing:
        print("FAIL plugin lacks field %s (docs/design/checklist.md; tshark -G fields does not "
              "list it)" % f)
    failed += len(missing)
    fields = PLAIN + [f for f in DESIGN_FIELDS + OLD_FIELDS if f in registered]

    rows = load_rows(set(a.captures))
    unknown = set(a.captures) - {r["capture"] for r in rows}
    if unknown:
        print("FAIL no rows in %s for %s" % (TSV, ", ".join(sorted(unknown))))
        return 1
    reports = reports_available()
    captures = sorted({r["capture"] for r in rows})
    for capname in captures:
        cap = Capture(capname, fields)
        caprows = [r for r in rows if r["capture"] == capname]
        if cap.error:
            print("FAIL %s: %s" % (capname, cap.error))
            failed += 1
            if not cap.frames:
                continue
        for row in caprows:
            rc_ = RowCheck(row)
            label = "%s %s %s %s (frames %s)" % (capname, row["protocol"], row["key"],
                                                 row["outcome"], row["frames"])
            if row["protocol"] == "dns-server":
                check_dns_server(capname, row, rc_, reports)
            else:
                ROW_CHECKS[row["protocol"]](cap, row, rc_)
                if row["protocol"] == "arp":
                    check_dhcp_gateway(capname, row, rc_, reports)
            if rc_.problems:
                failed += 1
                print("FAIL %s [tsv line %d]" % (label, row["line"]))
                for p in rc_.problems:
                    print("       %s" % p)
            elif rc_.skipped:
                skipped += 1
                print("SKIP %s: %s" % (label, rc_.skipped))
            else:
                passed += 1
                f = MAIN_FIELD.get(row["protocol"])
                if row["outcome"] == "duplicate":
                    f = "tcpdiag.arp.duplicate"
                if f:
                    rc_.info.append("%s %s" % (f, seen_by_value(cap, row["frame_list"], f)))
                print("PASS %s: %s" % (label, "; ".join(rc_.info)))
        stray = check_no_stray(cap, caprows)
        label = "%s no failure value without a row" % capname
        if stray:
            failed += 1
            print("FAIL %s" % label)
            for p in stray:
                print("       %s" % p)
        elif any(f not in cap.fields for f in FAILING):
            failed += 1
            print("FAIL %s: plugin lacks field(s) %s" % (
                label, ", ".join(f for f in FAILING if f not in cap.fields)))
        else:
            passed += 1
            print("PASS %s" % label)

    # the observers in front of DNS/DHCP/ARP must not change what Wireshark
    # itself makes of a packet (e.g. DNS over TCP losing TCP's reassembly
    # offer: the split message of dns-tcp-fallback.pcap dissected in pieces)
    for capname in captures:
        got, base = malformed_frames(capname), malformed_frames(capname, plugin=False)
        label = "%s Wireshark's dissection unchanged by tcpdiag" % capname
        if got is None or base is None or got != base:
            failed += 1
            print("FAIL %s: _ws.malformed on frames %s with tcpdiag, %s without" % (
                label, frames_text(got or []), frames_text(base or [])))
        else:
            passed += 1
            print("PASS %s (malformed: %s)" % (label, frames_text(got)))

    # captures whose rows all state a healthy outcome: no tcpdiag warning
    protos = tcpdiag_protocols() or {"TCPDIAG"}
    healthy = [c for c in captures if not any(
        r["outcome"] in UNHEALTHY.get(r["protocol"], set()) or
        (r["protocol"] == "conn" and r["outcome"] != "established")
        for r in rows if r["capture"] == c)]
    for capname in healthy:
        warns = expert_warnings(capname, protos)
        if warns:
            failed += 1
            print("FAIL %s healthy: tcpdiag raises a Warning/Error on a capture whose rows are "
                  "all healthy (tshark -2 -q -z expert):" % capname)
            for w in warns:
                print("       %s" % w)
        else:
            passed += 1
            print("PASS %s healthy: no Warning/Error from tcpdiag" % capname)

    print("%d passed, %d failed, %d skipped" % (passed, failed, skipped))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
