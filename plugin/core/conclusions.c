/* conclusions.c — cross-connection conclusions (see conclusions.h).
 *
 * Each connection counts as "answered" when the server's TCP stack showed
 * itself (a SYN/ACK: established, half-open, aborted scans, resets after
 * the handshake, stale connections), "failed" when the SYN met silence, a
 * RST or an ICMP error, and "neutral" when it cannot be judged (pending,
 * midstream). Conclusions are drawn from the connections in time order.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "conclusions.h"

#include <stdio.h>
#include <string.h>


typedef enum { CLASS_NEUTRAL, CLASS_ANSWERED, CLASS_FAILED } conn_class;

static conn_class class_of(td_verdict v)
{
    switch (v) {
    case TD_V_ESTABLISHED:
    case TD_V_RESET_BEFORE_DATA:
    case TD_V_SIMULTANEOUS_OPEN:
    case TD_V_ABORTED:
    case TD_V_HALF_OPEN:
    case TD_V_STALE:
        return CLASS_ANSWERED;
    case TD_V_NO_RESPONSE:
    case TD_V_REFUSED:
    case TD_V_ICMP_UNREACHABLE:
        return CLASS_FAILED;
    default:
        return CLASS_NEUTRAL;
    }
}

typedef struct {
    guint attempts, answered, failed, forged;
    guint per_verdict[TD_V_COUNT];
} counts;

typedef struct service {
    uint32_t server;
    uint16_t port;
    counts n;
    /* time-ordered walk */
    guint fails_since_answer;
    gboolean fail_then_answer; /* a failure later followed by an answer */
    uint32_t last_ok_frame, first_fail_frame, first_fail_after_ok_frame;
    int64_t last_ok_ts, first_fail_after_ok_ts, first_any_ts, last_any_ts;
    GHashTable *flood_sources; /* clients of half-open connections */
    td_conclusion_kind kind;
    char *text;
} service;

typedef struct host {
    uint32_t id;
    counts n;
    GHashTable *peers;  /* distinct servers (for a client) */
    GPtrArray *services; /* for a server, in first-seen order */
    td_conclusion_kind kind;
    char *text;
} host;

struct td_analysis {
    int64_t start_ns;
    GArray *conns;          /* td_conn_summary, until finish */
    GHashTable *services;   /* guint64 key -> service* */
    GHashTable *servers;    /* id -> host* */
    GHashTable *clients;    /* id -> host* */
    GPtrArray *server_order;
    guint servers_answering;
    td_host_name_fn namer;
    void *namer_user;
};

static guint64 service_key(uint32_t server, uint16_t port)
{
    return ((guint64)server << 16) | port;
}

static void service_free(gpointer p)
{
    service *s = (service *)p;
    if (s->flood_sources)
        g_hash_table_destroy(s->flood_sources);
    g_free(s->text);
    g_free(s);
}

static void host_free(gpointer p)
{
    host *h = (host *)p;
    if (h->peers)
        g_hash_table_destroy(h->peers);
    if (h->services)
        g_ptr_array_free(h->services, TRUE);
    g_free(h->text);
    g_free(h);
}

td_analysis *td_analysis_new(int64_t capture_start_ns)
{
    td_analysis *a = g_new0(td_analysis, 1);
    a->start_ns = capture_start_ns;
    a->conns = g_array_new(FALSE, FALSE, sizeof(td_conn_summary));
    a->services = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, service_free);
    a->servers = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, host_free);
    a->clients = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, host_free);
    a->server_order = g_ptr_array_new();
    return a;
}

void td_analysis_free(td_analysis *a)
{
    if (!a)
        return;
    if (a->conns)
        g_array_free(a->conns, TRUE);
    g_hash_table_destroy(a->services);
    g_hash_table_destroy(a->servers);
    g_hash_table_destroy(a->clients);
    g_ptr_array_free(a->server_order, TRUE);
    g_free(a);
}

void td_analysis_set_namer(td_analysis *a, td_host_name_fn fn, void *user)
{
    a->namer = fn;
    a->namer_user = user;
}

void td_analysis_add(td_analysis *a, const td_conn_summary *s)
{
    g_array_append_val(a->conns, *s);
}

