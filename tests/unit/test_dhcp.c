/* test_dhcp.c — DHCPv4 evidence: the reader and the transaction rules on
 * hand-made messages, then the checklist captures against
 * checklist-expected.tsv (rows dhcp, and conn rows with link-local=).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "check.h"
#include "checklist_feed.h"

#define T0 1700000000000000000LL
#define MS(x) ((int64_t)(x) * 1000000LL)

/* A BOOTP message with options 53 and, when set, 50 / 54. */
static size_t build(uint8_t *b, int type, uint32_t xid, unsigned mac_last, const td_ip *yi,
                    const td_ip *req, const td_ip *sid)
{
    memset(b, 0, 300);
    b[0] = (type == TD_DHCP_OFFER || type == TD_DHCP_ACK || type == TD_DHCP_NAK) ? 2 : 1;
    b[1] = 1;
    b[2] = 6;
    b[4] = (uint8_t)(xid >> 24); b[5] = (uint8_t)(xid >> 16); b[6] = (uint8_t)(xid >> 8); b[7] = (uint8_t)xid;
    if (yi)
        memcpy(b + 16, yi->a, 4);
    b[28] = 2;
    b[33] = (uint8_t)mac_last;
    b[236] = 99; b[237] = 130; b[238] = 83; b[239] = 99;
    size_t o = 240;
    b[o++] = 53; b[o++] = 1; b[o++] = (uint8_t)type;
    if (req) { b[o++] = 50; b[o++] = 4; memcpy(b + o, req->a, 4); o += 4; }
    if (sid) { b[o++] = 54; b[o++] = 4; memcpy(b + o, sid->a, 4); o += 4; }
    b[o++] = 255;
    return o;
}

static uint32_t feed(td_dhcp_state *st, uint32_t frame, int64_t ts, int type, uint32_t xid,
                     const td_ip *yi, const td_ip *req, const td_ip *sid, td_ip *ps, td_ip *pa)
{
    uint8_t b[300];
    td_dhcp_pkt p;
    td_ip src = sid ? *sid : td_ip4n(0, 0, 0, 0);
    size_t n = build(b, type, xid, 0x30, yi, req, sid);
    CHECK(td_dhcp_parse(b, n, &src, frame, ts, &p));
    return td_dhcp_update(st, &p, ps, pa);
}

static const char *verdict(const td_dhcp_state *st, uint32_t t, int64_t now)
{
    return td_dhcp_verdict_name(td_dhcp_verdict_of(td_dhcp_txn_at(st, t), now));
}

static void test_rules(void)
{
    td_dhcp_state st;
    td_dhcp_init(&st);
    td_ip srv = td_ip4n(192, 0, 2, 1), a = td_ip4n(192, 0, 2, 110), ps, pa;
    uint32_t t = feed(&st, 1, T0, TD_DHCP_DISCOVER, 7, NULL, NULL, NULL, &ps, &pa);
    CHECK(!td_ip_is_set(&ps));
    CHECK_STR(verdict(&st, t, T0 + MS(100)), "pending");
    CHECK_STR(verdict(&st, t, T0 + MS(2000)), "no-offer");
    CHECK_EQ(feed(&st, 2, T0 + MS(3000), TD_DHCP_OFFER, 7, &a, NULL, &srv, &ps, &pa), t);
    CHECK(td_ip_eq(&ps, &srv) && td_ip_eq(&pa, &a)); /* mark its probes */
    CHECK_STR(verdict(&st, t, T0 + MS(3001)), "pending");
    feed(&st, 3, T0 + MS(3010), TD_DHCP_REQUEST, 7, NULL, &a, &srv, NULL, NULL);
    CHECK_STR(verdict(&st, t, T0 + MS(3011)), "pending");
    CHECK_STR(verdict(&st, t, T0 + MS(9000)), "no-offer"); /* REQUEST never acked */
    feed(&st, 4, T0 + MS(3020), TD_DHCP_ACK, 7, &a, NULL, &srv, NULL, NULL);
    CHECK_STR(verdict(&st, t, T0 + MS(9000)), "bound");
    char buf[512];
    CHECK_EQ(td_dhcp_conclusion(td_dhcp_txn_at(&st, t), T0 + MS(9000), buf, sizeof buf), 0);
    /* a renewal refused */
    uint32_t u = feed(&st, 5, T0 + MS(10000), TD_DHCP_REQUEST, 8, NULL, &a, NULL, NULL, NULL);
    CHECK(u != t);
    feed(&st, 6, T0 + MS(10001), TD_DHCP_NAK, 8, NULL, NULL, &srv, &ps, &pa);
    CHECK(td_ip_eq(&pa, &a));
    CHECK_STR(verdict(&st, u, T0 + MS(10002)), "nak");
    CHECK(td_dhcp_conclusion(td_dhcp_txn_at(&st, u), T0 + MS(10002), buf, sizeof buf) > 0);
    CHECK_STR(buf, "DHCP server 192.0.2.1 refused 02:00:00:00:00:30's request for 192.0.2.110 "
                   "(NAK): that lease is not valid on this network (moved, renumbered); the client "
                   "must start over");
    /* four unanswered DISCOVERs */
    uint32_t w = 0;
    for (int i = 0; i < 4; i++)
        w = feed(&st, 10 + (uint32_t)i, T0 + MS(20000 + 2000 * i), TD_DHCP_DISCOVER, 9, NULL, NULL,
                 NULL, NULL, NULL);
    CHECK_STR(verdict(&st, w, T0 + MS(26000)), "no-offer");
    td_dhcp_conclusion(td_dhcp_txn_at(&st, w), T0 + MS(26000), buf, sizeof buf);
    CHECK_STR(buf, "no DHCP server answered 02:00:00:00:00:30 (4 DISCOVERs over 6.0 s): the client "
                   "has no address; check the DHCP server / relay and the VLAN");
    td_mac m = {{2, 0, 0, 0, 0, 0x30}};
    td_ip ll = td_ip4n(169, 254, 77, 10), not_ll = td_ip4n(192, 0, 2, 10);
    CHECK(td_dhcp_link_local_finding(&st, &ll, &m, T0 + MS(26000), buf, sizeof buf) > 0);
    CHECK_HAS(buf, "169.254.77.10 uses a link-local address: it has no DHCP lease (4 DISCOVERs");
    CHECK_EQ(td_dhcp_link_local_finding(&st, &not_ll, &m, T0, buf, sizeof buf), 0);
    /* DECLINE: the address is in use */
    feed(&st, 20, T0 + MS(30000), TD_DHCP_DECLINE, 9, NULL, &a, &srv, NULL, NULL);
    CHECK_STR(verdict(&st, w, T0 + MS(30001)), "declined");
    td_dhcp_free(&st);
}

