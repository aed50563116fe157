/* tcpdiag.c — registration and the post-dissector: finds each packet's TCP
 * connection through the conversation API, feeds the state machine on the
 * first pass, and renders from the stored state on every pass.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "tcpdiag.h"

#include <epan/conversation.h>
#include <epan/prefs.h>
#include <epan/proto_data.h>
#include <epan/tap.h>
#include <epan/to_str.h>
#include <epan/dissectors/packet-tcp.h>
#include <wsutil/wslog.h>

#include "compat.h"
#include "analysis.h"
#include "conn_cache.h"
#include "extract.h"
#include "hook.h"

void proto_register_tcpdiag(void);
void proto_reg_handoff_tcpdiag(void);

int proto_tcpdiag = -1;
int td_tap_id = -1;
static dissector_handle_t tcpdiag_handle;

/* Preferences. */
static guint pref_threshold_ms = 1000;
static td_pref_bool pref_append_info = FALSE;
static td_pref_bool pref_judge_midstream = FALSE;
static td_pref_bool pref_observers = TRUE;
static gboolean use_observers; /* latched per file by the init routine */

/* Latest capture time seen on the first pass: "now" for one-pass output,
 * the end of the capture for second passes and reports. */
static int64_t last_ts_ns, first_ts_ns;
static gboolean have_last_ts;

int64_t td_last_ts(void) { return last_ts_ns; }
int64_t td_first_ts(void) { return first_ts_ns; }
int64_t td_threshold_ns(void) { return (int64_t)pref_threshold_ms * 1000000; }
gboolean td_append_info(void) { return pref_append_info; }
gboolean td_use_observers(void) { return use_observers; }

td_verdict td_verdict_of(const td_conn_ext *cx)
{
    return td_conn_verdict_ex(&cx->c, last_ts_ns, td_threshold_ns(),
                              pref_judge_midstream ? TD_VF_JUDGE_MIDSTREAM : 0);
}

/* Events of the first pass by frame, in frame order: (frame, TD_EV_*). */
typedef struct {
    uint32_t frame, events;
} ev_pair;
static wmem_array_t *event_frames;
static guint event_cursor; /* later passes mostly go in frame order */

static uint32_t events_at(uint32_t frame)
{
    guint n = wmem_array_get_count(event_frames);
    const ev_pair *a = (const ev_pair *)wmem_array_get_raw(event_frames);
    if (event_cursor < n && a[event_cursor].frame == frame)
        return a[event_cursor++].events;
    guint lo = 0, hi = n;
    while (lo < hi) {
        guint mid = lo + (hi - lo) / 2;
        if (a[mid].frame < frame)
            lo = mid + 1;
        else
            hi = mid;
    }
    event_cursor = lo;
    if (lo < n && a[lo].frame == frame) {
        event_cursor = lo + 1;
        return a[lo].events;
    }
    return 0;
}

/* True when pinfo names the same segment as the first pass did: later
 * passes (endpoints_from_pinfo) will find this connection again. */
static gboolean pinfo_matches(packet_info *pinfo, const td_extracted *x)
{
    return pinfo->ptype == PT_TCP && !pinfo->flags.in_error_pkt &&
           pinfo->srcport == x->sport && pinfo->destport == x->dport &&
           addresses_equal(&pinfo->src, &x->src) && addresses_equal(&pinfo->dst, &x->dst);
}

static void init_tcpdiag(void)
{
    event_frames = wmem_array_new(wmem_file_scope(), sizeof(ev_pair));
    event_cursor = 0;
    last_ts_ns = first_ts_ns = 0;
    have_last_ts = FALSE;
    td_analysis_init();
    td_render_reset();
    td_conn_cache_reset();
    /* Chosen once per file (enabling the protocol, a preference or Decode
     * As redissects and so comes through here): the two ways of reading
     * packets must not mix, and the observers test one flag per packet. */
    gboolean enabled = proto_is_protocol_enabled(find_protocol_by_id(proto_tcpdiag));
    use_observers = enabled && pref_observers && td_hook_installed();
    td_extract_init(tcpdiag_handle, enabled);
}

/* Orders the two endpoints like a conversation key would: the direction of
 * a segment is 0 when sent by the lower (address, port). */
static uint8_t direction_of(const td_extracted *x)
{
    int c = cmp_address(&x->src, &x->dst);
    if (c == 0)
        c = (x->sport > x->dport) - (x->sport < x->dport);
    return c <= 0 ? 0 : 1;
}

static conversation_t *conversation_of(packet_info *pinfo, const td_extracted *x, gboolean create)
{
    conversation_t *conv = find_conversation(pinfo->num, &x->src, &x->dst, TD_CONV_TCP,
                                             x->sport, x->dport, 0);
    if (!conv && create)
        /* An ICMP error quoting a connection TCP never saw (its SYN was not
         * captured): give it a conversation so later packets share it. */
        conv = conversation_new(pinfo->num, &x->src, &x->dst, TD_CONV_TCP, x->sport, x->dport, 0);
    return conv;
}