static const char *name_of(const td_analysis *a, uint32_t id, char *buf, size_t len)
{
    const char *n = a->namer ? a->namer(id, a->namer_user) : NULL;
    if (n)
        return n;
    snprintf(buf, len, "host #%u", id);
    return buf;
}

static host *host_get(GHashTable *t, uint32_t id)
{
    host *h = (host *)g_hash_table_lookup(t, GUINT_TO_POINTER(id));
    if (!h) {
        h = g_new0(host, 1);
        h->id = id;
        g_hash_table_insert(t, GUINT_TO_POINTER(id), h);
    }
    return h;
}

static void count(counts *n, td_verdict v)
{
    conn_class c = class_of(v);
    n->attempts++;
    n->per_verdict[v]++;
    if (c == CLASS_ANSWERED)
        n->answered++;
    else if (c == CLASS_FAILED)
        n->failed++;
}

static gint by_time(gconstpointer x, gconstpointer y)
{
    const td_conn_summary *a = (const td_conn_summary *)x, *b = (const td_conn_summary *)y;
    if (a->ts_ns != b->ts_ns)
        return a->ts_ns < b->ts_ns ? -1 : 1;
    return (a->frame > b->frame) - (a->frame < b->frame);
}

static service *service_get(td_analysis *a, const td_conn_summary *s, host *srv)
{
    guint64 key = service_key(s->server, s->port);
    service *svc = (service *)g_hash_table_lookup(a->services, &key);
    if (!svc) {
        svc = g_new0(service, 1);
        svc->server = s->server;
        svc->port = s->port;
        svc->first_any_ts = s->ts_ns;
        guint64 *k = g_new(guint64, 1);
        *k = key;
        g_hash_table_insert(a->services, k, svc);
        g_ptr_array_add(srv->services, svc);
    }
    return svc;
}

static void walk(td_analysis *a, const td_conn_summary *s)
{
    host *srv = (host *)g_hash_table_lookup(a->servers, GUINT_TO_POINTER(s->server));
    if (!srv) {
        srv = host_get(a->servers, s->server);
        srv->services = g_ptr_array_new();
        g_ptr_array_add(a->server_order, srv);
    }
    host *cli = host_get(a->clients, s->client);
    service *svc = service_get(a, s, srv);
    conn_class c = class_of(s->verdict);

    count(&srv->n, s->verdict);
    count(&cli->n, s->verdict);
    count(&svc->n, s->verdict);
    if (s->rst_forged) {
        srv->n.forged++;
        svc->n.forged++;
    }
    svc->last_any_ts = s->ts_ns;
    if (!cli->peers)
        cli->peers = g_hash_table_new(g_direct_hash, g_direct_equal);
    g_hash_table_add(cli->peers, GUINT_TO_POINTER(s->server));

    if (c == CLASS_ANSWERED) {
        if (svc->fails_since_answer)
            svc->fail_then_answer = TRUE;
        svc->fails_since_answer = 0;
        svc->last_ok_frame = s->frame;
        svc->last_ok_ts = s->ts_ns;
    } else if (c == CLASS_FAILED) {
        if (!svc->first_fail_frame)
            svc->first_fail_frame = s->frame;
        if (svc->fails_since_answer++ == 0) {
            svc->first_fail_after_ok_frame = s->frame;
            svc->first_fail_after_ok_ts = s->ts_ns;
        }
    }
    if (s->verdict == TD_V_HALF_OPEN || s->verdict == TD_V_NO_RESPONSE) {
        if (!svc->flood_sources)
            svc->flood_sources = g_hash_table_new(g_direct_hash, g_direct_equal);
        g_hash_table_add(svc->flood_sources, GUINT_TO_POINTER(s->client));
    }
}

/* "refused (RST)", "unanswered", "answered by ICMP unreachable": the
 * failure that dominates a set of connections. */
static const char *failure_words(const counts *n)
{
    guint rst = n->per_verdict[TD_V_REFUSED], silent = n->per_verdict[TD_V_NO_RESPONSE],
          icmp = n->per_verdict[TD_V_ICMP_UNREACHABLE];
    if (rst >= silent && rst >= icmp)
        return "refused (RST)";
    if (silent >= icmp)
        return "unanswered";
    return "answered by ICMP unreachable";
}

