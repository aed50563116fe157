/* conn_table.c — see conn_table.h.
 *
 * A connection is Wireshark TCP's conversation: its record hangs off the
 * conversation (conversation_add_proto_data), so a port pair TCP reuses
 * for a new connection gets a new record, and later passes find it again
 * from the packet's addresses and frame number.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "conn_table.h"

#include <epan/proto_data.h>
#include <epan/to_str.h>
#include <epan/dissectors/packet-tcp.h>

#include "compat.h"
#include "conn_cache.h"

static int proto_owner = -1;

static wmem_array_t *connections; /* td_conn_ext*, file scope, in order of appearance */
static wmem_map_t *answers;       /* td_conn_ext* -> td_answers* (rare) */
static guint64 generation;

/* First-pass times of the capture. */
static int64_t last_ts_ns, first_ts_ns;
static gboolean have_ts;

/* Events of the first pass by frame, in frame order: (frame, TD_EV_*), for
 * segments that later passes find again from pinfo — 8 bytes per event
 * instead of a per-packet record. */
typedef struct {
    uint32_t frame, events;
} ev_pair;
static wmem_array_t *event_frames;
static guint event_cursor; /* later passes mostly go in frame order */

/* The others (ICMP errors: pinfo holds the outer addresses) keep a record
 * attached to the frame. */
typedef struct {
    td_conn_ext *cx;
    uint32_t events;
} event_record;

void td_conn_table_register(int proto)
{
    proto_owner = proto;
}

void td_conn_table_init(void)
{
    connections = wmem_array_new(wmem_file_scope(), sizeof(td_conn_ext *));
    answers = wmem_map_new(wmem_file_scope(), g_direct_hash, g_direct_equal);
    event_frames = wmem_array_new(wmem_file_scope(), sizeof(ev_pair));
    event_cursor = 0;
    generation = 0;
    last_ts_ns = first_ts_ns = 0;
    have_ts = FALSE;
    td_conn_cache_reset();
}

void td_conn_table_cleanup(void)
{
    connections = NULL;
    answers = NULL;
    event_frames = NULL;
}

void td_conn_table_note_time(int64_t ts)
{
    if (!have_ts) {
        first_ts_ns = last_ts_ns = ts;
        have_ts = TRUE;
    } else if (ts > last_ts_ns) {
        last_ts_ns = ts;
    } else if (ts < first_ts_ns) {
        first_ts_ns = ts;
    }
}

int64_t td_capture_last_ts(void) { return last_ts_ns; }
int64_t td_capture_first_ts(void) { return first_ts_ns; }

void td_conn_table_touch(void) { generation++; }
guint64 td_conn_table_generation(void) { return generation; }

td_verdict td_verdict_of(const td_conn_ext *cx, const td_prefs *prefs)
{
    return td_conn_verdict_ex(&cx->c, last_ts_ns, td_prefs_threshold_ns(prefs),
                              prefs->judge_midstream ? TD_VF_JUDGE_MIDSTREAM : 0);
}

guint td_conn_count(void)
{
    return connections ? wmem_array_get_count(connections) : 0;
}

td_conn_ext *td_conn_at(guint i)
{
    return *(td_conn_ext **)wmem_array_index(connections, i);
}

/* ---- lookup ------------------------------------------------------------ */

static conversation_t *conversation_of(packet_info *pinfo, const td_tuple *t, gboolean create)
{
    address src, dst;
    td_tuple_address(t, 0, &src);
    td_tuple_address(t, 1, &dst);
    conversation_t *conv =
        find_conversation(pinfo->num, &src, &dst, TD_CONV_TCP, t->port[0], t->port[1], 0);
    if (!conv && create)
        /* An ICMP error quoting a connection TCP never saw (its SYN was not
         * captured): give it a conversation so later packets share it. */
        conv = conversation_new(pinfo->num, &src, &dst, TD_CONV_TCP, t->port[0], t->port[1], 0);
    return conv;
}

/* The conversation TCP used before conv on t's 4-tuple, or NULL: where TCP
 * started a new stream for a reused port pair (or split one attempt, see
 * continued_connection()). Looked up once per new record, for both uses. */
