/* dns_lookup.c — DNS lookups, their outcomes and the names of addresses
 * (pure C). See dns_lookup.h for the grouping rules.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "dns_lookup.h"
#include "textbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    uint32_t off, len;
    int64_t last_conn_ts; /* latest SYN to an address of this name */
    bool connected;
} td_dns_name_rec;

/* The latest lookups that returned an address, per client: an address
 * shared by many names (a CDN, virtual hosting) is named after the
 * connecting client's own lookup when it made one. */
#define TD_DNS_ADDR_CLIENTS 2

typedef struct {
    td_ip addr;
    uint32_t name_id;  /* the latest lookup's, whoever asked */
    uint32_t lookup;
    int64_t ts_ns;
    uint32_t client_hash[TD_DNS_ADDR_CLIENTS]; /* 0: empty */
    uint32_t client_name[TD_DNS_ADDR_CLIENTS];
    int64_t client_ts[TD_DNS_ADDR_CLIENTS];
    uint8_t next_client;
} td_dns_addr_rec;

static uint32_t client_key(const td_ip *client)
{
    uint32_t h = (uint32_t)td_hash_ip(TD_HASH_INIT, client);
    return h ? h : 1;
}

void td_dns_init(td_dns_state *st)
{
    memset(st, 0, sizeof *st);
    td_vec_init(&st->lookups, sizeof(td_dns_lookup), TD_DNS_MAX_LOOKUPS);
    td_vec_init(&st->names, sizeof(td_dns_name_rec), TD_DNS_MAX_LOOKUPS);
    td_vec_init(&st->addrs, sizeof(td_dns_addr_rec), TD_DNS_MAX_ADDRS);
    td_vec_init(&st->servers, sizeof(td_dns_server), TD_DNS_MAX_SERVERS);
    td_index_init(&st->by_key);
    td_index_init(&st->name_ix);
    td_index_init(&st->addr_ix);
    td_index_init(&st->server_ix);
}

void td_dns_free(td_dns_state *st)
{
    td_vec_free(&st->lookups);
    td_vec_free(&st->names);
    td_vec_free(&st->addrs);
    td_vec_free(&st->servers);
    td_index_free(&st->by_key);
    td_index_free(&st->name_ix);
    td_index_free(&st->addr_ix);
    td_index_free(&st->server_ix);
    free(st->arena);
    memset(st, 0, sizeof *st);
}

/* ---- names ---------------------------------------------------------------- */

typedef struct {
    const td_dns_state *st;
    const char *s;
    uint32_t len;
} name_ctx;

static bool name_eq(const void *ctx, uint32_t id)
{
    const name_ctx *c = ctx;
    const td_dns_name_rec *r = td_vec_at(&c->st->names, id);
    return r && r->len == c->len && memcmp(c->st->arena + r->off, c->s, c->len) == 0;
}

static uint32_t intern(td_dns_state *st, const char *s)
{
    name_ctx c = {st, s, (uint32_t)strlen(s)};
    uint64_t h = td_hash(TD_HASH_INIT, s, c.len);
    uint32_t id = td_index_find(&st->name_ix, h, name_eq, &c);
    if (id != TD_INDEX_NONE)
        return id;
    if (st->arena_len + c.len + 1 > TD_DNS_NAME_ARENA_MAX)
        return TD_DNS_NONE;
    if (st->arena_len + c.len + 1 > st->arena_cap) {
        uint32_t ncap = st->arena_cap ? st->arena_cap : 4096;
        while (ncap < st->arena_len + c.len + 1)
            ncap *= 2;
        if (ncap > TD_DNS_NAME_ARENA_MAX)
            ncap = TD_DNS_NAME_ARENA_MAX;
        char *a = realloc(st->arena, ncap);
        if (!a)
            return TD_DNS_NONE;
        st->arena = a;
        st->arena_cap = ncap;
    }
    td_dns_name_rec *r = td_vec_add(&st->names, &id);
    if (!r)
        return TD_DNS_NONE;
    r->off = st->arena_len;
    r->len = c.len;
    r->last_conn_ts = INT64_MIN;
    memcpy(st->arena + st->arena_len, s, c.len + 1);
    st->arena_len += c.len + 1;
    if (!td_index_put(&st->name_ix, h, id))
        return TD_DNS_NONE;
    return id;
}

