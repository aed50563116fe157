/* test_ping.c — echo evidence: rules on hand-made packets, then the
 * checklist captures against checklist-expected.tsv (rows ping, and the
 * conn rows that name a ping outcome).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "check.h"
#include "checklist_feed.h"

#define T0 1700000000000000000LL
#define MS(x) ((int64_t)(x) * 1000000LL)
#define THR 1000000000LL

static td_ping_pkt echo(uint32_t frame, int64_t ts, td_ip src, td_ip dst, bool reply, uint16_t seq)
{
    td_ping_pkt p = {frame, ts, src, dst, reply, 0x3db2, seq};
    return p;
}

static void test_rules(void)
{
    td_ping_state st;
    td_ping_init(&st);
    td_ip c = td_ip4n(192, 0, 2, 10), s = td_ip4n(198, 51, 100, 20), d = td_ip4n(198, 51, 100, 30);
    td_ping_pkt p = echo(1, T0, c, s, false, 1);
    uint32_t f = td_ping_update(&st, &p, NULL);
    CHECK_STR(td_ping_verdict_name(td_ping_flow_verdict(td_ping_flow_at(&st, f), T0 + MS(10), THR)),
              "pending");
    int64_t rtt;
    p = echo(2, T0 + MS(4), s, c, true, 1);
    CHECK_EQ(td_ping_update(&st, &p, &rtt), f);
    CHECK_EQ(rtt, MS(4));
    CHECK_STR(td_ping_verdict_name(td_ping_flow_verdict(td_ping_flow_at(&st, f), T0 + MS(10), THR)),
              "answered");
    char buf[512];
    CHECK(td_ping_server_sentence(&st, &s, 80, T0 + MS(10), THR, buf, sizeof buf) > 0);
    CHECK_STR(buf, "198.51.100.20 answers ping (frame 2, 4.0 ms) but not SYNs to port 80: the host "
                   "is up; a firewall filters port 80 or the service is not listening on it");
    /* a reply with an unknown sequence number answers, without an RTT */
    p = echo(3, T0 + MS(5), s, c, true, 99);
    td_ping_update(&st, &p, &rtt);
    CHECK_EQ(rtt, -1);
    /* unanswered: two requests, or one for 1 s */
    p = echo(4, T0, c, d, false, 1);
    f = td_ping_update(&st, &p, NULL);
    CHECK_STR(td_ping_verdict_name(td_ping_flow_verdict(td_ping_flow_at(&st, f), T0 + MS(1000), THR)),
              "unanswered");
    CHECK(td_ping_server_sentence(&st, &d, 443, T0 + MS(1000), THR, buf, sizeof buf) > 0);
    CHECK_HAS(buf, "198.51.100.30 answers neither ping (1 echo requests) nor SYNs");
    /* not pinged: nothing to say */
    td_ip e = td_ip4n(198, 51, 100, 40);
    CHECK_EQ(td_ping_server_sentence(&st, &e, 80, T0, THR, buf, sizeof buf), 0);
    /* a DHCP server's check of the address it offers */
    td_ip srv = td_ip4n(192, 0, 2, 1), off = td_ip4n(192, 0, 2, 110);
    p = echo(5, T0, srv, off, false, 0);
    f = td_ping_update(&st, &p, NULL);
    td_ping_mark_dhcp(&st, &srv, &off, T0 + MS(3000));
    CHECK_STR(td_ping_verdict_name(td_ping_flow_verdict(td_ping_flow_at(&st, f), T0 + MS(5000), THR)),
              "dhcp-probe");
    CHECK(!td_ping_host(&st, &off, T0 + MS(5000), THR, NULL, NULL));
    /* parse: request / reply / other ICMP */
    uint8_t m[8] = {8, 0, 0, 0, 0x12, 0x34, 0, 7};
    td_ping_pkt q;
    CHECK(td_ping_parse(m, 8, false, &c, &s, 1, T0, &q));
    CHECK_EQ(q.id, 0x1234);
    CHECK_EQ(q.seq, 7);
    CHECK(!q.reply);
    m[0] = 129;
    CHECK(td_ping_parse(m, 8, true, &c, &s, 1, T0, &q));
    CHECK(q.reply);
    m[0] = 3;
    CHECK(!td_ping_parse(m, 8, false, &c, &s, 1, T0, &q));
    CHECK(!td_ping_parse(m, 7, false, &c, &s, 1, T0, &q));
    CHECK(sizeof(td_ping_flow) <= 224); /* the bound in td_limits.h */
    td_ping_free(&st);
}

static cf_ctx C;
static const char *CAP;
static int rows;

static void check_row(void *ctx, const char *key, const char *outcome, const char *detail)
{
    char req[64], tgt[64], a[TD_IP_STRLEN], b[TD_IP_STRLEN];
    (void)ctx;
    rows++;
    if (sscanf(key, "%63[^>]>%63s", req, tgt) != 2) {
        CHECK(!"bad key");
        return;
    }
    int found = 0;
    for (uint32_t i = 0; i < td_ping_flow_count(&C.cl->ping); i++) {
        const td_ping_flow *f = td_ping_flow_at(&C.cl->ping, i);
        td_ip_format(&f->requester, a, sizeof a);
        td_ip_format(&f->target, b, sizeof b);
        if (strcmp(a, req) || strcmp(b, tgt))
            continue;
        found = 1;
        CHECK_STR(td_ping_verdict_name(td_ping_flow_verdict(f, C.last_ts, THR)), outcome);
        long n = pf_detail_num(detail, "echoes");
        if (n >= 0)
            CHECK_EQ(f->requests, n);
    }
    if (!found)
        printf("%s: no flow %s\n", CAP, key);
    CHECK(found);
}

static void check_conn(void *ctx, const char *key, const char *outcome, const char *detail)
{
    char want[32], buf[512];
    (void)ctx;
    (void)outcome;
    pf_detail_str(detail, "ping", want, sizeof want);
    int s = atoi(key);
    if (s >= C.nstreams) {
        CHECK(s < C.nstreams);
        return;
    }
    if (!want[0])
        return; /* the glue asks only for servers whose SYNs all went unanswered */
    CHECK(td_ping_server_sentence(&C.cl->ping, &C.streams[s].s, C.streams[s].sp, C.last_ts, THR, buf,
                                  sizeof buf) > 0);
    rows++;
    CHECK_HAS(buf, !strcmp(want, "answered") ? "answers ping (frame 4, " : "answers neither ping");
}

static void test_captures(void)
{
    rows = 0;
    for (size_t i = 0; i < CF_NCAPTURES; i++) {
        CAP = CF_CAPTURES[i];
        cf_feed(&C, CAP);
        pf_expected(CAP, "ping", check_row, NULL);
        pf_expected(CAP, "conn", check_conn, NULL);
        /* no unanswered echo without a row */
        for (uint32_t k = 0; k < td_ping_flow_count(&C.cl->ping); k++) {
            const td_ping_flow *f = td_ping_flow_at(&C.cl->ping, k);
            if (td_ping_flow_verdict(f, C.last_ts, THR) == TD_PING_V_UNANSWERED)
                CHECK_STR(CAP, "ping-unanswered.pcap");
        }
        cf_free(&C);
    }
    CHECK_EQ(rows, 9); /* 7 ping rows, 2 conn rows with ping= */
}

int main(void)
{
    RUN(test_rules);
    RUN(test_captures);
    return check_report();
}
