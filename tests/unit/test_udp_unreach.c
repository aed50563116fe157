/* test_udp_unreach.c — UDP datagrams rejected by ICMP errors: the code
 * table, flows, sentences, then the checklist captures against
 * checklist-expected.tsv (rows udp) with no flow lacking a row.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "check.h"
#include "checklist_feed.h"

#define T0 1700000000000000000LL

static void test_classify(void)
{
    td_udp_verdict v;
    CHECK(td_udp_classify(false, 3, 3, &v) && v == TD_UDP_V_PORT_UNREACHABLE);
    CHECK(td_udp_classify(false, 3, 13, &v) && v == TD_UDP_V_PROHIBITED);
    CHECK(td_udp_classify(false, 3, 10, &v) && v == TD_UDP_V_PROHIBITED);
    CHECK(td_udp_classify(false, 3, 1, &v) && v == TD_UDP_V_UNREACHABLE);
    CHECK(!td_udp_classify(false, 11, 0, &v)); /* time exceeded */
    CHECK(td_udp_classify(true, 1, 4, &v) && v == TD_UDP_V_PORT_UNREACHABLE);
    CHECK(td_udp_classify(true, 1, 1, &v) && v == TD_UDP_V_PROHIBITED);
    CHECK(td_udp_classify(true, 1, 3, &v) && v == TD_UDP_V_UNREACHABLE);
    CHECK(!td_udp_classify(true, 3, 0, &v));
    CHECK_STR(td_udp_verdict_name(TD_UDP_V_PORT_UNREACHABLE), "port-unreachable");
    CHECK_STR(td_udp_verdict_name(TD_UDP_V_PROHIBITED), "prohibited");
    CHECK_STR(td_udp_verdict_name(TD_UDP_V_COUNT), "unknown");
}

static void test_flows(void)
{
    td_udp_state st;
    td_udp_init(&st);
    td_ip c = td_ip4n(192, 0, 2, 10), pub = td_ip4n(203, 0, 113, 1), rtr = td_ip4n(192, 0, 2, 1);
    for (uint32_t i = 0; i < 3; i++) {
        td_udp_icmp e = {2 + 2 * i, T0, pub, false, 3, 3, c, pub, 41560, 5060};
        td_udp_update(&st, &e);
    }
    td_udp_icmp g = {9, T0, rtr, false, 3, 13, c, pub, 41561, 5061};
    td_udp_update(&st, &g);
    CHECK_EQ(td_udp_flow_count(&st), 2);
    const td_udp_flow *f = td_udp_find(&st, &c, &pub, 5060);
    CHECK(f && f->errors == 3 && f->frame_first == 2 && f->frame_last == 6);
    CHECK(td_udp_find(&st, &c, &pub, 5062) == NULL);
    char buf[512];
    td_udp_sentence(f, buf, sizeof buf);
    CHECK_STR(buf, "UDP port 5060 of 203.0.113.1: port unreachable (3 datagrams): nothing listens "
                   "there, or NAT/port forwarding does not forward UDP 5060");
    td_udp_sentence(td_udp_find(&st, &c, &pub, 5061), buf, sizeof buf);
    CHECK_STR(buf, "UDP port 5061 of 203.0.113.1: administratively prohibited by 192.0.2.1 (1 "
                   "datagram): a firewall rejects it");
    td_udp_free(&st);
}

static cf_ctx C;
static const char *CAP;
static int rows;

static void check_row(void *ctx, const char *key, const char *outcome, const char *detail)
{
    char cl[64], sv[64], got[TD_IP_STRLEN], want[64];
    unsigned port;
    (void)ctx;
    rows++;
    /* "CLIENT>SERVER:PORT"; an IPv6 server has colons: the port follows the last */
    const char *gt = strchr(key, '>'), *colon = strrchr(key, ':');
    if (!gt || !colon || colon < gt) {
        CHECK(!"bad key");
        return;
    }
    snprintf(cl, sizeof cl, "%.*s", (int)(gt - key), key);
    snprintf(sv, sizeof sv, "%.*s", (int)(colon - gt - 1), gt + 1);
    port = (unsigned)atoi(colon + 1);
    const td_udp_flow *f = NULL;
    for (uint32_t i = 0; i < td_udp_flow_count(&C.cl->udp); i++) {
        const td_udp_flow *g = td_udp_flow_at(&C.cl->udp, i);
        char a[TD_IP_STRLEN], b[TD_IP_STRLEN];
        td_ip_format(&g->client, a, sizeof a);
        td_ip_format(&g->server, b, sizeof b);
        if (!strcmp(a, cl) && !strcmp(b, sv) && g->server_port == port)
            f = g;
    }
    if (!f) {
        printf("%s: no flow %s\n", CAP, key);
        CHECK(f);
        return;
    }
    CHECK_STR(td_udp_verdict_name((td_udp_verdict)f->verdict), outcome);
    CHECK_EQ(f->errors, pf_detail_num(detail, "datagrams"));
    pf_detail_str(detail, "icmp-from", want, sizeof want);
    td_ip_format(&f->reporter, got, sizeof got);
    CHECK_STR(got, want);
}

static void test_captures(void)
{
    rows = 0;
    for (size_t i = 0; i < CF_NCAPTURES; i++) {
        CAP = CF_CAPTURES[i];
        cf_feed(&C, CAP);
        int r = pf_expected(CAP, "udp", check_row, NULL);
        /* dns-port-unreachable: each retry comes from a new source port,
         * but the flow is keyed on the server port: one flow */
        CHECK_EQ(td_udp_flow_count(&C.cl->udp), (uint32_t)r);
        cf_free(&C);
    }
    CHECK_EQ(rows, 6);
}

int main(void)
{
    RUN(test_classify);
    RUN(test_flows);
    RUN(test_captures);
    return check_report();
}
