/* diagnosis.c — the human sentence for a verdict, in the spirit of the seed
 * article: what happened, the evidence, the likely cause, what to check.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "diagnosis.h"
#include "textbuf.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* ICMPv4 type 3 codes (RFC 792, RFC 1812 §5.2.7.1) and ICMPv6 type 1 codes
 * (RFC 4443 §3.1). */
const char *td_icmp_unreach_name(uint8_t type, uint8_t code)
{
    static const char *const v4[16] = {
        "network unreachable", "host unreachable", "protocol unreachable",
        "port unreachable", "fragmentation needed", "source route failed",
        "destination network unknown", "destination host unknown",
        "source host isolated", "network administratively prohibited",
        "host administratively prohibited", "network unreachable for TOS",
        "host unreachable for TOS", "communication administratively prohibited",
        "host precedence violation", "precedence cutoff in effect"};
    static const char *const v6[8] = {
        "no route to destination", "communication administratively prohibited",
        "beyond scope of source address", "address unreachable",
        "port unreachable", "source address failed ingress/egress policy",
        "reject route to destination", "error in source routing header"};
    if (type == 3 && code < 16)
        return v4[code];
    if (type == 1 && code < 8)
        return v6[code];
    return "destination unreachable";
}

/* The likely cause of an ICMP unreachable, by what it says. */
static const char *icmp_cause(uint8_t type, uint8_t code)
{
    bool v6 = type == 1;
    if ((!v6 && (code == 9 || code == 10 || code == 13)) || (v6 && (code == 1 || code == 5 || code == 6)))
        return "a firewall rejects the connection; check its rule for this port";
    if ((!v6 && code == 3) || (v6 && code == 4))
        return "nothing accepts this port (or a firewall answers for it); check that the service runs";
    if ((!v6 && (code == 1 || code == 7)) || (v6 && code == 3))
        return "the host is down or absent from its subnet (ARP/ND got no answer at the last router)";
    if ((!v6 && (code == 0 || code == 6)) || (v6 && code == 0))
        return "no route to the destination network; check routing, VPN and NAT";
    return "the path refuses the connection";
}

/* The printf formatting of a duration: the reference td_format_duration()
 * reproduces exactly. */
static void format_duration_printf(char *buf, size_t len, int64_t ns)
{
    double ms = (double)ns / 1e6;
    if (ns < 9995000)
        snprintf(buf, len, "%.2f ms", ms);
    else if (ns < 999500000)
        snprintf(buf, len, "%.0f ms", ms);
    else
        snprintf(buf, len, "%.1f s", ms / 1000.0);
}

static char *put_uint(char *p, uint64_t v)
{
    char t[20];
    int n = 0;
    do
        t[n++] = (char)('0' + v % 10);
    while ((v /= 10) != 0);
    while (n)
        *p++ = t[--n];
    return p;
}

/* v / 10^decimals with its decimals and unit, into p. */
static void put_fixed(char *p, uint64_t v, int decimals, const char *unit)
{
    uint64_t scale = decimals == 2 ? 100 : decimals == 1 ? 10 : 1;
    p = put_uint(p, v / scale);
    if (decimals) {
        *p++ = '.';
        if (decimals == 2)
            *p++ = (char)('0' + v / 10 % 10);
        *p++ = (char)('0' + v % 10);
    }
    while ((*p++ = *unit++) != '\0')
        ;
}

/* Rounded as printf rounds the double ns / 1e6 (ns / 1e6 / 1000 for
 * seconds), in integers: glibc's floating-point formatting was ~3,000
 * instructions a sentence (callgrind, tests/bench/README.md). A value
 * exactly halfway in decimal is never exact in binary (except whole
 * milliseconds and a half, which round to even), so where the double's
 * side of the half is not obvious printf decides; tests/unit compares both
 * over millions of values. */
char *td_format_duration(char *buf, size_t len, int64_t ns)
{
    char t[40];
    /* Pick the unit on the rounded value: 9.996 ms is "10 ms", not
     * "10.00 ms", and 999.6 ms is "1.0 s", not "1000 ms". */
    if (ns < 0) {
        t[0] = '?';
        t[1] = '\0';
    } else if (ns < 9995000) {
        uint64_t q = (uint64_t)ns / 10000, r = (uint64_t)ns % 10000;
        if (r == 5000)
            format_duration_printf(t, sizeof t, ns);
        else
            put_fixed(t, q + (r > 5000), 2, " ms");
    } else if (ns < 999500000) {
        /* ns / 1e6 = q + 0.5 is exact in binary: printf rounds it to even. */
        uint64_t q = (uint64_t)ns / 1000000, r = (uint64_t)ns % 1000000;
        put_fixed(t, q + (r > 500000 || (r == 500000 && (q & 1))), 0, " ms");
    } else if (ns < INT64_C(1000000000000000)) {
        /* Below 10^6 s the two roundings of the double stay far closer to
         * the exact value than its nanoseconds from a half. */
        uint64_t q = (uint64_t)ns / 100000000, r = (uint64_t)ns % 100000000;
        if (r == 50000000)
            format_duration_printf(t, sizeof t, ns);
        else
            put_fixed(t, q + (r > 50000000), 1, " s");
    } else {
        format_duration_printf(t, sizeof t, ns);
    }
    if (len) {
        size_t n = strlen(t);
        if (n >= len)
            n = len - 1;
        memcpy(buf, t, n);
        buf[n] = '\0';
    }
    return buf;
}