static double rel_s(const td_analysis *a, int64_t ts)
{
    return (double)(ts - a->start_ns) / 1e9;
}

static void conclude_service(td_analysis *a, service *svc, const host *srv)
{
    char nb[64];
    const char *sname = name_of(a, svc->server, nb, sizeof nb);
    const counts *n = &svc->n;
    guint sources = svc->flood_sources ? g_hash_table_size(svc->flood_sources) : 0;

    guint half_open = n->per_verdict[TD_V_HALF_OPEN], silent = n->per_verdict[TD_V_NO_RESPONSE];
    if (half_open >= TD_FLOOD_MIN_HALF_OPEN && half_open + silent >= TD_FLOOD_MIN_ATTEMPTS &&
        sources >= TD_FLOOD_MIN_SOURCES && n->per_verdict[TD_V_ESTABLISHED] * 4 < half_open) {
        svc->kind = TD_C_SYN_FLOOD;
        char unanswered[96] = "";
        if (silent)
            snprintf(unanswered, sizeof unanswered,
                     " and %u SYN%s left unanswered (SYN backlog full)", silent,
                     silent == 1 ? "" : "s");
        svc->text = g_strdup_printf(
            "SYN flood suspected on %s port %u: %u half-open connections%s from %u sources "
            "(spoofed SYNs never complete); check SYN cookies (net.ipv4.tcp_syncookies), "
            "the listen backlog and upstream filtering",
            sname, svc->port, half_open, unanswered, sources);
        return;
    }
    if (n->answered && n->failed) {
        if (svc->fail_then_answer) {
            svc->kind = TD_C_INTERMITTENT;
            svc->text = g_strdup_printf(
                "Intermittent: %s port %u answered %u and failed %u of %u connects "
                "(first failure frame %u): listen-queue overflow, SYN rate limiting or a "
                "load-balancer member down; check the backlog (ss -lnt, netstat -s "
                "\"listen queue\") and the balancer's members",
                sname, svc->port, n->answered, n->failed, n->attempts, svc->first_fail_frame);
        } else if (n->per_verdict[TD_V_REFUSED] == 0) {
            /* Answers, then only silence: the host is still there to drop
             * SYNs. A full accept queue makes Linux drop them silently
             * (net.ipv4.tcp_abort_on_overflow=0), as does SYN rate limiting. */
            svc->kind = TD_C_INTERMITTENT;
            svc->text = g_strdup_printf(
                "%s port %u answered %u connects until %.3f s (frame %u), then left %u "
                "SYN%s %s from %.3f s (frame %u): listen-queue overflow (the application "
                "does not accept fast enough), SYN rate limiting, or the host became "
                "unreachable; check the backlog (ss -lnt: Recv-Q vs Send-Q, netstat -s "
                "\"listen queue\") and the application",
                sname, svc->port, n->answered, rel_s(a, svc->last_ok_ts), svc->last_ok_frame,
                n->failed, n->failed == 1 ? "" : "s", failure_words(n),
                rel_s(a, svc->first_fail_after_ok_ts), svc->first_fail_after_ok_frame);
        } else {
            /* Answers, then RSTs: nothing listens any more. */
            svc->kind = TD_C_STOPPED;
            svc->text = g_strdup_printf(
                "%s port %u answered until %.3f s (frame %u), then %s from %.3f s (frame %u): "
                "the service stopped or crashed then; check its logs around that time",
                sname, svc->port, rel_s(a, svc->last_ok_ts), svc->last_ok_frame,
                failure_words(n),
                rel_s(a, svc->first_fail_after_ok_ts), svc->first_fail_after_ok_frame);
        }
        return;
    }
    if (n->failed && !n->answered && srv->n.answered) {
        /* Find a port of the same address that works, as evidence. */
        uint16_t ok_port = 0;
        for (guint i = 0; i < srv->services->len; i++) {
            const service *o = (const service *)g_ptr_array_index(srv->services, i);
            if (o->n.answered) {
                ok_port = o->port;
                break;
            }
        }
        svc->kind = TD_C_PORT_BLOCKED;
        if (n->forged && n->forged == n->per_verdict[TD_V_REFUSED] && n->forged == n->failed) {
            /* The RSTs did not come from the server (TTL evidence). */
            svc->text = g_strdup_printf(
                "Port %u of %s is refused by another device than the one answering port %u "
                "(%u RST%s whose TTL differs from the server's packets): a firewall in front of "
                "the server rejects port %u, or the NAT/port-forwarding box answers it itself "
                "because it forwards only port %u; check the firewall rules and the "
                "port-forwarding table",
                svc->port, sname, ok_port, n->forged, n->forged == 1 ? "" : "s", svc->port,
                ok_port);
            return;
        }
        svc->text = g_strdup_printf(
            "Port %u of %s is %s while port %u of the same address answers: the service is not "
            "running, a firewall blocks port %u, or NAT/port forwarding (PAT) forwards only "
            "port %u; check the listener, the firewall rule and the forwarding table",
            svc->port, sname, failure_words(n), ok_port, svc->port, ok_port);
    }
}

