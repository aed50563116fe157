/* neighbor.c — ARP and IPv6 neighbour discovery evidence (pure C).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "neighbor.h"
#include "textbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void td_nb_init(td_nb_state *st)
{
    memset(st, 0, sizeof *st);
    td_vec_init(&st->addrs, sizeof(td_nb_addr), TD_NB_MAX_ADDRS);
    td_vec_init(&st->episodes, sizeof(td_nb_episode), TD_NB_MAX_EPISODES);
    td_index_init(&st->addr_ix);
}

void td_nb_free(td_nb_state *st)
{
    td_vec_free(&st->addrs);
    td_vec_free(&st->episodes);
    td_index_free(&st->addr_ix);
}

/* ---- readers ----------------------------------------------------------------- */

static uint16_t be16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }

bool td_nb_parse_arp(const uint8_t *p, size_t len, uint32_t frame, int64_t ts_ns, td_nb_pkt *out)
{
    /* RFC 826: htype, ptype, hlen, plen, op, sha, spa, tha, tpa */
    if (!p || len < 28 || be16(p) != 1 || be16(p + 2) != 0x0800 || p[4] != 6 || p[5] != 4)
        return false;
    uint16_t op = be16(p + 6);
    if (op != 1 && op != 2)
        return false;
    memset(out, 0, sizeof *out);
    out->frame = frame;
    out->ts_ns = ts_ns;
    out->kind = op == 1 ? TD_NB_ARP_REQUEST : TD_NB_ARP_REPLY;
    memcpy(out->sender_mac.a, p + 8, 6);
    out->sender_ip = td_ip4(p + 14);
    out->target_ip = td_ip4(p + 24);
    return true;
}

bool td_nb_parse_nd(const uint8_t *m, size_t len, const td_ip *ip_src, const td_mac *eth_src,
                    uint32_t frame, int64_t ts_ns, td_nb_pkt *out)
{
    /* RFC 4861 4.3 / 4.4: type, code, checksum, 4 bytes, target (16),
     * options (type, length in units of 8 bytes, ...) */
    if (!m || len < 24 || (m[0] != 135 && m[0] != 136) || m[1] != 0)
        return false;
    memset(out, 0, sizeof *out);
    out->frame = frame;
    out->ts_ns = ts_ns;
    td_ip target = td_ip6(m + 8);
    uint8_t want_opt = m[0] == 135 ? 1 : 2; /* source / target link-layer address */
    bool have_mac = false;
    for (size_t o = 24; o + 2 <= len;) {
        size_t ol = (size_t)m[o + 1] * 8;
        if (ol == 0 || o + ol > len)
            break; /* RFC 4861 4.6: length 0 is invalid */
        if (m[o] == want_opt && ol >= 8) {
            memcpy(out->sender_mac.a, m + o + 2, 6);
            have_mac = true;
        }
        o += ol;
    }
    if (!have_mac && eth_src)
        out->sender_mac = *eth_src;
    if (m[0] == 135) {
        out->kind = TD_NB_NS;
        out->sender_ip = ip_src ? *ip_src : td_ip6((const uint8_t[16]){0});
        out->target_ip = target;
    } else {
        out->kind = TD_NB_NA;
        out->solicited = (m[4] & 0x40) != 0;
        out->override_ = (m[4] & 0x20) != 0;
        out->sender_ip = out->target_ip = target;
    }
    return true;
}

/* ---- state ----------------------------------------------------------------- */

typedef struct {
    const td_vec *v;
    const td_ip *ip;
} ip_ctx;

static bool addr_eq(const void *ctx, uint32_t i)
{
    const ip_ctx *c = ctx;
    const td_nb_addr *a = td_vec_at(c->v, i);
    return a && td_ip_eq(&a->addr, c->ip);
}

static uint32_t find_ix(const td_nb_state *st, const td_ip *ip)
{
    ip_ctx c = {&st->addrs, ip};
    return td_index_find(&st->addr_ix, td_hash_ip(TD_HASH_INIT, ip), addr_eq, &c);
}