/* True when an earlier conversation on the same 4-tuple already carried a
 * connection of ours: TCP started a new stream for a reused port pair. */
static gboolean port_reused(packet_info *pinfo, const td_extracted *x, conversation_t *conv)
{
    if (pinfo->num <= 1 || conv->setup_frame <= 1)
        return FALSE;
    conversation_t *prev = find_conversation(conv->setup_frame - 1, &x->src, &x->dst,
                                             TD_CONV_TCP, x->sport, x->dport, 0);
    return prev && prev != conv && conversation_get_proto_data(prev, proto_tcpdiag) != NULL;
}

/* The connection of the conversation TCP used before conv on the same
 * 4-tuple, when segment x carries it on. Wireshark 4.2+ starts a new
 * tcp.stream (a new conversation) for more segments than 4.0 does: a SYN
 * retransmitted after the peer's challenge ACK and our RST (RFC 5961 4.2), a
 * SYN/ACK after an RST, a duplicated SYN after the RST refusing it. Those are
 * still the same handshake attempt, so the verdict must not depend on the
 * split: only a SYN with a new initial sequence number begins a new attempt
 * (RFC 9293 3.4.1: a new incarnation picks a new ISN); anything else carries
 * the previous attempt on. */
static td_conn_ext *continued_connection(packet_info *pinfo, const td_extracted *x,
                                         conversation_t *conv)
{
    if (x->pkt.kind != TD_PKT_TCP || !x->pkt.flags_known || pinfo->num <= 1 ||
        conv->setup_frame <= 1)
        return NULL;
    conversation_t *prev = find_conversation(conv->setup_frame - 1, &x->src, &x->dst,
                                             TD_CONV_TCP, x->sport, x->dport, 0);
    if (!prev || prev == conv)
        return NULL;
    td_conn_ext *cx = (td_conn_ext *)conversation_get_proto_data(prev, proto_tcpdiag);
    if (!cx)
        return NULL;
    gboolean pure_syn = (x->pkt.flags & (TD_TH_SYN | TD_TH_ACK)) == TD_TH_SYN;
    if (pure_syn && (!cx->c.frame_syn || x->pkt.seq != cx->c.isn_c))
        return NULL; /* a new attempt on a reused port pair */
    return cx;
}

static td_conn_ext *connection_lookup(packet_info *pinfo, td_extracted *x, gboolean first_pass)
{
    conversation_t *conv = conversation_of(pinfo, x, first_pass && x->pkt.kind != TD_PKT_TCP);
    if (!conv)
        return NULL;
    td_conn_ext *cx = (td_conn_ext *)conversation_get_proto_data(conv, proto_tcpdiag);
    if (cx || !first_pass)
        return cx;
    cx = continued_connection(pinfo, x, conv);
    if (cx) {
        /* Later passes find it from this conversation too; the cache
         * (conn_cache.c) follows the newest conversation of the tuple. */
        conversation_add_proto_data(conv, proto_tcpdiag, cx);
        cx->conv = conv;
        return cx;
    }
    cx = wmem_new0(wmem_file_scope(), td_conn_ext);
    td_conn_init(&cx->c);
    td_opts_init(&cx->opts);
    cx->conv = conv;
    TD_STREAM(cx) = TD_STREAM_NONE;
    td_note_connection(cx);
    if (port_reused(pinfo, x, conv))
        cx->c.findings |= TD_F_PORT_REUSED;
    conversation_add_proto_data(conv, proto_tcpdiag, cx);
    return cx;
}

/* The connection of x: on the first pass through conn_cache.c. */
static td_conn_ext *connection_of(packet_info *pinfo, td_extracted *x, gboolean first_pass)
{
    /* Not for a SYN or SYN/ACK: those are where TCP may start a new
     * conversation on the same 4-tuple, and 4.2+ do so without making the
     * old one "not newest" (TD_CONV_IS_NEWEST) in every case (a SYN/ACK
     * after an RST): look such segments up, continued_connection() decides. */
    if (first_pass && x->pkt.kind == TD_PKT_TCP && !(x->pkt.flags & TD_TH_SYN)) {
        td_conn_ext *hit = td_conn_cache_get(x);
        if (hit)
            return hit;
    }
    td_conn_ext *cx = connection_lookup(pinfo, x, first_pass);
    if (cx && first_pass && x->pkt.kind == TD_PKT_TCP)
        td_conn_cache_put(x, cx);
    return cx;
}