static void test_parse(void)
{
    uint8_t b[300];
    td_dhcp_pkt p;
    td_ip a = td_ip4n(192, 0, 2, 110);
    size_t n = build(b, TD_DHCP_OFFER, 1, 0x30, &a, NULL, NULL);
    CHECK(td_dhcp_parse(b, n, NULL, 1, T0, &p));
    CHECK_EQ(p.msg_type, TD_DHCP_OFFER);
    CHECK(!td_dhcp_parse(b, 239, NULL, 1, T0, &p));
    b[236] = 0; /* no magic cookie: plain BOOTP */
    CHECK(!td_dhcp_parse(b, n, NULL, 1, T0, &p));
    n = build(b, TD_DHCP_OFFER, 1, 0x30, &a, NULL, NULL);
    b[241] = 200; /* option 53's length runs past the end */
    CHECK(!td_dhcp_parse(b, n, NULL, 1, T0, &p));
    n = build(b, 9, 1, 0x30, &a, NULL, NULL); /* unknown message type */
    CHECK(!td_dhcp_parse(b, n, NULL, 1, T0, &p));
    CHECK(sizeof(td_dhcp_txn) <= 128);
}

static cf_ctx C;
static const char *CAP;
static int rows;

static void check_row(void *ctx, const char *key, const char *outcome, const char *detail)
{
    char mac[32], want[32], got[32];
    (void)ctx;
    rows++;
    long xid = pf_detail_num(detail, "xid");
    sscanf(key, "%31s", mac);
    int found = 0;
    for (uint32_t i = 0; i < td_dhcp_txn_count(&C.cl->dhcp); i++) {
        const td_dhcp_txn *t = td_dhcp_txn_at(&C.cl->dhcp, i);
        td_mac_format(&t->mac, got, sizeof got);
        if (strcmp(got, mac) || (xid >= 0 && t->xid != (uint32_t)xid))
            continue;
        found = 1;
        CHECK_STR(td_dhcp_verdict_name(td_dhcp_verdict_of(t, C.last_ts)), outcome);
        long d = pf_detail_num(detail, "discovers");
        if (d >= 0)
            CHECK_EQ(t->discovers, d);
        /* the router dnsmasq hands out (option 3): 192.0.2.1, or the dead
         * 192.0.2.254 of dhcp-dead-gateway.pcap; every bound row names it */
        if (t->acked) {
            pf_detail_str(detail, "router", want, sizeof want);
            CHECK(want[0] != 0);
            td_ip_format(&t->router, got, sizeof got);
            CHECK_STR(got, want);
        }
        pf_detail_str(detail, "addr", want, sizeof want);
        if (want[0]) {
            td_ip_format(&t->addr, got, sizeof got);
            CHECK_STR(got, want);
        }
        char buf[512];
        size_t n = td_dhcp_conclusion(t, C.last_ts, buf, sizeof buf);
        CHECK_EQ(n > 0, strcmp(outcome, "bound") != 0);
    }
    CHECK(found);
}

static void check_conn(void *ctx, const char *key, const char *outcome, const char *detail)
{
    char want[32], buf[512];
    (void)ctx;
    (void)outcome;
    int s = atoi(key);
    if (s >= C.nstreams)
        return;
    size_t n = td_dhcp_link_local_finding(&C.cl->dhcp, &C.streams[s].c, &C.streams[s].client_mac,
                                          C.last_ts, buf, sizeof buf);
    pf_detail_str(detail, "link-local", want, sizeof want);
    CHECK_EQ(n > 0, want[0] != 0);
    if (want[0]) {
        rows++;
        CHECK_HAS(buf, want);
        CHECK_HAS(buf, "(4 DISCOVERs unanswered)");
    }
}

static void test_captures(void)
{
    rows = 0;
    for (size_t i = 0; i < CF_NCAPTURES; i++) {
        CAP = CF_CAPTURES[i];
        cf_feed(&C, CAP);
        int r = pf_expected(CAP, "dhcp", check_row, NULL);
        pf_expected(CAP, "conn", check_conn, NULL);
        /* every transaction has a row */
        CHECK_EQ(td_dhcp_txn_count(&C.cl->dhcp), (uint32_t)r);
        cf_free(&C);
    }
    CHECK_EQ(rows, 6); /* 5 dhcp rows, 1 link-local conn row */
}

int main(void)
{
    RUN(test_rules);
    RUN(test_parse);
    RUN(test_captures);
    return check_report();
}
