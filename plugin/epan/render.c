/* render.c — the tcpdiag subtree, expert items, Info column and tap, all
 * drawn from stored state (never from the packet itself), on every pass.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "render.h"

#include <epan/expert.h>
#include <epan/tap.h>

#include <stdio.h>
#include <string.h>

#include "compat.h"
#include "render_evidence.h"
#include "td_limits.h"

static int proto_tcpdiag = -1;

static int hf_verdict = -1, hf_diagnosis = -1, hf_stream = -1;
static int hf_syn_count = -1, hf_synack_count = -1, hf_syn_dups = -1;
static int hf_setup_time = -1, hf_rtt_syn_synack = -1, hf_rtt_synack_ack = -1;
static int hf_frame_syn = -1, hf_frame_synack = -1, hf_frame_ack = -1, hf_frame_answer = -1;
static int hf_icmp_type = -1, hf_icmp_code = -1, hf_icmp_reporter = -1, hf_icmp_from_server = -1;
static int hf_slow_connect = -1, hf_ack_lost = -1, hf_challenge_recovered = -1;
static int hf_port_reused = -1, hf_missed = -1, hf_rst_invalid = -1;
static int hf_syn_flags_odd = -1, hf_unrelated = -1, hf_server_reset_after = -1;
static int hf_rst_forged = -1, hf_rst_ttl = -1, hf_server_ttl = -1, hf_server_summary = -1;
static int hf_opt_summary = -1, hf_opt_mss_c = -1, hf_opt_mss_s = -1, hf_opt_wscale = -1;
static int hf_opt_wscale_c = -1, hf_opt_wscale_s = -1, hf_opt_win_c = -1, hf_opt_win_s = -1;
static int hf_opt_sack = -1, hf_opt_ts = -1, hf_opt_ecn = -1, hf_opt_tfo = -1;
static int hf_opt_findings = -1, hf_retries = -1, hf_first = -1, hf_diag_part = -1;
static int ett_opts = -1, ett_diag = -1;
static int ett_tcpdiag = -1;

/* One expert item per verdict, on the packet holding the evidence. */
static expert_field ei_verdict[TD_V_COUNT];

/* One per event or finding, on the packet where it shows. */
static expert_field ei_syn_retrans = EI_INIT, ei_syn_dup = EI_INIT, ei_syn_new_isn = EI_INIT;
static expert_field ei_synack_retrans = EI_INIT, ei_ack_lost = EI_INIT;
static expert_field ei_rst_invalid = EI_INIT, ei_challenge_ack = EI_INIT;
static expert_field ei_challenge_recovered = EI_INIT, ei_missed = EI_INIT;
static expert_field ei_illegal_flags = EI_INIT, ei_bad_synack = EI_INIT;
static expert_field ei_icmp_other = EI_INIT, ei_slow_connect = EI_INIT;
static expert_field ei_port_reused = EI_INIT, ei_server_rst = EI_INIT;
static expert_field ei_rst_forged = EI_INIT, ei_conclusion = EI_INIT;
static expert_field ei_opt_wscale = EI_INIT, ei_opt_sack = EI_INIT, ei_opt_ts = EI_INIT;
static expert_field ei_opt_ecn = EI_INIT, ei_opt_mss_low = EI_INIT, ei_opt_mss_missing = EI_INIT;
static expert_field ei_opt_tfo_ignored = EI_INIT;
static expert_field ei_syn_flags_odd = EI_INIT, ei_unrelated = EI_INIT, ei_ack_wrong = EI_INIT;

static void add_time(proto_tree *t, int hf, tvbuff_t *tvb, int64_t ns)
{
    nstime_t d;
    d.secs = (time_t)(ns / 1000000000);
    d.nsecs = (int)(ns % 1000000000);
    proto_item_set_generated(proto_tree_add_time(t, hf, tvb, 0, 0, &d));
}

static void add_uint(proto_tree *t, int hf, tvbuff_t *tvb, uint32_t v)
{
    proto_item_set_generated(proto_tree_add_uint(t, hf, tvb, 0, 0, v));
}

static void add_flag(proto_tree *t, int hf, tvbuff_t *tvb, gboolean on)
{
    if (on)
        proto_item_set_generated(proto_tree_add_boolean(t, hf, tvb, 0, 0, TRUE));
}

/* Which fields to build. A visible tree (the details pane, -V, -T
 * pdml/json, and -T fields on 4.0, which does not tell a post-dissector
 * which -e fields it will print) shows every field on every packet of the
 * connection. A hidden tree (display and colouring filters, custom columns,
 * -T fields on 4.2+, which primes exactly the -e fields: see compat.h)
 * keeps only the fields someone asked for in this packet and fakes the
 * others, so there they are not even computed. */
typedef struct {
    gboolean all;  /* a visible tree: everything */
    gboolean core; /* the verdict and the stream even if nobody asked */
} td_scope;

/* Each field's header_field_info, looked up once after registration.
 * Whether a field is asked for is read for some 30 fields on every packet
 * (want()); proto_registrar_get_nth() each time cost ~400 instructions a
 * packet on the hidden-tree paths (callgrind, tests/bench/README.md).
 * Wireshark's registry keeps a pointer to the header_field_info inside the
 * registered array (proto_register_field_array), so these never move. */
static header_field_info *hfi_table[128];
static int hfi_base, hfi_count;

static gboolean asked(int hf)
{
    unsigned i = (unsigned)(hf - hfi_base);
    return TD_HFI_ASKED(i < (unsigned)hfi_count ? hfi_table[i]
                                                : proto_registrar_get_nth((unsigned)hf));
}

static gboolean want(const td_scope *s, int hf)
{
    return s->all || asked(hf);
}

/* Tree labels stop at 240 characters (ITEM_LABEL_LENGTH): show each part of
 * a long sentence (a diagnosis or a conclusion) as a child so nothing is
 * lost in the details pane. Parts are split at "; " and ": ". */
