/* test_conn_state.c — the handshake state machine, fed packet by packet.
 *
 * Packet builders (syn, synack, ack, rst, data, icmp_unreach...) are in
 * builders.h.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "builders.h"
#include "check.h"

/* Verdict name and evidence frame, judged at T0 + now. */
static const char *verdict_at(const td_conn *c, int64_t now)
{
    return td_verdict_name(td_conn_verdict(c, T0 + now, THR));
}

static uint32_t evidence_at(const td_conn *c, int64_t now)
{
    return td_conn_evidence_frame(c, td_conn_verdict(c, T0 + now, THR));
}

/* A complete handshake in frames 1-3 at 0, 10 ms and 20 ms. */
static td_conn handshake(void)
{
    td_conn c = fresh();
    feed(&c, syn(1, 0, CL, CI));
    feed(&c, synack(2, MS(10), SV, SI, CI + 1));
    feed(&c, ack(3, MS(20), CL, CI + 1, SI + 1));
    return c;
}

/* ---- basics ----------------------------------------------------------- */

static void test_names(void)
{
    static const char *const want[TD_V_COUNT] = {
        "established", "no-response", "pending", "refused", "icmp-unreachable",
        "half-open", "aborted", "reset-before-data", "simultaneous-open",
        "stale", "midstream"};
    for (int v = 0; v < TD_V_COUNT; v++)
        CHECK_STR(td_verdict_name((td_verdict)v), want[v]);
    CHECK_STR(td_verdict_name(TD_V_COUNT), "unknown");
    CHECK(!td_verdict_is_failure(TD_V_ESTABLISHED));
    CHECK(!td_verdict_is_failure(TD_V_PENDING));
    CHECK(!td_verdict_is_failure(TD_V_MIDSTREAM));
    CHECK(td_verdict_is_failure(TD_V_NO_RESPONSE));
    CHECK(td_verdict_is_failure(TD_V_STALE));
}

static void test_size_and_init(void)
{
    CHECK(sizeof(td_conn) <= 128);
    td_conn c = fresh();
    CHECK_EQ(c.client_dir, TD_DIR_UNKNOWN);
    CHECK_EQ(c.syn_count, 0);
    CHECK_STR(verdict_at(&c, 0), "midstream");
    CHECK_EQ(evidence_at(&c, 0), 0);
}

/* ---- established ------------------------------------------------------ */

static void test_established_plain(void)
{
    td_conn c = fresh();
    int64_t ns;
    CHECK_EQ(feed(&c, syn(1, 0, CL, CI)), TD_EV_SYN);
    CHECK_EQ(feed(&c, synack(2, MS(10), SV, SI, CI + 1)), TD_EV_SYNACK);
    CHECK_EQ(feed(&c, ack(3, MS(12), CL, CI + 1, SI + 1)), TD_EV_HS_ACK);
    CHECK_EQ(feed(&c, data(4, MS(13), CL, CI + 1, SI + 1, 100)), 0);
    CHECK_STR(verdict_at(&c, MS(13)), "established");
    CHECK_EQ(evidence_at(&c, MS(13)), 3);
    CHECK(td_conn_completed(&c));
    CHECK_EQ(c.findings, 0);
    CHECK_EQ(c.syn_count, 1);
    CHECK_EQ(c.synack_count, 1);
    CHECK_EQ(c.client_dir, CL);
    CHECK_EQ(td_conn_answered_syn_frame(&c), 1);
    CHECK(td_conn_has_rtt_syn_synack(&c, &ns));
    CHECK_EQ(ns, MS(10));
    CHECK(td_conn_has_rtt_synack_ack(&c, &ns));
    CHECK_EQ(ns, MS(2));
    CHECK(td_conn_has_setup_time(&c, &ns));
    CHECK_EQ(ns, MS(12));
    /* The verdict does not age. */
    CHECK_STR(verdict_at(&c, SEC(3600)), "established");
}

/* Client in direction 1: nothing assumes the client is the lower end. */
static void test_established_client_dir1(void)
{
    td_conn c = fresh();
    feed(&c, syn(1, 0, 1, CI));
    feed(&c, synack(2, MS(1), 0, SI, CI + 1));
    CHECK_EQ(feed(&c, ack(3, MS(2), 1, CI + 1, SI + 1)), TD_EV_HS_ACK);
    CHECK_EQ(c.client_dir, 1);
    CHECK_STR(verdict_at(&c, MS(2)), "established");
}

/* SYN lost twice: RTT is measured on the SYN that was answered, the last
 * one before the SYN/ACK; setup time still runs from the first SYN. */
static void test_slow_connect(void)
{
    td_conn c = fresh();
    int64_t ns;
    CHECK_EQ(feed(&c, syn(1, 0, CL, CI)), TD_EV_SYN);
    CHECK_EQ(feed(&c, syn(2, SEC(1), CL, CI)), TD_EV_SYN_RETRANS);
    CHECK_EQ(feed(&c, syn(3, SEC(3), CL, CI)), TD_EV_SYN_RETRANS);
    CHECK_EQ(feed(&c, synack(4, SEC(3) + MS(30), SV, SI, CI + 1)), TD_EV_SYNACK);
    CHECK_EQ(feed(&c, ack(5, SEC(3) + MS(31), CL, CI + 1, SI + 1)), TD_EV_HS_ACK);
    CHECK_STR(verdict_at(&c, SEC(4)), "established");
    CHECK_EQ(evidence_at(&c, SEC(4)), 5);
    CHECK_EQ(c.syn_count, 3);
    CHECK_EQ(c.findings, TD_F_SLOW_CONNECT);
    CHECK_EQ(td_conn_answered_syn_frame(&c), 3);
    CHECK(td_conn_has_rtt_syn_synack(&c, &ns));
    CHECK_EQ(ns, MS(30));
    CHECK(td_conn_has_setup_time(&c, &ns));
    CHECK_EQ(ns, SEC(3) + MS(31));
}

/* The SYN/ACK echoes the first SYN's TSval (RFC 7323): the first SYN was
 * answered, slower than the client's RTO. */
static void test_slow_connect_tsecr_first(void)
{
    td_conn c = fresh();
    int64_t ns;
    feed(&c, with_ts(syn(1, 0, CL, CI), 100, 0));
    feed(&c, with_ts(syn(2, SEC(1), CL, CI), 1100, 0));
    feed(&c, with_ts(synack(3, SEC(1) + MS(200), SV, SI, CI + 1), 7, 100));
    feed(&c, ack(4, SEC(1) + MS(201), CL, CI + 1, SI + 1));
    CHECK_STR(verdict_at(&c, SEC(2)), "established");
    CHECK_EQ(c.findings, TD_F_SLOW_CONNECT);
    CHECK_EQ(td_conn_answered_syn_frame(&c), 1);
    CHECK(td_conn_has_rtt_syn_synack(&c, &ns));
    CHECK_EQ(ns, SEC(1) + MS(200));

    /* Echoing the latest SYN's TSval: the latest SYN was answered. */
    c = fresh();
    feed(&c, with_ts(syn(1, 0, CL, CI), 100, 0));
    feed(&c, with_ts(syn(2, SEC(1), CL, CI), 1100, 0));
    feed(&c, with_ts(synack(3, SEC(1) + MS(20), SV, SI, CI + 1), 7, 1100));
    CHECK_EQ(td_conn_answered_syn_frame(&c), 2);
    CHECK(td_conn_has_rtt_syn_synack(&c, &ns));
    CHECK_EQ(ns, MS(20));
}

/* A SYN retransmitted after the SYN/ACK (the SYN/ACK was lost between the
 * capture point and the client) is not the SYN the SYN/ACK answered. */
