/* test_diagnosis.c — the one-line diagnosis per verdict, durations, and
 * safe truncation into small buffers.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "builders.h"
#include "check.h"
#include "diagnosis.h"
#include "utf8_check.h"

static char line[512];

/* The diagnosis of c judged at T0 + now with the default threshold. */
static const char *diag(const td_conn *c, int64_t now, uint16_t port)
{
    td_verdict v = td_conn_verdict(c, T0 + now, THR);
    return td_diagnosis(line, sizeof line, c, v, T0 + now, port);
}

static const char *dur(int64_t ns)
{
    static char b[32];
    return td_format_duration(b, sizeof b, ns);
}


static void test_durations(void)
{
    CHECK_STR(dur(MS(850)), "850 ms");
    CHECK_STR(dur(SEC(3)), "3.0 s");
    CHECK_STR(dur(US(1250)), "1.25 ms");
    CHECK_STR(dur(0), "0.00 ms");
    CHECK_STR(dur(US(9994)), "9.99 ms");
    CHECK_STR(dur(US(9996)), "10 ms");   /* not "10.00 ms" */
    CHECK_STR(dur(MS(999)), "999 ms");
    CHECK_STR(dur(US(999600)), "1.0 s"); /* not "1000 ms" */
    CHECK_STR(dur(MS(1250)), "1.2 s");
    CHECK_STR(dur(-1), "?");
    char b[4];
    CHECK_STR(td_format_duration(b, sizeof b, MS(850)), "850");
}

/* What td_format_duration printed before it rounded in integers (printf on
 * the double); it must print the same for every value. */
static void printf_duration(char *b, size_t len, int64_t ns)
{
    double ms = (double)ns / 1e6;
    if (ns < 0)
        snprintf(b, len, "?");
    else if (ns < 9995000)
        snprintf(b, len, "%.2f ms", ms);
    else if (ns < 999500000)
        snprintf(b, len, "%.0f ms", ms);
    else
        snprintf(b, len, "%.1f s", ms / 1000.0);
}

static int same_as_printf(int64_t ns)
{
    char a[48], b[48];
    td_format_duration(a, sizeof a, ns);
    printf_duration(b, sizeof b, ns);
    if (strcmp(a, b) == 0)
        return 1;
    printf("duration %lld ns: \"%s\", printf \"%s\"\n", (long long)ns, a, b);
    return 0;
}

static void test_durations_match_printf(void)
{
    int bad = 0;
    /* Every microsecond to 2.1 s (pcap resolution), every 10 ns around
     * each unit's halves and thresholds, every nanosecond to 20 µs. */
    for (int64_t ns = 0; ns <= SEC(2) + MS(100) && bad < 5; ns += 1000)
        bad += !same_as_printf(ns);
    for (int64_t ns = 0; ns <= 20000 && bad < 5; ns++)
        bad += !same_as_printf(ns);
    static const int64_t around[] = { 9995000, 999500000, 1000000000 };
    for (size_t i = 0; i < sizeof around / sizeof around[0]; i++)
        for (int64_t ns = around[i] - 20000; ns <= around[i] + 20000 && bad < 5; ns++)
            bad += !same_as_printf(ns);
    /* Halves at every scale: x.xx5 ms, x.5 ms, x.x5 s, up to 10^6 s and past. */
    for (int64_t base = 1; base < INT64_C(1) << 62 && bad < 5; base *= 3)
        for (int64_t d = -2; d <= 2; d++) {
            bad += !same_as_printf(base / 10000 * 10000 + 5000 + d);
            bad += !same_as_printf(base / 1000000 * 1000000 + 500000 + d);
            bad += !same_as_printf(base / 100000000 * 100000000 + 50000000 + d);
        }
    /* Random values on a log scale (a fixed LCG: the same every run). */
    uint64_t x = 88172645463325252u;
    for (int i = 0; i < 300000 && bad < 5; i++) {
        x = x * 6364136223846793005u + 1442695040888963407u;
        int shift = (int)(x >> 58); /* 0..63 */
        int64_t ns = (int64_t)((x >> 1) >> shift);
        bad += !same_as_printf(ns);
        bad += !same_as_printf(-ns - 1);
    }
    bad += !same_as_printf(INT64_MAX);
    bad += !same_as_printf(INT64_MIN);
    CHECK_EQ(bad, 0);
}