const char *td_dns_name_of(const td_dns_state *st, uint32_t name_id)
{
    const td_dns_name_rec *r = name_id == TD_DNS_NONE ? NULL : td_vec_at(&st->names, name_id);
    return r ? st->arena + r->off : "";
}

/* ---- servers, addresses ------------------------------------------------------ */

typedef struct {
    const td_vec *v;
    const td_ip *ip;
} ip_ctx;

static bool server_eq(const void *ctx, uint32_t i)
{
    const ip_ctx *c = ctx;
    const td_dns_server *s = td_vec_at(c->v, i);
    return s && td_ip_eq(&s->addr, c->ip);
}

static td_dns_server *server_for(td_dns_state *st, const td_ip *ip, uint32_t frame)
{
    ip_ctx c = {&st->servers, ip};
    uint64_t h = td_hash_ip(TD_HASH_INIT, ip);
    uint32_t i = td_index_find(&st->server_ix, h, server_eq, &c);
    if (i != TD_INDEX_NONE)
        return td_vec_at(&st->servers, i);
    td_dns_server *s = td_vec_add(&st->servers, &i);
    if (!s)
        return NULL;
    s->addr = *ip;
    s->frame_first = frame;
    if (!td_index_put(&st->server_ix, h, i))
        return NULL;
    return s;
}

static bool addr_eq(const void *ctx, uint32_t i)
{
    const ip_ctx *c = ctx;
    const td_dns_addr_rec *a = td_vec_at(c->v, i);
    return a && td_ip_eq(&a->addr, c->ip);
}

static void remember_addr(td_dns_state *st, const td_ip *ip, const td_ip *client,
                          uint32_t name_id, uint32_t lookup, int64_t ts)
{
    ip_ctx c = {&st->addrs, ip};
    uint64_t h = td_hash_ip(TD_HASH_INIT, ip);
    uint32_t i = td_index_find(&st->addr_ix, h, addr_eq, &c);
    td_dns_addr_rec *a = i != TD_INDEX_NONE ? td_vec_at(&st->addrs, i) : NULL;
    if (!a) {
        a = td_vec_add(&st->addrs, &i);
        if (!a || !td_index_put(&st->addr_ix, h, i))
            return;
        a->addr = *ip;
    }
    a->name_id = name_id; /* the latest lookup wins (frame order) */
    a->lookup = lookup;
    a->ts_ns = ts;
    uint32_t ck = client_key(client);
    unsigned k = 0;
    while (k < TD_DNS_ADDR_CLIENTS && a->client_hash[k] != ck)
        k++;
    if (k == TD_DNS_ADDR_CLIENTS) {
        k = a->next_client;
        a->next_client = (uint8_t)((k + 1) % TD_DNS_ADDR_CLIENTS);
    }
    a->client_hash[k] = ck;
    a->client_name[k] = name_id;
    a->client_ts[k] = ts;
}

uint32_t td_dns_note_connection(td_dns_state *st, const td_ip *server, int64_t ts_ns)
{
    return td_dns_note_connection_from(st, NULL, server, ts_ns);
}

uint32_t td_dns_note_connection_from(td_dns_state *st, const td_ip *client, const td_ip *server,
                                     int64_t ts_ns)
{
    ip_ctx c = {&st->addrs, server};
    uint32_t i = td_index_find(&st->addr_ix, td_hash_ip(TD_HASH_INIT, server), addr_eq, &c);
    const td_dns_addr_rec *a = i != TD_INDEX_NONE ? td_vec_at(&st->addrs, i) : NULL;
    if (!a)
        return TD_DNS_NONE;
    uint32_t name_id = a->ts_ns <= ts_ns ? a->name_id : TD_DNS_NONE;
    if (client) {
        uint32_t ck = client_key(client);
        for (unsigned k = 0; k < TD_DNS_ADDR_CLIENTS; k++)
            if (a->client_hash[k] == ck && a->client_ts[k] <= ts_ns)
                name_id = a->client_name[k];
    }
    if (name_id == TD_DNS_NONE)
        return TD_DNS_NONE;
    td_dns_name_rec *n = td_vec_at(&st->names, name_id);
    if (n) {
        n->connected = true;
        if (ts_ns > n->last_conn_ts)
            n->last_conn_ts = ts_ns;
    }
    return name_id;
}

