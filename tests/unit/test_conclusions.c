/* test_conclusions.c — cross-connection conclusions (conclusions.c).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "check.h"
#include "conclusions.h"

#define SEC 1000000000LL

enum { CLIENT = 1, CLIENT2 = 2, SRV_A = 10, SRV_B = 11, SRV_C = 12 };

static void add(td_analysis *a, uint32_t client, uint32_t server, uint16_t port, td_verdict v,
                uint32_t frame, int64_t ts)
{
    td_conn_summary s = {client, server, port, v, frame, ts, FALSE};
    td_analysis_add(a, &s);
}

static const char *names[] = {[CLIENT] = "192.0.2.10", [CLIENT2] = "192.0.2.11",
                              [SRV_A] = "198.51.100.10", [SRV_B] = "198.51.100.20",
                              [SRV_C] = "203.0.113.1"};
static const char *namer(uint32_t id, void *user)
{
    (void)user;
    return id < sizeof names / sizeof names[0] ? names[id] : NULL;
}

static td_analysis *fresh(void)
{
    td_analysis *a = td_analysis_new(0);
    td_analysis_set_namer(a, namer, NULL);
    return a;
}

/* The seed article's first case: one server never answers, another does. */
static void test_host_down(void)
{
    td_analysis *a = fresh();
    add(a, CLIENT, SRV_B, 80, TD_V_NO_RESPONSE, 1, 0);
    add(a, CLIENT, SRV_A, 80, TD_V_ESTABLISHED, 5, 4 * SEC);
    td_analysis_finish(a);
    td_conclusion_kind k;
    const char *t = td_analysis_server(a, SRV_B, &k);
    CHECK_EQ(k, TD_C_HOST_DOWN);
    CHECK_HAS(t, "198.51.100.20 fails on every port");
    CHECK_HAS(t, "1 other server answers");
    CHECK(td_analysis_server(a, SRV_A, &k) == NULL);
    CHECK_EQ(k, TD_C_NONE);
    /* The connection's line falls back from service to server. */
    CHECK_STR(td_analysis_for_conn(a, CLIENT, SRV_B, 80), t);
    CHECK(td_analysis_for_conn(a, CLIENT, SRV_A, 80) == NULL);
    td_analysis_free(a);
}

/* A lone failing server with nothing to compare: no conclusion. */
static void test_no_baseline_no_conclusion(void)
{
    td_analysis *a = fresh();
    add(a, CLIENT, SRV_B, 80, TD_V_NO_RESPONSE, 1, 0);
    td_analysis_finish(a);
    CHECK(td_analysis_for_conn(a, CLIENT, SRV_B, 80) == NULL);
    td_analysis_free(a);
}

/* The camera case: port 80 answers, 6036 refused on the same address. */
static void test_port_blocked(void)
{
    td_analysis *a = fresh();
    add(a, CLIENT, SRV_C, 80, TD_V_ESTABLISHED, 1, 0);
    add(a, CLIENT, SRV_C, 6036, TD_V_REFUSED, 9, 2 * SEC);
    td_analysis_finish(a);
    td_conclusion_kind k;
    const char *t = td_analysis_service(a, SRV_C, 6036, &k);
    CHECK_EQ(k, TD_C_PORT_BLOCKED);
    CHECK_HAS(t, "Port 6036 of 203.0.113.1 is refused (RST) while port 80");
    CHECK_HAS(t, "port forwarding (PAT)");
    CHECK(td_analysis_service(a, SRV_C, 80, &k) == NULL);
    td_analysis_free(a);
}

static void test_port_blocked_by_forged_rst(void)
{
    td_analysis *a = fresh();
    add(a, CLIENT, SRV_A, 80, TD_V_ESTABLISHED, 1, 0);
    td_conn_summary s = {CLIENT, SRV_A, 8443, TD_V_REFUSED, 5, SEC, TRUE};
    td_analysis_add(a, &s);
    td_analysis_finish(a);
    CHECK_HAS(td_analysis_service(a, SRV_A, 8443, NULL), "refused by another device than the one answering port 80 (1 RST whose TTL");
    td_analysis_free(a);
}

static void test_intermittent_and_stopped(void)
{
    td_analysis *a = fresh();
    /* Port 80: ok, fail, ok — intermittent. Port 443: ok, ok, then fails. */
    add(a, CLIENT, SRV_A, 80, TD_V_ESTABLISHED, 1, 0);
    add(a, CLIENT, SRV_A, 80, TD_V_NO_RESPONSE, 4, 1 * SEC);
    add(a, CLIENT, SRV_A, 80, TD_V_ESTABLISHED, 9, 5 * SEC);
    add(a, CLIENT, SRV_A, 443, TD_V_ESTABLISHED, 2, 0);
    add(a, CLIENT, SRV_A, 443, TD_V_ESTABLISHED, 12, 6 * SEC);
    add(a, CLIENT, SRV_A, 443, TD_V_REFUSED, 20, 8 * SEC);
    add(a, CLIENT, SRV_A, 443, TD_V_REFUSED, 21, 9 * SEC);
    td_analysis_finish(a);
    td_conclusion_kind k;
    const char *t = td_analysis_service(a, SRV_A, 80, &k);
    CHECK_EQ(k, TD_C_INTERMITTENT);
    CHECK_HAS(t, "answered 2 and failed 1 of 3");
    t = td_analysis_service(a, SRV_A, 443, &k);
    CHECK_EQ(k, TD_C_STOPPED);
    CHECK_HAS(t, "answered until 6.000 s (frame 12), then refused (RST) from 8.000 s (frame 20)");
    td_analysis_free(a);
}