static void test_icmp_names(void)
{
    CHECK_STR(td_icmp_unreach_name(3, 3), "port unreachable");
    CHECK_STR(td_icmp_unreach_name(3, 13), "communication administratively prohibited");
    CHECK_STR(td_icmp_unreach_name(1, 4), "port unreachable");
    CHECK_STR(td_icmp_unreach_name(1, 1), "communication administratively prohibited");
    CHECK_STR(td_icmp_unreach_name(3, 16), "destination unreachable");
    CHECK_STR(td_icmp_unreach_name(11, 0), "destination unreachable");
}

static void test_established(void)
{
    td_conn c = fresh();
    feed(&c, syn(1, 0, CL, CI));
    feed(&c, synack(2, US(1250), SV, SI, CI + 1));
    feed(&c, ack(3, US(2500), CL, CI + 1, SI + 1));
    CHECK_STR(diag(&c, SEC(1), 443),
              "Connected in 2.50 ms (SYN→SYN/ACK 1.25 ms, SYN/ACK→ACK 1.25 ms)");

    c = fresh();
    feed(&c, syn(1, 0, CL, CI));
    feed(&c, syn(2, SEC(1), CL, CI));
    feed(&c, syn(3, SEC(3), CL, CI));
    feed(&c, synack(4, SEC(3) + MS(20), SV, SI, CI + 1));
    feed(&c, ack(5, SEC(3) + MS(21), CL, CI + 1, SI + 1));
    CHECK_HAS(diag(&c, SEC(4), 443), "Connected in 3.0 s (SYN→SYN/ACK 20 ms, SYN/ACK→ACK 1.00 ms)");
    CHECK_HAS(line, "; slow connect: 3 SYNs, answered after 3.0 s");
    feed(&c, synack(6, SEC(4), SV, SI, CI + 1));
    CHECK_HAS(diag(&c, SEC(4), 443), "the client's ACK is lost");

    /* Inferred handshake: no timings, the missing packets are named. */
    c = fresh();
    feed(&c, syn(1, 0, CL, CI));
    feed(&c, data(2, MS(30), CL, CI + 1, SI + 1, 10));
    CHECK_STR(diag(&c, SEC(1), 0),
              "Connected; the capture lacks handshake packets (one-sided capture or capture drops)");

    c = fresh();
    feed(&c, syn(1, 0, CL, CI));
    feed(&c, rst(2, MS(1), SV, 0));
    feed(&c, icmp_unreach(3, MS(2), CL, CI, 1, 3, TD_REPORTER_SERVER));
    feed(&c, synack(4, MS(5), SV, SI, CI + 1));
    feed(&c, ack(5, MS(6), CL, CI + 1, SI + 1));
    CHECK_HAS(diag(&c, SEC(1), 0), "likely injected");
    CHECK_HAS(line, "an ICMP error for the SYN preceded the answer");

    c = fresh();
    feed(&c, syn(1, 0, CL, CI));
    feed(&c, ack(2, MS(1), SV, 777, 888));
    feed(&c, rst(3, MS(2), CL, 888));
    feed(&c, syn(4, SEC(1), CL, CI));
    feed(&c, synack(5, SEC(1) + MS(1), SV, SI, CI + 1));
    feed(&c, ack(6, SEC(1) + MS(2), CL, CI + 1, SI + 1));
    CHECK_HAS(diag(&c, SEC(2), 0), "recovered from a challenge ACK");
}

static void test_no_response_and_pending(void)
{
    td_conn c = fresh();
    feed(&c, syn(1, 0, CL, CI));
    CHECK_STR(diag(&c, MS(850), 443),
              "No answer yet 850 ms after the SYN (capture ended, or one-pass view): too early to judge");
    CHECK_HAS(diag(&c, SEC(3), 443), "No answer to 1 SYN over 3.0 s: host down, or port 443 filtered by a firewall");
    feed(&c, syn(2, SEC(1), CL, CI));
    feed(&c, syn(3, SEC(3), CL, CI));
    CHECK_HAS(diag(&c, SEC(60), 443), "No answer to 3 SYNs over 3.0 s");
    CHECK_HAS(line, "firewall");
    CHECK_HAS(diag(&c, SEC(60), 0), "host down, or port filtered by a firewall");

    /* Only a time-exceeded error proves the SYN: one SYN, not zero. */
    c = fresh();
    td_pkt p = icmp_unreach(1, 0, CL, CI, 1, 0, TD_REPORTER_ROUTER);
    p.kind = TD_PKT_ICMP_OTHER;
    p.icmp_type = 11;
    feed(&c, p);
    CHECK_HAS(diag(&c, SEC(2), 0), "No answer to 1 SYN over 2.0 s");

    /* Absurd "now" values: no overflow (UBSan build), a sane line. */
    c = fresh();
    feed(&c, syn(1, 0, CL, CI));
    td_diagnosis(line, sizeof line, &c, TD_V_PENDING, INT64_MIN, 0);
    CHECK_STR(line, "No answer yet ? after the SYN (capture ended, or one-pass view): too early to judge");
    td_diagnosis(line, sizeof line, &c, TD_V_NO_RESPONSE, INT64_MAX, 0);
    CHECK_HAS(line, "No answer to 1 SYN over 7523372036.9 s");

    c = fresh();
    feed(&c, syn(1, 0, CL, CI));
    feed(&c, synack(2, MS(1), SV, SI, CI + 1));
    CHECK_STR(diag(&c, MS(851), 0),
              "No ACK yet 850 ms after the SYN/ACK (capture ended, or one-pass view): too early to judge");
}