uint32_t td_dns_name_for(const td_dns_state *st, const td_ip *addr)
{
    ip_ctx c = {&st->addrs, addr};
    uint32_t i = td_index_find(&st->addr_ix, td_hash_ip(TD_HASH_INIT, addr), addr_eq, &c);
    const td_dns_addr_rec *a = i != TD_INDEX_NONE ? td_vec_at(&st->addrs, i) : NULL;
    return a ? a->name_id : TD_DNS_NONE;
}

/* ---- lookups ---------------------------------------------------------------- */

typedef struct {
    const td_vec *v;
    const td_ip *client;
    uint32_t name_id;
    uint16_t qtype;
} key_ctx;

static bool key_eq(const void *ctx, uint32_t i)
{
    const key_ctx *c = ctx;
    const td_dns_lookup *l = td_vec_at(c->v, i);
    return l && l->name_id == c->name_id && l->qtype == c->qtype && td_ip_eq(&l->client, c->client);
}

static uint64_t key_hash(const td_ip *client, uint32_t name_id, uint16_t qtype)
{
    uint64_t h = td_hash_ip(TD_HASH_INIT, client);
    h = td_hash(h, &name_id, sizeof name_id);
    return td_hash(h, &qtype, sizeof qtype);
}

static uint32_t try_key(const td_ip *server, uint16_t client_port, uint16_t id)
{
    uint64_t h = td_hash_ip(TD_HASH_INIT, server);
    h = td_hash(h, &client_port, sizeof client_port);
    h = td_hash(h, &id, sizeof id);
    return (uint32_t)(h ^ (h >> 32));
}

static td_dns_lookup *new_lookup(td_dns_state *st, uint32_t *slot, uint64_t h, const td_ip *client,
                                 uint32_t name_id, uint16_t qtype, uint32_t *idx)
{
    td_dns_lookup *l = td_vec_add(&st->lookups, idx);
    if (!l)
        return NULL;
    if (slot)
        *slot = *idx;
    else if (!td_index_put(&st->by_key, h, *idx))
        return NULL;
    l->client = *client;
    l->name_id = name_id;
    l->final_id = name_id;
    l->qtype = qtype;
    l->rtt_ns = -1;
    return l;
}

static void apply_response(td_dns_state *st, td_dns_lookup *l, uint32_t idx, const td_dns_pkt *p,
                           const td_dns_try *t)
{
    const td_dns_msg *m = p->msg;
    l->flags &= (uint8_t)~TD_DNS_L_QUERY_AFTER;
    if (l->flags & TD_DNS_L_RESOLVED)
        return; /* a late or duplicate response changes nothing */
    l->flags |= TD_DNS_L_RESPONSE;
    l->server = p->src;
    l->rcode = m->rcode;
    l->ts_response = p->ts_ns;
    l->frame_response = p->frame;
    l->rtt_ns = t ? p->ts_ns - t->ts_ns : -1;
    if (m->tc)
        l->flags |= TD_DNS_L_TC;
    else
        l->flags &= (uint8_t)~TD_DNS_L_TC;
    td_ip addrs[TD_DNS_RR_MAX];
    uint16_t final = TD_DNS_NO_NAME;
    size_t n = td_dns_answer_addrs(m, addrs, TD_DNS_RR_MAX, &final);
    if (final != TD_DNS_NO_NAME) {
        uint32_t f = intern(st, td_dns_name(m, final));
        if (f != TD_DNS_NONE)
            l->final_id = f;
    }
    if (m->rcode == TD_DNS_R_NOERROR && (n > 0 || td_dns_answer_has_qtype(m))) {
        l->flags |= TD_DNS_L_RESOLVED;
        l->flags &= (uint8_t)~TD_DNS_L_TC; /* answers in hand */
        l->n_addrs = (uint32_t)n;
        if (n > 0)
            l->first_addr = addrs[0];
        for (size_t i = 0; i < n && i < TD_DNS_RR_MAX; i++)
            remember_addr(st, &addrs[i], &l->client, l->name_id, idx, p->ts_ns);
    }
}