static void test_slow_connect_late_syn(void)
{
    td_conn c = fresh();
    int64_t ns;
    feed(&c, syn(1, 0, CL, CI));
    feed(&c, syn(2, SEC(1), CL, CI));
    feed(&c, synack(3, SEC(1) + MS(50), SV, SI, CI + 1));
    CHECK_EQ(feed(&c, syn(4, SEC(3), CL, CI)), TD_EV_SYN_RETRANS);
    CHECK_EQ(feed(&c, synack(5, SEC(3) + MS(50), SV, SI, CI + 1)), TD_EV_SYNACK_RETRANS);
    CHECK_EQ(feed(&c, ack(6, SEC(3) + MS(51), CL, CI + 1, SI + 1)), TD_EV_HS_ACK);
    CHECK_STR(verdict_at(&c, SEC(4)), "established");
    CHECK_EQ(c.findings, TD_F_SLOW_CONNECT);
    CHECK_EQ(td_conn_answered_syn_frame(&c), 2);
    CHECK(td_conn_has_rtt_syn_synack(&c, &ns));
    CHECK_EQ(ns, MS(50));
    CHECK(td_conn_has_rtt_synack_ack(&c, &ns));
    CHECK_EQ(ns, MS(1));
}

/* A retransmitted SYN written after the SYN/ACK that answered it (frame
 * order is not event order): the answered SYN, and a slow connect. */
static void test_slow_connect_reordered(void)
{
    td_conn c = fresh();
    int64_t ns;
    feed(&c, syn(1, 0, CL, CI));
    CHECK_EQ(feed(&c, synack(3, SEC(1) + MS(50), SV, SI, CI + 1)), TD_EV_SYNACK);
    CHECK_EQ(c.findings, 0);
    CHECK_EQ(feed(&c, syn(2, SEC(1), CL, CI)), TD_EV_SYN_RETRANS);
    CHECK_EQ(c.findings, TD_F_SLOW_CONNECT);
    feed(&c, ack(4, SEC(1) + MS(51), CL, CI + 1, SI + 1));
    CHECK_STR(verdict_at(&c, SEC(2)), "established");
    CHECK_EQ(td_conn_answered_syn_frame(&c), 2);
    CHECK(td_conn_has_rtt_syn_synack(&c, &ns));
    CHECK_EQ(ns, MS(50));
}

/* ---- no-response / pending -------------------------------------------- */

static void test_no_response(void)
{
    td_conn c = fresh();
    feed(&c, syn(1, 0, CL, CI));
    feed(&c, syn(2, SEC(1), CL, CI));
    feed(&c, syn(3, SEC(3), CL, CI));
    CHECK_EQ(c.syn_count, 3);
    /* Retransmissions prove the wait: no threshold needed. */
    CHECK_STR(verdict_at(&c, SEC(3)), "no-response");
    CHECK_EQ(evidence_at(&c, SEC(3)), 3);
    CHECK_EQ(td_conn_verdict(&c, T0 + SEC(3), SEC(100)), TD_V_NO_RESPONSE);
    CHECK(!td_conn_completed(&c));
    CHECK_EQ(td_conn_answered_syn_frame(&c), 0);
}

static void test_pending_and_threshold(void)
{
    td_conn c = fresh();
    CHECK_EQ(feed(&c, syn(1, 0, CL, CI)), TD_EV_SYN);
    CHECK_STR(verdict_at(&c, MS(999)), "pending");
    CHECK_EQ(evidence_at(&c, MS(999)), 1);
    CHECK_STR(verdict_at(&c, SEC(1)), "no-response");
    CHECK_STR(verdict_at(&c, SEC(5)), "no-response");
    CHECK_EQ(evidence_at(&c, SEC(5)), 1);
    /* The threshold is a parameter, not a constant. */
    CHECK_EQ(td_conn_verdict(&c, T0 + SEC(5), SEC(10)), TD_V_PENDING);
    CHECK_EQ(td_conn_verdict(&c, T0 + MS(200), MS(100)), TD_V_NO_RESPONSE);
    /* now before the SYN (frames out of time order): still pending. */
    CHECK_EQ(td_conn_verdict(&c, T0 - SEC(1), THR), TD_V_PENDING);
}

/* Absurd now / threshold values must neither overflow nor mis-judge. */
static void test_extreme_now(void)
{
    td_conn c = fresh();
    feed(&c, syn(1, 0, CL, CI));
    CHECK_EQ(td_conn_verdict(&c, INT64_MIN, THR), TD_V_PENDING);
    CHECK_EQ(td_conn_verdict(&c, INT64_MAX, THR), TD_V_NO_RESPONSE);
    CHECK_EQ(td_conn_verdict(&c, INT64_MAX, INT64_MAX), TD_V_PENDING);
    CHECK_EQ(td_conn_verdict(&c, INT64_MIN, INT64_MIN), TD_V_PENDING);
    CHECK_EQ(td_conn_verdict(&c, T0, 0), TD_V_NO_RESPONSE);
    feed(&c, synack(2, MS(5), SV, SI, CI + 1));
    CHECK_EQ(td_conn_verdict(&c, INT64_MIN, THR), TD_V_PENDING);
    CHECK_EQ(td_conn_verdict(&c, INT64_MAX, THR), TD_V_HALF_OPEN);
}

/* ---- refused ------------------------------------------------------------ */

static void test_refused(void)
{
    td_conn c = fresh();
    feed(&c, syn(1, 0, CL, CI));
    CHECK_EQ(feed(&c, rstack(2, MS(1), SV, 0, CI + 1)), TD_EV_ANSWER_RST);
    CHECK_STR(verdict_at(&c, MS(1)), "refused");
    CHECK_EQ(evidence_at(&c, MS(1)), 2);
    CHECK_EQ(c.findings, 0);
    CHECK_EQ(c.frame_end, 0); /* a refusal is the answer, not an end */
    /* After retransmissions, still refused, same evidence. */
    c = fresh();
    feed(&c, syn(1, 0, CL, CI));
    feed(&c, syn(2, SEC(1), CL, CI));
    CHECK_EQ(feed(&c, rstack(3, SEC(1) + MS(1), SV, 0, CI + 1)), TD_EV_ANSWER_RST);
    CHECK_STR(verdict_at(&c, SEC(9)), "refused");
    CHECK_EQ(evidence_at(&c, SEC(9)), 3);
}

/* RFC 9293 §3.10.7.3: in SYN-SENT a RST without ACK is ignored. */
static void test_refused_rst_without_ack(void)
{
    td_conn c = fresh();
    feed(&c, syn(1, 0, CL, CI));
    CHECK_EQ(feed(&c, rst(2, MS(1), SV, 0)), TD_EV_RST_INVALID);
    CHECK_STR(verdict_at(&c, MS(1)), "refused");
    CHECK_EQ(evidence_at(&c, MS(1)), 2);
    CHECK_EQ(c.findings, TD_F_RST_INVALID);
    /* A genuine refusal later becomes the evidence. */
    CHECK_EQ(feed(&c, rstack(3, MS(2), SV, 0, CI + 1)), TD_EV_ANSWER_RST);
    CHECK_STR(verdict_at(&c, MS(2)), "refused");
    CHECK_EQ(evidence_at(&c, MS(2)), 3);
}