static void add_diagnosis_parts(proto_item *di, tvbuff_t *tvb, const char *diag)
{
    if (strlen(diag) < 200)
        return;
    proto_tree *dt = proto_item_add_subtree(di, ett_diag);
    const char *p = diag;
    while (*p) {
        const char *end = strstr(p, "; ");
        const char *colon = strstr(p, ": ");
        if (colon && (!end || colon < end))
            end = colon;
        size_t n = end ? (size_t)(end - p) : strlen(p);
        char part[TD_TEXT_MAX];
        g_strlcpy(part, p, MIN(n + 1, sizeof part));
        proto_item_set_generated(proto_tree_add_string(dt, hf_diag_part, tvb, 0, 0, part));
        p += n;
        if (end)
            p += 2;
    }
}

static void add_tree(proto_tree *t, tvbuff_t *tvb, const td_view *view, const char *diag,
                     uint32_t num, const td_scope *s)
{
    const td_conn_ext *cx = view->cx;
    const td_conn *c = view->c;
    td_verdict v = view->verdict;
    gboolean pinfo_num_is_first = num == c->frame_first;
    int64_t ns;
    if (s->core || asked(hf_verdict))
        proto_item_set_generated(
            proto_tree_add_string(t, hf_verdict, tvb, 0, 0, td_verdict_name(v)));
    if (diag) {
        proto_item *di = proto_tree_add_string(t, hf_diagnosis, tvb, 0, 0, diag);
        proto_item_set_generated(di);
        add_diagnosis_parts(di, tvb, diag);
    }
    if (pinfo_num_is_first && want(s, hf_first))
        add_flag(t, hf_first, tvb, TRUE);
    if (TD_STREAM(cx) != TD_STREAM_NONE && (s->core || asked(hf_stream)))
        add_uint(t, hf_stream, tvb, TD_STREAM(cx));
    if (want(s, hf_syn_count))
        add_uint(t, hf_syn_count, tvb, c->syn_count);
    if (want(s, hf_synack_count))
        add_uint(t, hf_synack_count, tvb, c->synack_count);
    if (c->syn_dups && want(s, hf_syn_dups))
        add_uint(t, hf_syn_dups, tvb, c->syn_dups);
    if (want(s, hf_setup_time) && td_conn_has_setup_time(c, &ns))
        add_time(t, hf_setup_time, tvb, ns);
    if (want(s, hf_server_reset_after) && td_conn_server_reset_after(c, &ns))
        add_time(t, hf_server_reset_after, tvb, ns);
    if (want(s, hf_rtt_syn_synack) && td_conn_has_rtt_syn_synack(c, &ns))
        add_time(t, hf_rtt_syn_synack, tvb, ns);
    if (want(s, hf_rtt_synack_ack) && td_conn_has_rtt_synack_ack(c, &ns))
        add_time(t, hf_rtt_synack_ack, tvb, ns);
    if (c->frame_syn && want(s, hf_frame_syn))
        add_uint(t, hf_frame_syn, tvb, c->frame_syn);
    if (c->frame_synack && want(s, hf_frame_synack))
        add_uint(t, hf_frame_synack, tvb, c->frame_synack);
    if (c->frame_ack && want(s, hf_frame_ack))
        add_uint(t, hf_frame_ack, tvb, c->frame_ack);
    /* The answer link only where the answer decided the verdict. */
    if (c->frame_answer && want(s, hf_frame_answer) &&
        (v == TD_V_REFUSED || v == TD_V_ICMP_UNREACHABLE || v == TD_V_STALE ||
         v == TD_V_SIMULTANEOUS_OPEN))
        add_uint(t, hf_frame_answer, tvb, c->frame_answer);
    if (v == TD_V_ICMP_UNREACHABLE) {
        if (want(s, hf_icmp_type))
            add_uint(t, hf_icmp_type, tvb, c->icmp_type);
        if (want(s, hf_icmp_code))
            add_uint(t, hf_icmp_code, tvb, c->icmp_code);
        const char *rep = want(s, hf_icmp_reporter) ? td_view_icmp_reporter(view) : NULL;
        if (rep)
            proto_item_set_generated(proto_tree_add_string(t, hf_icmp_reporter, tvb, 0, 0, rep));
        if (c->icmp_reporter != TD_REPORTER_UNKNOWN && want(s, hf_icmp_from_server))
            proto_item_set_generated(proto_tree_add_boolean(
                t, hf_icmp_from_server, tvb, 0, 0, c->icmp_reporter == TD_REPORTER_SERVER));
    }
    static const struct {
        int *hf;
        uint32_t finding;
    } flags[] = {
        { &hf_slow_connect, TD_F_SLOW_CONNECT },       { &hf_ack_lost, TD_F_SYNACK_RETRANS_ACKED },
        { &hf_challenge_recovered, TD_F_CHALLENGE_RECOVERED },
        { &hf_port_reused, TD_F_PORT_REUSED },         { &hf_missed, TD_F_HS_MISSED },
        { &hf_rst_invalid, TD_F_RST_INVALID },
        { &hf_syn_flags_odd, TD_F_SYN_FLAGS_ODD },     { &hf_unrelated, TD_F_UNRELATED },
    };
    for (size_t i = 0; i < G_N_ELEMENTS(flags); i++)
        if ((c->findings & flags[i].finding) && want(s, *flags[i].hf))
            add_flag(t, *flags[i].hf, tvb, TRUE);
}

/* Forged-RST evidence for a refused connection: TTL of the RST against the
 * server's own SYN/ACKs (capture.c). */