uint32_t td_dns_update(td_dns_state *st, const td_dns_pkt *p)
{
    const td_dns_msg *m = p->msg;
    if (!m || m->opcode != 0) /* only QUERY (RFC 1035 4.1.1) */
        return TD_DNS_NONE;
    uint32_t name_id = intern(st, td_dns_name(m, m->qname));
    if (name_id == TD_DNS_NONE) {
        st->dropped++;
        return TD_DNS_NONE;
    }
    const td_ip *client = m->response ? &p->dst : &p->src;
    const td_ip *server = m->response ? &p->src : &p->dst;
    uint16_t cport = m->response ? p->dport : p->sport;
    key_ctx kc = {&st->lookups, client, name_id, m->qtype};
    uint64_t h = key_hash(client, name_id, m->qtype);
    uint32_t *slot = td_index_slot(&st->by_key, h, key_eq, &kc);
    uint32_t idx = slot ? *slot : TD_DNS_NONE;
    td_dns_lookup *l = idx != TD_DNS_NONE ? td_vec_at(&st->lookups, idx) : NULL;
    uint32_t tk = try_key(server, cport, m->id);
    td_dns_server *srv = server_for(st, server, p->frame);

    if (!m->response) {
        if (srv)
            srv->queries++;
        bool join = l && !(l->flags & TD_DNS_L_RESOLVED) && p->ts_ns >= l->ts_last_query &&
                    p->ts_ns - l->ts_last_query <= TD_DNS_RETRY_WINDOW_NS;
        if (!join) {
            l = new_lookup(st, slot, h, client, name_id, m->qtype, &idx);
            if (!l) {
                st->dropped++;
                return TD_DNS_NONE;
            }
            l->ts_first = p->ts_ns;
            l->frame_first = p->frame;
            l->server = *server;
            l->servers = 1;
        } else {
            if (!td_ip_eq(&l->server, server))
                l->servers = 2;
            l->server = *server;
            if (l->flags & TD_DNS_L_RESPONSE)
                l->flags |= TD_DNS_L_QUERY_AFTER;
        }
        if (l->tries < UINT16_MAX)
            l->tries++;
        l->ts_last_query = p->ts_ns;
        l->frame_last_query = p->frame;
        if (p->tcp)
            l->flags |= TD_DNS_L_TCP;
        td_dns_try *t = &l->try_[l->next_try];
        l->next_try = (uint8_t)((l->next_try + 1) % TD_DNS_TRIES_KEPT);
        t->key = tk;
        t->frame = p->frame;
        t->ts_ns = p->ts_ns;
        return idx;
    }

    /* a response: the latest try of the lookup with the same server,
     * client port and id answers it */
    if (srv)
        srv->responses++;
    const td_dns_try *match = NULL;
    if (l) {
        for (unsigned i = 0; i < TD_DNS_TRIES_KEPT; i++) {
            const td_dns_try *t = &l->try_[i];
            if (t->frame && t->key == tk && t->ts_ns <= p->ts_ns &&
                (!match || t->ts_ns > match->ts_ns))
                match = t;
        }
    }
    /* A NOERROR response whose answers cannot be read (a length past the
     * end, a compression loop) is dropped by a stub resolver (glibc's
     * res_send discards what it cannot parse) and decides nothing: the
     * lookup waits for another response, as the client does. */
    if (m->malformed && m->rcode == 0 && m->n_rr == 0 && m->ancount > 0) {
        if (!match)
            return TD_DNS_NONE;
        l->flags |= TD_DNS_L_MALFORMED;
        return idx;
    }
    if (!match) {
        /* its query is not in the capture (or the id does not match one):
         * a lookup of its own, judged from the response */
        l = new_lookup(st, slot, h, client, name_id, m->qtype, &idx);
        if (!l) {
            st->dropped++;
            return TD_DNS_NONE;
        }
        l->flags |= TD_DNS_L_NO_QUERY;
        l->ts_first = l->ts_last_query = p->ts_ns;
        l->frame_first = p->frame;
        l->servers = 1;
    }
    apply_response(st, l, idx, p, match);
    return idx;
}