/* An injected RST with a wrong ack, then the real server answers. */
static void test_rst_wrong_ack_then_established(void)
{
    td_conn c = fresh();
    feed(&c, syn(1, 0, CL, CI));
    CHECK_EQ(feed(&c, rstack(2, MS(1), SV, 0, CI + 77)), TD_EV_RST_INVALID);
    CHECK_STR(verdict_at(&c, MS(1)), "refused");
    CHECK_EQ(feed(&c, synack(3, MS(20), SV, SI, CI + 1)), TD_EV_SYNACK);
    CHECK_EQ(feed(&c, ack(4, MS(21), CL, CI + 1, SI + 1)), TD_EV_HS_ACK);
    CHECK_STR(verdict_at(&c, MS(21)), "established");
    CHECK_EQ(evidence_at(&c, MS(21)), 4);
    CHECK_EQ(c.findings, TD_F_RST_INVALID);
}

/* ---- ICMP unreachable ----------------------------------------------------- */

static void test_icmp_full_quote(void)
{
    td_conn c = fresh();
    feed(&c, syn(1, 0, CL, CI));
    CHECK_EQ(feed(&c, icmp_unreach(2, MS(3), CL, CI, 1, 13, TD_REPORTER_ROUTER)),
             TD_EV_ANSWER_ICMP);
    CHECK_STR(verdict_at(&c, MS(3)), "icmp-unreachable");
    CHECK_EQ(evidence_at(&c, MS(3)), 2);
    CHECK_EQ(c.icmp_type, 3);
    CHECK_EQ(c.icmp_code, 13);
    CHECK_EQ(c.icmp_reporter, TD_REPORTER_ROUTER);
    /* A second error for the retransmission keeps the first as evidence. */
    feed(&c, syn(3, SEC(1), CL, CI));
    CHECK_EQ(feed(&c, icmp_unreach(4, SEC(1) + MS(3), CL, CI, 1, 1, TD_REPORTER_ROUTER)),
             TD_EV_ANSWER_ICMP);
    CHECK_STR(verdict_at(&c, SEC(2)), "icmp-unreachable");
    CHECK_EQ(evidence_at(&c, SEC(2)), 2);
    CHECK_EQ(c.icmp_code, 13);
}

static void test_icmp_short_quote(void)
{
    td_conn c = fresh();
    feed(&c, syn(1, 0, CL, CI));
    CHECK_EQ(feed(&c, icmp_unreach(2, MS(3), CL, CI, 0, 3, TD_REPORTER_SERVER)),
             TD_EV_ANSWER_ICMP);
    CHECK_STR(verdict_at(&c, MS(3)), "icmp-unreachable");
    CHECK_EQ(evidence_at(&c, MS(3)), 2);
    CHECK_EQ(c.icmp_reporter, TD_REPORTER_SERVER);
    /* An 8-byte quote of another segment (seq != ISN) is no answer. */
    c = fresh();
    feed(&c, syn(1, 0, CL, CI));
    CHECK_EQ(feed(&c, icmp_unreach(2, MS(3), CL, CI + 1, 0, 3, TD_REPORTER_SERVER)),
             TD_EV_ICMP_OTHER);
    CHECK_STR(verdict_at(&c, MS(3)), "pending");
}

/* The ICMP error alone proves the SYN: judged, not midstream. */
static void test_icmp_only_packet(void)
{
    for (int full = 0; full <= 1; full++) {
        td_conn c = fresh();
        CHECK_EQ(feed(&c, icmp_unreach(7, 0, CL, CI, full, 1, TD_REPORTER_ROUTER)),
                 TD_EV_ANSWER_ICMP);
        CHECK(td_conn_syn_seen(&c));
        CHECK_STR(verdict_at(&c, 0), "icmp-unreachable");
        CHECK_EQ(evidence_at(&c, 0), 7);
        CHECK_EQ(c.client_dir, CL);
        CHECK_EQ(c.syn_count, 0);
    }
    /* ... and a SYN captured after it (frame order) is the same attempt. */
    td_conn c = fresh();
    feed(&c, icmp_unreach(2, MS(3), CL, CI, 0, 1, TD_REPORTER_ROUTER));
    CHECK_EQ(feed(&c, syn(1, 0, CL, CI)), TD_EV_SYN);
    CHECK_STR(verdict_at(&c, MS(3)), "icmp-unreachable");
    CHECK_EQ(evidence_at(&c, MS(3)), 2);
    CHECK_EQ(c.ts_first_syn, T0);
}

/* Time exceeded for the SYN proves it but answers nothing. */
static void test_icmp_other_only(void)
{
    td_conn c = fresh();
    td_pkt p = icmp_unreach(4, 0, CL, CI, 1, 0, TD_REPORTER_ROUTER);
    p.kind = TD_PKT_ICMP_OTHER;
    p.icmp_type = 11;
    CHECK_EQ(feed(&c, p), TD_EV_ICMP_OTHER);
    CHECK_STR(verdict_at(&c, MS(10)), "pending");
    CHECK_STR(verdict_at(&c, SEC(2)), "no-response");
    CHECK_EQ(evidence_at(&c, SEC(2)), 4);
}

static void test_icmp_then_answer(void)
{
    td_conn c = fresh();
    feed(&c, syn(1, 0, CL, CI));
    feed(&c, icmp_unreach(2, MS(3), CL, CI, 1, 1, TD_REPORTER_ROUTER));
    CHECK_EQ(feed(&c, synack(3, MS(40), SV, SI, CI + 1)), TD_EV_SYNACK);
    CHECK_EQ(c.findings, TD_F_ICMP_THEN_ANSWER);
    CHECK_STR(verdict_at(&c, MS(50)), "pending");
    CHECK_STR(verdict_at(&c, SEC(2)), "half-open");
    CHECK_EQ(evidence_at(&c, SEC(2)), 3);
    feed(&c, ack(4, MS(41), CL, CI + 1, SI + 1));
    CHECK_STR(verdict_at(&c, SEC(2)), "established");
    CHECK_EQ(c.findings, TD_F_ICMP_THEN_ANSWER);
    /* An ICMP error arriving after the answer changes nothing. */
    CHECK_EQ(feed(&c, icmp_unreach(5, MS(42), CL, CI, 1, 1, TD_REPORTER_ROUTER)),
             TD_EV_ICMP_OTHER);
    CHECK_STR(verdict_at(&c, SEC(2)), "established");
}

/* ---- half-open / aborted ------------------------------------------------- */

static void test_half_open(void)
{
    td_conn c = fresh();
    feed(&c, syn(1, 0, CL, CI));
    feed(&c, synack(2, MS(1), SV, SI, CI + 1));
    CHECK_STR(verdict_at(&c, MS(500)), "pending");
    CHECK_EQ(evidence_at(&c, MS(500)), 2);
    CHECK_STR(verdict_at(&c, MS(1001)), "half-open");
    CHECK_EQ(evidence_at(&c, MS(1001)), 2);
    CHECK_EQ(feed(&c, synack(3, SEC(1), SV, SI, CI + 1)), TD_EV_SYNACK_RETRANS);
    CHECK_EQ(c.synack_count, 2);
    CHECK_STR(verdict_at(&c, SEC(1)), "half-open");
    CHECK_EQ(evidence_at(&c, SEC(1)), 3);
}

/* A server RST after its SYN/ACK (SYN-RECEIVED timeout): still half-open. */
static void test_half_open_server_rst(void)
{
    td_conn c = fresh();
    feed(&c, syn(1, 0, CL, CI));
    feed(&c, synack(2, MS(1), SV, SI, CI + 1));
    CHECK_EQ(feed(&c, rst(3, MS(2), SV, SI + 1)), TD_EV_SERVER_RST);
    CHECK_STR(verdict_at(&c, MS(2)), "half-open");
}