static void test_refused(void)
{
    td_conn c = fresh();
    feed(&c, syn(1, 0, CL, CI));
    feed(&c, rstack(2, MS(1), SV, 0, CI + 1));
    CHECK_HAS(diag(&c, SEC(1), 8080), "SYN answered by RST: port 8080 closed on the server");
    CHECK(strstr(line, "injected") == NULL);
    c = fresh();
    feed(&c, syn(1, 0, CL, CI));
    feed(&c, rst(2, MS(1), SV, 0));
    CHECK_HAS(diag(&c, SEC(1), 8080), "SYN answered by RST");
    CHECK_HAS(line, "lacks ACK or acknowledges the wrong number");
    CHECK_HAS(line, "injected by a middlebox");
}

static void test_icmp(void)
{
    td_conn c = fresh();
    feed(&c, syn(1, 0, CL, CI));
    feed(&c, icmp_unreach(2, MS(2), CL, CI, 1, 13, TD_REPORTER_ROUTER));
    CHECK_STR(diag(&c, SEC(1), 22),
              "SYN answered by ICMP communication administratively prohibited from a router on the path: "
              "a firewall rejects the connection; check its rule for this port");
    c = fresh();
    feed(&c, icmp_unreach(1, 0, CL, CI, 0, 3, TD_REPORTER_SERVER));
    CHECK_HAS(diag(&c, SEC(1), 22), "ICMP port unreachable from the server itself: nothing accepts this port");
    c = fresh();
    feed(&c, icmp_unreach(1, 0, CL, CI, 1, 1, TD_REPORTER_UNKNOWN));
    CHECK_HAS(diag(&c, SEC(1), 22), "ICMP host unreachable from an unknown node: the host is down");
    c = fresh();
    td_pkt p = icmp_unreach(1, 0, CL, CI, 1, 4, TD_REPORTER_SERVER);
    p.icmp_type = 1; /* ICMPv6 port unreachable */
    feed(&c, p);
    CHECK_HAS(diag(&c, SEC(1), 22), "ICMP port unreachable from the server itself: nothing accepts");
    c = fresh();
    feed(&c, icmp_unreach(1, 0, CL, CI, 1, 0, TD_REPORTER_ROUTER));
    CHECK_HAS(diag(&c, SEC(1), 22), "network unreachable from a router on the path: no route");
}

static void test_other_verdicts(void)
{
    td_conn c = fresh();
    feed(&c, syn(1, 0, CL, CI));
    feed(&c, synack(2, MS(1), SV, SI, CI + 1));
    feed(&c, synack(3, SEC(1), SV, SI, CI + 1));
    CHECK_HAS(diag(&c, SEC(2), 0), "SYN/ACK sent 2 times, the final ACK never came");
    feed(&c, rst(4, SEC(1) + MS(1), CL, CI + 1));
    CHECK_HAS(diag(&c, SEC(2), 0), "nmap -sS");

    c = fresh();
    feed(&c, syn(1, 0, CL, CI));
    feed(&c, rst(2, MS(100), CL, CI + 1));
    CHECK_HAS(diag(&c, SEC(2), 0), "reset before any answer: the client gave up");

    c = fresh();
    feed(&c, syn(1, 0, CL, CI));
    feed(&c, synack(2, MS(1), SV, SI, CI + 1));
    feed(&c, ack(3, MS(2), CL, CI + 1, SI + 1));
    feed(&c, rst(4, MS(3), SV, SI + 1));
    CHECK_HAS(diag(&c, SEC(2), 0), "Handshake completed, then RST from the server before any data");
    c = fresh();
    feed(&c, syn(1, 0, CL, CI));
    feed(&c, synack(2, MS(1), SV, SI, CI + 1));
    feed(&c, ack(3, MS(2), CL, CI + 1, SI + 1));
    feed(&c, rst(4, MS(3), CL, CI + 1));
    CHECK_HAS(diag(&c, SEC(2), 0), "RST from the client before any data");

    c = fresh();
    feed(&c, syn(1, 0, CL, CI));
    feed(&c, syn(2, MS(1), SV, SI));
    CHECK_HAS(diag(&c, SEC(2), 0), "simultaneous open");

    c = fresh();
    feed(&c, syn(1, 0, CL, CI));
    feed(&c, ack(2, MS(1), SV, 777, 888));
    CHECK_HAS(diag(&c, SEC(2), 0), "challenge ACK");
    CHECK_HAS(line, "stale connection");

    c = fresh();
    feed(&c, data(1, 0, CL, 1, 2, 3));
    CHECK_HAS(diag(&c, SEC(2), 0), "not judged");
}