static void conclude_server(td_analysis *a, host *srv)
{
    char nb[64];
    const char *sname = name_of(a, srv->id, nb, sizeof nb);
    if (srv->n.answered || !srv->n.failed)
        return;
    guint others = a->servers_answering;
    if (others == 0)
        return; /* nothing to compare with: the client may be the problem */
    if (srv->n.per_verdict[TD_V_REFUSED] == srv->n.failed) {
        srv->kind = TD_C_PORT_BLOCKED;
        srv->text = g_strdup_printf(
            "%s refuses every port tried (%u connect%s on %u port%s) while %u other %s: "
            "the host is up but nothing listens there, or its firewall rejects; check "
            "the services and the host firewall",
            sname, srv->n.attempts, srv->n.attempts == 1 ? "" : "s", srv->services->len,
            srv->services->len == 1 ? "" : "s", others,
            others == 1 ? "server answers" : "servers answer");
        return;
    }
    srv->kind = TD_C_HOST_DOWN;
    srv->text = g_strdup_printf(
        "%s fails on every port tried (%u connect%s on %u port%s) while %u other server%s: "
        "the host is down, unreachable or filtered upstream; check that it is up, "
        "the route to it and any firewall in front of it (ping failing proves nothing if "
        "ICMP is filtered)",
        sname, srv->n.attempts, srv->n.attempts == 1 ? "" : "s", srv->services->len,
        srv->services->len == 1 ? "" : "s", others, others == 1 ? " answers" : "s answer");
}

static void conclude_client(td_analysis *a, host *cli)
{
    char nb[64];
    guint peers = cli->peers ? g_hash_table_size(cli->peers) : 0;
    if (cli->n.answered || cli->n.failed < 2 || peers < 2)
        return;
    cli->kind = TD_C_CLIENT_SIDE;
    cli->text = g_strdup_printf(
        "Every connection from %s fails (%u connects to %u servers): the problem is on the "
        "client side; check its local firewall, proxy settings and egress filtering",
        name_of(a, cli->id, nb, sizeof nb), cli->n.attempts, peers);
}

void td_analysis_finish(td_analysis *a)
{
    g_array_sort(a->conns, by_time);
    for (guint i = 0; i < a->conns->len; i++)
        walk(a, &g_array_index(a->conns, td_conn_summary, i));
    g_array_free(a->conns, TRUE);
    a->conns = NULL;

    for (guint i = 0; i < a->server_order->len; i++)
        if (((host *)g_ptr_array_index(a->server_order, i))->n.answered)
            a->servers_answering++;
    for (guint i = 0; i < a->server_order->len; i++) {
        host *srv = (host *)g_ptr_array_index(a->server_order, i);
        for (guint j = 0; j < srv->services->len; j++)
            conclude_service(a, (service *)g_ptr_array_index(srv->services, j), srv);
        conclude_server(a, srv);
        /* servers_answering counts srv itself when it answers; a failing
         * server never does, so "others" above is right. */
    }
    GHashTableIter it;
    gpointer v;
    g_hash_table_iter_init(&it, a->clients);
    while (g_hash_table_iter_next(&it, NULL, &v))
        conclude_client(a, (host *)v);
}