/* A SYN/ACK whose SYN is not in the capture: no handshake to judge. */
static void test_synack_without_syn(void)
{
    td_conn c = fresh();
    CHECK_EQ(feed(&c, synack(5, 0, SV, SI, CI + 1)), TD_EV_SYNACK);
    CHECK_STR(verdict_at(&c, SEC(9)), "midstream");
    CHECK_EQ(evidence_at(&c, SEC(9)), 5);
    feed(&c, ack(6, MS(1), CL, CI + 1, SI + 1));
    CHECK_STR(verdict_at(&c, SEC(9)), "midstream");
}

/* nmap -sS: SYN, SYN/ACK, RST from the scanner. */
static void test_aborted(void)
{
    td_conn c = fresh();
    feed(&c, syn(1, 0, CL, CI));
    feed(&c, synack(2, MS(1), SV, SI, CI + 1));
    CHECK_EQ(feed(&c, rst(3, MS(2), CL, CI + 1)), TD_EV_CLIENT_RST);
    CHECK_STR(verdict_at(&c, SEC(5)), "aborted");
    CHECK_EQ(evidence_at(&c, SEC(5)), 3);
    CHECK(td_conn_end_by_client(&c));
    /* The client gives up before any answer. */
    c = fresh();
    feed(&c, syn(1, 0, CL, CI));
    CHECK_EQ(feed(&c, rstack(2, MS(500), CL, CI + 1, 0)), TD_EV_CLIENT_RST);
    CHECK_STR(verdict_at(&c, SEC(5)), "aborted");
    CHECK_EQ(evidence_at(&c, SEC(5)), 2);
}

/* ---- RST after the handshake --------------------------------------------- */

static void test_reset_before_data(void)
{
    td_conn c = handshake();
    CHECK_EQ(feed(&c, rstack(4, MS(21), SV, SI + 1, CI + 1)), TD_EV_RST_AFTER_HS);
    CHECK_STR(verdict_at(&c, MS(21)), "reset-before-data");
    CHECK_EQ(evidence_at(&c, MS(21)), 4);
    CHECK(!td_conn_end_by_client(&c));
    /* Client data the server never acknowledged, then a RST. */
    c = handshake();
    feed(&c, data(4, MS(21), CL, CI + 1, SI + 1, 300));
    CHECK_EQ(feed(&c, rst(5, MS(22), SV, SI + 1)), TD_EV_RST_AFTER_HS);
    CHECK_STR(verdict_at(&c, MS(22)), "reset-before-data");
    CHECK_EQ(evidence_at(&c, MS(22)), 5);
    /* The client resets. */
    c = handshake();
    feed(&c, rst(4, MS(21), CL, CI + 1));
    CHECK_STR(verdict_at(&c, MS(21)), "reset-before-data");
    CHECK(td_conn_end_by_client(&c));
}

static void test_data_then_rst_is_established(void)
{
    td_conn c = handshake();
    feed(&c, data(4, MS(21), CL, CI + 1, SI + 1, 100));
    feed(&c, data(5, MS(30), SV, SI + 1, CI + 101, 500));
    feed(&c, ack(6, MS(31), CL, CI + 101, SI + 501));
    CHECK_EQ(feed(&c, rst(7, MS(40), SV, SI + 501)), TD_EV_RST_AFTER_HS);
    CHECK_STR(verdict_at(&c, MS(40)), "established");
    CHECK_EQ(evidence_at(&c, MS(40)), 3);
    CHECK_EQ(c.findings, 0);
}

/* ---- simultaneous open ----------------------------------------------------- */

static void test_simultaneous_open(void)
{
    td_conn c = fresh();
    feed(&c, syn(1, 0, CL, CI));
    CHECK_EQ(feed(&c, syn(2, MS(1), SV, SI)), TD_EV_CROSSING_SYN);
    CHECK_STR(verdict_at(&c, MS(1)), "simultaneous-open");
    CHECK_EQ(evidence_at(&c, MS(1)), 2);
    /* RFC 9293 figure 8: both send SYN,ACK; it completes, still reported. */
    CHECK_EQ(feed(&c, synack(3, MS(2), CL, CI, SI + 1)), TD_EV_SYNACK);
    CHECK_EQ(feed(&c, synack(4, MS(2), SV, SI, CI + 1)), TD_EV_SYNACK);
    feed(&c, data(5, MS(3), CL, CI + 1, SI + 1, 10));
    feed(&c, data(6, MS(4), SV, SI + 1, CI + 11, 10));
    feed(&c, ack(7, MS(5), CL, CI + 11, SI + 11));
    CHECK(td_conn_completed(&c));
    CHECK_STR(verdict_at(&c, SEC(5)), "simultaneous-open");
    CHECK_EQ(evidence_at(&c, SEC(5)), 2);
}

/* Crossing SYNs, SYN/ACKs not captured: only payload acknowledged both ways
 * proves the completion (the ACK-after-SYN inference does not apply). */
static void test_simultaneous_open_inferred(void)
{
    td_conn c = fresh();
    feed(&c, syn(1, 0, CL, CI));
    feed(&c, syn(2, MS(1), SV, SI));
    CHECK_EQ(feed(&c, data(3, MS(5), CL, CI + 1, SI + 1, 10)), 0);
    CHECK_EQ(feed(&c, data(4, MS(6), SV, SI + 1, CI + 11, 20)), 0);
    CHECK(!td_conn_completed(&c));
    CHECK_EQ(feed(&c, ack(5, MS(7), CL, CI + 11, SI + 21)), TD_EV_INFERRED_HS);
    CHECK(td_conn_completed(&c));
    CHECK_EQ(c.frame_ack, 5);
    CHECK_EQ(c.findings, TD_F_HS_MISSED);
    CHECK_STR(verdict_at(&c, SEC(5)), "simultaneous-open");
}

/* ---- stale connection (RFC 5961 challenge ACK) ----------------------------- */

static void test_stale(void)
{
    td_conn c = fresh();
    feed(&c, syn(1, 0, CL, CI));
    CHECK_EQ(feed(&c, ack(2, MS(1), SV, 777777, 123456)), TD_EV_CHALLENGE_ACK);
    CHECK_EQ(feed(&c, rst(3, MS(2), CL, 123456)), TD_EV_CLIENT_RST);
    CHECK_STR(verdict_at(&c, SEC(5)), "stale");
    CHECK_EQ(evidence_at(&c, SEC(5)), 2);
    CHECK_EQ(c.findings, 0);
}

static void test_stale_recovered(void)
{
    td_conn c = fresh();
    feed(&c, syn(1, 0, CL, CI));
    feed(&c, ack(2, MS(1), SV, 777777, 123456));
    feed(&c, rst(3, MS(2), CL, 123456));
    CHECK_EQ(feed(&c, syn(4, SEC(1), CL, CI)), TD_EV_SYN_RETRANS);
    CHECK_EQ(feed(&c, synack(5, SEC(1) + MS(1), SV, SI, CI + 1)), TD_EV_SYNACK);
    CHECK_EQ(feed(&c, ack(6, SEC(1) + MS(2), CL, CI + 1, SI + 1)), TD_EV_HS_ACK);
    CHECK_STR(verdict_at(&c, SEC(2)), "established");
    CHECK_EQ(evidence_at(&c, SEC(2)), 6);
    CHECK(c.findings & TD_F_CHALLENGE_RECOVERED);
    CHECK_EQ(td_conn_answered_syn_frame(&c), 4);
    /* The server then resets: the evidence is that RST, not the client's
     * RST that answered the challenge ACK. */
    CHECK_EQ(feed(&c, rst(7, SEC(1) + MS(3), SV, SI + 1)), TD_EV_RST_AFTER_HS);
    CHECK_STR(verdict_at(&c, SEC(2)), "reset-before-data");
    CHECK_EQ(evidence_at(&c, SEC(2)), 7);
    CHECK(!td_conn_end_by_client(&c));
    /* Recovered, though the capture lacks the new SYN/ACK. */
    c = fresh();
    feed(&c, syn(1, 0, CL, CI));
    feed(&c, ack(2, MS(1), SV, 777777, 123456));
    feed(&c, rst(3, MS(2), CL, 123456));
    feed(&c, syn(4, SEC(1), CL, CI));
    CHECK_EQ(feed(&c, ack(5, SEC(1) + MS(2), CL, CI + 1, SI + 1)), TD_EV_INFERRED_HS);
    CHECK_STR(verdict_at(&c, SEC(2)), "established");
    CHECK_EQ(c.findings, TD_F_CHALLENGE_RECOVERED | TD_F_HS_MISSED);
}

