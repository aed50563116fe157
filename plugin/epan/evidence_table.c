/* evidence_table.c — see evidence_table.h.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "evidence_table.h"

#include <string.h>

#include <epan/proto_data.h>

#include "tcp_wire.h"

static int proto_owner = -1;
static td_checklist *cl;       /* created with the first message */
static GHashTable *conns;      /* td_conn_ext* -> td_conn_evidence* (file scope) */
static guint zw_open_count;    /* connections whose zero window is still closed */
static guint64 generation;
static guint frames_noted;       /* frames with a td_ev_frame record */
static uint32_t last_noted_frame; /* the last of them */
static GHashTable *dns_tcp;      /* dns_tcp_key* -> dns_tcp_stream*: split DNS-over-TCP messages */
static GHashTable *sweep_notes;  /* requester td_ip* (file scope) -> frame; td_evidence_prepared */

void td_evidence_register(int proto)
{
    proto_owner = proto;
}

void td_evidence_init(void)
{
    td_evidence_cleanup();
    conns = g_hash_table_new(g_direct_hash, g_direct_equal);
    generation++;
}

void td_evidence_cleanup(void)
{
    td_cl_free(cl);
    cl = NULL;
    if (conns)
        g_hash_table_destroy(conns);
    conns = NULL;
    if (sweep_notes)
        g_hash_table_destroy(sweep_notes);
    sweep_notes = NULL;
    if (dns_tcp)
        g_hash_table_destroy(dns_tcp);
    dns_tcp = NULL;
    zw_open_count = 0;
    frames_noted = 0;
    last_noted_frame = 0;
}

td_ip td_evidence_ip(const address *a)
{
    td_ip ip;
    memset(&ip, 0, sizeof ip);
    if (a->type == AT_IPv4 && a->len == 4)
        ip = td_ip4((const uint8_t *)a->data);
    else if (a->type == AT_IPv6 && a->len == 16)
        ip = td_ip6((const uint8_t *)a->data);
    return ip;
}

static td_checklist *checklist(void)
{
    if (!cl)
        cl = td_cl_new();
    return cl;
}

static gboolean eth_src(packet_info *pinfo, td_mac *m)
{
    if (pinfo->dl_src.type != AT_ETHER || pinfo->dl_src.len != 6)
        return FALSE;
    memcpy(m->a, pinfo->dl_src.data, 6);
    return TRUE;
}