uint32_t td_dns_icmp_error(td_dns_state *st, const td_dns_pkt *q, uint32_t frame)
{
    td_dns_server *srv = server_for(st, &q->dst, frame);
    if (srv)
        srv->icmp_errors++;
    const td_dns_msg *m = q->msg;
    if (!m || m->response)
        return TD_DNS_NONE;
    name_ctx nc = {st, td_dns_name(m, m->qname), (uint32_t)strlen(td_dns_name(m, m->qname))};
    uint32_t name_id = td_index_find(&st->name_ix, td_hash(TD_HASH_INIT, nc.s, nc.len), name_eq, &nc);
    if (name_id == TD_INDEX_NONE)
        return TD_DNS_NONE;
    key_ctx kc = {&st->lookups, &q->src, name_id, m->qtype};
    uint32_t idx = td_index_find(&st->by_key, key_hash(&q->src, name_id, m->qtype), key_eq, &kc);
    td_dns_lookup *l = idx != TD_INDEX_NONE ? td_vec_at(&st->lookups, idx) : NULL;
    if (!l)
        return TD_DNS_NONE;
    uint32_t tk = try_key(&q->dst, q->sport, m->id);
    for (unsigned i = 0; i < TD_DNS_TRIES_KEPT; i++)
        if (l->try_[i].frame && l->try_[i].key == tk) {
            if (l->icmp_errors < UINT16_MAX)
                l->icmp_errors++;
            return idx;
        }
    return TD_DNS_NONE;
}

const td_dns_lookup *td_dns_lookup_at(const td_dns_state *st, uint32_t i)
{
    return td_vec_at(&st->lookups, i);
}

uint32_t td_dns_lookup_count(const td_dns_state *st) { return st->lookups.count; }

/* now - since >= thr without overflow (times come from the file). */
static bool waited(int64_t now, int64_t since, int64_t thr)
{
    if (now < since)
        return false;
    return (uint64_t)now - (uint64_t)since >= (uint64_t)thr;
}

td_dns_verdict td_dns_verdict_of(const td_dns_lookup *l, int64_t now_ns, int64_t threshold_ns)
{
    if (l->flags & TD_DNS_L_RESOLVED)
        return TD_DNS_V_RESOLVED;
    if (l->flags & TD_DNS_L_RESPONSE) {
        if (l->flags & TD_DNS_L_TC) {
            if (!(l->flags & TD_DNS_L_QUERY_AFTER))
                return TD_DNS_V_TRUNCATED;
            /* retried (over TCP) after the truncated answer, unanswered */
            return waited(now_ns, l->ts_last_query, threshold_ns) ? TD_DNS_V_NO_ANSWER
                                                                  : TD_DNS_V_PENDING;
        }
        switch (l->rcode) {
        case TD_DNS_R_NOERROR: return TD_DNS_V_NO_ADDRESS;
        case TD_DNS_R_NXDOMAIN: return TD_DNS_V_NXDOMAIN;
        case TD_DNS_R_SERVFAIL: return TD_DNS_V_SERVFAIL;
        case TD_DNS_R_REFUSED: return TD_DNS_V_REFUSED;
        default: return TD_DNS_V_ERROR;
        }
    }
    /* only unreadable responses: an error, not silence */
    if (l->flags & TD_DNS_L_MALFORMED)
        return TD_DNS_V_ERROR;
    /* no response: an ICMP error is a definite non-answer; a retry too */
    if (l->icmp_errors > 0 || l->tries >= 2 || waited(now_ns, l->ts_first, threshold_ns))
        return TD_DNS_V_NO_ANSWER;
    return TD_DNS_V_PENDING;
}

bool td_dns_lookup_connected(const td_dns_state *st, const td_dns_lookup *l)
{
    const td_dns_name_rec *n = td_vec_at(&st->names, l->name_id);
    return n && n->connected && n->last_conn_ts >= l->ts_first;
}