const char *td_analysis_service(const td_analysis *a, uint32_t server, uint16_t port,
                                td_conclusion_kind *kind)
{
    guint64 key = service_key(server, port);
    const service *svc = (const service *)g_hash_table_lookup(a->services, &key);
    if (kind)
        *kind = svc ? svc->kind : TD_C_NONE;
    return svc ? svc->text : NULL;
}

const char *td_analysis_server(const td_analysis *a, uint32_t server, td_conclusion_kind *kind)
{
    const host *h = (const host *)g_hash_table_lookup(a->servers, GUINT_TO_POINTER(server));
    if (kind)
        *kind = h ? h->kind : TD_C_NONE;
    return h ? h->text : NULL;
}

const char *td_analysis_client(const td_analysis *a, uint32_t client, td_conclusion_kind *kind)
{
    const host *h = (const host *)g_hash_table_lookup(a->clients, GUINT_TO_POINTER(client));
    if (kind)
        *kind = h ? h->kind : TD_C_NONE;
    return h ? h->text : NULL;
}

const char *td_analysis_for_conn(const td_analysis *a, uint32_t client, uint32_t server,
                                 uint16_t port)
{
    const char *t = td_analysis_service(a, server, port, NULL);
    if (!t)
        t = td_analysis_server(a, server, NULL);
    if (!t)
        t = td_analysis_client(a, client, NULL);
    return t;
}

static void fill_row(td_analysis_row *r, const counts *n)
{
    r->attempts = n->attempts;
    r->established = n->per_verdict[TD_V_ESTABLISHED];
    r->failed = n->failed;
    memcpy(r->per_verdict, n->per_verdict, sizeof r->per_verdict);
}

void td_analysis_foreach(const td_analysis *a, void (*fn)(const td_analysis_row *, void *),
                         void *user)
{
    for (guint i = 0; i < a->server_order->len; i++) {
        const host *srv = (const host *)g_ptr_array_index(a->server_order, i);
        td_analysis_row r = {0};
        r.server = srv->id;
        fill_row(&r, &srv->n);
        r.kind = srv->kind;
        r.conclusion = srv->text;
        fn(&r, user);
        for (guint j = 0; j < srv->services->len; j++) {
            const service *svc = (const service *)g_ptr_array_index(srv->services, j);
            td_analysis_row s = {0};
            s.server = svc->server;
            s.port = svc->port;
            fill_row(&s, &svc->n);
            s.kind = svc->kind;
            s.conclusion = svc->text;
            fn(&s, user);
        }
    }
}

void td_analysis_foreach_client(const td_analysis *a,
                                void (*fn)(const td_analysis_row *, void *), void *user)
{
    GHashTableIter it;
    gpointer v;
    GPtrArray *sorted = g_ptr_array_new();
    g_hash_table_iter_init(&it, a->clients);
    while (g_hash_table_iter_next(&it, NULL, &v))
        if (((const host *)v)->text)
            g_ptr_array_add(sorted, v);
    /* Host ids are given in first-seen order: print in that order. */
    for (guint i = 1; i < sorted->len; i++)
        for (guint j = i; j > 0 && ((host *)sorted->pdata[j - 1])->id > ((host *)sorted->pdata[j])->id; j--) {
            gpointer t = sorted->pdata[j];
            sorted->pdata[j] = sorted->pdata[j - 1];
            sorted->pdata[j - 1] = t;
        }
    for (guint i = 0; i < sorted->len; i++) {
        const host *h = (const host *)g_ptr_array_index(sorted, i);
        td_analysis_row r = {0};
        r.server = h->id;
        fill_row(&r, &h->n);
        r.kind = h->kind;
        r.conclusion = h->text;
        fn(&r, user);
    }
    g_ptr_array_free(sorted, TRUE);
}

const char *td_conclusion_name(td_conclusion_kind k)
{
    static const char *const names[TD_C_COUNT] = {
        "none", "host-down", "port-blocked", "intermittent", "stopped", "syn-flood", "client-side"};
    return (unsigned)k < TD_C_COUNT ? names[k] : "unknown";
}