/* Answers, then only silence (accept queue full): not "stopped". */
static void test_answers_then_silence(void)
{
    td_analysis *a = fresh();
    add(a, CLIENT, SRV_A, 8090, TD_V_ESTABLISHED, 1, 0);
    add(a, CLIENT, SRV_A, 8090, TD_V_ESTABLISHED, 4, SEC / 10);
    for (uint32_t i = 0; i < 4; i++)
        add(a, CLIENT, SRV_A, 8090, TD_V_NO_RESPONSE, 10 + i, SEC / 5 + i);
    td_analysis_finish(a);
    td_conclusion_kind k;
    const char *t = td_analysis_service(a, SRV_A, 8090, &k);
    CHECK_EQ(k, TD_C_INTERMITTENT);
    CHECK_HAS(t, "then left 4 SYNs unanswered from 0.200 s (frame 10): listen-queue overflow");
    td_analysis_free(a);
}

/* A flood that filled the SYN backlog: half-open, then unanswered SYNs. */
static void test_syn_flood_backlog_full(void)
{
    td_analysis *a = fresh();
    for (uint32_t i = 0; i < 12; i++)
        add(a, 1000 + i, SRV_A, 80, TD_V_HALF_OPEN, 10 + i, i);
    for (uint32_t i = 0; i < 30; i++)
        add(a, 2000 + i, SRV_A, 80, TD_V_NO_RESPONSE, 100 + i, 100 + i);
    td_analysis_finish(a);
    td_conclusion_kind k;
    CHECK_HAS(td_analysis_service(a, SRV_A, 80, &k),
              "12 half-open connections and 30 SYNs left unanswered (SYN backlog full) from 42 sources");
    CHECK_EQ(k, TD_C_SYN_FLOOD);
    td_analysis_free(a);
}

static void test_syn_flood_needs_many_sources(void)
{
    td_analysis *a = fresh();
    for (uint32_t i = 0; i < 30; i++)
        add(a, 1000 + i, SRV_A, 80, TD_V_HALF_OPEN, 10 + i, i);
    add(a, CLIENT, SRV_A, 22, TD_V_HALF_OPEN, 1, 0); /* one lost ACK elsewhere */
    td_analysis_finish(a);
    td_conclusion_kind k;
    CHECK_HAS(td_analysis_service(a, SRV_A, 80, &k), "30 half-open connections from 30 sources");
    CHECK_EQ(k, TD_C_SYN_FLOOD);
    CHECK(td_analysis_service(a, SRV_A, 22, &k) == NULL);
    td_analysis_free(a);

    /* Many half-open connections from ONE source: lost ACKs, not a flood. */
    a = fresh();
    for (uint32_t i = 0; i < 30; i++)
        add(a, CLIENT, SRV_A, 80, TD_V_HALF_OPEN, 10 + i, i);
    td_analysis_finish(a);
    td_analysis_service(a, SRV_A, 80, &k);
    CHECK(k != TD_C_SYN_FLOOD);
    td_analysis_free(a);
}

static void test_client_side(void)
{
    td_analysis *a = fresh();
    add(a, CLIENT, SRV_A, 80, TD_V_NO_RESPONSE, 1, 0);
    add(a, CLIENT, SRV_B, 443, TD_V_NO_RESPONSE, 2, 0);
    add(a, CLIENT, SRV_C, 22, TD_V_ICMP_UNREACHABLE, 3, 0);
    td_analysis_finish(a);
    td_conclusion_kind k;
    CHECK_HAS(td_analysis_client(a, CLIENT, &k), "Every connection from 192.0.2.10 fails (3 connects to 3 servers)");
    CHECK_EQ(k, TD_C_CLIENT_SIDE);
    /* No server answered, so no server is singled out as down. */
    CHECK(td_analysis_server(a, SRV_A, NULL) == NULL);
    CHECK_HAS(td_analysis_for_conn(a, CLIENT, SRV_A, 80), "client side");
    td_analysis_free(a);
}

/* Healthy captures and pending/midstream connections say nothing. */
static void test_healthy_says_nothing(void)
{
    td_analysis *a = fresh();
    add(a, CLIENT, SRV_A, 80, TD_V_ESTABLISHED, 1, 0);
    add(a, CLIENT2, SRV_A, 80, TD_V_ESTABLISHED, 2, 0);
    add(a, CLIENT, SRV_B, 80, TD_V_PENDING, 3, 0);
    add(a, CLIENT, SRV_B, 81, TD_V_MIDSTREAM, 4, 0);
    td_analysis_finish(a);
    CHECK(td_analysis_for_conn(a, CLIENT, SRV_A, 80) == NULL);
    CHECK(td_analysis_for_conn(a, CLIENT, SRV_B, 80) == NULL);
    CHECK(td_analysis_for_conn(a, CLIENT, SRV_B, 81) == NULL);
    CHECK_STR(td_conclusion_name(TD_C_SYN_FLOOD), "syn-flood");
    td_analysis_free(a);
}

int main(void)
{
    test_host_down();
    test_no_baseline_no_conclusion();
    test_port_blocked();
    test_port_blocked_by_forged_rst();
    test_intermittent_and_stopped();
    test_syn_flood_needs_many_sources();
    test_answers_then_silence();
    test_syn_flood_backlog_full();
    test_client_side();
    test_healthy_says_nothing();
    return check_report();
}