static void first_pass(packet_info *pinfo, td_extracted *x, td_conn_ext **cxp, uint32_t *events)
{
    td_conn_ext *cx = connection_of(pinfo, x, TRUE);
    if (!cx)
        return;
    if (TD_STREAM(cx) == TD_STREAM_NONE)
        TD_STREAM(cx) = x->stream;
    if (TD_STREAM(cx) == TD_STREAM_NONE && cx->conv) {
        /* Without fields: TCP's own stream index, from its conversation data
         * (a whole quoted header gets one too; an 8-byte quote of a
         * connection TCP never saw does not, and stays without). */
        static int proto_tcp = -1;
        if (proto_tcp < 0)
            proto_tcp = proto_get_id_by_filter_name("tcp");
        const struct tcp_analysis *tcpd =
            (const struct tcp_analysis *)conversation_get_proto_data(cx->conv, proto_tcp);
        if (tcpd)
            TD_STREAM(cx) = tcpd->stream;
    }
    uint32_t ev = td_conn_update(&cx->c, &x->pkt);
    if ((ev & TD_EV_ANSWER_ICMP) && x->reporter.type != AT_NONE)
        td_note_answer_icmp(cx, &x->reporter);
    if ((ev & (TD_EV_ANSWER_RST | TD_EV_RST_INVALID)) && x->has_ttl)
        td_note_answer_rst(cx, x->ttl);
    if ((ev & (TD_EV_SYNACK | TD_EV_SYNACK_RETRANS)) && x->has_ttl)
        td_note_server_ttl(&x->src, x->ttl); /* the baseline for forged RSTs */
    if (ev & TD_EV_SYN)
        td_opts_from_syn(&cx->opts, &x->opts, x->pkt.payload_len);
    if (ev & TD_EV_SYNACK)
        /* With TCP Fast Open the SYN/ACK acknowledges the SYN's data too. */
        td_opts_from_synack(&cx->opts, &x->opts, x->pkt.ack - cx->c.isn_c > 1);
    if ((ev & TD_EV_SYN_RETRANS) && cx->c.frame_syn)
        td_note_syn_retry(cx, x->pkt.ts_ns - cx->c.ts_first_syn);
    if (ev && x->pkt.kind == TD_PKT_TCP && pinfo_matches(pinfo, x)) {
        /* Later passes find this connection from pinfo: 8 bytes per event
         * instead of a per-packet record (~80 bytes with its list node). */
        td_analysis_touch();
        ev_pair e = { pinfo->num, ev };
        wmem_array_append_one(event_frames, e);
    } else if (ev) {
        td_analysis_touch();
        td_pkt_record *rec = wmem_new0(wmem_file_scope(), td_pkt_record);
        rec->cx = cx;
        rec->events = ev;
        if (x->pkt.kind != TD_PKT_TCP) {
            /* pinfo of an ICMP error holds the outer addresses; keep the
             * quoted segment's for reports on later passes. */
            td_endpoints *ep = wmem_new0(wmem_file_scope(), td_endpoints);
            copy_address_wmem(wmem_file_scope(), &ep->src, &x->src);
            copy_address_wmem(wmem_file_scope(), &ep->dst, &x->dst);
            ep->sport = x->sport;
            ep->dport = x->dport;
            ep->dir = x->pkt.dir;
            rec->quoted = ep;
        }
        p_add_proto_data(wmem_file_scope(), pinfo, proto_tcpdiag, 0, rec);
    }
    *cxp = cx;
    *events = ev;
}

/* Endpoints of a TCP segment from pinfo (set by the innermost IP and TCP
 * layers). Later passes must use these: the wanted fields are primed on the
 * first pass only. */
static gboolean endpoints_from_pinfo(packet_info *pinfo, td_extracted *x)
{
    if (pinfo->ptype != PT_TCP || pinfo->flags.in_error_pkt ||
        (pinfo->src.type != AT_IPv4 && pinfo->src.type != AT_IPv6))
        return FALSE;
    memset(&x->pkt, 0, sizeof x->pkt);
    copy_address_shallow(&x->src, &pinfo->src);
    copy_address_shallow(&x->dst, &pinfo->dst);
    x->sport = (uint16_t)pinfo->srcport;
    x->dport = (uint16_t)pinfo->destport;
    x->pkt.kind = TD_PKT_TCP;
    x->pkt.dir = direction_of(x);
    return TRUE;
}

static void publish_tap(packet_info *pinfo, const td_conn_ext *cx, const td_endpoints *ep)
{
    td_tap_info *ti = wmem_new0(pinfo->pool, td_tap_info);
    ti->cx = cx;
    if (ep) {
        /* Taps run after dissection: copy what lives on our stack. */
        address *src = wmem_new(pinfo->pool, address), *dst = wmem_new(pinfo->pool, address);
        copy_address_wmem(pinfo->pool, src, &ep->src);
        copy_address_wmem(pinfo->pool, dst, &ep->dst);
        ti->src = src;
        ti->dst = dst;
        ti->sport = ep->sport;
        ti->dport = ep->dport;
        ti->dir = ep->dir;
    }
    tap_queue_packet(td_tap_id, pinfo, ti);
}