uint32_t td_dns_server_count(const td_dns_state *st) { return st->servers.count; }

const td_dns_server *td_dns_server_at(const td_dns_state *st, uint32_t i)
{
    return td_vec_at(&st->servers, i);
}

bool td_dns_server_silent(const td_dns_state *st, uint32_t i, uint32_t *other_out)
{
    const td_dns_server *s = td_vec_at(&st->servers, i);
    if (!s || s->queries == 0 || s->responses > 0)
        return false;
    for (uint32_t j = 0; j < st->servers.count; j++) {
        const td_dns_server *o = td_vec_at(&st->servers, j);
        if (j != i && o->responses > 0) {
            if (other_out)
                *other_out = j;
            return true;
        }
    }
    return false;
}

/* ---- sentences ------------------------------------------------------------ */

static const char *const VNAMES[TD_DNS_V_COUNT] = {
    "resolved", "no-address", "nxdomain", "servfail", "refused",
    "no-answer", "pending", "truncated", "error"};

const char *td_dns_verdict_name(td_dns_verdict v)
{
    return (unsigned)v < TD_DNS_V_COUNT ? VNAMES[v] : "unknown";
}

bool td_dns_verdict_is_failure(td_dns_verdict v)
{
    return v != TD_DNS_V_RESOLVED && v != TD_DNS_V_PENDING && (unsigned)v < TD_DNS_V_COUNT;
}

static void put_tries(char *buf, size_t n, size_t *o, const td_dns_lookup *l, const char *sep)
{
    if (l->tries > 1)
        td_text_append(buf, n, o, "%s%u tries", sep, l->tries);
}

static void put_duration(char *buf, size_t n, size_t *o, int64_t ns)
{
    if (ns < 0)
        ns = 0;
    if (ns < 1000000000LL)
        td_text_append(buf, n, o, "%.1f ms", (double)ns / 1e6);
    else
        td_text_append(buf, n, o, "%.1f s", (double)ns / 1e9);
}

/* "NXDOMAIN from 192.0.2.53" / "no answer from 192.0.2.56" */
static void put_outcome(char *buf, size_t n, size_t *o, const td_dns_lookup *l, td_dns_verdict v)
{
    char ip[TD_IP_STRLEN], rc[16];
    td_ip_format(&l->server, ip, sizeof ip);
    switch (v) {
    case TD_DNS_V_NO_ADDRESS: td_text_append(buf, n, o, "NOERROR without address from %s", ip); break;
    case TD_DNS_V_NO_ANSWER:
    case TD_DNS_V_PENDING:
        td_text_append(buf, n, o, "no answer from %s%s", ip, l->servers > 1 ? " (and another server)" : "");
        break;
    case TD_DNS_V_TRUNCATED: td_text_append(buf, n, o, "truncated answer (TC) from %s, no retry over TCP", ip); break;
    default:
        if (!(l->flags & TD_DNS_L_RESPONSE) && (l->flags & TD_DNS_L_MALFORMED))
            td_text_append(buf, n, o, "only malformed (unreadable) responses from %s", ip);
        else
            td_text_append(buf, n, o, "%s from %s", td_dns_rcode_name(l->rcode, rc, sizeof rc), ip);
        break;
    }
}