/* Issue 13: the server's RST after unacknowledged SYN/ACKs is no accept;
 * odd SYN flags and unrelated segments are said. */
static void test_issue13_findings(void)
{
    td_conn c = fresh();
    feed(&c, syn(1, 0, CL, CI));
    feed(&c, synack(2, MS(1), SV, SI, CI + 1));
    feed(&c, synack(3, SEC(1), SV, SI, CI + 1));
    feed(&c, ack(4, SEC(2), CL, CI + 1, SI + 0x40000000u));
    feed(&c, rst(5, SEC(2) + MS(1), SV, SI + 0x40000000u));
    CHECK_STR(diag(&c, SEC(9), 80),
              "SYN/ACK sent 2 times, the final ACK never came: ACK lost on the way, client gone, "
              "or spoofed SYN (SYN flood); the server then reset it 2.0 s after its SYN/ACK");
    CHECK(strstr(line, "accepted") == NULL);

    c = fresh();
    feed(&c, tcp(1, 0, CL, TD_TH_SYN | TD_TH_FIN | TD_TH_PSH | TD_TH_URG, CI, 0, 0));
    CHECK_HAS(diag(&c, SEC(2), 80), "No answer to 1 SYN");
    CHECK_HAS(line, "; SYN with FIN/PSH/URG: a scanner's OS-detection probe (nmap -O)");

    c = fresh();
    feed(&c, syn(1, 0, CL, CI));
    feed(&c, syn(2, SEC(1), CL, CI));
    feed(&c, tcp(3, SEC(30), SV, TD_TH_FIN | TD_TH_ACK, 5, 6, 0));
    CHECK_HAS(diag(&c, SEC(31), 80), "No answer to 2 SYNs over 1.0 s");
    CHECK_HAS(line, "; segments whose numbers fit no SYN shared the 4-tuple");
}

/* Every prefix length: NUL-terminated inside the buffer, nothing written
 * past it, a prefix of the full line, and no UTF-8 sequence cut in half. */
static void check_truncation(const td_conn *c, int64_t now, uint16_t port)
{
    char full[512], buf[600];
    td_verdict v = td_conn_verdict(c, T0 + now, THR);
    td_diagnosis(full, sizeof full, c, v, T0 + now, port);
    size_t flen = strlen(full);
    int bad = 0;
    for (size_t len = 0; len <= flen + 2; len++) {
        memset(buf, 0x5A, sizeof buf);
        td_diagnosis(buf, len, c, v, T0 + now, port);
        size_t canary = 0;
        while (len + canary < sizeof buf && buf[len + canary] == 0x5A)
            canary++;
        if (len == 0) {
            bad += canary != sizeof buf;
            continue;
        }
        size_t n = strnlen(buf, len);
        size_t want = flen < len - 1 ? flen : len - 1;
        if (canary != sizeof buf - len || n >= len || n > want || want - n > 3 ||
            strncmp(buf, full, n) != 0 || !utf8_ok(buf)) {
            printf("truncation to %zu: \"%s\"\n", len, n < len ? buf : "(unterminated)");
            bad++;
        }
    }
    CHECK_EQ(bad, 0);
}