static td_nb_addr *get(td_nb_state *st, const td_ip *ip, uint32_t *idx)
{
    uint32_t i = find_ix(st, ip);
    if (i != TD_INDEX_NONE) {
        *idx = i;
        return td_vec_at(&st->addrs, i);
    }
    td_nb_addr *a = td_vec_add(&st->addrs, &i);
    if (!a || !td_index_put(&st->addr_ix, td_hash_ip(TD_HASH_INIT, ip), i))
        return NULL;
    a->addr = *ip;
    a->open_episode = a->last_episode = TD_NB_NONE;
    *idx = i;
    return a;
}

uint32_t td_nb_find_index(const td_nb_state *st, const td_ip *addr)
{
    uint32_t i = find_ix(st, addr);
    return i == TD_INDEX_NONE ? TD_NB_NONE : i;
}

const td_nb_addr *td_nb_find(const td_nb_state *st, const td_ip *addr)
{
    uint32_t i = find_ix(st, addr);
    return i == TD_INDEX_NONE ? NULL : td_vec_at(&st->addrs, i);
}

static bool in_window(int64_t a, int64_t b, int64_t w)
{
    int64_t d = a > b ? a - b : b - a;
    return d >= 0 && d <= w;
}

/* `mac` claims a's address at p (reply, request sender, NA, gratuitous). */
static void claim(td_nb_addr *a, const td_mac *mac, const td_nb_pkt *p)
{
    if (td_mac_is_zero(mac))
        return;
    for (unsigned i = 0; i < a->n_macs; i++)
        if (td_mac_eq(&a->macs[i], mac)) {
            a->mac_last_ts[i] = p->ts_ns;
            return;
        }
    /* a new hardware address: a duplicate if another one claimed the
     * address recently (a NIC swapped long ago is no conflict) */
    if (!a->frame_dup)
        for (unsigned i = 0; i < a->n_macs; i++)
            if (in_window(p->ts_ns, a->mac_last_ts[i], TD_NB_DUP_WINDOW_NS)) {
                a->frame_dup = p->frame;
                break;
            }
    if (a->n_macs < TD_NB_MACS_PER_ADDR) {
        a->macs[a->n_macs] = *mac;
        a->mac_frame[a->n_macs] = p->frame;
        a->mac_last_ts[a->n_macs] = p->ts_ns;
        a->n_macs++;
    }
}

static uint8_t probe_kind(const td_nb_addr *a, const td_ip *requester, int64_t ts)
{
    if (td_ip_is_unspecified(requester))
        return TD_NB_V_PROBE;
    if (td_ip_is_set(&a->dhcp_server) && td_ip_eq(&a->dhcp_server, requester) &&
        in_window(ts, a->dhcp_ts, TD_NB_DHCP_PROBE_WINDOW_NS))
        return TD_NB_V_DHCP_PROBE;
    return 0;
}