size_t td_dns_describe(const td_dns_state *st, const td_dns_lookup *l, int64_t now_ns,
                       int64_t threshold_ns, char *buf, size_t n)
{
    size_t o = 0;
    char tn[16], ip[TD_IP_STRLEN];
    td_dns_verdict v = td_dns_verdict_of(l, now_ns, threshold_ns);
    if (n == 0)
        return 0;
    buf[0] = '\0';
    td_text_append(buf, n, &o, "%s %s: ", td_dns_name_of(st, l->name_id), td_dns_type_name(l->qtype, tn, sizeof tn));
    if (v == TD_DNS_V_RESOLVED) {
        if (l->n_addrs > 0) {
            td_ip_format(&l->first_addr, ip, sizeof ip);
            td_text_append(buf, n, &o, "%s", ip);
            if (l->n_addrs > 1)
                td_text_append(buf, n, &o, " (+%u)", l->n_addrs - 1);
        } else {
            td_text_append(buf, n, &o, "answered");
        }
        td_ip_format(&l->server, ip, sizeof ip);
        td_text_append(buf, n, &o, " from %s", ip);
        if (l->rtt_ns >= 0) {
            td_text_append(buf, n, &o, " in ");
            put_duration(buf, n, &o, l->rtt_ns);
        }
    } else {
        put_outcome(buf, n, &o, l, v);
    }
    if (l->final_id != l->name_id && l->final_id != TD_DNS_NONE)
        td_text_append(buf, n, &o, ", via CNAME %s", td_dns_name_of(st, l->final_id));
    if (l->tries > 1) {
        td_text_append(buf, n, &o, " (%u tries over ", l->tries);
        put_duration(buf, n, &o, l->ts_last_query - l->ts_first);
        td_text_append(buf, n, &o, ")");
    }
    if (l->icmp_errors)
        td_text_append(buf, n, &o, "; %u ICMP error%s instead of an answer", l->icmp_errors,
            l->icmp_errors > 1 ? "s" : "");
    if (v == TD_DNS_V_PENDING)
        td_text_append(buf, n, &o, "; the capture ends before the answer could come");
    return o;
}

size_t td_dns_conclusion(const td_dns_state *st, const td_dns_lookup *l, int64_t now_ns,
                         int64_t threshold_ns, char *buf, size_t n)
{
    size_t o = 0;
    td_dns_verdict v = td_dns_verdict_of(l, now_ns, threshold_ns);
    if (n == 0)
        return 0;
    buf[0] = '\0';
    if (!td_dns_verdict_is_failure(v) || td_dns_lookup_connected(st, l))
        return 0;
    const char *name = td_dns_name_of(st, l->name_id);
    if (v == TD_DNS_V_NO_ADDRESS)
        td_text_append(buf, n, &o, "%s has no address (", name);
    else
        td_text_append(buf, n, &o, "%s did not resolve (", name);
    put_outcome(buf, n, &o, l, v);
    put_tries(buf, n, &o, l, ", ");
    td_text_append(buf, n, &o, "): no connection was attempted; ");
    switch (v) {
    case TD_DNS_V_NXDOMAIN:
    case TD_DNS_V_NO_ADDRESS:
        td_text_append(buf, n, &o, "check the name and the DNS server");
        break;
    case TD_DNS_V_NO_ANSWER:
        td_text_append(buf, n, &o, "the DNS server does not answer (down, unreachable or filtered)");
        break;
    case TD_DNS_V_REFUSED:
        td_text_append(buf, n, &o, "the DNS server refuses this client or name (ACL, no recursion)");
        break;
    case TD_DNS_V_TRUNCATED:
        td_text_append(buf, n, &o, "DNS over TCP (port 53) may be blocked or unused by the client");
        break;
    default:
        td_text_append(buf, n, &o, "the DNS server failed (its upstream or zone); check the DNS server");
        break;
    }
    return o;
}

size_t td_dns_server_conclusion(const td_dns_state *st, uint32_t i, char *buf, size_t n)
{
    size_t o = 0;
    uint32_t other = 0;
    if (n == 0)
        return 0;
    buf[0] = '\0';
    if (!td_dns_server_silent(st, i, &other))
        return 0;
    const td_dns_server *s = td_dns_server_at(st, i), *a = td_dns_server_at(st, other);
    char ip[TD_IP_STRLEN], ip2[TD_IP_STRLEN];
    td_ip_format(&s->addr, ip, sizeof ip);
    td_ip_format(&a->addr, ip2, sizeof ip2);
    td_text_append(buf, n, &o, "DNS server %s answered none of %u quer%s", ip, s->queries,
        s->queries == 1 ? "y" : "ies");
    if (s->icmp_errors)
        td_text_append(buf, n, &o, " (%u ICMP error%s)", s->icmp_errors, s->icmp_errors > 1 ? "s" : "");
    td_text_append(buf, n, &o, " while %s answered: it is down, unreachable or filtered; "
                    "clients wait for its timeout before asking another server", ip2);
    return o;
}
