/* test_options.c — options negotiated in the handshake (options.c): what
 * the first SYN and SYN/ACK set, ECN setup, window limits, findings and
 * their words, TFO outcomes, summaries in small buffers.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "check.h"
#include "options.h"
#include "tcp_wire.h"
#include "utf8_check.h"

static td_opt_pkt linux_syn(void)
{
    /* What a Linux SYN carries by default: MSS 1460, SACK, timestamps, wscale 7. */
    td_opt_pkt p = { .mss = 1460, .wscale = 7, .sack_perm = true, .timestamps = true };
    return p;
}

static td_opts negotiated(td_opt_pkt syn, td_opt_pkt synack, uint32_t syn_payload,
                          bool data_acked)
{
    td_opts o;
    td_opts_init(&o);
    td_opts_from_syn(&o, &syn, syn_payload);
    td_opts_from_synack(&o, &synack, data_acked);
    return o;
}

static char buf[512];

static void test_init(void)
{
    td_opts o;
    td_opts_init(&o);
    CHECK_EQ(o.bits, 0);
    CHECK_EQ(o.wscale_c, TD_NO_WSCALE);
    CHECK_EQ(o.wscale_s, TD_NO_WSCALE);
    CHECK(!td_opts_wscale_negotiated(&o));
    CHECK_EQ(td_opts_findings(&o, false), 0); /* nothing seen: nothing to say */
    CHECK_STR(td_opts_summary(buf, sizeof buf, &o), "MSS ?/?, no window scaling");
    CHECK(td_tfo_text(&o) == NULL);
}

static void test_healthy(void)
{
    td_opts o = negotiated(linux_syn(), linux_syn(), 0, false);
    CHECK(td_opts_wscale_negotiated(&o));
    CHECK_EQ(td_opts_findings(&o, false), 0);
    CHECK_EQ(td_opts_max_window(&o, true), 65535u << 7);
    CHECK_EQ(td_opts_lowest_mss(&o), 1460);
    CHECK_STR(td_opts_summary(buf, sizeof buf, &o),
              "MSS 1460/1460, window scale 7/7, SACK, timestamps");
    CHECK_STR(td_opts_findings_text(buf, sizeof buf, &o, false), "");
}

static void test_first_syn_and_synack_win(void)
{
    td_opts o;
    td_opts_init(&o);
    td_opt_pkt first = linux_syn(), retry = { .mss = 536 };
    td_opts_from_syn(&o, &first, 0);
    td_opts_from_syn(&o, &retry, 0); /* a retransmission does not change the offer */
    CHECK_EQ(o.mss_c, 1460);
    td_opt_pkt sa = linux_syn(), sa2 = { .mss = 100 };
    td_opts_from_synack(&o, &sa, false);
    td_opts_from_synack(&o, &sa2, false);
    CHECK_EQ(o.mss_s, 1460);
}

static void test_declined(void)
{
    td_opt_pkt bare = { .mss = 1460, .wscale = TD_NO_WSCALE };
    td_opts o = negotiated(linux_syn(), bare, 0, false);
    uint32_t f = td_opts_findings(&o, false);
    CHECK(f & TD_OF_WSCALE_DECLINED);
    CHECK(f & TD_OF_SACK_DECLINED);
    CHECK(f & TD_OF_TS_DECLINED);
    CHECK(!(f & TD_OF_ECN_DECLINED));
    CHECK(!td_opts_wscale_negotiated(&o));
    CHECK_EQ(td_opts_max_window(&o, false), 65535); /* no scaling either way (RFC 7323 §2.2) */
    CHECK_STR(td_opts_summary(buf, sizeof buf, &o), "MSS 1460/1460, no window scaling");
    const char *t = td_opts_findings_text(buf, sizeof buf, &o, false);
    CHECK_HAS(t, "server declined window scaling");
    CHECK_HAS(t, "; server declined SACK");
    CHECK_HAS(t, "; server declined timestamps");
    /* A server cannot decline what was never offered. */
    td_opts p = negotiated(bare, bare, 0, false);
    CHECK_EQ(td_opts_findings(&p, false), 0);
}

static void test_ecn(void)
{
    td_opt_pkt syn = linux_syn(), sa = linux_syn();
    syn.flags = TD_TH_SYN | TD_TH_ECE | TD_TH_CWR; /* ECN-setup SYN (RFC 3168 §6.1.1) */
    sa.flags = TD_TH_SYN | TD_TH_ACK | TD_TH_ECE;  /* ECN-setup SYN/ACK */
    td_opts o = negotiated(syn, sa, 0, false);
    CHECK(o.bits & TD_O_ECN_C);
    CHECK(o.bits & TD_O_ECN_S);
    CHECK_HAS(td_opts_summary(buf, sizeof buf, &o), ", ECN");
    CHECK_EQ(td_opts_findings(&o, false), 0);
    /* ECE alone in a SYN is no ECN setup; ECE+CWR in a SYN/ACK is no reply. */
    td_opt_pkt half = linux_syn();
    half.flags = TD_TH_SYN | TD_TH_ECE;
    td_opts h = negotiated(half, sa, 0, false);
    CHECK(!(h.bits & TD_O_ECN_C));
    td_opt_pkt both = linux_syn();
    both.flags = TD_TH_SYN | TD_TH_ACK | TD_TH_ECE | TD_TH_CWR;
    td_opts d = negotiated(syn, both, 0, false);
    CHECK(!(d.bits & TD_O_ECN_S));
    CHECK(td_opts_findings(&d, false) & TD_OF_ECN_DECLINED);
    CHECK_HAS(td_opts_findings_text(buf, sizeof buf, &d, false), "server declined ECN");
}