uint32_t td_nb_update(td_nb_state *st, const td_nb_pkt *p)
{
    uint32_t ti, si;
    st->prepared = false;
    bool request = p->kind == TD_NB_ARP_REQUEST || p->kind == TD_NB_NS;
    bool gratuitous = td_ip_eq(&p->sender_ip, &p->target_ip) && p->kind != TD_NB_NA &&
                      !td_ip_is_unspecified(&p->sender_ip);
    if (!td_ip_is_set(&p->target_ip))
        return TD_NB_NONE;

    /* the sender claims its own address (ARP: spa/sha; NS: source/SLLA;
     * NA: target/TLLA) */
    if (!td_ip_is_unspecified(&p->sender_ip)) {
        td_nb_addr *s = get(st, &p->sender_ip, &si);
        if (s) {
            claim(s, &p->sender_mac, p);
            if (gratuitous || (p->kind == TD_NB_NA && !p->solicited)) {
                if (s->announcements < UINT16_MAX)
                    s->announcements++;
                return TD_NB_NONE;
            }
        }
    }
    if (gratuitous)
        return TD_NB_NONE;
    /* a request asks for its target; a reply / NA answers for its sender */
    td_nb_addr *a = get(st, request ? &p->target_ip : &p->sender_ip, &ti);
    if (!a)
        return TD_NB_NONE;

    if (request) {
        td_nb_episode *e = a->open_episode != TD_NB_NONE ? td_vec_at(&st->episodes, a->open_episode)
                                                         : NULL;
        uint32_t ei = a->open_episode;
        if (e && !td_ip_eq(&e->requester, &p->sender_ip))
            e = NULL; /* another host asking: its own burst */
        if (!e) {
            e = td_vec_add(&st->episodes, &ei);
            a = td_vec_at(&st->addrs, ti);
            if (!e)
                return TD_NB_NONE;
            e->addr = ti;
            e->prev = a->last_episode;
            e->requester = p->sender_ip;
            e->ts_first = p->ts_ns;
            e->frame_first = p->frame;
            e->kind = probe_kind(a, &p->sender_ip, p->ts_ns);
            a->open_episode = a->last_episode = ei;
            a->episodes++;
        }
        if (e->requests < UINT16_MAX)
            e->requests++;
        e->ts_last = p->ts_ns;
        e->frame_last = p->frame;
        return ei;
    }
    /* a reply / solicited NA answers the open burst for this address */
    uint32_t ei = a->open_episode;
    td_nb_episode *e = ei != TD_NB_NONE ? td_vec_at(&st->episodes, ei) : NULL;
    if (e && !e->answered) {
        td_nb_addr *r = (td_nb_addr *)td_nb_find(st, &e->requester);
        if (r)
            r->replies_visible = true;
        e = td_vec_at(&st->episodes, ei);
        e->answered = 1;
        e->ts_answer = p->ts_ns;
        e->frame_answer = p->frame;
        a->open_episode = TD_NB_NONE;
        return ei;
    }
    /* a second reply to an answered burst (a duplicate answering too) */
    if (a->last_episode != TD_NB_NONE) {
        e = td_vec_at(&st->episodes, a->last_episode);
        if (e && e->answered && in_window(p->ts_ns, e->ts_answer, TD_EV_UNANSWERED_NS))
            return a->last_episode;
    }
    return TD_NB_NONE;
}

void td_nb_mark_dhcp(td_nb_state *st, const td_ip *server, const td_ip *addr, int64_t ts_ns)
{
    uint32_t ai;
    st->prepared = false;
    td_nb_addr *a = get(st, addr, &ai);
    if (!a)
        return;
    a->dhcp_server = *server;
    a->dhcp_ts = ts_ns;
    /* bursts of that server for this address before the mark: walk back */
    for (uint32_t i = st->episodes.count; i-- > 0;) {
        td_nb_episode *e = td_vec_at(&st->episodes, i);
        if (e->ts_first < ts_ns - TD_NB_DHCP_PROBE_WINDOW_NS)
            break;
        if (e->addr == ai && td_ip_eq(&e->requester, server) && e->kind == 0)
            e->kind = TD_NB_V_DHCP_PROBE;
    }
}

void td_nb_note_syn(td_nb_state *st, const td_ip *addr)
{
    uint32_t i = find_ix(st, addr);
    td_nb_addr *a = i == TD_INDEX_NONE ? NULL : td_vec_at(&st->addrs, i);
    if (a)
        a->syn_seen = true;
}

uint32_t td_nb_addr_count(const td_nb_state *st) { return st->addrs.count; }
const td_nb_addr *td_nb_addr_at(const td_nb_state *st, uint32_t i) { return td_vec_at(&st->addrs, i); }
const td_nb_episode *td_nb_episode_at(const td_nb_state *st, uint32_t i)
{
    return td_vec_at(&st->episodes, i);
}