static gboolean add_rst_evidence(proto_tree *t, tvbuff_t *tvb, const td_view *view,
                                 const td_scope *s)
{
    if (view->verdict != TD_V_REFUSED)
        return FALSE;
    const td_view_rst *r = td_view_rst_of(view);
    if (r->rst_ttl && want(s, hf_rst_ttl))
        add_uint(t, hf_rst_ttl, tvb, r->rst_ttl);
    if (!r->judged)
        return FALSE;
    if (want(s, hf_server_ttl))
        add_uint(t, hf_server_ttl, tvb, r->server_ttl);
    if (want(s, hf_rst_forged))
        proto_item_set_generated(proto_tree_add_boolean(t, hf_rst_forged, tvb, 0, 0, r->forged));
    return r->forged;
}

static void add_bool(proto_tree *t, int hf, tvbuff_t *tvb, gboolean v)
{
    proto_item_set_generated(proto_tree_add_boolean(t, hf, tvb, 0, 0, v));
}

/* Options negotiated: a subtree under their summary. */
static void add_options(proto_tree *t, tvbuff_t *tvb, const td_view *view, const td_scope *s)
{
    static int *const fields[] = { &hf_opt_summary, &hf_opt_mss_c,  &hf_opt_mss_s,
                                   &hf_opt_wscale_c, &hf_opt_wscale_s, &hf_opt_wscale,
                                   &hf_opt_win_c,   &hf_opt_win_s,  &hf_opt_sack,
                                   &hf_opt_ts,      &hf_opt_ecn,    &hf_opt_tfo,
                                   &hf_opt_findings };
    const td_opts *o = view->opts;
    if (!(o->bits & (TD_O_SYN | TD_O_SYNACK)))
        return;
    gboolean any = s->all;
    for (size_t i = 0; !any && i < G_N_ELEMENTS(fields); i++)
        any = asked(*fields[i]);
    if (!any)
        return;
    proto_tree *ot = t;
    if (want(s, hf_opt_summary)) {
        proto_item *oi =
            proto_tree_add_string(t, hf_opt_summary, tvb, 0, 0, td_view_options(view));
        proto_item_set_generated(oi);
        ot = proto_item_add_subtree(oi, ett_opts);
    }
    if ((o->bits & TD_O_SYN) && o->mss_c && want(s, hf_opt_mss_c))
        add_uint(ot, hf_opt_mss_c, tvb, o->mss_c);
    if ((o->bits & TD_O_SYNACK) && o->mss_s && want(s, hf_opt_mss_s))
        add_uint(ot, hf_opt_mss_s, tvb, o->mss_s);
    if (o->wscale_c != TD_NO_WSCALE && want(s, hf_opt_wscale_c))
        add_uint(ot, hf_opt_wscale_c, tvb, o->wscale_c);
    if (o->wscale_s != TD_NO_WSCALE && want(s, hf_opt_wscale_s))
        add_uint(ot, hf_opt_wscale_s, tvb, o->wscale_s);
    if (o->bits & TD_O_SYNACK) {
        if (want(s, hf_opt_wscale))
            add_bool(ot, hf_opt_wscale, tvb, td_opts_wscale_negotiated(o));
        if (want(s, hf_opt_win_c))
            add_uint(ot, hf_opt_win_c, tvb, td_opts_max_window(o, FALSE));
        if (want(s, hf_opt_win_s))
            add_uint(ot, hf_opt_win_s, tvb, td_opts_max_window(o, TRUE));
        if (want(s, hf_opt_sack))
            add_bool(ot, hf_opt_sack, tvb, (o->bits & TD_O_SACK_C) && (o->bits & TD_O_SACK_S));
        if (want(s, hf_opt_ts))
            add_bool(ot, hf_opt_ts, tvb, (o->bits & TD_O_TS_C) && (o->bits & TD_O_TS_S));
        if (want(s, hf_opt_ecn))
            add_bool(ot, hf_opt_ecn, tvb, (o->bits & TD_O_ECN_C) && (o->bits & TD_O_ECN_S));
    }
    const char *tfo = want(s, hf_opt_tfo) ? td_tfo_text(o) : NULL;
    if (tfo)
        proto_item_set_generated(proto_tree_add_string(ot, hf_opt_tfo, tvb, 0, 0, tfo));
    const char *findings = want(s, hf_opt_findings) ? td_view_option_findings(view) : NULL;
    if (findings)
        proto_item_set_generated(proto_tree_add_string(ot, hf_opt_findings, tvb, 0, 0, findings));
}

/* The option findings' expert items, on the SYN/ACK that settled them (on
 * the SYN when no SYN/ACK was seen). */
static void add_option_experts(packet_info *pinfo, proto_item *ti, const td_view *view)
{
    const td_opts *o = view->opts;
    uint32_t at = view->c->frame_synack ? view->c->frame_synack : view->c->frame_syn;
    if (pinfo->num != at)
        return;
    gboolean v6 = td_view_is_ipv6(view);
    uint32_t f = td_opts_findings(o, v6);
    if (f & TD_OF_WSCALE_DECLINED)
        expert_add_info(pinfo, ti, &ei_opt_wscale);
    if (f & TD_OF_SACK_DECLINED)
        expert_add_info(pinfo, ti, &ei_opt_sack);
    if (f & TD_OF_TS_DECLINED)
        expert_add_info(pinfo, ti, &ei_opt_ts);
    if (f & TD_OF_ECN_DECLINED)
        expert_add_info(pinfo, ti, &ei_opt_ecn);
    if (f & TD_OF_MSS_LOW) {
        uint16_t low = td_opts_lowest_mss(o);
        expert_add_info_format(pinfo, ti, &ei_opt_mss_low,
                               "MSS %u below Ethernet's %u: tunnel, VPN, PPPoE or MSS clamping "
                               "on the path; transfers may stall if PMTUD is blocked",
                               low, td_ethernet_mss(v6));
    }
    if (f & TD_OF_MSS_MISSING)
        expert_add_info(pinfo, ti, &ei_opt_mss_missing);
    if (f & TD_OF_TFO_DATA_IGNORED)
        expert_add_info(pinfo, ti, &ei_opt_tfo_ignored);
}