static void endpoints_of(const td_extracted *x, td_endpoints *ep)
{
    copy_address_shallow(&ep->src, &x->src);
    copy_address_shallow(&ep->dst, &x->dst);
    ep->sport = x->sport;
    ep->dport = x->dport;
    ep->dir = x->pkt.dir;
}

static int dissect_tcpdiag(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data _U_)
{
    td_conn_ext *cx = NULL;
    uint32_t events = 0;
    td_extracted x;
    td_endpoints ep_local;
    const td_endpoints *ep = NULL;

    if (!PINFO_FD_VISITED(pinfo)) {
        int64_t ts = td_time_ns(&pinfo->abs_ts);
        if (!have_last_ts) {
            first_ts_ns = last_ts_ns = ts;
            have_last_ts = TRUE;
        } else if (ts > last_ts_ns) {
            last_ts_ns = ts;
        } else if (ts < first_ts_ns) {
            first_ts_ns = ts;
        }
        if (td_extract(tree, pinfo, &x)) {
            x.pkt.dir = direction_of(&x);
            first_pass(pinfo, &x, &cx, &events);
            endpoints_of(&x, &ep_local);
            ep = &ep_local;
        }
    } else {
        td_pkt_record *rec = (td_pkt_record *)p_get_proto_data(wmem_file_scope(), pinfo,
                                                               proto_tcpdiag, 0);
        if (rec) {
            cx = rec->cx;
            events = rec->events;
            ep = rec->quoted;
        }
        if (!ep && endpoints_from_pinfo(pinfo, &x)) {
            /* No event on this packet: find its connection again rather
             * than storing a pointer for every packet. */
            if (!cx) {
                cx = connection_of(pinfo, &x, FALSE);
                if (cx)
                    events = events_at(pinfo->num);
            }
            endpoints_of(&x, &ep_local);
            ep = &ep_local;
        }
    }
    if (!cx)
        return 0;
    td_render(tvb, pinfo, tree, cx, events);
    if (have_tap_listener(td_tap_id))
        publish_tap(pinfo, cx, ep);
    return tvb_captured_length(tvb);
}

void proto_register_tcpdiag(void)
{
    proto_tcpdiag = proto_register_protocol("TCP Handshake Diagnosis", "TCPDIAG", "tcpdiag");
    td_render_register();

    module_t *m = prefs_register_protocol(proto_tcpdiag, NULL);
    prefs_register_uint_preference(m, "no_response_threshold",
        "No-response threshold (ms)",
        "A single SYN (or SYN/ACK) left unanswered for at least this long before the "
        "capture ends counts as unanswered (no-response / half-open) rather than pending.",
        10, &pref_threshold_ms);
    prefs_register_bool_preference(m, "append_info",
        "Append the verdict to the Info column",
        "Adds \"[tcpdiag: <verdict>]\" to the Info column of every packet of a judged "
        "connection.", &pref_append_info);
    prefs_register_bool_preference(m, "judge_midstream",
        "Judge connections whose SYN is missing",
        "When the capture holds a connection's SYN/ACK but not its SYN (capture started "
        "late, one direction only), judge it from the SYN/ACK on (established, half-open...) "
        "instead of calling it midstream.", &pref_judge_midstream);
    prefs_register_bool_preference(m, "header_observers",
        "Read TCP/ICMP headers directly (fast)",
        "Read each TCP header (and the ICMP error quoting one) as the IP layer hands it to "
        "TCP, without a protocol tree. Off: read them from Wireshark's dissected fields "
        "instead, which makes tshark build a protocol tree for every packet (slower). tcpdiag "
        "does that by itself when Decode As or another plugin has replaced TCP or ICMP in the "
        "IP protocol table.",
        &pref_observers);

    tcpdiag_handle = register_dissector("tcpdiag", dissect_tcpdiag, proto_tcpdiag);
    register_postdissector(tcpdiag_handle);
    register_init_routine(init_tcpdiag);
    register_cleanup_routine(td_analysis_cleanup);
    td_tap_id = register_tap("tcpdiag");
    td_hook_register();
}

void proto_reg_handoff_tcpdiag(void)
{
    /* Read TCP/ICMP headers as IP hands them over; if that cannot be set
     * up, extract.c falls back to wanted fields (and a tree). */
    td_hook_handoff();
    td_report_conn_register();
    td_report_servers_register();
    td_stats_tree_register();
}
