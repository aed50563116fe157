/* analysis.c — see analysis.h.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "analysis.h"

#include <stdio.h>
#include <string.h>

#include <epan/conversation.h>
#include <epan/to_str.h>

#include "diagnosis.h"

typedef struct {
    uint8_t ttl_min, ttl_max; /* raw TTLs of the server's SYN/ACKs */
} ttl_range;

#define MAX_RETRIES_KEPT 8

typedef struct {
    uint8_t rst_ttl;
    gboolean have_rst_ttl;
    char *icmp_reporter;
    uint8_t n_retries;               /* SYN retransmissions seen (capped) */
    uint32_t retry_us[MAX_RETRIES_KEPT]; /* after the first SYN (71 min max) */
} answer_info;

static wmem_array_t *connections;   /* td_conn_ext*, file scope */
static wmem_map_t *server_ttls;      /* address* -> ttl_range* */
static wmem_map_t *answers;          /* td_conn_ext* -> answer_info* (rare) */

/* The cached analysis and what it was built from. */
static td_analysis *analysis;
static guint analysis_conns;
static int64_t analysis_now;
static guint64 analysis_generation, generation;
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

void td_analysis_init(void)
{
    connections = wmem_array_new(wmem_file_scope(), sizeof(td_conn_ext *));
    server_ttls = wmem_map_new(wmem_file_scope(), address_hash, address_equal);
    answers = wmem_map_new(wmem_file_scope(), g_direct_hash, g_direct_equal);
    drop_analysis();
    generation = 0;
    analysis_generation = G_MAXUINT64;
}

void td_analysis_cleanup(void)
{
    drop_analysis();
    connections = NULL;
    server_ttls = NULL;
    answers = NULL;
}

void td_note_connection(td_conn_ext *cx)
{
    wmem_array_append_one(connections, cx);
}

/* Anything fed on the first pass may change a conclusion. */
void td_analysis_touch(void)
{
    generation++;
}

guint64 td_analysis_generation(void)
{
    return generation;
}

void td_note_server_ttl(const address *server, uint8_t ttl)
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
    td_analysis_touch();
}

static answer_info *answer_of(const td_conn_ext *cx, gboolean create)
{
    answer_info *ai = (answer_info *)wmem_map_lookup(answers, cx);
    if (!ai && create) {
        ai = wmem_new0(wmem_file_scope(), answer_info);
        wmem_map_insert(answers, (void *)cx, ai);
    }
    return ai;
}

void td_note_answer_rst(const td_conn_ext *cx, uint8_t ttl)
{
    answer_info *ai = answer_of(cx, TRUE);
    if (!ai->have_rst_ttl) {
        ai->rst_ttl = ttl;
        ai->have_rst_ttl = TRUE;
    }
}

void td_note_answer_icmp(const td_conn_ext *cx, const address *reporter)
{
    answer_info *ai = answer_of(cx, TRUE);
    if (!ai->icmp_reporter)
        ai->icmp_reporter = address_to_str(wmem_file_scope(), reporter);
}

void td_note_syn_retry(const td_conn_ext *cx, int64_t offset_ns)
{
    answer_info *ai = answer_of(cx, TRUE);
    if (ai->n_retries < MAX_RETRIES_KEPT && offset_ns >= 0)
        ai->retry_us[ai->n_retries++] = (uint32_t)MIN(offset_ns / 1000, G_MAXUINT32);
}

const char *td_retry_schedule(const td_conn_ext *cx, char *buf, size_t len)
{
    const answer_info *ai = answers ? answer_of(cx, FALSE) : NULL;
    size_t used = 0;
    if (!ai || !ai->n_retries || len == 0)
        return NULL;
    buf[0] = '\0';
    for (guint i = 0; i < ai->n_retries && used < len; i++) {
        char d[32];
        td_format_duration(d, sizeof d, (int64_t)ai->retry_us[i] * 1000);
        int n = snprintf(buf + used, len - used, "%s+%s", i ? ", " : "", d);
        if (n < 0)
            break;
        used += (size_t)n;
    }
    return buf;
}

const char *td_icmp_reporter(const td_conn_ext *cx)
{
    const answer_info *ai = answers ? answer_of(cx, FALSE) : NULL;
    return ai ? ai->icmp_reporter : NULL;
}

gboolean td_conn_endpoints(const td_conn_ext *cx, const address **client, uint16_t *cport,
                           const address **server, uint16_t *sport)
{
    if (!cx->conv || cx->c.client_dir > 1)
        return FALSE;
    const address *a1 = conversation_key_addr1(cx->conv->key_ptr);
    const address *a2 = conversation_key_addr2(cx->conv->key_ptr);
    uint16_t p1 = (uint16_t)conversation_key_port1(cx->conv->key_ptr);
    uint16_t p2 = (uint16_t)conversation_key_port2(cx->conv->key_ptr);
    if (!a1 || !a2)
        return FALSE;
    /* dir 0 is the lower (address, port), as in tcpdiag.c. */
    int c = cmp_address(a1, a2);
    if (c == 0)
        c = (p1 > p2) - (p1 < p2);
    const address *lo = c <= 0 ? a1 : a2, *hi = c <= 0 ? a2 : a1;
    uint16_t plo = c <= 0 ? p1 : p2, phi = c <= 0 ? p2 : p1;
    gboolean client_lo = cx->c.client_dir == 0;
    *client = client_lo ? lo : hi;
    *cport = client_lo ? plo : phi;
    *server = client_lo ? hi : lo;
    *sport = client_lo ? phi : plo;
    return TRUE;
}