static void add_event_experts(packet_info *pinfo, proto_item *ti, const td_conn *c, uint32_t ev)
{
    if (ev & TD_EV_SYN_RETRANS)
        expert_add_info_format(pinfo, ti, &ei_syn_retrans,
                               "SYN retransmitted: the previous SYN got no answer in time");
    if (ev & TD_EV_SYN_DUP)
        expert_add_info(pinfo, ti, &ei_syn_dup);
    if (ev & TD_EV_SYNACK_DUP)
        expert_add_info_format(pinfo, ti, &ei_syn_dup,
                               "Duplicate copy of the SYN/ACK (< 10 ms): captured twice, "
                               "not retransmitted");
    if (ev & TD_EV_SYN_NEW_ISN)
        expert_add_info(pinfo, ti, &ei_syn_new_isn);
    if (ev & TD_EV_SYNACK_RETRANS) {
        if (c->frame_ack && pinfo->num > c->frame_ack)
            expert_add_info(pinfo, ti, &ei_ack_lost);
        else
            expert_add_info(pinfo, ti, &ei_synack_retrans);
    }
    if ((ev & TD_EV_SYNACK) && (c->findings & TD_F_SLOW_CONNECT))
        expert_add_info_format(pinfo, ti, &ei_slow_connect,
                               "Slow connect: answered only after %u SYNs", c->syn_count);
    /* Once per connection: a blind-reset attack sends many. */
    if ((ev & TD_EV_RST_INVALID) && pinfo->num == c->frame_answer)
        expert_add_info(pinfo, ti, &ei_rst_invalid);
    if (ev & TD_EV_CHALLENGE_ACK)
        expert_add_info(pinfo, ti, &ei_challenge_ack);
    if ((ev & (TD_EV_HS_ACK | TD_EV_INFERRED_HS)) && (c->findings & TD_F_CHALLENGE_RECOVERED))
        expert_add_info(pinfo, ti, &ei_challenge_recovered);
    /* Not once the packets turned up after all (an ACK written just before
     * its SYN/ACK clears the finding; one pass cannot know yet). */
    if ((ev & TD_EV_INFERRED_HS) && (c->findings & TD_F_HS_MISSED))
        expert_add_info(pinfo, ti, &ei_missed);
    if (ev & TD_EV_ILLEGAL_FLAGS)
        expert_add_info(pinfo, ti, &ei_illegal_flags);
    if (ev & TD_EV_BAD_SYNACK)
        expert_add_info(pinfo, ti, &ei_bad_synack);
    if (ev & TD_EV_ICMP_OTHER)
        expert_add_info(pinfo, ti, &ei_icmp_other);
    if (ev & TD_EV_SERVER_RST)
        expert_add_info(pinfo, ti, &ei_server_rst);
    if (ev & TD_EV_SYN_FLAGS_ODD)
        expert_add_info(pinfo, ti, &ei_syn_flags_odd);
    if (ev & TD_EV_UNRELATED)
        expert_add_info(pinfo, ti, &ei_unrelated);
    if (ev & TD_EV_ACK_WRONG)
        expert_add_info(pinfo, ti, &ei_ack_wrong);
    if (pinfo->num == c->frame_first && (c->findings & TD_F_PORT_REUSED))
        expert_add_info(pinfo, ti, &ei_port_reused);
}

static int expert_tap_id(void)
{
    static int id = -1;
    if (id < 0)
        id = find_tap_id("expert");
    return id;
}