static void test_mss(void)
{
    td_opt_pkt syn = linux_syn(), sa = linux_syn();
    sa.mss = 1380; /* MSS clamping on the path */
    td_opts o = negotiated(syn, sa, 0, false);
    CHECK(td_opts_findings(&o, false) & TD_OF_MSS_LOW);
    CHECK_EQ(td_opts_lowest_mss(&o), 1380);
    CHECK_HAS(td_opts_findings_text(buf, sizeof buf, &o, false), "MSS 1380 below Ethernet's 1460");
    /* 1440 is Ethernet's for IPv6: no finding there, one for IPv4. */
    sa.mss = 1440;
    td_opts v6 = negotiated((td_opt_pkt){ .mss = 1440, .wscale = TD_NO_WSCALE }, sa, 0, false);
    CHECK(!(td_opts_findings(&v6, true) & TD_OF_MSS_LOW));
    CHECK(td_opts_findings(&v6, false) & TD_OF_MSS_LOW);
    CHECK_EQ(td_ethernet_mss(true), 1440);
    CHECK_EQ(td_ethernet_mss(false), 1460);
    /* A SYN without MSS: the peer assumes 536 (IPv4) / 1220 (IPv6). */
    td_opts none = negotiated((td_opt_pkt){ .wscale = TD_NO_WSCALE }, linux_syn(), 0, false);
    CHECK(td_opts_findings(&none, false) & TD_OF_MSS_MISSING);
    CHECK_HAS(td_opts_findings_text(buf, sizeof buf, &none, false), "assume 536 bytes");
    CHECK_HAS(td_opts_findings_text(buf, sizeof buf, &none, true), "assume 1220 bytes");
    CHECK_STR(td_opts_summary(buf, sizeof buf, &none), "MSS none/1460, no window scaling");
    CHECK_EQ(td_opts_lowest_mss(&none), 1460);
}

static void test_window(void)
{
    td_opt_pkt syn = linux_syn(), sa = linux_syn();
    sa.wscale = 20; /* RFC 7323 §2.3: treated as 14 */
    td_opts o = negotiated(syn, sa, 0, false);
    CHECK_EQ(td_opts_max_window(&o, true), 65535u << 14);
    CHECK_EQ(td_opts_max_window(&o, false), 65535u << 7);
    /* Only the SYN so far: the offer shows, the answer is unknown. */
    td_opts pending;
    td_opts_init(&pending);
    td_opts_from_syn(&pending, &syn, 0);
    CHECK_STR(td_opts_summary(buf, sizeof buf, &pending), "MSS 1460/?, window scale 7/?");
    CHECK_EQ(td_opts_findings(&pending, false), 0);
}

static void test_tfo(void)
{
    td_opt_pkt req = linux_syn(), cookie = linux_syn(), sa = linux_syn();
    req.tfo = TD_TFO_REQUEST;
    cookie.tfo = TD_TFO_COOKIE;
    sa.tfo = TD_TFO_COOKIE;
    td_opts o = negotiated(req, sa, 0, false);
    CHECK_STR(td_tfo_text(&o), "cookie requested and given");
    td_opts q = negotiated(req, linux_syn(), 0, false);
    CHECK_STR(td_tfo_text(&q), "cookie requested");
    td_opts ok = negotiated(cookie, linux_syn(), 100, true);
    CHECK_STR(td_tfo_text(&ok), "data in SYN accepted");
    CHECK_EQ(td_opts_findings(&ok, false), 0);
    td_opts ign = negotiated(cookie, linux_syn(), 100, false);
    CHECK_STR(td_tfo_text(&ign), "data in SYN ignored");
    CHECK(td_opts_findings(&ign, false) & TD_OF_TFO_DATA_IGNORED);
    CHECK_HAS(td_opts_summary(buf, sizeof buf, &ign), ", TFO data in SYN ignored");
    td_opts only;
    td_opts_init(&only);
    td_opts_from_syn(&only, &cookie, 100);
    CHECK_STR(td_tfo_text(&only), "data in SYN");
    td_opts sent = negotiated(cookie, linux_syn(), 0, false);
    CHECK_STR(td_tfo_text(&sent), "cookie sent");
}

static void test_small_buffers(void)
{
    td_opt_pkt bare = { .mss = 536, .wscale = TD_NO_WSCALE };
    td_opts o = negotiated(linux_syn(), bare, 0, false);
    for (size_t n = 0; n < 40; n++) {
        char small[40];
        memset(small, 'x', sizeof small);
        td_opts_findings_text(small, n, &o, false);
        td_opts_summary(small, n, &o);
        if (n) {
            CHECK(memchr(small, '\0', n) != NULL);
            CHECK(utf8_ok(small));
        }
        CHECK(n == sizeof small || small[n == 0 ? 0 : sizeof small - 1] == 'x');
    }
}

int main(void)
{
    test_init();
    test_healthy();
    test_first_syn_and_synack_win();
    test_declined();
    test_ecn();
    test_mss();
    test_window();
    test_tfo();
    test_small_buffers();
    return check_report();
}