/* now - then, saturated: now_ns comes from the caller and may be absurd. */
static int64_t elapsed(int64_t now, int64_t then)
{
    if (then > 0 && now < INT64_MIN + then)
        return INT64_MIN;
    if (then < 0 && now > INT64_MAX + then)
        return INT64_MAX;
    return now - then;
}

static void port_hint(td_textbuf *o, uint16_t port)
{
    if (port)
        td_text_put(o, " %u", port);
}

/* Findings that qualify an established connection. */
static void established_findings(td_textbuf *o, const td_conn *c)
{
    char d[32];
    if (c->findings & TD_F_SLOW_CONNECT) {
        td_format_duration(d, sizeof d, c->ts_synack - c->ts_first_syn);
        if (c->findings & TD_F_CHALLENGE_RECOVERED)
            td_text_put(o, "; %u SYNs, answered after %s", c->syn_count, d);
        else
            td_text_put(o, "; slow connect: %u SYNs, answered after %s: %u SYN%s lost or unanswered "
                   "(packet loss, or a busy listener dropping SYNs)",
                c->syn_count, d, c->syn_count - 1, c->syn_count == 2 ? "" : "s");
    }
    if (c->findings & TD_F_SYNACK_RETRANS_ACKED)
        td_text_put(o, "; SYN/ACK retransmitted although ACKed: the client's ACK is lost on the way to the server");
    if (c->findings & TD_F_CHALLENGE_RECOVERED)
        td_text_put(o, "; recovered from a challenge ACK (the server held a stale connection on this port pair)");
    if (c->findings & TD_F_HS_MISSED)
        td_text_put(o, "; the capture lacks handshake packets (one-sided capture or capture drops)");
    if (c->findings & TD_F_RST_INVALID)
        td_text_put(o, "; an ignorable RST (no ACK or wrong ack) arrived first: likely injected");
    if (c->findings & TD_F_ICMP_THEN_ANSWER)
        td_text_put(o, "; an ICMP error for the SYN preceded the answer");
}

/* Findings that qualify any judged verdict. */
static void any_findings(td_textbuf *o, const td_conn *c)
{
    if (c->findings & TD_F_SYN_FLAGS_ODD)
        td_text_put(o, "; SYN with FIN/PSH/URG: a scanner's OS-detection probe (nmap -O)");
    if (c->findings & TD_F_UNRELATED)
        td_text_put(o, "; segments whose numbers fit no SYN shared the 4-tuple (another flow "
                       "re-addressed by an anonymiser or NAT, or mirrored copies): not answers");
}

char *td_diagnosis(char *buf, size_t len, const td_conn *c, td_verdict v,
                   int64_t now_ns, uint16_t server_port)
{
    return td_diagnosis_named(buf, len, c, v, now_ns, server_port, NULL);
}

/* " to db.example.com (198.51.100.20) port 5432" when the server is named. */
static void server_hint(td_textbuf *o, const char *server, uint16_t port)
{
    if (!server)
        return;
    td_text_put(o, " to %s", server);
    if (port)
        td_text_put(o, " port %u", port);
}