/* ---- midstream and missing packets ----------------------------------------- */

static void test_midstream(void)
{
    td_conn c = fresh();
    CHECK_EQ(feed(&c, data(10, 0, CL, 5000, 9000, 100)), 0);
    CHECK_EQ(feed(&c, data(11, MS(1), SV, 9000, 5100, 100)), 0);
    CHECK_EQ(feed(&c, rst(12, MS(2), SV, 9100)), 0);
    CHECK_STR(verdict_at(&c, SEC(5)), "midstream");
    CHECK_EQ(evidence_at(&c, SEC(5)), 10);
    /* One direction only (server side): SYN/ACK and server data. */
    c = fresh();
    feed(&c, synack(1, 0, SV, SI, CI + 1));
    feed(&c, data(2, MS(5), SV, SI + 1, CI + 1, 200));
    feed(&c, data(3, MS(6), SV, SI + 201, CI + 1, 200));
    CHECK_STR(verdict_at(&c, SEC(5)), "midstream");
    CHECK_EQ(evidence_at(&c, SEC(5)), 1);
}

/* SYN, then the client's ACK or data, no SYN/ACK captured. */
static void test_handshake_missed_client_side(void)
{
    int64_t ns;
    td_conn c = fresh();
    feed(&c, syn(1, 0, CL, CI));
    CHECK_EQ(feed(&c, ack(2, MS(20), CL, CI + 1, SI + 1)), TD_EV_INFERRED_HS);
    CHECK_STR(verdict_at(&c, SEC(5)), "established");
    CHECK_EQ(evidence_at(&c, SEC(5)), 2);
    CHECK_EQ(c.findings, TD_F_HS_MISSED);
    CHECK(!td_conn_has_setup_time(&c, &ns));
    CHECK(!td_conn_has_rtt_synack_ack(&c, &ns));
    /* Data, long after: never no-response for a connection with data. */
    c = fresh();
    feed(&c, syn(1, 0, CL, CI));
    CHECK_EQ(feed(&c, data(2, SEC(4), CL, CI + 1, SI + 1, 50)), TD_EV_INFERRED_HS);
    CHECK_STR(verdict_at(&c, SEC(9)), "established");
    CHECK_EQ(c.findings, TD_F_HS_MISSED);
}

/* SYN, then only server data acknowledging it (client direction lost):
 * a server sends data only once ESTABLISHED (RFC 9293 §3.10.2). */
static void test_handshake_missed_server_side(void)
{
    td_conn c = fresh();
    feed(&c, syn(1, 0, CL, CI));
    CHECK_EQ(feed(&c, data(2, MS(30), SV, SI + 1, CI + 1, 100)), TD_EV_INFERRED_HS);
    CHECK_STR(verdict_at(&c, SEC(9)), "established");
    CHECK_EQ(evidence_at(&c, SEC(9)), 2);
    CHECK_EQ(c.findings, TD_F_HS_MISSED);
    /* SYN/ACK captured, the ACK not, the server's banner: established. */
    c = fresh();
    feed(&c, syn(1, 0, CL, CI));
    feed(&c, synack(2, MS(1), SV, SI, CI + 1));
    CHECK_EQ(feed(&c, data(3, MS(5), SV, SI + 1, CI + 1, 40)), TD_EV_INFERRED_HS);
    CHECK_STR(verdict_at(&c, SEC(9)), "established");
    CHECK_EQ(evidence_at(&c, SEC(9)), 3);
    CHECK_EQ(c.findings, TD_F_HS_MISSED);
}

/* Payload acknowledged both ways proves completion, with the SYN/ACK and
 * the ACK missing; the payload is then no reset-before-data. */
static void test_data_acked_both_ways(void)
{
    td_conn c = fresh();
    feed(&c, syn(1, 0, CL, CI));
    feed(&c, data(2, MS(30), CL, CI + 1, SI + 1, 100));
    feed(&c, data(3, MS(40), SV, SI + 1, CI + 101, 200));
    feed(&c, ack(4, MS(41), CL, CI + 101, SI + 201));
    feed(&c, rst(5, MS(50), SV, SI + 201));
    CHECK_STR(verdict_at(&c, SEC(9)), "established");
    CHECK_EQ(evidence_at(&c, SEC(9)), 2);
    CHECK_EQ(c.findings, TD_F_HS_MISSED);
}

/* ---- duplicates, reordering, retransmissions --------------------------------- */

static void test_syn_duplicates(void)
{
    td_conn c = fresh();
    feed(&c, syn(1, 0, CL, CI));
    CHECK_EQ(feed(&c, syn(2, MS(9), CL, CI)), TD_EV_SYN_DUP);
    CHECK_EQ(c.syn_count, 1);
    CHECK_EQ(c.syn_dups, 1);
    CHECK_EQ(c.findings, TD_F_SYN_DUP);
    CHECK_STR(verdict_at(&c, MS(100)), "pending"); /* no retransmission */
    CHECK_EQ(feed(&c, syn(3, MS(19), CL, CI)), TD_EV_SYN_RETRANS);
    CHECK_EQ(c.syn_count, 2);
    CHECK_STR(verdict_at(&c, MS(100)), "no-response");
    /* Exactly 10 ms apart is a retransmission. */
    c = fresh();
    feed(&c, syn(1, 0, CL, CI));
    CHECK_EQ(feed(&c, syn(2, MS(10), CL, CI)), TD_EV_SYN_RETRANS);
    CHECK_EQ(c.syn_dups, 0);
    CHECK_EQ(c.syn_count, 2);
}

/* A new ISN before any answer is a new attempt; answers follow it. */
static void test_syn_new_isn(void)
{
    td_conn c = fresh();
    feed(&c, syn(1, 0, CL, CI));
    CHECK_EQ(feed(&c, syn(2, SEC(1), CL, CI + 99999)), TD_EV_SYN_NEW_ISN);
    CHECK_EQ(c.syn_count, 2);
    CHECK_EQ(c.isn_c, CI + 99999);
    CHECK_EQ(feed(&c, synack(3, SEC(1) + MS(1), SV, SI, CI + 1)), TD_EV_BAD_SYNACK);
    CHECK_EQ(feed(&c, synack(4, SEC(1) + MS(2), SV, SI, CI + 100000)), TD_EV_SYNACK);
    CHECK_EQ(c.findings, TD_F_BAD_SYNACK | TD_F_SLOW_CONNECT);
}

/* Frame order is not event order: the SYN/ACK is written first. */
static void test_reordered_synack(void)
{
    td_conn c = fresh();
    int64_t ns;
    CHECK_EQ(feed(&c, synack(2, MS(10), SV, SI, CI + 1)), TD_EV_SYNACK);
    CHECK_EQ(feed(&c, syn(1, 0, CL, CI)), TD_EV_SYN);
    CHECK_EQ(feed(&c, ack(3, MS(11), CL, CI + 1, SI + 1)), TD_EV_HS_ACK);
    CHECK_STR(verdict_at(&c, SEC(5)), "established");
    CHECK_EQ(evidence_at(&c, SEC(5)), 3);
    CHECK_EQ(c.findings, 0);
    CHECK(td_conn_has_rtt_syn_synack(&c, &ns));
    CHECK_EQ(ns, MS(10));
    CHECK(td_conn_has_setup_time(&c, &ns));
    CHECK_EQ(ns, MS(11));
}