static bool waited(int64_t now, int64_t since, int64_t thr)
{
    return now >= since && (uint64_t)now - (uint64_t)since >= (uint64_t)thr;
}

td_nb_verdict td_nb_episode_verdict(const td_nb_state *st, const td_nb_episode *e, int64_t now_ns,
                                    int64_t threshold_ns)
{
    if (e->answered)
        return TD_NB_V_ANSWERED;
    if (e->kind)
        return (td_nb_verdict)e->kind;
    if (e->requests >= TD_NB_UNANSWERED_REQUESTS)
        return TD_NB_V_UNANSWERED;
    if (!waited(now_ns, e->ts_first, threshold_ns))
        return TD_NB_V_PENDING;
    const td_nb_addr *r = td_nb_find(st, &e->requester);
    return r && r->replies_visible ? TD_NB_V_UNANSWERED : TD_NB_V_UNSEEN;
}

bool td_nb_is_duplicate(const td_nb_addr *a) { return a->frame_dup != 0; }

td_nb_verdict td_nb_addr_verdict(const td_nb_state *st, const td_nb_addr *a, int64_t now_ns,
                                 int64_t threshold_ns)
{
    static const int rank[TD_NB_V_COUNT] = {
        [TD_NB_V_DUPLICATE] = 6, [TD_NB_V_UNANSWERED] = 5, [TD_NB_V_ANSWERED] = 4,
        [TD_NB_V_DHCP_PROBE] = 3, [TD_NB_V_PROBE] = 2, [TD_NB_V_PENDING] = 1,
        [TD_NB_V_UNSEEN] = 0};
    if (td_nb_is_duplicate(a))
        return TD_NB_V_DUPLICATE;
    td_nb_verdict best = TD_NB_V_ANSWERED;
    int best_rank = -1;
    if (a->episodes == 0)
        return TD_NB_V_ANSWERED; /* only claims / announcements */
    for (uint32_t i = a->last_episode; i != TD_NB_NONE;) {
        const td_nb_episode *e = td_vec_at(&st->episodes, i);
        if (!e)
            break;
        td_nb_verdict v = td_nb_episode_verdict(st, e, now_ns, threshold_ns);
        if (rank[v] > best_rank) {
            best = v;
            best_rank = rank[v];
        }
        i = e->prev;
    }
    return best;
}

void td_nb_prepare(td_nb_state *st, int64_t now_ns, int64_t threshold_ns)
{
    for (uint32_t i = 0; i < st->addrs.count; i++)
        ((td_nb_addr *)td_vec_at(&st->addrs, i))->swept = 0;
    st->prepared = false; /* td_nb_episode_verdict reads addrs, not swept */
    for (uint32_t i = 0; i < st->addrs.count; i++) {
        const td_nb_addr *a = td_vec_at(&st->addrs, i);
        /* each requester once per target address */
        td_ip seen[4];
        unsigned nseen = 0;
        for (uint32_t k = a->last_episode; k != TD_NB_NONE;) {
            const td_nb_episode *e = td_vec_at(&st->episodes, k);
            if (!e)
                break;
            k = e->prev;
            if (td_nb_episode_verdict(st, e, now_ns, threshold_ns) != TD_NB_V_UNANSWERED)
                continue;
            bool dup = false;
            for (unsigned j = 0; j < nseen; j++)
                dup = dup || td_ip_eq(&seen[j], &e->requester);
            if (dup)
                continue;
            if (nseen < 4)
                seen[nseen++] = e->requester;
            uint32_t ri = find_ix(st, &e->requester);
            td_nb_addr *r = ri == TD_INDEX_NONE ? NULL : td_vec_at(&st->addrs, ri);
            if (r)
                r->swept++;
        }
    }
    st->prepared = true;
    st->prepared_now = now_ns;
}

