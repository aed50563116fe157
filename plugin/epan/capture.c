/* capture.c — see capture.h.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "capture.h"

#include <stdio.h>
#include <string.h>

#include <epan/to_str.h>

typedef struct {
    uint8_t ttl_min, ttl_max; /* raw TTLs of the server's SYN/ACKs */
} ttl_range;

static wmem_map_t *server_ttls;      /* address* -> ttl_range*, file scope */

/* The cached analysis and what it was built from. */
static td_analysis *analysis;
static guint analysis_conns;
static int64_t analysis_now;
static guint64 analysis_generation;
static GPtrArray *host_names;        /* id -> address text */
static GHashTable *host_ids;         /* address text -> id+1 */
static GHashTable *summaries;        /* td_conn_ext* -> conclusion (only those with one) */
static GHashTable *owners;           /* conclusion -> the first td_conn_ext it concerns */

static guint address_hash(gconstpointer a)
{
    return add_address_to_hash(0, (const address *)a);
}

static gboolean address_equal(gconstpointer a, gconstpointer b)
{
    return addresses_equal((const address *)a, (const address *)b);
}

static void drop_analysis(void)
{
    td_analysis_free(analysis);
    analysis = NULL;
    if (host_names)
        g_ptr_array_free(host_names, TRUE);
    if (host_ids)
        g_hash_table_destroy(host_ids);
    if (summaries)
        g_hash_table_destroy(summaries);
    if (owners)
        g_hash_table_destroy(owners);
    owners = NULL;
    host_names = NULL;
    host_ids = NULL;
    summaries = NULL;
}

void td_capture_init(void)
{
    server_ttls = wmem_map_new(wmem_file_scope(), address_hash, address_equal);
    drop_analysis();
    analysis_generation = G_MAXUINT64;
}

void td_capture_cleanup(void)
{
    drop_analysis();
    server_ttls = NULL;
}

/* The server's own SYN/ACKs: the baseline for forged RSTs. */
static void note_server_ttl(const address *server, uint8_t ttl)
{
    ttl_range *r = (ttl_range *)wmem_map_lookup(server_ttls, server);
    if (!r) {
        address *key = wmem_new(wmem_file_scope(), address);
        copy_address_wmem(wmem_file_scope(), key, server);
        r = wmem_new(wmem_file_scope(), ttl_range);
        r->ttl_min = r->ttl_max = ttl;
        wmem_map_insert(server_ttls, key, r);
    } else {
        if (ttl < r->ttl_min)
            r->ttl_min = ttl;
        if (ttl > r->ttl_max)
            r->ttl_max = ttl;
    }
    td_conn_table_touch();
}

td_conn_ext *td_capture_packet(packet_info *pinfo, const td_extracted *x, uint32_t *events)
{
    *events = 0;
    td_conn_ext *cx = td_conn_table_get(pinfo, x);
    if (!cx)
        return NULL;
    uint32_t ev = td_conn_update(&cx->c, &x->pkt);
    if ((ev & TD_EV_ANSWER_ICMP) && x->reporter.type != AT_NONE)
        td_conn_note_answer_icmp(cx, &x->reporter);
    if ((ev & (TD_EV_ANSWER_RST | TD_EV_RST_INVALID)) && x->has_ttl)
        td_conn_note_answer_rst(cx, x->ttl);
    if ((ev & (TD_EV_SYNACK | TD_EV_SYNACK_RETRANS)) && x->has_ttl) {
        address src;
        td_tuple_address(&x->tuple, 0, &src);
        note_server_ttl(&src, x->ttl);
    }
    if (ev & TD_EV_SYN)
        td_opts_from_syn(&cx->opts, &x->opts, x->pkt.payload_len);
    if (ev & TD_EV_SYNACK)
        /* With TCP Fast Open the SYN/ACK acknowledges the SYN's data too. */
        td_opts_from_synack(&cx->opts, &x->opts, x->pkt.ack - cx->c.isn_c > 1);
    if ((ev & TD_EV_SYN_RETRANS) && cx->c.frame_syn)
        td_conn_note_syn_retry(cx, x->pkt.ts_ns - cx->c.ts_first_syn);
    td_evidence_segment(pinfo, cx, x, ev);
    td_conn_table_set_events(pinfo, cx, ev, x);
    *events = ev;
    return cx;
}

/* Hops travelled, from the usual initial TTLs (32, 64, 128, 255). */
static int hops_of(uint8_t ttl)
{
    static const int initial[] = {32, 64, 128, 255};
    for (size_t i = 0; i < G_N_ELEMENTS(initial); i++)
        if (ttl <= initial[i])
            return initial[i] - ttl;
    return 0;
}