/* Issue 11: a server whose address a DNS lookup returned is named. */
static void test_named_server(void)
{
    const char *srv = "db.example.com (198.51.100.20)";
    td_conn c = fresh();
    feed(&c, syn(1, 0, CL, CI));
    feed(&c, syn(2, SEC(1), CL, CI));
    feed(&c, syn(3, SEC(3), CL, CI));
    td_verdict v = td_conn_verdict(&c, T0 + SEC(10), THR);
    CHECK_HAS(td_diagnosis_named(line, sizeof line, &c, v, T0 + SEC(10), 5432, srv),
              "No answer to 3 SYNs to db.example.com (198.51.100.20) port 5432 over 3.0 s: "
              "host down, or port 5432 filtered");
    c = fresh();
    feed(&c, syn(1, 0, CL, CI));
    feed(&c, rstack(2, MS(1), SV, 0, CI + 1));
    v = td_conn_verdict(&c, T0 + SEC(1), THR);
    CHECK_HAS(td_diagnosis_named(line, sizeof line, &c, v, T0 + SEC(1), 80, srv),
              "SYN to db.example.com (198.51.100.20) port 80 answered by RST: port 80 closed");
    c = fresh();
    feed(&c, syn(1, 0, CL, CI));
    feed(&c, synack(2, US(1250), SV, SI, CI + 1));
    feed(&c, ack(3, US(2500), CL, CI + 1, SI + 1));
    v = td_conn_verdict(&c, T0 + SEC(1), THR);
    CHECK_STR(td_diagnosis_named(line, sizeof line, &c, v, T0 + SEC(1), 443, srv),
              "Connected to db.example.com (198.51.100.20) port 443 in 2.50 ms "
              "(SYN→SYN/ACK 1.25 ms, SYN/ACK→ACK 1.25 ms)");
    /* without a name: the sentence of before */
    CHECK_STR(td_diagnosis_named(line, sizeof line, &c, v, T0 + SEC(1), 443, NULL),
              "Connected in 2.50 ms (SYN→SYN/ACK 1.25 ms, SYN/ACK→ACK 1.25 ms)");
    c = fresh();
    feed(&c, syn(1, 0, CL, CI));
    feed(&c, synack(2, US(1250), SV, SI, CI + 1));
    v = td_conn_verdict(&c, T0 + SEC(30), THR);
    CHECK_HAS(td_diagnosis_named(line, sizeof line, &c, v, T0 + SEC(30), 443, srv),
              "; server db.example.com (198.51.100.20)");
}

static void test_truncation(void)
{
    td_conn c = fresh();
    feed(&c, syn(1, 0, CL, CI));
    char b[8];
    memset(b, 'x', sizeof b);
    td_diagnosis(b, 1, &c, TD_V_NO_RESPONSE, T0 + SEC(2), 443);
    CHECK_EQ(b[0], '\0');
    CHECK_EQ(b[1], 'x');
    td_diagnosis(b, sizeof b, &c, TD_V_NO_RESPONSE, T0 + SEC(2), 443);
    CHECK_STR(b, "No answ");
    memset(b, 'x', sizeof b);
    td_diagnosis(b, 0, &c, TD_V_NO_RESPONSE, T0 + SEC(2), 443);
    CHECK_EQ(b[0], 'x');
    check_truncation(&c, SEC(2), 443);

    /* The established line holds multi-byte characters ("→"). */
    feed(&c, synack(2, US(1250), SV, SI, CI + 1));
    feed(&c, ack(3, US(2500), CL, CI + 1, SI + 1));
    td_diagnosis(line, 27, &c, TD_V_ESTABLISHED, T0, 0);
    CHECK_STR(line, "Connected in 2.50 ms (SYN");
    check_truncation(&c, SEC(1), 0);

    /* Every verdict's line, whatever c holds, with the longest port. */
    for (int v = 0; v <= TD_V_COUNT; v++) {
        char full[512], small[9];
        memset(small, 0x5A, sizeof small);
        td_diagnosis(full, sizeof full, &c, (td_verdict)v, T0, 65535);
        td_diagnosis(small, 8, &c, (td_verdict)v, T0, 65535);
        CHECK(strlen(full) > 10);
        CHECK(strlen(small) <= 7 && strncmp(small, full, strlen(small)) == 0);
        CHECK_EQ(small[8], 0x5A);
    }
}

int main(void)
{
    RUN(test_durations);
    RUN(test_durations_match_printf);
    RUN(test_icmp_names);
    RUN(test_established);
    RUN(test_no_response_and_pending);
    RUN(test_refused);
    RUN(test_icmp);
    RUN(test_other_verdicts);
    RUN(test_issue13_findings);
    RUN(test_named_server);
    RUN(test_truncation);
    return check_report();
}