static void test_synack_retrans_after_ack(void)
{
    td_conn c = handshake();
    CHECK_EQ(feed(&c, synack(4, MS(1010), SV, SI, CI + 1)), TD_EV_SYNACK_RETRANS);
    CHECK_EQ(c.findings, TD_F_SYNACK_RETRANS_ACKED);
    CHECK_STR(verdict_at(&c, SEC(5)), "established");
    CHECK_EQ(evidence_at(&c, SEC(5)), 3);
    int64_t ns;
    CHECK(td_conn_has_rtt_synack_ack(&c, &ns)); /* from the first SYN/ACK */
    CHECK_EQ(ns, MS(10));
}

static void test_bad_synack(void)
{
    td_conn c = fresh();
    feed(&c, syn(1, 0, CL, CI));
    CHECK_EQ(feed(&c, synack(2, MS(1), SV, SI, CI + 5)), TD_EV_BAD_SYNACK);
    CHECK_EQ(c.findings, TD_F_BAD_SYNACK);
    CHECK_EQ(c.synack_count, 0);
    CHECK_STR(verdict_at(&c, SEC(2)), "no-response");
}

/* ---- sequence-space wrap ----------------------------------------------------- */

static void test_sequence_wrap(void)
{
    const uint32_t ci = 0xFFFFFFFFu, si = 0xFFFFFFFEu;
    td_conn c = fresh();
    feed(&c, syn(1, 0, CL, ci));
    CHECK_EQ(feed(&c, synack(2, MS(1), SV, si, ci + 1)), TD_EV_SYNACK); /* ack 0 */
    CHECK_EQ(feed(&c, ack(3, MS(2), CL, 0, si + 1)), TD_EV_HS_ACK);
    feed(&c, data(4, MS(3), CL, 0, 0xFFFFFFFFu, 100));
    feed(&c, data(5, MS(4), SV, 0xFFFFFFFFu, 100, 50));
    feed(&c, ack(6, MS(5), CL, 100, 49));
    CHECK_EQ(feed(&c, rst(7, MS(6), SV, 49)), TD_EV_RST_AFTER_HS);
    CHECK_STR(verdict_at(&c, SEC(1)), "established");
    /* Handshake then RST, no data: the wrapped ISNs are no data. */
    c = fresh();
    feed(&c, syn(1, 0, CL, ci));
    feed(&c, synack(2, MS(1), SV, si, 0));
    feed(&c, ack(3, MS(2), CL, 0, 0xFFFFFFFFu));
    feed(&c, rstack(4, MS(3), SV, 0xFFFFFFFFu, 0));
    CHECK_STR(verdict_at(&c, SEC(1)), "reset-before-data");
    /* Refusal acknowledging ISN 0xFFFFFFFF + 1 = 0. */
    c = fresh();
    feed(&c, syn(1, 0, CL, ci));
    CHECK_EQ(feed(&c, rstack(2, MS(1), SV, 0, 0)), TD_EV_ANSWER_RST);
    CHECK_STR(verdict_at(&c, MS(1)), "refused");
    /* SYN/ACK first: the client ISN is derived from ack 0. */
    c = fresh();
    feed(&c, synack(2, MS(1), SV, si, 0));
    CHECK_EQ(feed(&c, syn(1, 0, CL, ci)), TD_EV_SYN);
    CHECK_EQ(c.isn_c, ci);
    CHECK_EQ(feed(&c, ack(3, MS(2), CL, 0, 0xFFFFFFFFu)), TD_EV_HS_ACK);
    CHECK_STR(verdict_at(&c, SEC(1)), "established");
}

/* ---- illegal flags -------------------------------------------------------------- */

static void test_illegal_flags(void)
{
    td_conn c = fresh();
    CHECK_EQ(feed(&c, tcp(1, 0, CL, TD_TH_SYN | TD_TH_RST, CI, 0, 0)), TD_EV_ILLEGAL_FLAGS);
    CHECK_EQ(c.findings, TD_F_ILLEGAL_FLAGS);
    CHECK(!td_conn_syn_seen(&c));
    CHECK_EQ(c.syn_count, 0);
    CHECK_STR(verdict_at(&c, SEC(5)), "midstream");
    /* SYN, then SYN+FIN / SYN+RST+ACK from the server: no refusal, no answer. */
    c = fresh();
    feed(&c, syn(1, 0, CL, CI));
    CHECK_EQ(feed(&c, tcp(2, MS(1), SV, TD_TH_SYN | TD_TH_FIN, SI, 0, 0)), TD_EV_ILLEGAL_FLAGS);
    CHECK_EQ(feed(&c, tcp(3, MS(2), SV, TD_TH_SYN | TD_TH_RST | TD_TH_ACK, SI, CI + 1, 0)),
             TD_EV_ILLEGAL_FLAGS);
    CHECK_EQ(c.synack_count, 0);
    CHECK_STR(verdict_at(&c, MS(100)), "pending");
    CHECK_STR(verdict_at(&c, SEC(2)), "no-response");
    CHECK_EQ(evidence_at(&c, SEC(2)), 1);
}


/* ---- odd SYN flag mixes (issue 13) ------------------------------------------------ */

/* nmap's OS detection: SYN+FIN+PSH+URG and SYN+ECE+CWR probes are SYNs. */
static void test_syn_odd_flags(void)
{
    const uint8_t fpu = TD_TH_SYN | TD_TH_FIN | TD_TH_PSH | TD_TH_URG;
    td_conn c = fresh();
    CHECK_EQ(feed(&c, tcp(1, 0, CL, fpu, CI, 0, 0)), TD_EV_SYN | TD_EV_SYN_FLAGS_ODD);
    CHECK(td_conn_syn_seen(&c));
    CHECK_EQ(c.findings, TD_F_SYN_FLAGS_ODD);
    CHECK_STR(verdict_at(&c, MS(500)), "pending");
    CHECK_STR(verdict_at(&c, SEC(2)), "no-response"); /* Linux drops SYN+FIN */
    CHECK_EQ(evidence_at(&c, SEC(2)), 1);
    CHECK_EQ(feed(&c, tcp(2, SEC(1), CL, fpu, CI, 0, 0)),
             TD_EV_SYN_RETRANS | TD_EV_SYN_FLAGS_ODD);
    CHECK_EQ(c.syn_count, 2);
    CHECK_STR(verdict_at(&c, SEC(1)), "no-response");
    /* Answered by a SYN/ACK, then the scanner's kernel resets: aborted. */
    c = fresh();
    feed(&c, tcp(1, 0, CL, TD_TH_SYN | TD_TH_FIN, CI, 0, 0));
    CHECK_EQ(feed(&c, synack(2, MS(1), SV, SI, CI + 1)), TD_EV_SYNACK);
    CHECK_EQ(feed(&c, rst(3, MS(2), CL, CI + 1)), TD_EV_CLIENT_RST);
    CHECK_STR(verdict_at(&c, SEC(5)), "aborted");
    /* Refused by RST/ACK. */
    c = fresh();
    feed(&c, tcp(1, 0, CL, TD_TH_SYN | TD_TH_URG, CI, 0, 0));
    CHECK_EQ(feed(&c, rstack(2, MS(1), SV, 0, CI + 1)), TD_EV_ANSWER_RST);
    CHECK_STR(verdict_at(&c, SEC(5)), "refused");
    /* An ICMP unreachable quoting it answers it. */
    c = fresh();
    feed(&c, tcp(1, 0, CL, fpu, CI, 0, 0));
    td_pkt q = icmp_unreach(2, MS(1), CL, CI, 1, 3, TD_REPORTER_SERVER);
    q.flags = fpu;
    CHECK_EQ(feed(&c, q), TD_EV_ANSWER_ICMP);
    CHECK_STR(verdict_at(&c, SEC(5)), "icmp-unreachable");
    /* The connecting side resets before any answer: aborted. */
    c = fresh();
    feed(&c, tcp(1, 0, CL, fpu, CI, 0, 0));
    CHECK_EQ(feed(&c, rst(2, MS(100), CL, CI + 1)), TD_EV_CLIENT_RST);
    CHECK_STR(verdict_at(&c, SEC(5)), "aborted");
    /* SYN+ECE+CWR is the ECN setup SYN (RFC 3168): a SYN, no finding. */
    c = fresh();
    CHECK_EQ(feed(&c, tcp(1, 0, CL, TD_TH_SYN | TD_TH_ECE | TD_TH_CWR, CI, 0, 0)), TD_EV_SYN);
    feed(&c, synack(2, MS(1), SV, SI, CI + 1));
    feed(&c, rst(3, MS(2), CL, CI + 1));
    CHECK_STR(verdict_at(&c, SEC(5)), "aborted");
    CHECK_EQ(c.findings, 0);
    /* SYN+FIN+ACK (a SYN/ACK with FIN) and SYN+RST stay illegal. */
    c = fresh();
    CHECK_EQ(feed(&c, tcp(1, 0, CL, TD_TH_SYN | TD_TH_FIN | TD_TH_ACK, CI, 0, 0)),
             TD_EV_ILLEGAL_FLAGS);
    CHECK_STR(verdict_at(&c, SEC(5)), "midstream");
}