gboolean td_capture_rst_judgement(const td_conn_ext *cx, gboolean *forged, uint8_t *rst_ttl,
                          uint8_t *server_ttl)
{
    const td_answers *ai = td_conn_answers(cx);
    td_tuple t;
    if (!ai || !ai->have_rst_ttl || cx->c.client_dir > 1 || !td_conn_tuple(cx, &t))
        return FALSE;
    address server;
    td_tuple_address(&t, cx->c.client_dir ^ 1, &server);
    const ttl_range *r = (const ttl_range *)wmem_map_lookup(server_ttls, &server);
    *rst_ttl = ai->rst_ttl;
    if (!r)
        return FALSE; /* no baseline: say nothing rather than guess */
    int h = hops_of(ai->rst_ttl);
    *server_ttl = r->ttl_min;
    /* A stack answers from where it sits: a RST whose hop distance is
     * outside what the server's own SYN/ACKs travelled came from elsewhere
     * (a firewall or IPS injecting resets, RFC 3360 describes the practice). */
    *forged = h < hops_of(r->ttl_max) || h > hops_of(r->ttl_min);
    return TRUE;
}

const char *td_capture_host_name(uint32_t id)
{
    return host_names && id < host_names->len ? (const char *)g_ptr_array_index(host_names, id)
                                              : NULL;
}

static const char *namer(uint32_t id, void *user _U_)
{
    return td_capture_host_name(id);
}

static uint32_t host_id(const address *a)
{
    char *s = address_to_str(NULL, a);
    gpointer v = g_hash_table_lookup(host_ids, s);
    if (v) {
        wmem_free(NULL, s);
        return GPOINTER_TO_UINT(v) - 1;
    }
    char *copy = g_strdup(s);
    wmem_free(NULL, s);
    g_ptr_array_add(host_names, copy);
    g_hash_table_insert(host_ids, copy, GUINT_TO_POINTER(host_names->len));
    return host_names->len - 1;
}

const td_analysis *td_capture_analysis(const td_prefs *prefs)
{
    guint n = td_conn_count();
    int64_t now = td_capture_last_ts();
    guint64 generation = td_conn_table_generation();
    if (analysis && analysis_conns == n && analysis_now == now &&
        analysis_generation == generation)
        return analysis;
    drop_analysis();
    host_names = g_ptr_array_new_with_free_func(g_free);
    host_ids = g_hash_table_new(g_str_hash, g_str_equal);
    summaries = g_hash_table_new(g_direct_hash, g_direct_equal);
    owners = g_hash_table_new(g_direct_hash, g_direct_equal);
    analysis = td_analysis_new(td_capture_first_ts());
    td_analysis_set_namer(analysis, namer, NULL);
    td_conn_summary *sums = g_new0(td_conn_summary, n ? n : 1);
    gboolean *judged = g_new0(gboolean, n ? n : 1);
    for (guint i = 0; i < n; i++) {
        const td_conn_ext *cx = td_conn_at(i);
        td_tuple t;
        if (cx->c.client_dir > 1 || !td_conn_tuple(cx, &t))
            continue;
        /* A scanner's SYN with FIN/PSH/URG says nothing about the service:
         * stacks drop it by design (Linux: a SYN with FIN in LISTEN). */
        if (cx->c.findings & TD_F_SYN_FLAGS_ODD)
            continue;
        address client, server;
        td_tuple_address(&t, cx->c.client_dir, &client);
        td_tuple_address(&t, cx->c.client_dir ^ 1, &server);
        td_conn_summary *s = &sums[i];
        s->client = host_id(&client);
        s->server = host_id(&server);
        s->port = t.port[cx->c.client_dir ^ 1];
        s->verdict = td_verdict_of(cx, prefs);
        s->frame = cx->c.frame_syn ? cx->c.frame_syn : cx->c.frame_first;
        s->ts_ns = cx->c.ts_first_syn;
        gboolean forged = FALSE;
        uint8_t rt, st;
        s->rst_forged = s->verdict == TD_V_REFUSED && td_capture_rst_judgement(cx, &forged, &rt, &st) && forged;
        td_analysis_add(analysis, s);
        judged[i] = TRUE;
    }
    td_analysis_finish(analysis);
    /* Each connection's line, looked up once per packet later. */
    for (guint i = 0; i < n; i++) {
        if (!judged[i])
            continue;
        const char *t = td_analysis_for_conn(analysis, sums[i].client, sums[i].server, sums[i].port);
        if (t) {
            g_hash_table_insert(summaries, td_conn_at(i), (gpointer)t);
            /* Connections are listed in the order they appeared. */
            if (!g_hash_table_contains(owners, t))
                g_hash_table_insert(owners, (gpointer)t, td_conn_at(i));
        }
    }
    g_free(sums);
    g_free(judged);
    analysis_conns = n;
    analysis_now = now;
    analysis_generation = generation;
    return analysis;
}

gboolean td_capture_conclusion_owner(const char *summary, const td_conn_ext *cx)
{
    return owners && g_hash_table_lookup(owners, summary) == cx;
}

const char *td_capture_conclusion_of(const td_analysis *a, const td_conn_ext *cx)
{
    return a && summaries ? (const char *)g_hash_table_lookup(summaries, cx) : NULL;
}