uint32_t td_nb_unanswered_targets(const td_nb_state *st, const td_ip *requester, int64_t now_ns,
                                  int64_t threshold_ns)
{
    if (st->prepared && st->prepared_now == now_ns) {
        const td_nb_addr *r = td_nb_find(st, requester);
        return r ? r->swept : 0;
    }
    uint32_t n = 0;
    for (uint32_t i = 0; i < st->addrs.count; i++) {
        const td_nb_addr *a = td_vec_at(&st->addrs, i);
        for (uint32_t k = a->last_episode; k != TD_NB_NONE;) {
            const td_nb_episode *e = td_vec_at(&st->episodes, k);
            if (!e)
                break;
            if (td_ip_eq(&e->requester, requester) &&
                td_nb_episode_verdict(st, e, now_ns, threshold_ns) == TD_NB_V_UNANSWERED) {
                n++;
                break;
            }
            k = e->prev;
        }
    }
    return n;
}

bool td_nb_is_sweep(const td_nb_state *st, const td_ip *requester, int64_t now_ns,
                    int64_t threshold_ns)
{
    return td_nb_unanswered_targets(st, requester, now_ns, threshold_ns) > TD_NB_SWEEP_ADDRS;
}

/* ---- sentences ------------------------------------------------------------ */

static const char *const VNAMES[TD_NB_V_COUNT] = {"answered", "unanswered", "pending",
                                                   "dhcp-probe", "probe", "duplicate", "unseen"};

const char *td_nb_verdict_name(td_nb_verdict v)
{
    return (unsigned)v < TD_NB_V_COUNT ? VNAMES[v] : "unknown";
}

size_t td_nb_conclusion(const td_nb_state *st, const td_nb_addr *a, int64_t now_ns,
                        int64_t threshold_ns, char *buf, size_t n)
{
    size_t o = 0;
    char ip[TD_IP_STRLEN], m1[TD_MAC_STRLEN], m2[TD_MAC_STRLEN];
    if (n == 0)
        return 0;
    buf[0] = '\0';
    td_ip_format(&a->addr, ip, sizeof ip);
    const char *proto = a->addr.family == 6 ? "neighbour discovery" : "ARP";
    td_nb_verdict v = td_nb_addr_verdict(st, a, now_ns, threshold_ns);
    if (v == TD_NB_V_DUPLICATE && a->n_macs >= 2) {
        td_mac_format(&a->macs[0], m1, sizeof m1);
        td_mac_format(&a->macs[1], m2, sizeof m2);
        td_text_append(buf, n, &o, "two hosts claim %s (%s and %s): connections reach either; resets and "
                        "timeouts are expected; find the duplicate", ip, m1, m2);
        return o;
    }
    if (v != TD_NB_V_UNANSWERED)
        return 0;
    /* part of a sweep by its requester: not this address's problem */
    const td_nb_episode *le = td_vec_at(&st->episodes, a->last_episode);
    if (le && td_nb_is_sweep(st, &le->requester, now_ns, threshold_ns))
        return 0;
    /* the unanswered requests, over all bursts */
    unsigned reqs = 0;
    int64_t first = 0, last = 0;
    for (uint32_t i = a->last_episode; i != TD_NB_NONE;) {
        const td_nb_episode *e = td_vec_at(&st->episodes, i);
        if (!e)
            break;
        i = e->prev;
        if (td_nb_episode_verdict(st, e, now_ns, threshold_ns) != TD_NB_V_UNANSWERED)
            continue;
        if (!reqs)
            last = e->ts_last; /* walking backwards: the latest first */
        reqs += e->requests;
        first = e->ts_first;
    }
    td_text_append(buf, n, &o, "no host answers %s for %s on this link (%u request%s over %.1f s): the "
                    "host is down or unplugged, or the client's subnet mask / gateway is wrong",
        proto, ip, reqs, reqs == 1 ? "" : "s", (double)(last - first) / 1e9);
    if (!a->syn_seen)
        td_text_append(buf, n, &o, "; no connection could be attempted");
    return o;
}
