/* ping.c — ICMP / ICMPv6 echo evidence (pure C).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "ping.h"

#include <stdio.h>
#include <string.h>

bool td_ping_parse(const uint8_t *m, size_t len, bool v6, const td_ip *src, const td_ip *dst,
                   uint32_t frame, int64_t ts_ns, td_ping_pkt *out)
{
    if (!m || len < 8 || m[1] != 0)
        return false;
    uint8_t req = v6 ? 128 : 8, rep = v6 ? 129 : 0;
    if (m[0] != req && m[0] != rep)
        return false;
    memset(out, 0, sizeof *out);
    out->frame = frame;
    out->ts_ns = ts_ns;
    out->src = *src;
    out->dst = *dst;
    out->reply = m[0] == rep;
    out->id = (uint16_t)(m[4] << 8 | m[5]);
    out->seq = (uint16_t)(m[6] << 8 | m[7]);
    return true;
}

void td_ping_init(td_ping_state *st)
{
    td_vec_init(&st->flows, sizeof(td_ping_flow), TD_PING_MAX_FLOWS);
    td_index_init(&st->ix);
}

void td_ping_free(td_ping_state *st)
{
    td_vec_free(&st->flows);
    td_index_free(&st->ix);
}

typedef struct {
    const td_vec *v;
    const td_ip *req, *tgt;
    uint16_t id;
} key_ctx;

static bool key_eq(const void *ctx, uint32_t i)
{
    const key_ctx *c = ctx;
    const td_ping_flow *f = td_vec_at(c->v, i);
    return f && f->id == c->id && td_ip_eq(&f->requester, c->req) && td_ip_eq(&f->target, c->tgt);
}

static uint64_t key_hash(const td_ip *req, const td_ip *tgt, uint16_t id)
{
    uint64_t h = td_hash_ip(TD_HASH_INIT, req);
    h = td_hash_ip(h, tgt);
    return td_hash(h, &id, sizeof id);
}

uint32_t td_ping_update(td_ping_state *st, const td_ping_pkt *p, int64_t *rtt_ns)
{
    const td_ip *req = p->reply ? &p->dst : &p->src, *tgt = p->reply ? &p->src : &p->dst;
    key_ctx c = {&st->flows, req, tgt, p->id};
    uint64_t h = key_hash(req, tgt, p->id);
    uint32_t i = td_index_find(&st->ix, h, key_eq, &c);
    td_ping_flow *f = i != TD_INDEX_NONE ? td_vec_at(&st->flows, i) : NULL;
    if (rtt_ns)
        *rtt_ns = -1;
    if (!f) {
        f = td_vec_add(&st->flows, &i);
        if (!f || !td_index_put(&st->ix, h, i))
            return TD_PING_NONE;
        f->requester = *req;
        f->target = *tgt;
        f->id = p->id;
        f->ts_first = p->ts_ns;
        f->frame_first = p->frame;
        f->rtt_first_ns = f->rtt_min_ns = -1;
    }
    if (!p->reply) {
        if (f->requests < UINT16_MAX)
            f->requests++;
        f->ts_last_request = p->ts_ns;
        td_ping_sent *s = &f->sent[f->next_sent];
        f->next_sent = (uint8_t)((f->next_sent + 1) % TD_PING_SEQ_KEPT);
        s->seq = p->seq;
        s->frame = p->frame;
        s->ts_ns = p->ts_ns;
        return i;
    }
    if (f->replies < UINT16_MAX)
        f->replies++;
    if (!f->frame_first_reply)
        f->frame_first_reply = p->frame;
    for (unsigned k = 0; k < TD_PING_SEQ_KEPT; k++) {
        const td_ping_sent *s = &f->sent[k];
        if (s->frame && s->seq == p->seq && s->ts_ns <= p->ts_ns) {
            int64_t rtt = p->ts_ns - s->ts_ns;
            if (rtt_ns)
                *rtt_ns = rtt;
            if (f->rtt_first_ns < 0)
                f->rtt_first_ns = rtt;
            if (f->rtt_min_ns < 0 || rtt < f->rtt_min_ns)
                f->rtt_min_ns = rtt;
            break;
        }
    }
    return i;
}

void td_ping_mark_dhcp(td_ping_state *st, const td_ip *server, const td_ip *addr, int64_t ts_ns)
{
    for (uint32_t i = 0; i < st->flows.count; i++) {
        td_ping_flow *f = td_vec_at(&st->flows, i);
        int64_t d = f->ts_first > ts_ns ? f->ts_first - ts_ns : ts_ns - f->ts_first;
        if (td_ip_eq(&f->requester, server) && td_ip_eq(&f->target, addr) &&
            d <= TD_NB_DHCP_PROBE_WINDOW_NS)
            f->dhcp_probe = 1;
    }
}

uint32_t td_ping_flow_count(const td_ping_state *st) { return st->flows.count; }
const td_ping_flow *td_ping_flow_at(const td_ping_state *st, uint32_t i)
{
    return td_vec_at(&st->flows, i);
}

td_ping_verdict td_ping_flow_verdict(const td_ping_flow *f, int64_t now_ns, int64_t threshold_ns)
{
    if (f->replies)
        return TD_PING_V_ANSWERED;
    if (f->dhcp_probe)
        return TD_PING_V_DHCP_PROBE;
    if (f->requests >= 2 ||
        (now_ns >= f->ts_first && (uint64_t)now_ns - (uint64_t)f->ts_first >= (uint64_t)threshold_ns))
        return TD_PING_V_UNANSWERED;
    return TD_PING_V_PENDING;
}

bool td_ping_host(const td_ping_state *st, const td_ip *target, int64_t now_ns,
                  int64_t threshold_ns, td_ping_verdict *v, const td_ping_flow **first)
{
    bool any = false;
    td_ping_verdict best = TD_PING_V_PENDING;
    const td_ping_flow *bf = NULL;
    for (uint32_t i = 0; i < st->flows.count; i++) {
        const td_ping_flow *f = td_vec_at(&st->flows, i);
        if (!td_ip_eq(&f->target, target))
            continue;
        td_ping_verdict fv = td_ping_flow_verdict(f, now_ns, threshold_ns);
        if (fv == TD_PING_V_DHCP_PROBE)
            continue;
        any = true;
        if (fv == TD_PING_V_ANSWERED && best != TD_PING_V_ANSWERED) {
            best = fv;
            bf = f;
        } else if (fv == TD_PING_V_UNANSWERED && best == TD_PING_V_PENDING) {
            best = fv;
            bf = f;
        } else if (!bf) {
            bf = f;
        }
    }
    if (v)
        *v = best;
    if (first)
        *first = bf;
    return any;
}

size_t td_ping_server_sentence(const td_ping_state *st, const td_ip *server, uint16_t port,
                               int64_t now_ns, int64_t threshold_ns, char *buf, size_t n)
{
    td_ping_verdict v;
    const td_ping_flow *f;
    char ip[TD_IP_STRLEN];
    int k = 0;
    if (n == 0)
        return 0;
    buf[0] = '\0';
    if (!td_ping_host(st, server, now_ns, threshold_ns, &v, &f) || v == TD_PING_V_PENDING)
        return 0;
    td_ip_format(server, ip, sizeof ip);
    if (v == TD_PING_V_ANSWERED)
        k = snprintf(buf, n, "%s answers ping (frame %u, %.1f ms) but not SYNs to port %u: the "
                             "host is up; a firewall filters port %u or the service is not "
                             "listening on it",
                     ip, f->frame_first_reply, f->rtt_first_ns >= 0 ? (double)f->rtt_first_ns / 1e6 : 0.0,
                     port, port);
    else
        k = snprintf(buf, n, "%s answers neither ping (%u echo requests) nor SYNs: down, "
                             "unreachable, or everything filtered (ICMP may be filtered on purpose)",
                     ip, f->requests);
    if (k < 0)
        return 0;
    return (size_t)k < n ? (size_t)k : n - 1;
}

static const char *const VNAMES[TD_PING_V_COUNT] = {"answered", "unanswered", "pending",
                                                     "dhcp-probe"};

const char *td_ping_verdict_name(td_ping_verdict v)
{
    return (unsigned)v < TD_PING_V_COUNT ? VNAMES[v] : "unknown";
}