gboolean td_conn_is_ipv6(const td_conn_ext *cx)
{
    const address *a = cx->conv ? conversation_key_addr1(cx->conv->key_ptr) : NULL;
    return a && a->type == AT_IPv6;
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

gboolean td_rst_judgement(const td_conn_ext *cx, gboolean *forged, uint8_t *rst_ttl,
                          uint8_t *server_ttl)
{
    const answer_info *ai = answers ? answer_of(cx, FALSE) : NULL;
    const address *client, *server;
    uint16_t cp, sp;
    if (!ai || !ai->have_rst_ttl || !td_conn_endpoints(cx, &client, &cp, &server, &sp))
        return FALSE;
    const ttl_range *r = (const ttl_range *)wmem_map_lookup(server_ttls, server);
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

char *td_describe(const td_conn_ext *cx, td_verdict v, char *buf, size_t len)
{
    const td_conn *c = &cx->c;
    const address *client, *server;
    uint16_t cport, server_port = 0;
    if (!td_conn_endpoints(cx, &client, &cport, &server, &server_port))
        server_port = 0;
    gboolean forged = FALSE;
    uint8_t rst_ttl = 0, server_ttl = 0;
    char retries[96];
    td_diagnosis(buf, len, c, v, td_last_ts(), server_port);
    if ((v == TD_V_NO_RESPONSE || (c->findings & TD_F_SLOW_CONNECT)) &&
        td_retry_schedule(cx, retries, sizeof retries)) {
        size_t used = strlen(buf);
        snprintf(buf + used, len - used, "; SYN retries at %s", retries);
    }
    if (v == TD_V_REFUSED && td_rst_judgement(cx, &forged, &rst_ttl, &server_ttl) && forged) {
        size_t used = strlen(buf);
        snprintf(buf + used, len - used,
                 "; but the RST came with TTL %u while the server's own packets come with TTL "
                 "%u: it was sent by a device in front of the server (a firewall rejecting the "
                 "port, or a NAT/port-forwarding box that does not forward it), not by the "
                 "server; check firewall/IPS rules and port forwarding for port %u",
                 rst_ttl, server_ttl, server_port);
    }
    return buf;
}

guint td_connection_count(void)
{
    return connections ? wmem_array_get_count(connections) : 0;
}

td_conn_ext *td_connection_at(guint i)
{
    return *(td_conn_ext **)wmem_array_index(connections, i);
}

const char *td_host_name(uint32_t id)
{
    return host_names && id < host_names->len ? (const char *)g_ptr_array_index(host_names, id)
                                              : NULL;
}

static const char *namer(uint32_t id, void *user _U_)
{
    return td_host_name(id);
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

const td_analysis *td_current_analysis(void)
{
    guint n = td_connection_count();
    int64_t now = td_last_ts();
    if (analysis && analysis_conns == n && analysis_now == now &&
        analysis_generation == generation)
        return analysis;
    drop_analysis();
    host_names = g_ptr_array_new_with_free_func(g_free);
    host_ids = g_hash_table_new(g_str_hash, g_str_equal);
    summaries = g_hash_table_new(g_direct_hash, g_direct_equal);
    owners = g_hash_table_new(g_direct_hash, g_direct_equal);
    analysis = td_analysis_new(td_first_ts());
    td_analysis_set_namer(analysis, namer, NULL);
    td_conn_summary *sums = g_new0(td_conn_summary, n ? n : 1);
    gboolean *judged = g_new0(gboolean, n ? n : 1);
    for (guint i = 0; i < n; i++) {
        const td_conn_ext *cx = td_connection_at(i);
        const address *client, *server;
        uint16_t cp, sp;
        if (!td_conn_endpoints(cx, &client, &cp, &server, &sp))
            continue;
        /* A scanner's SYN with FIN/PSH/URG says nothing about the service:
         * stacks drop it by design (Linux: a SYN with FIN in LISTEN). */
        if (cx->c.findings & TD_F_SYN_FLAGS_ODD)
            continue;
        td_conn_summary *s = &sums[i];
        s->client = host_id(client);
        s->server = host_id(server);
        s->port = sp;
        s->verdict = td_verdict_of(cx);
        s->frame = cx->c.frame_syn ? cx->c.frame_syn : cx->c.frame_first;
        s->ts_ns = cx->c.ts_first_syn;
        gboolean forged = FALSE;
        uint8_t rt, st;
        s->rst_forged = s->verdict == TD_V_REFUSED && td_rst_judgement(cx, &forged, &rt, &st) && forged;
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
            g_hash_table_insert(summaries, td_connection_at(i), (gpointer)t);
            /* Connections are listed in the order they appeared. */
            if (!g_hash_table_contains(owners, t))
                g_hash_table_insert(owners, (gpointer)t, td_connection_at(i));
        }
    }
    g_free(sums);
    g_free(judged);
    analysis_conns = n;
    analysis_now = now;
    analysis_generation = generation;
    return analysis;
}

gboolean td_summary_owner(const char *summary, const td_conn_ext *cx)
{
    return owners && g_hash_table_lookup(owners, summary) == cx;
}

const char *td_summary_for(const td_analysis *a, const td_conn_ext *cx)
{
    return a && summaries ? (const char *)g_hash_table_lookup(summaries, cx) : NULL;
}