/* ---- answers that cannot be answers (issue 13) --------------------------------------- */

static void test_unrelated_segments(void)
{
    /* SYNs at 0, 1, 3 s; 20 s later FIN/ACKs of another flow (anonymiser). */
    td_conn c = fresh();
    feed(&c, syn(1, 0, CL, CI));
    feed(&c, syn(2, SEC(1), CL, CI));
    feed(&c, syn(3, SEC(3), CL, CI));
    CHECK_EQ(feed(&c, tcp(4, SEC(20), SV, TD_TH_FIN | TD_TH_ACK, 88888, 424242, 0)),
             TD_EV_UNRELATED);
    CHECK_EQ(feed(&c, tcp(5, SEC(21), SV, TD_TH_FIN | TD_TH_ACK, 88888, 424242, 0)),
             TD_EV_UNRELATED);
    CHECK_STR(verdict_at(&c, SEC(22)), "no-response");
    CHECK_EQ(evidence_at(&c, SEC(22)), 3);
    CHECK_EQ(c.findings, TD_F_UNRELATED);
    /* A bare ACK long after the last SYN answers nothing either... */
    c = fresh();
    feed(&c, syn(1, 0, CL, CI));
    feed(&c, syn(2, SEC(1), CL, CI));
    feed(&c, syn(3, SEC(3), CL, CI));
    CHECK_EQ(feed(&c, ack(4, SEC(6) + MS(1), SV, 88888, 424242)), TD_EV_UNRELATED);
    CHECK_STR(verdict_at(&c, SEC(22)), "no-response");
    /* ...but within the bound it is a challenge ACK (3 s after the last
     * SYN: the waits so far total 3 s). */
    c = fresh();
    feed(&c, syn(1, 0, CL, CI));
    feed(&c, syn(2, SEC(1), CL, CI));
    feed(&c, syn(3, SEC(3), CL, CI));
    CHECK_EQ(feed(&c, ack(4, SEC(6), SV, 88888, 424242)), TD_EV_CHALLENGE_ACK);
    CHECK_STR(verdict_at(&c, SEC(22)), "stale");
    /* One SYN: 3 s (RFC 1122's initial RTO) bounds it. */
    c = fresh();
    feed(&c, syn(1, 0, CL, CI));
    CHECK_EQ(feed(&c, ack(2, MS(2900), SV, 88888, 424242)), TD_EV_CHALLENGE_ACK);
    c = fresh();
    feed(&c, syn(1, 0, CL, CI));
    CHECK_EQ(feed(&c, ack(2, MS(3100), SV, 88888, 424242)), TD_EV_UNRELATED);
    CHECK_STR(verdict_at(&c, SEC(5)), "no-response");
    /* A FIN or payload is never a challenge ACK, even at once. */
    c = fresh();
    feed(&c, syn(1, 0, CL, CI));
    CHECK_EQ(feed(&c, tcp(2, MS(1), SV, TD_TH_FIN | TD_TH_ACK, 88888, 424242, 0)),
             TD_EV_UNRELATED);
    CHECK_EQ(feed(&c, data(3, MS(2), SV, 88888, 424242, 100)), TD_EV_UNRELATED);
    CHECK_STR(verdict_at(&c, SEC(5)), "no-response");
    /* ... from the connecting side too: a FIN/ACK whose seq does not follow
     * the SYN is another flow's, not a sign the handshake was missed. */
    c = fresh();
    feed(&c, syn(1, 0, CL, CI));
    feed(&c, syn(2, SEC(1), CL, CI));
    CHECK_EQ(feed(&c, tcp(3, SEC(30), CL, TD_TH_FIN | TD_TH_ACK, 0x70000000u, 424242, 0)),
             TD_EV_UNRELATED);
    CHECK_STR(verdict_at(&c, SEC(31)), "no-response");
    CHECK_EQ(c.findings, TD_F_UNRELATED);
    c = fresh();
    feed(&c, syn(1, 0, CL, CI));
    CHECK_EQ(feed(&c, ack(2, MS(1), CL, CI - 1, SI + 1)), TD_EV_UNRELATED);
    CHECK_EQ(feed(&c, ack(3, MS(2), CL, CI + 1, SI + 1)), TD_EV_INFERRED_HS);
    CHECK_STR(verdict_at(&c, SEC(5)), "established");
    c = fresh();
    feed(&c, syn(1, 0, CL, CI));
    CHECK_EQ(feed(&c, tcp(2, MS(1), CL, TD_TH_FIN | TD_TH_ACK, 0x80000000u, 424242, 0)),
             TD_EV_UNRELATED);
    /* Another flow's segment proves no handshake: the SYN's retry is still
     * a retry, unanswered. */
    CHECK_EQ(feed(&c, syn(4, SEC(1), CL, CI)), TD_EV_SYN_RETRANS);
    CHECK_STR(verdict_at(&c, SEC(5)), "no-response");
}

/* ---- completion only on evidence (issue 13) ---------------------------------------- */