char *td_diagnosis_named(char *buf, size_t len, const td_conn *c, td_verdict v,
                         int64_t now_ns, uint16_t server_port, const char *server)
{
    td_textbuf o;
    td_text_init(&o, buf, len);
    char d1[32], d2[32];
    if (len == 0)
        return buf;
    switch (v) {
    case TD_V_ESTABLISHED: {
        int64_t setup, r1, r2;
        if (td_conn_has_setup_time(c, &setup) && td_conn_has_rtt_syn_synack(c, &r1) &&
            td_conn_has_rtt_synack_ack(c, &r2)) {
            td_text_put(&o, "Connected");
            server_hint(&o, server, server_port);
            td_text_put(&o, " in %s", td_format_duration(d1, sizeof d1, setup));
            td_text_put(&o, " (SYN→SYN/ACK %s, ", td_format_duration(d2, sizeof d2, r1));
            td_text_put(&o, "SYN/ACK→ACK %s)", td_format_duration(d2, sizeof d2, r2));
        } else {
            td_text_put(&o, "Connected");
            server_hint(&o, server, server_port);
        }
        established_findings(&o, c);
        break;
    }
    case TD_V_NO_RESPONSE: {
        /* An ICMP quote may prove the SYN without it being captured. */
        unsigned syns = c->syn_count ? c->syn_count : 1;
        td_text_put(&o, "No answer to %u SYN%s", syns, syns == 1 ? "" : "s");
        server_hint(&o, server, server_port);
        td_text_put(&o, " over %s: host down, or port",
            td_format_duration(d1, sizeof d1, elapsed(c->syn_count > 1 ? c->ts_last_syn : now_ns, c->ts_first_syn)));
        port_hint(&o, server_port);
        td_text_put(&o, " filtered by a firewall; check that the service listens, the firewall rule and NAT/port forwarding (a failing ping proves nothing: ICMP may be filtered)");
        break;
    }
    case TD_V_PENDING:
        if (c->synack_count)
            td_text_put(&o, "No ACK yet %s after the SYN/ACK (capture ended, or one-pass view): too early "
                    "to judge",
                td_format_duration(d1, sizeof d1, elapsed(now_ns, c->ts_synack)));
        else
            td_text_put(&o, "No answer yet %s after the SYN (capture ended, or one-pass view): too early "
                    "to judge",
                td_format_duration(d1, sizeof d1, elapsed(now_ns, c->ts_first_syn)));
        break;
    case TD_V_REFUSED:
        td_text_put(&o, "SYN");
        server_hint(&o, server, server_port);
        td_text_put(&o, " answered by RST: port");
        port_hint(&o, server_port);
        td_text_put(&o, " closed on the server (service not running), a firewall rejecting it, or not forwarded by NAT/PAT");
        if (c->findings & TD_F_RST_INVALID)
            td_text_put(&o, "; the RST lacks ACK or acknowledges the wrong number, so a compliant stack ignores it: likely injected by a middlebox");
        break;
    case TD_V_ICMP_UNREACHABLE:
        td_text_put(&o, "SYN");
        server_hint(&o, server, server_port);
        td_text_put(&o, " answered by ICMP %s from %s: %s",
            td_icmp_unreach_name(c->icmp_type, c->icmp_code),
            c->icmp_reporter == TD_REPORTER_SERVER ? "the server itself"
            : c->icmp_reporter == TD_REPORTER_ROUTER ? "a router on the path"
                                                     : "an unknown node",
            icmp_cause(c->icmp_type, c->icmp_code));
        break;
    case TD_V_HALF_OPEN: {
        int64_t after;
        td_text_put(&o, "SYN/ACK sent %u time%s, the final ACK never came: ACK lost on the way, client gone, or spoofed SYN (SYN flood)",
            c->synack_count, c->synack_count == 1 ? "" : "s");
        /* The RST proves nothing about the client's ACK (RFC 9293
         * §3.10.7.4: a server resets an unacceptable ACK in SYN-RECEIVED,
         * some stacks reset when they give up). */
        if (td_conn_server_reset_after(c, &after))
            td_text_put(&o, "; the server then reset it %s after its SYN/ACK",
                        td_format_duration(d1, sizeof d1, after));
        break;
    }
    case TD_V_ABORTED:
        if (c->synack_count)
            td_text_put(&o, "The connecting side reset after the SYN/ACK: half-open port scan (nmap -sS) or a client that gave up");
        else
            td_text_put(&o, "The connecting side reset before any answer: the client gave up");
        break;
    case TD_V_RESET_BEFORE_DATA:
        td_text_put(&o, "Handshake completed, then RST from the %s before any data: %s",
            td_conn_end_by_client(c) ? "client" : "server",
            td_conn_end_by_client(c) ? "the client aborted (SO_LINGER 0) or a middlebox reset it"
                                     : "the application accepted and closed at once (access rule, overload, SO_LINGER 0) or a middlebox reset it");
        break;
    case TD_V_SIMULTANEOUS_OPEN:
        td_text_put(&o, "Both ends sent a SYN (simultaneous open, RFC 9293 §3.5): NAT hole punching or a port collision");
        break;
    case TD_V_STALE:
        td_text_put(&o, "SYN answered by an ACK for another connection (RFC 5961 challenge ACK): the server still holds a stale connection on this port pair and no handshake followed");
        break;
    case TD_V_MIDSTREAM:
    default:
        td_text_put(&o, "Handshake not in the capture (capture started after it, or one direction only): not judged");
        break;
    }
    if (server && v != TD_V_ESTABLISHED && v != TD_V_NO_RESPONSE && v != TD_V_REFUSED &&
        v != TD_V_ICMP_UNREACHABLE)
        td_text_put(&o, "; server %s", server);
    if (v != TD_V_MIDSTREAM)
        any_findings(&o, c);
    return buf;
}