static conversation_t *previous_conversation(packet_info *pinfo, const td_tuple *t,
                                             conversation_t *conv)
{
    if (pinfo->num <= 1 || conv->setup_frame <= 1)
        return NULL;
    address src, dst;
    td_tuple_address(t, 0, &src);
    td_tuple_address(t, 1, &dst);
    conversation_t *prev = find_conversation(conv->setup_frame - 1, &src, &dst, TD_CONV_TCP,
                                             t->port[0], t->port[1], 0);
    return prev != conv ? prev : NULL;
}

/* tcp.stream of a connection read without fields: TCP's own index, from
 * its conversation data (a whole quoted header gets one too; an 8-byte
 * quote of a connection TCP never saw does not, and stays without). */
static uint32_t tcp_stream_of(conversation_t *conv)
{
    static int proto_tcp = -1;
    if (proto_tcp < 0)
        proto_tcp = proto_get_id_by_filter_name("tcp");
    const struct tcp_analysis *tcpd =
        (const struct tcp_analysis *)conversation_get_proto_data(conv, proto_tcp);
    return tcpd ? tcpd->stream : TD_STREAM_NONE;
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
static td_conn_ext *continued_connection(const td_extracted *x, conversation_t *conv,
                                         conversation_t *prev)
{
    if (x->pkt.kind != TD_PKT_TCP || !x->pkt.flags_known || !prev)
        return NULL;
    td_conn_ext *cx = (td_conn_ext *)conversation_get_proto_data(prev, proto_owner);
    if (!cx)
        return NULL;
    gboolean pure_syn = (x->pkt.flags & (TD_TH_SYN | TD_TH_ACK)) == TD_TH_SYN;
    if (pure_syn && (!cx->c.frame_syn || x->pkt.seq != cx->c.isn_c))
        return NULL; /* a new attempt on a reused port pair */
    /* Later passes find it from this conversation too; the cache
     * (conn_cache.c) follows the newest conversation of the tuple. */
    conversation_add_proto_data(conv, proto_owner, cx);
    cx->conv = conv;
    return cx;
}

/* The record on the conversation of t; with create (first pass), the
 * record is made if missing, and so is the conversation of an ICMP quote
 * (new_conv) — never a segment's: TCP made one for every segment it took. */
static td_conn_ext *lookup(packet_info *pinfo, const td_tuple *t, gboolean create,
                           const td_extracted *x)
{
    gboolean new_conv = x && x->pkt.kind != TD_PKT_TCP;
    conversation_t *conv = conversation_of(pinfo, t, create && new_conv);
    if (!conv)
        return NULL;
    td_conn_ext *cx = (td_conn_ext *)conversation_get_proto_data(conv, proto_owner);
    if (cx || !create)
        return cx;
    conversation_t *prev = previous_conversation(pinfo, t, conv);
    if ((cx = continued_connection(x, conv, prev)) != NULL)
        return cx;
    cx = wmem_new0(wmem_file_scope(), td_conn_ext);
    td_conn_init(&cx->c);
    td_opts_init(&cx->opts);
    cx->conv = conv;
    TD_STREAM(cx) = TD_STREAM_NONE;
    wmem_array_append_one(connections, cx);
    /* An earlier conversation on the 4-tuple already carried a connection
     * of ours: TCP started a new stream for a reused port pair. */
    if (prev && conversation_get_proto_data(prev, proto_owner) != NULL)
        cx->c.findings |= TD_F_PORT_REUSED;
    conversation_add_proto_data(conv, proto_owner, cx);
    return cx;
}

td_conn_ext *td_conn_table_get(packet_info *pinfo, const td_extracted *x)
{
    td_conn_ext *cx = NULL;
    if (x->pkt.kind == TD_PKT_TCP) {
        td_tuple key;
        td_tuple_canonical(&x->tuple, &key);
        /* Not for a SYN or SYN/ACK: those are where TCP may start a new
         * conversation on the same 4-tuple, and 4.2+ do so without making
         * the old one "not newest" (TD_CONV_IS_NEWEST) in every case (a
         * SYN/ACK after an RST): look such segments up, and
         * continued_connection() decides. */
        if (!(x->pkt.flags & TD_TH_SYN))
            cx = td_conn_cache_get(&key);
        if (!cx) {
            cx = lookup(pinfo, &x->tuple, TRUE, x);
            if (cx)
                td_conn_cache_put(&key, cx);
        }
    } else {
        cx = lookup(pinfo, &x->tuple, TRUE, x);
    }
    if (cx && TD_STREAM(cx) == TD_STREAM_NONE)
        TD_STREAM(cx) = x->stream != TD_STREAM_NONE ? x->stream : tcp_stream_of(cx->conv);
    return cx;
}

/* ---- the per-frame event index ---------------------------------------- */

/* True when pinfo names the same segment as x: later passes (revisit) will
 * find this connection again from pinfo. */
static gboolean pinfo_matches(packet_info *pinfo, const td_extracted *x)
{
    td_tuple t;
    return pinfo->ptype == PT_TCP && !pinfo->flags.in_error_pkt &&
           x->pkt.kind == TD_PKT_TCP && td_tuple_from_pinfo(pinfo, &t) &&
           td_tuple_equal(&t, &x->tuple);
}

void td_conn_table_set_events(packet_info *pinfo, td_conn_ext *cx, uint32_t events,
                              const td_extracted *x)
{
    if (!events)
        return;
    td_conn_table_touch();
    if (pinfo_matches(pinfo, x)) {
        ev_pair e = { pinfo->num, events };
        wmem_array_append_one(event_frames, e);
        return;
    }
    event_record *rec = wmem_new(wmem_file_scope(), event_record);
    rec->cx = cx;
    rec->events = events;
    p_add_proto_data(wmem_file_scope(), pinfo, proto_owner, TD_KEY_EVENT_RECORD, rec);
}

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

td_conn_ext *td_conn_table_revisit(packet_info *pinfo, uint32_t *events)
{
    const event_record *rec = (const event_record *)p_get_proto_data(
        wmem_file_scope(), pinfo, proto_owner, TD_KEY_EVENT_RECORD);
    if (rec) {
        *events = rec->events;
        return rec->cx;
    }
    /* No record: a segment found again from pinfo (set by the innermost IP
     * and TCP layers), rather than a pointer stored for every packet. */
    td_tuple t;
    if (pinfo->ptype != PT_TCP || pinfo->flags.in_error_pkt || !td_tuple_from_pinfo(pinfo, &t))
        return NULL;
    td_conn_ext *cx = lookup(pinfo, &t, FALSE, NULL);
    *events = cx ? events_at(pinfo->num) : 0;
    return cx;
}

/* ---- answers ----------------------------------------------------------- */

static td_answers *answers_of(const td_conn_ext *cx, gboolean create)
{
    td_answers *ai = answers ? (td_answers *)wmem_map_lookup(answers, cx) : NULL;
    if (!ai && create) {
        ai = wmem_new0(wmem_file_scope(), td_answers);
        wmem_map_insert(answers, (void *)cx, ai);
    }
    return ai;
}

const td_answers *td_conn_answers(const td_conn_ext *cx)
{
    return answers_of(cx, FALSE);
}

void td_conn_note_answer_rst(const td_conn_ext *cx, uint8_t ttl)
{
    td_answers *ai = answers_of(cx, TRUE);
    if (!ai->have_rst_ttl) {
        ai->rst_ttl = ttl;
        ai->have_rst_ttl = TRUE;
    }
}

void td_conn_note_answer_icmp(const td_conn_ext *cx, const address *reporter)
{
    td_answers *ai = answers_of(cx, TRUE);
    if (!ai->icmp_reporter)
        ai->icmp_reporter = address_to_str(wmem_file_scope(), reporter);
}

void td_conn_note_syn_retry(const td_conn_ext *cx, int64_t offset_ns)
{
    td_answers *ai = answers_of(cx, TRUE);
    if (ai->n_retries < TD_RETRIES_KEPT && offset_ns >= 0)
        ai->retry_us[ai->n_retries++] = (uint32_t)MIN(offset_ns / 1000, G_MAXUINT32);
}

/* ---- endpoints --------------------------------------------------------- */

gboolean td_conn_tuple(const td_conn_ext *cx, td_tuple *canonical)
{
    if (!cx->conv)
        return FALSE;
    const address *a1 = conversation_key_addr1(cx->conv->key_ptr);
    const address *a2 = conversation_key_addr2(cx->conv->key_ptr);
    if (!a1 || !a2 || a1->type != a2->type || a1->len != a2->len)
        return FALSE;
    td_tuple t;
    if (!td_tuple_set(&t, a1->data, a2->data, a1->len,
                      (uint16_t)conversation_key_port1(cx->conv->key_ptr),
                      (uint16_t)conversation_key_port2(cx->conv->key_ptr)))
        return FALSE;
    td_tuple_canonical(&t, canonical);
    return TRUE;
}
