/* udp_unreach.c — UDP datagrams rejected by ICMP errors (pure C).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "udp_unreach.h"

#include <stdio.h>
#include <string.h>

bool td_udp_classify(bool v6, uint8_t type, uint8_t code, td_udp_verdict *v)
{
    if (v6) { /* RFC 4443 3.1 */
        if (type != 1)
            return false;
        *v = code == 4 ? TD_UDP_V_PORT_UNREACHABLE
             : code == 1 || code == 5 || code == 6 ? TD_UDP_V_PROHIBITED /* admin, policy, reject route */
                                                   : TD_UDP_V_UNREACHABLE;
        return true;
    }
    if (type != 3) /* RFC 792; codes 9, 10 RFC 1122, 13 RFC 1812 */
        return false;
    *v = code == 3 ? TD_UDP_V_PORT_UNREACHABLE
         : code == 9 || code == 10 || code == 13 ? TD_UDP_V_PROHIBITED
                                                 : TD_UDP_V_UNREACHABLE;
    return true;
}

void td_udp_init(td_udp_state *st)
{
    td_vec_init(&st->flows, sizeof(td_udp_flow), TD_UDP_MAX_FLOWS);
    td_index_init(&st->ix);
}

void td_udp_free(td_udp_state *st)
{
    td_vec_free(&st->flows);
    td_index_free(&st->ix);
}

typedef struct {
    const td_vec *v;
    const td_ip *c, *s;
    uint16_t port;
} key_ctx;

static bool key_eq(const void *ctx, uint32_t i)
{
    const key_ctx *k = ctx;
    const td_udp_flow *f = td_vec_at(k->v, i);
    return f && f->server_port == k->port && td_ip_eq(&f->client, k->c) && td_ip_eq(&f->server, k->s);
}

static uint64_t key_hash(const td_ip *c, const td_ip *s, uint16_t port)
{
    return td_hash(td_hash_ip(td_hash_ip(TD_HASH_INIT, c), s), &port, sizeof port);
}

uint32_t td_udp_update(td_udp_state *st, const td_udp_icmp *e)
{
    td_udp_verdict v;
    if (!td_udp_classify(e->v6, e->type, e->code, &v))
        return TD_UDP_NONE;
    key_ctx k = {&st->flows, &e->client, &e->server, e->server_port};
    uint64_t h = key_hash(&e->client, &e->server, e->server_port);
    uint32_t i = td_index_find(&st->ix, h, key_eq, &k);
    td_udp_flow *f = i != TD_INDEX_NONE ? td_vec_at(&st->flows, i) : NULL;
    if (!f) {
        f = td_vec_add(&st->flows, &i);
        if (!f || !td_index_put(&st->ix, h, i))
            return TD_UDP_NONE;
        f->client = e->client;
        f->server = e->server;
        f->server_port = e->server_port;
        f->frame_first = e->frame;
    }
    if (f->errors < UINT16_MAX)
        f->errors++;
    f->verdict = (uint8_t)v;
    f->reporter = e->reporter;
    f->frame_last = e->frame;
    return i;
}

const td_udp_flow *td_udp_find(const td_udp_state *st, const td_ip *client, const td_ip *server,
                               uint16_t server_port)
{
    key_ctx k = {&st->flows, client, server, server_port};
    uint32_t i = td_index_find(&st->ix, key_hash(client, server, server_port), key_eq, &k);
    return i == TD_INDEX_NONE ? NULL : td_vec_at(&st->flows, i);
}

uint32_t td_udp_flow_count(const td_udp_state *st) { return st->flows.count; }
const td_udp_flow *td_udp_flow_at(const td_udp_state *st, uint32_t i)
{
    return td_vec_at(&st->flows, i);
}

size_t td_udp_sentence(const td_udp_flow *f, char *buf, size_t n)
{
    char s[TD_IP_STRLEN], r[TD_IP_STRLEN], by[TD_IP_STRLEN + 8] = "";
    int k;
    if (n == 0)
        return 0;
    td_ip_format(&f->server, s, sizeof s);
    td_ip_format(&f->reporter, r, sizeof r);
    if (!td_ip_eq(&f->reporter, &f->server))
        snprintf(by, sizeof by, " by %s", r);
    const char *what = f->errors == 1 ? "datagram" : "datagrams";
    switch (f->verdict) {
    case TD_UDP_V_PORT_UNREACHABLE:
        k = snprintf(buf, n, "UDP port %u of %s: port unreachable%s (%u %s): nothing listens "
                             "there, or NAT/port forwarding does not forward UDP %u",
                     f->server_port, s, by, f->errors, what, f->server_port);
        break;
    case TD_UDP_V_PROHIBITED:
        k = snprintf(buf, n, "UDP port %u of %s: administratively prohibited%s (%u %s): a "
                             "firewall rejects it",
                     f->server_port, s, by, f->errors, what);
        break;
    default:
        k = snprintf(buf, n, "UDP port %u of %s: destination unreachable%s (%u %s): no route "
                             "to the host or the network",
                     f->server_port, s, by, f->errors, what);
        break;
    }
    if (k < 0)
        return 0;
    return (size_t)k < n ? (size_t)k : n - 1;
}

static const char *const VNAMES[TD_UDP_V_COUNT] = {"port-unreachable", "prohibited",
                                                    "unreachable"};

const char *td_udp_verdict_name(td_udp_verdict v)
{
    return (unsigned)v < TD_UDP_V_COUNT ? VNAMES[v] : "unknown";
}