static uint16_t be16(const guint8 *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

/* DNS over TCP is framed by a 2-byte length (RFC 1035 4.2.2, RFC 7766 8).
 * With TCP's desegmentation on, the DNS dissector asks for whole messages
 * and the observer sees them reassembled (evidence_hook.c hands DNS the
 * right to ask); with it off (tcp.desegment_tcp_streams:FALSE), each
 * direction of a port-53 stream keeps the bytes of its unfinished message
 * here, in sequence order: a
 * retransmission is skipped, a gap starts over (the message is lost, its
 * lookup stays unanswered rather than wrong). */
typedef struct {
    td_ip src, dst;
    guint16 sport, dport;
} dns_tcp_key;

typedef struct {
    dns_tcp_key key;
    guint32 next_seq;
    GByteArray *buf;
} dns_tcp_stream;


static guint dns_tcp_hash(gconstpointer p)
{
    const dns_tcp_key *k = (const dns_tcp_key *)p;
    uint64_t h = td_hash_ip(td_hash_ip(TD_HASH_INIT, &k->src), &k->dst);
    return (guint)td_hash(h, &k->sport, sizeof k->sport) ^ k->dport;
}

static gboolean dns_tcp_equal(gconstpointer a, gconstpointer b)
{
    const dns_tcp_key *x = (const dns_tcp_key *)a, *y = (const dns_tcp_key *)b;
    return x->sport == y->sport && x->dport == y->dport && td_ip_eq(&x->src, &y->src) &&
           td_ip_eq(&x->dst, &y->dst);
}

static void dns_tcp_free(gpointer p)
{
    dns_tcp_stream *st = (dns_tcp_stream *)p;
    if (st->buf)
        g_byte_array_free(st->buf, TRUE);
    g_free(st);
}

/* Whole messages at the start of data[0..len): fed; returns the bytes used. */
static guint feed_messages(td_checklist *c, const dns_tcp_key *k, const guint8 *data, guint len,
                           uint32_t frame, int64_t ts, td_cl_frame *out, guint room, guint *n)
{
    guint off = 0;
    while (off + 2 <= len) {
        guint mlen = be16(data + off);
        if (off + 2 + mlen > len)
            break;
        if (mlen > 0 && *n < room) {
            td_cl_frame f = td_cl_dns_tcp(c, &k->src, &k->dst, k->sport, k->dport,
                                          data + off + 2, mlen, frame, ts);
            if (f.kind != TD_CL_NONE)
                out[(*n)++] = f;
        }
        off += 2 + mlen;
    }
    return off;
}

static guint feed_dns_tcp(td_checklist *c, const td_seen_item *it, uint32_t frame, int64_t ts,
                          td_cl_frame *out, guint room)
{
    dns_tcp_key k;
    memset(&k, 0, sizeof k);
    k.src = td_evidence_ip(&it->src);
    k.dst = td_evidence_ip(&it->dst);
    k.sport = it->sport;
    k.dport = it->dport;
    guint n = 0;
    dns_tcp_stream *st = dns_tcp ? (dns_tcp_stream *)g_hash_table_lookup(dns_tcp, &k) : NULL;
    if (!it->has_seq) {
        /* Wireshark's reassembly handed over whole messages (the DNS
         * dissector asked TCP for them): what was kept is in there too */
        if (st)
            g_byte_array_set_size(st->buf, 0);
        feed_messages(c, &k, it->data, it->len, frame, ts, out, room, &n);
        return n;
    }
    if (st && st->buf->len) {
        gint32 d = (gint32)(it->seq - st->next_seq);
        if (d < 0 && (gint32)(it->nxtseq - st->next_seq) <= 0)
            return 0; /* a retransmission of bytes already kept */
        if (d != 0 || st->buf->len + it->len > TD_DNS_TCP_BUFFER) {
            g_byte_array_set_size(st->buf, 0); /* a gap, or too long: start over */
        } else {
            g_byte_array_append(st->buf, it->data, it->len);
            st->next_seq = it->nxtseq;
            guint used = feed_messages(c, &k, st->buf->data, st->buf->len, frame, ts, out, room,
                                       &n);
            g_byte_array_remove_range(st->buf, 0, used);
            return n;
        }
    }
    guint used = feed_messages(c, &k, it->data, it->len, frame, ts, out, room, &n);
    if (used < it->len && it->len - used <= TD_DNS_TCP_BUFFER) {
        if (!st) {
            if (!dns_tcp)
                dns_tcp = g_hash_table_new_full(dns_tcp_hash, dns_tcp_equal, NULL, dns_tcp_free);
            if (g_hash_table_size(dns_tcp) >= TD_DNS_TCP_STREAMS)
                return n;
            st = g_new0(dns_tcp_stream, 1);
            st->key = k;
            st->buf = g_byte_array_new();
            g_hash_table_insert(dns_tcp, &st->key, st);
        }
        g_byte_array_set_size(st->buf, 0);
        g_byte_array_append(st->buf, it->data + used, it->len - used);
        st->next_seq = it->nxtseq;
    } else if (st) {
        g_byte_array_set_size(st->buf, 0);
    }
    return n;
}

void td_evidence_feed(packet_info *pinfo, const td_hook_pkt *h, const td_seen *seen)
{
    td_cl_frame got[TD_SEEN_PER_FRAME + 1];
    guint n = 0;
    uint32_t frame = pinfo->num;
    int64_t ts = td_time_ns(&pinfo->abs_ts);
    gboolean icmp = h && h->icmp_version && h->icmp_msg && h->icmp_len >= 8;
    if (!icmp && !seen)
        return;
    td_checklist *c = checklist();
    if (!c)
        return;
    if (icmp) {
        td_ip src = td_evidence_ip(&h->reporter), dst = td_evidence_ip(&h->icmp_dst);
        td_mac m;
        gboolean have_m = eth_src(pinfo, &m);
        td_cl_frame f = td_cl_icmp(c, h->icmp_msg, h->icmp_len, h->icmp_version == 6, &src, &dst,
                                   have_m ? &m : NULL, frame, ts);
        if (f.kind != TD_CL_NONE)
            got[n++] = f;
    }
    for (guint i = 0; seen && i < seen->n && n < G_N_ELEMENTS(got); i++) {
        const td_seen_item *it = &seen->item[i];
        if (it->kind == TD_SEEN_ARP) {
            td_cl_frame f = td_cl_arp(c, it->data, it->len, frame, ts);
            if (f.kind != TD_CL_NONE)
                got[n++] = f;
        } else if (it->kind == TD_SEEN_UDP) {
            td_ip src = td_evidence_ip(&it->src), dst = td_evidence_ip(&it->dst);
            if (!src.family || src.family != dst.family)
                continue;
            td_cl_frame f = td_cl_udp(c, &src, &dst, it->sport, it->dport, it->data, it->len,
                                      frame, ts);
            if (f.kind != TD_CL_NONE)
                got[n++] = f;
        } else if (it->kind == TD_SEEN_DNS_TCP) {
            n += feed_dns_tcp(c, it, frame, ts, got + n, (guint)G_N_ELEMENTS(got) - n);
        }
    }
    if (n == 0)
        return; /* an ICMP error about TCP, a message no reader took: nothing changed */
    generation++;
    td_ev_frame *r = (td_ev_frame *)wmem_alloc(
        wmem_file_scope(), sizeof(td_ev_frame) + (n - 1) * sizeof(td_cl_frame));
    r->n = n;
    memcpy(r->f, got, n * sizeof got[0]);
    p_add_proto_data(wmem_file_scope(), pinfo, proto_owner, TD_KEY_EVIDENCE, r);
    frames_noted++;
    last_noted_frame = frame;
}

static td_conn_evidence *conn_record(const td_conn_ext *cx, gboolean create)
{
    td_conn_evidence *e = (td_conn_evidence *)g_hash_table_lookup(conns, cx);
    if (!e && create) {
        e = wmem_new0(wmem_file_scope(), td_conn_evidence);
        e->name_id = TD_DNS_NONE;
        g_hash_table_insert(conns, (gpointer)cx, e);
        generation++; /* views keep the record they found (view.c) */
    }
    return e;
}

/* The connection's first SYN: the server's name, a link-local client. */
static void first_syn(packet_info *pinfo, const td_conn_ext *cx, const td_extracted *x)
{
    /* x->tuple is in the segment's order (source first), and the first
     * SYN (or the SYN an ICMP error quotes) is the client's */
    /* Read from the tuple, not through Wireshark addresses: this runs on
     * every SYN, and most carry nothing (no DNS seen, a routable client). */
    td_ip c = td_ip_of_tuple(&x->tuple, 0);
    gboolean ll = td_ip_is_link_local4(&c);
    if (!c.family || (!cl && !ll))
        return;
    td_ip s = td_ip_of_tuple(&x->tuple, 1);
    uint32_t name = TD_DNS_NONE;
    if (cl)
        name = td_cl_syn_from(cl, &c, &s, x->pkt.ts_ns);
    if (name == TD_DNS_NONE && !ll)
        return;
    td_conn_evidence *e = conn_record(cx, TRUE);
    e->name_id = name;
    e->link_local = ll;
    e->have_mac = ll && eth_src(pinfo, &e->client_mac);
    generation++;
}

void td_evidence_segment(packet_info *pinfo, const td_conn_ext *cx, const td_extracted *x,
                         uint32_t events)
{
    const td_conn *c = &cx->c;
    if (events & TD_EV_SYN)
        first_syn(pinfo, cx, x);
    if (x->pkt.kind != TD_PKT_TCP || !x->has_window || c->client_dir > 1)
        return;
    gboolean from_client = x->pkt.dir == c->client_dir;
    uint8_t fl = x->pkt.flags;
    if (from_client) {
        /* A client segment while the window is closed (a zero-window
         * probe, RFC 9293 3.8.6.1, or data): the client has data waiting. */
        if (!zw_open_count || (fl & (TD_TH_SYN | TD_TH_RST)))
            return;
        td_conn_evidence *e = conn_record(cx, FALSE);
        if (e && e->zw_open && !e->zw_in.client_waiting) {
            e->zw_in.client_waiting = true;
            e->zw = (uint8_t)td_zw_judge(&e->zw_in);
            if (e->zw != TD_ZW_NONE && !e->zw_known_frame)
                e->zw_known_frame = pinfo->num;
            generation++;
        }
        return;
    }
    if (x->window != 0) {
        if (zw_open_count) {
            td_conn_evidence *e = conn_record(cx, FALSE);
            if (e && e->zw_open) {
                e->zw_open = FALSE;
                zw_open_count--;
            }
        }
        return;
    }
    /* The server's first zero window after its SYN/ACK (a RST's window
     * means nothing, RFC 9293 3.10.7). */
    if ((fl & TD_TH_RST) || !c->frame_synack)
        return;
    td_conn_evidence *e = conn_record(cx, TRUE);
    if (e->zw_seen)
        return;
    gboolean synack = (fl & (TD_TH_SYN | TD_TH_ACK)) == (TD_TH_SYN | TD_TH_ACK);
    e->zw_seen = TRUE;
    e->zw_open = TRUE;
    e->zw_frame = pinfo->num;
    zw_open_count++;
    e->zw_in.is_synack = synack;
    e->zw_in.ts_ns = x->pkt.ts_ns;
    e->zw_in.ts_handshake_ns = c->ts_synack;
    e->zw_in.acked_bytes = (fl & TD_TH_ACK) ? x->pkt.ack - c->isn_c - 1 : 0;
    /* The SYN/ACK's window is not kept per connection (128-byte records):
     * only the time rule judges a later zero window (TD_ZW_EARLY_NS). */
    e->zw_in.initial_window = synack ? x->window : 0;
    e->zw_in.client_waiting = false;
    e->zw = (uint8_t)td_zw_judge(&e->zw_in);
    if (e->zw != TD_ZW_NONE)
        e->zw_known_frame = pinfo->num;
    generation++;
}

const td_checklist *td_evidence_checklist(void)
{
    return cl;
}

const td_ev_frame *td_evidence_frame(packet_info *pinfo)
{
    /* Asked on every packet: a proto-data lookup walks the frame's list
     * (~90 instructions), so only where a record can be. On the first
     * pass that is the frame just fed. */
    if (!frames_noted || (!PINFO_FD_VISITED(pinfo) && last_noted_frame != pinfo->num))
        return NULL;
    return (const td_ev_frame *)p_get_proto_data(wmem_file_scope(), pinfo, proto_owner,
                                                 TD_KEY_EVIDENCE);
}

const td_conn_evidence *td_evidence_of_conn(const td_conn_ext *cx)
{
    return conns && g_hash_table_size(conns) ? conn_record(cx, FALSE) : NULL;
}

static guint ip_hash(gconstpointer p)
{
    return (guint)td_hash_ip(TD_HASH_INIT, (const td_ip *)p);
}

static gboolean ip_equal(gconstpointer a, gconstpointer b)
{
    return td_ip_eq((const td_ip *)a, (const td_ip *)b);
}

/* Where each sweeping requester's single note goes (O(bursts)). */
static void note_sweeps(int64_t now_ns, int64_t threshold_ns)
{
    if (sweep_notes)
        g_hash_table_destroy(sweep_notes);
    sweep_notes = g_hash_table_new(ip_hash, ip_equal);
    for (uint32_t i = 0;; i++) {
        const td_nb_episode *e = td_nb_episode_at(&cl->nb, i);
        if (!e)
            break;
        if (g_hash_table_contains(sweep_notes, &e->requester) ||
            td_nb_episode_verdict(&cl->nb, e, now_ns, threshold_ns) != TD_NB_V_UNANSWERED ||
            !td_nb_is_sweep(&cl->nb, &e->requester, now_ns, threshold_ns))
            continue;
        td_ip *key = wmem_new(wmem_file_scope(), td_ip);
        *key = e->requester;
        g_hash_table_insert(sweep_notes, key, GUINT_TO_POINTER(e->frame_last));
    }
}

uint32_t td_evidence_sweep_note_frame(const td_ip *requester)
{
    return sweep_notes ? GPOINTER_TO_UINT(g_hash_table_lookup(sweep_notes, requester)) : 0;
}

const td_checklist *td_evidence_prepared(int64_t now_ns, int64_t threshold_ns)
{
    static guint64 prepared_gen = G_MAXUINT64;
    static int64_t prepared_now, prepared_threshold;
    if (!cl)
        return NULL;
    if (prepared_gen != generation || prepared_now != now_ns ||
        prepared_threshold != threshold_ns) {
        td_nb_prepare(&cl->nb, now_ns, threshold_ns);
        note_sweeps(now_ns, threshold_ns);
        prepared_gen = generation;
        prepared_now = now_ns;
        prepared_threshold = threshold_ns;
    }
    return cl;
}

guint64 td_evidence_generation(void)
{
    return generation;
}