void td_render(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, const td_conn_ext *cx,
               uint32_t events, const td_prefs *prefs)
{
    /* Expert items are recorded even without a tree (Wireshark's Expert
     * Information dialog and `-z expert` dissect without one), but only
     * when someone collects them: the "expert" tap or an Expert Info
     * column. The GUI always has a tree (colouring rules); `tshark -r F`
     * and `tshark -q -z tcpdiag,conn` have none of them, and pay nothing
     * more here. */
    gboolean experts_wanted = tree || have_tap_listener(expert_tap_id()) ||
                              TD_COLUMNS_SHOW_EXPERT(pinfo->cinfo);
    if (!experts_wanted && !prefs->append_info)
        return;

    const td_view *view = td_view_of(cx);
    const td_conn *c = view->c;
    td_verdict v = view->verdict;
    gboolean evidence = view->evidence_frame == pinfo->num;

    if (prefs->append_info)
        col_append_fstr(pinfo->cinfo, COL_INFO, " [tcpdiag: %s]", td_verdict_name(v));
    if (!experts_wanted)
        return;
    /* Without a tree, only packets with an event or the verdict's evidence
     * pay. */
    if (!tree && !evidence && !events && pinfo->num != c->frame_first &&
        !td_render_conn_evidence_due(view, pinfo->num))
        return;

    gboolean visible = tree && TD_TREE_VISIBLE(tree);
    /* A packet of the handshake story: it may carry expert items. */
    gboolean story = evidence || events || pinfo->num == c->frame_first ||
                     pinfo->num == c->frame_syn || pinfo->num == c->frame_synack ||
                     pinfo->num == c->frame_ack || pinfo->num == c->frame_answer;
    td_scope scope;
    scope.all = visible;
    scope.core = visible;

    const char *d = NULL;
    /* Format the sentence only if someone looks at it (see td_scope, or the
     * verdict's expert item): -T fields -e tcpdiag.verdict never pays for it. */
    /* In a single pass every SYN and SYN/ACK is "pending" when read: only a
     * final pending verdict (second pass, GUI) is worth an expert item. */
    gboolean verdict_expert = evidence && !(v == TD_V_PENDING && !PINFO_FD_VISITED(pinfo));
    /* ... and a no-response is known from the first retransmission on:
     * once per connection there (each later SYN is the evidence when
     * read, but the item was raised already), as -2 and the GUI raise it
     * once, on the last SYN. */
    if (v == TD_V_NO_RESPONSE && !PINFO_FD_VISITED(pinfo) && c->syn_count > 2)
        verdict_expert = FALSE;
    /* The same for a half-open connection, known from the 2nd SYN/ACK. */
    if (v == TD_V_HALF_OPEN && !PINFO_FD_VISITED(pinfo) && c->synack_count > 2)
        verdict_expert = FALSE;
    if (verdict_expert ||
        (tree && (want(&scope, hf_diagnosis) || asked(hf_diag_part))))
        d = td_view_sentence(view);

    proto_item *ti = NULL;
    proto_tree *t = NULL;
    if (tree && !visible && !story && !TD_HF_ASKED_DIRECTLY(proto_tcpdiag)) {
        /* A hidden tree (filters, colouring, columns) on a data packet: no
         * protocol item (creating one costs more than the fields), only the
         * fields asked for, at the top level. Nobody sees the layout. */
        t = tree;
    } else if (tree) {
        ti = proto_tree_add_item(tree, proto_tcpdiag, tvb, 0, 0, ENC_NA);
        /* The label only where it can be read: a visible tree, or where
         * someone asks for the protocol itself (a custom column or -e
         * tcpdiag may show it). Wireshark 4.0 and 4.4 format a label in
         * hidden trees too (~1,500 instructions each time, callgrind; 4.6
         * does not), and nobody reads it there. */
        if (visible || TD_HF_ASKED_DIRECTLY(proto_tcpdiag))
            proto_item_set_text(ti, "TCP Handshake Diagnosis: %s", td_verdict_name(v));
        proto_item_set_generated(ti);
        t = proto_item_add_subtree(ti, ett_tcpdiag);
    }
    if (t)
        add_tree(t, tvb, view, d, pinfo->num, &scope);
    gboolean forged = (tree || evidence) && add_rst_evidence(t, tvb, view, &scope);
    td_render_conn_evidence(t, ti, tvb, pinfo, view, scope.all);
    if (tree) {
        const char *retries = want(&scope, hf_retries) ? td_view_retries(view) : NULL;
        if (retries)
            proto_item_set_generated(proto_tree_add_string(t, hf_retries, tvb, 0, 0, retries));
        add_options(t, tvb, view, &scope);
    }
    if (verdict_expert)
        expert_add_info_format(pinfo, ti, &ei_verdict[v], "%s", d);
    if (evidence && forged)
        expert_add_info(pinfo, ti, &ei_rst_forged);
    /* Conclusions across connections need the whole capture: shown on
     * second passes (tshark -2, the GUI), never guessed in one pass. */
    if (PINFO_FD_VISITED(pinfo) && ((tree && want(&scope, hf_server_summary)) || evidence)) {
        gboolean owner;
        const char *sum = td_view_conclusion(view, &owner);
        if (sum) {
            proto_item *si = proto_tree_add_string(t, hf_server_summary, tvb, 0, 0, sum);
            proto_item_set_generated(si);
            if (t)
                add_diagnosis_parts(si, tvb, sum);
            if (evidence && owner)
                expert_add_info_format(pinfo, ti, &ei_conclusion, "%s", sum);
        }
    }
    add_option_experts(pinfo, ti, view);
    add_event_experts(pinfo, ti, c, events);
}

#define TD_EI(ei, name, group, sev, text) \
    { &(ei), { "tcpdiag.expert." name, group, sev, text, EXPFILL } }