static void test_ack_wrong_then_server_rst(void)
{
    int64_t ns;
    /* SYN/ACK retransmitted; an ACK acknowledging something else on the
     * same ports (a scanner's ACK probe); the server resets it. */
    td_conn c = fresh();
    feed(&c, syn(1, 0, CL, CI));
    feed(&c, synack(2, MS(1), SV, SI, CI + 1));
    feed(&c, synack(3, SEC(1), SV, SI, CI + 1));
    CHECK_EQ(feed(&c, ack(4, SEC(2), CL, CI + 1, SI + 0x40000000u)), TD_EV_ACK_WRONG);
    CHECK_EQ(feed(&c, rst(5, SEC(2) + MS(1), SV, SI + 0x40000000u)), TD_EV_SERVER_RST);
    CHECK_STR(verdict_at(&c, SEC(9)), "half-open");
    CHECK(!td_conn_completed(&c));
    CHECK(!td_conn_has_setup_time(&c, &ns));
    CHECK(td_conn_server_reset_after(&c, &ns));
    CHECK_EQ(ns, SEC(2));
    /* An ack number before the SYN/ACK's, too. */
    c = fresh();
    feed(&c, syn(1, 0, CL, CI));
    feed(&c, synack(2, MS(1), SV, SI, CI + 1));
    CHECK_EQ(feed(&c, ack(3, SEC(1), CL, CI + 1, SI - 5)), TD_EV_ACK_WRONG);
    CHECK_STR(verdict_at(&c, SEC(9)), "half-open");
    /* The server's own RST after unacknowledged SYN/ACKs (a stack that
     * resets when it gives up). */
    c = fresh();
    feed(&c, syn(1, 0, CL, CI));
    feed(&c, synack(2, MS(1), SV, SI, CI + 1));
    feed(&c, synack(3, SEC(1), SV, SI, CI + 1));
    feed(&c, synack(4, SEC(3), SV, SI, CI + 1));
    CHECK_EQ(feed(&c, rstack(5, SEC(9), SV, SI + 1, CI + 1)), TD_EV_SERVER_RST);
    CHECK_STR(verdict_at(&c, SEC(10)), "half-open");
    CHECK(!td_conn_has_setup_time(&c, &ns));
    CHECK(td_conn_server_reset_after(&c, &ns));
    CHECK_EQ(ns, SEC(9) - MS(1));
    /* A right ACK is still one, and server data before it (TFO) is fine. */
    c = fresh();
    feed(&c, syn(1, 0, CL, CI));
    feed(&c, synack(2, MS(1), SV, SI, CI + 1));
    CHECK_EQ(feed(&c, ack(3, MS(2), CL, CI + 1, SI + 1 + 1400)), TD_EV_HS_ACK);
    CHECK_STR(verdict_at(&c, SEC(1)), "established");
    CHECK(!td_conn_server_reset_after(&c, &ns));
}

/* ---- reversed order within microseconds (issue 13) ------------------------------------ */

static void test_reordered_ack_first(void)
{
    int64_t ns;
    /* ACK, SYN/ACK, SYN, 1 us apart (multi-queue capture). */
    td_conn c = fresh();
    CHECK_EQ(feed(&c, ack(1, 0, CL, CI + 1, SI + 1)), 0);
    CHECK_EQ(feed(&c, synack(2, US(1), SV, SI, CI + 1)), TD_EV_SYNACK);
    CHECK_EQ(feed(&c, syn(3, US(2), CL, CI)), TD_EV_SYN);
    CHECK_STR(verdict_at(&c, SEC(5)), "established");
    CHECK_EQ(evidence_at(&c, SEC(5)), 1);
    CHECK_EQ(c.findings, 0);
    CHECK(!td_conn_has_setup_time(&c, &ns)); /* the times are reversed */
    CHECK(!td_conn_has_rtt_synack_ack(&c, &ns));
    /* ACK, SYN, SYN/ACK. */
    c = fresh();
    feed(&c, ack(1, 0, CL, CI + 1, SI + 1));
    feed(&c, syn(2, US(1), CL, CI));
    feed(&c, synack(3, US(2), SV, SI, CI + 1));
    CHECK_STR(verdict_at(&c, SEC(5)), "established");
    CHECK_EQ(evidence_at(&c, SEC(5)), 1);
    CHECK_EQ(c.findings, 0);
    /* SYN, ACK, SYN/ACK: the ACK written before its SYN/ACK is no missed
     * handshake packet. */
    c = fresh();
    feed(&c, syn(1, 0, CL, CI));
    CHECK_EQ(feed(&c, ack(2, MS(2), CL, CI + 1, SI + 1)), TD_EV_INFERRED_HS);
    CHECK_EQ(feed(&c, synack(3, MS(2) + US(1), SV, SI, CI + 1)), TD_EV_SYNACK);
    CHECK_STR(verdict_at(&c, SEC(5)), "established");
    CHECK_EQ(c.findings, 0);
    CHECK(td_conn_has_setup_time(&c, &ns));
    CHECK_EQ(ns, MS(2));
    /* ... but a SYN/ACK a second later is a retransmission: the first one
     * was missed by the capture. */
    c = fresh();
    feed(&c, syn(1, 0, CL, CI));
    feed(&c, ack(2, MS(2), CL, CI + 1, SI + 1));
    feed(&c, synack(3, SEC(1), SV, SI, CI + 1));
    CHECK_EQ(c.findings, TD_F_HS_MISSED);
    /* Numbers that do not match: not that handshake's ACK. */
    c = fresh();
    feed(&c, ack(1, 0, CL, CI + 1, SI + 2));
    feed(&c, synack(2, US(1), SV, SI, CI + 1));
    feed(&c, syn(3, US(2), CL, CI));
    CHECK_STR(verdict_at(&c, SEC(5)), "half-open");
    CHECK_EQ(c.frame_ack, 0);
    /* Too far apart: not a reordering. */
    c = fresh();
    feed(&c, ack(1, 0, CL, CI + 1, SI + 1));
    feed(&c, synack(2, MS(50), SV, SI, CI + 1));
    feed(&c, syn(3, MS(51), CL, CI));
    CHECK_STR(verdict_at(&c, SEC(5)), "half-open");
    /* A bare ACK starting a midstream capture leaves nothing behind. */
    c = fresh();
    feed(&c, ack(1, 0, CL, 5000, 9000));
    feed(&c, data(2, MS(1), SV, 9000, 5000, 100));
    CHECK_STR(verdict_at(&c, SEC(5)), "midstream");
    CHECK_EQ(c.frame_ack, 0);
    CHECK_EQ(c.ts_last_synack, 0);
    CHECK_EQ(c.isn_c, 0);
}

int main(void)
{
    RUN(test_names);
    RUN(test_size_and_init);
    RUN(test_established_plain);
    RUN(test_established_client_dir1);
    RUN(test_slow_connect);
    RUN(test_slow_connect_tsecr_first);
    RUN(test_slow_connect_late_syn);
    RUN(test_slow_connect_reordered);
    RUN(test_no_response);
    RUN(test_pending_and_threshold);
    RUN(test_extreme_now);
    RUN(test_refused);
    RUN(test_refused_rst_without_ack);
    RUN(test_rst_wrong_ack_then_established);
    RUN(test_icmp_full_quote);
    RUN(test_icmp_short_quote);
    RUN(test_icmp_only_packet);
    RUN(test_icmp_other_only);
    RUN(test_icmp_then_answer);
    RUN(test_half_open);
    RUN(test_half_open_server_rst);
    RUN(test_synack_without_syn);
    RUN(test_aborted);
    RUN(test_reset_before_data);
    RUN(test_data_then_rst_is_established);
    RUN(test_simultaneous_open);
    RUN(test_simultaneous_open_inferred);
    RUN(test_stale);
    RUN(test_stale_recovered);
    RUN(test_midstream);
    RUN(test_handshake_missed_client_side);
    RUN(test_handshake_missed_server_side);
    RUN(test_data_acked_both_ways);
    RUN(test_syn_duplicates);
    RUN(test_syn_new_isn);
    RUN(test_reordered_synack);
    RUN(test_synack_retrans_after_ack);
    RUN(test_bad_synack);
    RUN(test_sequence_wrap);
    RUN(test_illegal_flags);
    RUN(test_syn_odd_flags);
    RUN(test_unrelated_segments);
    RUN(test_ack_wrong_then_server_rst);
    RUN(test_reordered_ack_first);
    return check_report();
}