void td_render_register(int proto)
{
    proto_tcpdiag = proto;
    static hf_register_info hf[] = {
        { &hf_verdict, { "Verdict", "tcpdiag.verdict", FT_STRING, BASE_NONE, NULL, 0x0,
          "Outcome of the connection's handshake: established, no-response, pending, refused, "
          "icmp-unreachable, half-open, aborted, reset-before-data, simultaneous-open, stale, "
          "midstream", HFILL } },
        { &hf_diagnosis, { "Diagnosis", "tcpdiag.diagnosis", FT_STRING, BASE_NONE, NULL, 0x0,
          "Outcome, evidence and likely cause in words", HFILL } },
        { &hf_diag_part, { "Part", "tcpdiag.diagnosis.part", FT_STRING, BASE_NONE, NULL, 0x0,
          "One clause of a long diagnosis (the details pane cuts labels at 240 characters)",
          HFILL } },
        { &hf_first, { "First packet of the connection", "tcpdiag.first", FT_BOOLEAN, BASE_NONE,
          NULL, 0x0, "Present (true) on the first packet tcpdiag saw of each connection: "
          "filter on it for one line per connection", HFILL } },
        { &hf_stream, { "Stream index", "tcpdiag.stream", FT_UINT32, BASE_DEC, NULL, 0x0,
          "tcp.stream of the connection (also on ICMP errors that quote it)", HFILL } },
        { &hf_syn_count, { "SYNs sent", "tcpdiag.syn_count", FT_UINT32, BASE_DEC, NULL, 0x0,
          "SYN transmissions captured (duplicate copies excluded)", HFILL } },
        { &hf_synack_count, { "SYN/ACKs sent", "tcpdiag.synack_count", FT_UINT32, BASE_DEC, NULL,
          0x0, "SYN/ACK transmissions captured", HFILL } },
        { &hf_syn_dups, { "Duplicate SYN copies", "tcpdiag.syn_duplicates", FT_UINT32, BASE_DEC,
          NULL, 0x0, "Copies of a SYN less than 10 ms apart (mirroring, several interfaces)",
          HFILL } },
        { &hf_setup_time, { "Setup time", "tcpdiag.setup_time", FT_RELATIVE_TIME, BASE_NONE,
          NULL, 0x0, "First SYN to the ACK completing the handshake", HFILL } },
        { &hf_rtt_syn_synack, { "SYN to SYN/ACK", "tcpdiag.rtt.syn_synack", FT_RELATIVE_TIME,
          BASE_NONE, NULL, 0x0, "From the SYN that was answered to its SYN/ACK", HFILL } },
        { &hf_rtt_synack_ack, { "SYN/ACK to ACK", "tcpdiag.rtt.synack_ack", FT_RELATIVE_TIME,
          BASE_NONE, NULL, 0x0, "From the SYN/ACK to the ACK completing the handshake", HFILL } },
        { &hf_frame_syn, { "SYN", "tcpdiag.frame.syn", FT_FRAMENUM, BASE_NONE,
          FRAMENUM_TYPE(FT_FRAMENUM_REQUEST), 0x0, "First SYN of the connection", HFILL } },
        { &hf_frame_synack, { "SYN/ACK", "tcpdiag.frame.synack", FT_FRAMENUM, BASE_NONE,
          FRAMENUM_TYPE(FT_FRAMENUM_RESPONSE), 0x0, "First SYN/ACK answering the SYN", HFILL } },
        { &hf_frame_ack, { "Handshake ACK", "tcpdiag.frame.ack", FT_FRAMENUM, BASE_NONE,
          FRAMENUM_TYPE(FT_FRAMENUM_ACK), 0x0, "ACK completing the handshake", HFILL } },
        { &hf_frame_answer, { "Answer", "tcpdiag.frame.answer", FT_FRAMENUM, BASE_NONE,
          FRAMENUM_TYPE(FT_FRAMENUM_RESPONSE), 0x0,
          "RST, ICMP error, challenge ACK or crossing SYN that answered the SYN", HFILL } },
        { &hf_icmp_type, { "ICMP type", "tcpdiag.icmp.type", FT_UINT8, BASE_DEC, NULL, 0x0,
          "Type of the ICMP/ICMPv6 error that answered the SYN", HFILL } },
        { &hf_icmp_code, { "ICMP code", "tcpdiag.icmp.code", FT_UINT8, BASE_DEC, NULL, 0x0,
          "Code of the ICMP/ICMPv6 error that answered the SYN", HFILL } },
        { &hf_icmp_reporter, { "ICMP reporter", "tcpdiag.icmp.reporter", FT_STRING, BASE_NONE,
          NULL, 0x0, "Address that sent the ICMP error", HFILL } },
        { &hf_icmp_from_server, { "ICMP from the server itself", "tcpdiag.icmp.from_server",
          FT_BOOLEAN, BASE_NONE, NULL, 0x0,
          "True if the server sent the ICMP error, false if a router on the path did", HFILL } },
        { &hf_slow_connect, { "Slow connect", "tcpdiag.slow_connect", FT_BOOLEAN, BASE_NONE,
          NULL, 0x0, "The SYN was retransmitted and later answered", HFILL } },
        { &hf_ack_lost, { "Handshake ACK lost", "tcpdiag.ack_lost", FT_BOOLEAN, BASE_NONE, NULL,
          0x0, "The SYN/ACK was retransmitted although the client had ACKed it", HFILL } },
        { &hf_challenge_recovered, { "Challenge ACK recovered", "tcpdiag.challenge_ack_recovered",
          FT_BOOLEAN, BASE_NONE, NULL, 0x0,
          "The SYN first met a challenge ACK (RFC 5961), then the handshake completed", HFILL } },
        { &hf_port_reused, { "Port pair reused", "tcpdiag.port_reused", FT_BOOLEAN, BASE_NONE,
          NULL, 0x0, "An earlier connection in the capture used the same 4-tuple", HFILL } },
        { &hf_missed, { "Handshake packets missing", "tcpdiag.capture_missed_handshake",
          FT_BOOLEAN, BASE_NONE, NULL, 0x0,
          "Later packets prove a handshake the capture does not fully hold", HFILL } },
        { &hf_syn_flags_odd, { "SYN with odd flags", "tcpdiag.syn_flags_odd", FT_BOOLEAN,
          BASE_NONE, NULL, 0x0,
          "A SYN (ACK clear) also carried FIN, PSH or URG: a scanner's OS-detection probe",
          HFILL } },
        { &hf_unrelated, { "Unrelated segments", "tcpdiag.unrelated_segments", FT_BOOLEAN,
          BASE_NONE, NULL, 0x0,
          "Segments whose numbers fit no SYN shared the 4-tuple before the handshake: not answers",
          HFILL } },
        { &hf_server_reset_after, { "Server reset after", "tcpdiag.server_reset_after",
          FT_RELATIVE_TIME, BASE_NONE, NULL, 0x0,
          "half-open: the server reset its half-open connection this long after its first "
          "SYN/ACK", HFILL } },
        { &hf_retries, { "SYN retries at", "tcpdiag.syn_retries", FT_STRING, BASE_NONE, NULL,
          0x0, "When the SYN was sent again, relative to the first SYN (e.g. +1.0 s, +3.0 s)",
          HFILL } },
        { &hf_opt_summary, { "Options", "tcpdiag.opt", FT_STRING, BASE_NONE, NULL, 0x0,
          "Options negotiated in the handshake: MSS client/server, window scaling, SACK, "
          "timestamps, ECN, TCP Fast Open", HFILL } },
        { &hf_opt_mss_c, { "Client MSS", "tcpdiag.opt.mss.client", FT_UINT16, BASE_DEC, NULL,
          0x0, "MSS option of the client's SYN", HFILL } },
        { &hf_opt_mss_s, { "Server MSS", "tcpdiag.opt.mss.server", FT_UINT16, BASE_DEC, NULL,
          0x0, "MSS option of the server's SYN/ACK", HFILL } },
        { &hf_opt_wscale, { "Window scaling", "tcpdiag.opt.wscale", FT_BOOLEAN, BASE_NONE, NULL,
          0x0, "Window scaling negotiated: both SYNs carried the option (RFC 7323)", HFILL } },
        { &hf_opt_wscale_c, { "Client window scale", "tcpdiag.opt.wscale.client", FT_UINT8,
          BASE_DEC, NULL, 0x0, "Shift count offered in the client's SYN", HFILL } },
        { &hf_opt_wscale_s, { "Server window scale", "tcpdiag.opt.wscale.server", FT_UINT8,
          BASE_DEC, NULL, 0x0, "Shift count in the server's SYN/ACK", HFILL } },
        { &hf_opt_win_c, { "Client max window", "tcpdiag.opt.window_max.client", FT_UINT32,
          BASE_DEC, NULL, 0x0, "Largest receive window the client can advertise (bytes)",
          HFILL } },
        { &hf_opt_win_s, { "Server max window", "tcpdiag.opt.window_max.server", FT_UINT32,
          BASE_DEC, NULL, 0x0, "Largest receive window the server can advertise (bytes)",
          HFILL } },
        { &hf_opt_sack, { "SACK", "tcpdiag.opt.sack", FT_BOOLEAN, BASE_NONE, NULL, 0x0,
          "SACK permitted by both sides (RFC 2018)", HFILL } },
        { &hf_opt_ts, { "Timestamps", "tcpdiag.opt.ts", FT_BOOLEAN, BASE_NONE, NULL, 0x0,
          "Timestamps option negotiated (RFC 7323)", HFILL } },
        { &hf_opt_ecn, { "ECN", "tcpdiag.opt.ecn", FT_BOOLEAN, BASE_NONE, NULL, 0x0,
          "ECN negotiated (ECN-setup SYN and SYN/ACK, RFC 3168)", HFILL } },
        { &hf_opt_tfo, { "TCP Fast Open", "tcpdiag.opt.tfo", FT_STRING, BASE_NONE, NULL, 0x0,
          "TCP Fast Open (RFC 7413): cookie requested, cookie sent, data in SYN accepted or "
          "ignored", HFILL } },
        { &hf_opt_findings, { "Option findings", "tcpdiag.opt.findings", FT_STRING, BASE_NONE,
          NULL, 0x0, "Options offered and declined, MSS below Ethernet's, missing MSS", HFILL } },
        { &hf_rst_forged, { "RST forged", "tcpdiag.rst.forged", FT_BOOLEAN, BASE_NONE, NULL, 0x0,
          "The RST answering the SYN travelled a different number of hops than the server's own "
          "packets: most likely injected by a middlebox. Present only when the capture holds "
          "the server's own packets as a baseline", HFILL } },
        { &hf_rst_ttl, { "RST TTL", "tcpdiag.rst.ttl", FT_UINT8, BASE_DEC, NULL, 0x0,
          "IP TTL / hop limit of the RST that answered the SYN", HFILL } },
        { &hf_server_ttl, { "Server TTL", "tcpdiag.server.ttl", FT_UINT8, BASE_DEC, NULL, 0x0,
          "IP TTL / hop limit of the server's own SYN/ACKs in this capture (lowest seen)", HFILL } },
        { &hf_server_summary, { "Conclusion", "tcpdiag.server.summary", FT_STRING, BASE_NONE,
          NULL, 0x0, "What this connection's service, server or client shows across the whole "
          "capture (second pass only)", HFILL } },
        { &hf_rst_invalid, { "Ignorable RST", "tcpdiag.rst.invalid", FT_BOOLEAN, BASE_NONE,
          NULL, 0x0, "A RST answering the SYN without ACK or with a wrong ack number "
          "(RFC 9293 3.10.7.3): a compliant stack ignores it; likely injected", HFILL } },
    };
    static int *ett[] = { &ett_tcpdiag, &ett_opts, &ett_diag };

    static ei_register_info ei[] = {
        TD_EI(ei_verdict[TD_V_ESTABLISHED], "established", PI_SEQUENCE, PI_CHAT,
              "Handshake completed"),
        TD_EI(ei_verdict[TD_V_NO_RESPONSE], "no_response", PI_SEQUENCE, PI_WARN,
              "No answer to the SYN"),
        TD_EI(ei_verdict[TD_V_PENDING], "pending", PI_SEQUENCE, PI_NOTE,
              "Capture ended before the SYN could be answered"),
        TD_EI(ei_verdict[TD_V_REFUSED], "refused", PI_SEQUENCE, PI_WARN,
              "SYN answered by RST"),
        TD_EI(ei_verdict[TD_V_ICMP_UNREACHABLE], "icmp_unreachable", PI_SEQUENCE, PI_WARN,
              "SYN answered by ICMP destination unreachable"),
        TD_EI(ei_verdict[TD_V_HALF_OPEN], "half_open", PI_SEQUENCE, PI_WARN,
              "SYN/ACK never acknowledged"),
        TD_EI(ei_verdict[TD_V_ABORTED], "aborted", PI_SEQUENCE, PI_WARN,
              "Connecting side reset the handshake"),
        TD_EI(ei_verdict[TD_V_RESET_BEFORE_DATA], "reset_before_data", PI_SEQUENCE, PI_WARN,
              "Reset after the handshake, before any data"),
        TD_EI(ei_verdict[TD_V_SIMULTANEOUS_OPEN], "simultaneous_open", PI_SEQUENCE, PI_NOTE,
              "Simultaneous open"),
        TD_EI(ei_verdict[TD_V_STALE], "stale", PI_SEQUENCE, PI_WARN,
              "SYN met a stale connection (challenge ACK)"),
        TD_EI(ei_verdict[TD_V_MIDSTREAM], "midstream", PI_SEQUENCE, PI_NOTE,
              "Handshake not in the capture: not judged"),
        TD_EI(ei_syn_retrans, "syn_retransmission", PI_SEQUENCE, PI_NOTE, "SYN retransmitted"),
        TD_EI(ei_syn_dup, "syn_duplicate", PI_SEQUENCE, PI_CHAT,
              "Duplicate copy of the SYN (< 10 ms): captured twice, not retransmitted"),
        TD_EI(ei_syn_new_isn, "syn_new_isn", PI_SEQUENCE, PI_NOTE,
              "SYN with a new initial sequence number on the same port pair"),
        TD_EI(ei_synack_retrans, "synack_retransmission", PI_SEQUENCE, PI_NOTE,
              "SYN/ACK retransmitted: no ACK reached the server yet"),
        TD_EI(ei_ack_lost, "ack_lost", PI_SEQUENCE, PI_WARN,
              "SYN/ACK retransmitted although ACKed: the client's ACK is lost on the way"),
        TD_EI(ei_slow_connect, "slow_connect", PI_SEQUENCE, PI_NOTE,
              "Slow connect: the SYN was retransmitted before it was answered"),
        TD_EI(ei_rst_invalid, "rst_invalid", PI_SECURITY, PI_WARN,
              "RST a compliant stack would ignore (no ACK or wrong ack number): likely injected"),
        TD_EI(ei_challenge_ack, "challenge_ack", PI_SEQUENCE, PI_NOTE,
              "Challenge ACK (RFC 5961): the peer holds an older connection on this port pair"),
        TD_EI(ei_challenge_recovered, "challenge_ack_recovered", PI_SEQUENCE, PI_NOTE,
              "Handshake completed after a challenge ACK"),
        TD_EI(ei_missed, "capture_missed_handshake", PI_SEQUENCE, PI_NOTE,
              "This packet proves a handshake whose packets the capture lacks"),
        TD_EI(ei_illegal_flags, "illegal_flags", PI_PROTOCOL, PI_WARN,
              "SYN with RST, SYN/ACK with FIN, or an answering SYN with FIN/PSH/URG: "
              "no stack sends this"),
        TD_EI(ei_syn_flags_odd, "syn_flags_odd", PI_PROTOCOL, PI_NOTE,
              "SYN with FIN/PSH/URG: a scanner's OS-detection probe (still a connection attempt)"),
        TD_EI(ei_unrelated, "unrelated_segment", PI_SEQUENCE, PI_NOTE,
              "Segment whose numbers fit no SYN of this connection (another flow on the same "
              "4-tuple: anonymiser, NAT, mirrored copy): not an answer"),
        TD_EI(ei_ack_wrong, "ack_wrong", PI_SEQUENCE, PI_NOTE,
              "ACK that acknowledges no SYN/ACK of this connection (a scanner's ACK probe or a "
              "stale ACK): it completes nothing"),
        TD_EI(ei_bad_synack, "bad_synack", PI_SEQUENCE, PI_WARN,
              "SYN/ACK that does not acknowledge the SYN"),
        TD_EI(ei_icmp_other, "icmp_error", PI_SEQUENCE, PI_NOTE,
              "ICMP error about this connection that did not decide its verdict"),
        TD_EI(ei_port_reused, "port_reused", PI_SEQUENCE, PI_NOTE,
              "Port pair reused by a new connection"),
        TD_EI(ei_server_rst, "server_reset", PI_SEQUENCE, PI_NOTE,
              "Server reset its half-open connection"),
        TD_EI(ei_opt_wscale, "opt_wscale_declined", PI_PROTOCOL, PI_NOTE,
              "Server declined window scaling: the window is capped at 64 KiB, throughput "
              "limited on long paths"),
        TD_EI(ei_opt_sack, "opt_sack_declined", PI_PROTOCOL, PI_NOTE,
              "Server declined SACK: losses cost more retransmissions"),
        TD_EI(ei_opt_ts, "opt_ts_declined", PI_PROTOCOL, PI_NOTE,
              "Server declined TCP timestamps"),
        TD_EI(ei_opt_ecn, "opt_ecn_declined", PI_PROTOCOL, PI_CHAT, "Server declined ECN"),
        TD_EI(ei_opt_mss_low, "opt_mss_low", PI_PROTOCOL, PI_NOTE,
              "MSS below the Ethernet value: tunnel, VPN, PPPoE or MSS clamping"),
        TD_EI(ei_opt_mss_missing, "opt_mss_missing", PI_PROTOCOL, PI_NOTE,
              "SYN without MSS option: the peer must assume 536 (IPv4) / 1220 (IPv6) bytes"),
        TD_EI(ei_opt_tfo_ignored, "opt_tfo_data_ignored", PI_PROTOCOL, PI_NOTE,
              "TCP Fast Open data in the SYN was not accepted"),
        TD_EI(ei_rst_forged, "rst_forged", PI_SECURITY, PI_WARN,
              "RST most likely forged by a middlebox: its TTL differs from the server's packets"),
        TD_EI(ei_conclusion, "conclusion", PI_SEQUENCE, PI_WARN,
              "Conclusion across connections of this server or service"),
    };

    proto_register_field_array(proto_tcpdiag, hf, array_length(hf));
    int lo = G_MAXINT, hi = -1;
    for (size_t i = 0; i < array_length(hf); i++) {
        lo = MIN(lo, *hf[i].p_id);
        hi = MAX(hi, *hf[i].p_id);
    }
    /* One array registers consecutive ids; anything else falls back to
     * proto_registrar_get_nth() in asked(). */
    if (hi >= lo && (size_t)(hi - lo) < G_N_ELEMENTS(hfi_table)) {
        hfi_base = lo;
        hfi_count = hi - lo + 1;
        for (int id = lo; id <= hi; id++)
            hfi_table[id - lo] = proto_registrar_get_nth((unsigned)id);
    }
    proto_register_subtree_array(ett, array_length(ett));
    for (int i = 0; i < TD_V_COUNT; i++) {
        ei_verdict[i].ei = EI_INIT_EI;
        ei_verdict[i].hf = EI_INIT_HF;
    }
    expert_module_t *em = expert_register_protocol(proto_tcpdiag);
    expert_register_field_array(em, ei, array_length(ei));
}
