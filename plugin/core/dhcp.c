/* dhcp.c — DHCPv4 evidence (pure C).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "dhcp.h"

#include <stdio.h>
#include <string.h>

bool td_dhcp_parse(const uint8_t *p, size_t len, const td_ip *ip_src, uint32_t frame,
                   int64_t ts_ns, td_dhcp_pkt *out)
{
    /* RFC 2131 2: op htype hlen hops xid secs flags ciaddr yiaddr siaddr
     * giaddr chaddr[16] sname[64] file[128], then the magic cookie
     * 99.130.83.99 and the options (RFC 2132) */
    if (!p || len < 240 || p[1] != 1 || p[2] != 6)
        return false;
    if (p[236] != 99 || p[237] != 130 || p[238] != 83 || p[239] != 99)
        return false;
    memset(out, 0, sizeof *out);
    out->frame = frame;
    out->ts_ns = ts_ns;
    out->xid = (uint32_t)p[4] << 24 | (uint32_t)p[5] << 16 | (uint32_t)p[6] << 8 | p[7];
    out->ciaddr = td_ip4(p + 12);
    out->yiaddr = td_ip4(p + 16);
    memcpy(out->chaddr.a, p + 28, 6);
    if (ip_src)
        out->ip_src = *ip_src;
    bool ended = false;
    for (size_t o = 240; o < len;) {
        uint8_t code = p[o];
        if (code == 0) { /* pad */
            o++;
            continue;
        }
        if (code == 255) {
            ended = true;
            break;
        }
        size_t ol = o + 1 < len ? p[o + 1] : 0;
        if (o + 1 >= len || o + 2 + ol > len)
            return false; /* an option past the end: not read at all */
        const uint8_t *v = p + o + 2;
        if (code == 53 && ol == 1)
            out->msg_type = v[0];
        else if (code == 50 && ol == 4)
            out->requested = td_ip4(v);
        else if (code == 54 && ol == 4)
            out->server_id = td_ip4(v);
        else if (code == 3 && ol >= 4 && ol % 4 == 0)
            out->router = td_ip4(v); /* RFC 2132 3.5: in order of preference */
        o += 2 + ol;
    }
    /* The options end with the end option (RFC 2132 3.2); a message
     * without it is cut or forged, and judging it could only be wrong. */
    return ended && out->msg_type >= TD_DHCP_DISCOVER && out->msg_type <= TD_DHCP_INFORM;
}

void td_dhcp_init(td_dhcp_state *st)
{
    td_vec_init(&st->txns, sizeof(td_dhcp_txn), TD_DHCP_MAX_TXNS);
    td_index_init(&st->ix);
}

void td_dhcp_free(td_dhcp_state *st)
{
    td_vec_free(&st->txns);
    td_index_free(&st->ix);
}

typedef struct {
    const td_vec *v;
    const td_mac *mac;
    uint32_t xid;
} key_ctx;

static bool key_eq(const void *ctx, uint32_t i)
{
    const key_ctx *c = ctx;
    const td_dhcp_txn *t = td_vec_at(c->v, i);
    return t && t->xid == c->xid && td_mac_eq(&t->mac, c->mac);
}

static uint64_t key_hash(const td_mac *mac, uint32_t xid)
{
    return td_hash(td_hash(TD_HASH_INIT, mac->a, 6), &xid, sizeof xid);
}

uint32_t td_dhcp_update(td_dhcp_state *st, const td_dhcp_pkt *p, td_ip *probe_server,
                        td_ip *probe_addr)
{
    if (probe_server)
        memset(probe_server, 0, sizeof *probe_server);
    if (probe_addr)
        memset(probe_addr, 0, sizeof *probe_addr);
    bool from_server = p->msg_type == TD_DHCP_OFFER || p->msg_type == TD_DHCP_ACK ||
                       p->msg_type == TD_DHCP_NAK;
    key_ctx c = {&st->txns, &p->chaddr, p->xid};
    uint64_t h = key_hash(&p->chaddr, p->xid);
    uint32_t i = td_index_find(&st->ix, h, key_eq, &c);
    td_dhcp_txn *t = i != TD_INDEX_NONE ? td_vec_at(&st->txns, i) : NULL;
    if (!t) {
        if (p->msg_type == TD_DHCP_RELEASE)
            return TD_DHCP_NONE;
        t = td_vec_add(&st->txns, &i);
        if (!t || !td_index_put(&st->ix, h, i))
            return TD_DHCP_NONE;
        t->mac = p->chaddr;
        t->xid = p->xid;
        t->ts_first = p->ts_ns;
        t->frame_first = p->frame;
    }
    if (!from_server) {
        t->ts_last_client = p->ts_ns;
        t->answered_last = 0;
        switch (p->msg_type) {
        case TD_DHCP_DISCOVER:
            if (t->discovers < UINT16_MAX)
                t->discovers++;
            break;
        case TD_DHCP_REQUEST:
        case TD_DHCP_INFORM:
            if (t->requests < UINT16_MAX)
                t->requests++;
            break;
        case TD_DHCP_DECLINE:
            t->declined = 1;
            t->answered_last = 1; /* nothing to answer */
            break;
        default:
            t->answered_last = 1;
            break;
        }
        if (td_ip_is_set(&p->requested))
            t->requested = p->requested;
        else if (p->msg_type == TD_DHCP_REQUEST && !td_ip_is_unspecified(&p->ciaddr))
            t->requested = p->ciaddr; /* renewing / rebinding: ciaddr (RFC 2131 4.3.2) */
        return i;
    }
    t->server = td_ip_is_set(&p->server_id) ? p->server_id : p->ip_src;
    t->answered_last = 1;
    t->ts_answer = p->ts_ns;
    t->frame_answer = p->frame;
    if (td_ip_is_set(&p->router))
        t->router = p->router;
    td_ip about = p->yiaddr;
    if (p->msg_type == TD_DHCP_OFFER) {
        if (t->offers < UINT16_MAX)
            t->offers++;
        t->addr = p->yiaddr;
    } else if (p->msg_type == TD_DHCP_ACK) {
        t->acked = 1;
        if (!td_ip_is_unspecified(&p->yiaddr))
            t->addr = p->yiaddr;
    } else {
        t->naked = 1;
        about = t->requested;
    }
    if (probe_server && probe_addr && td_ip_is_set(&about) && !td_ip_is_unspecified(&about)) {
        *probe_server = t->server;
        *probe_addr = about;
    }
    return i;
}

uint32_t td_dhcp_txn_count(const td_dhcp_state *st) { return st->txns.count; }
const td_dhcp_txn *td_dhcp_txn_at(const td_dhcp_state *st, uint32_t i)
{
    return td_vec_at(&st->txns, i);
}

const td_dhcp_txn *td_dhcp_client_latest(const td_dhcp_state *st, const td_mac *mac)
{
    for (uint32_t i = st->txns.count; i-- > 0;) {
        const td_dhcp_txn *t = td_vec_at(&st->txns, i);
        if (td_mac_eq(&t->mac, mac))
            return t;
    }
    return NULL;
}

td_dhcp_verdict td_dhcp_verdict_of(const td_dhcp_txn *t, int64_t now_ns)
{
    if (t->declined)
        return TD_DHCP_V_DECLINED;
    if (t->acked)
        return TD_DHCP_V_BOUND;
    if (t->naked)
        return TD_DHCP_V_NAK;
    if (t->answered_last)
        return TD_DHCP_V_PENDING; /* e.g. OFFER received, no REQUEST yet */
    unsigned asked = (unsigned)t->discovers + t->requests;
    bool long_ago = now_ns >= t->ts_first &&
                    (uint64_t)now_ns - (uint64_t)t->ts_first >= (uint64_t)TD_DHCP_UNANSWERED_NS;
    if (t->offers == 0 && (asked >= TD_DHCP_UNANSWERED_TRIES || long_ago))
        return TD_DHCP_V_NO_OFFER;
    /* offered, but the REQUEST got no ACK: judged from the REQUEST */
    if (t->offers > 0 && now_ns >= t->ts_last_client &&
        (uint64_t)now_ns - (uint64_t)t->ts_last_client >= (uint64_t)TD_DHCP_UNANSWERED_NS)
        return TD_DHCP_V_NO_OFFER;
    return TD_DHCP_V_PENDING;
}

size_t td_dhcp_conclusion(const td_dhcp_txn *t, int64_t now_ns, char *buf, size_t n)
{
    char mac[TD_MAC_STRLEN], srv[TD_IP_STRLEN], ip[TD_IP_STRLEN];
    int k = 0;
    if (n == 0)
        return 0;
    buf[0] = '\0';
    td_mac_format(&t->mac, mac, sizeof mac);
    td_ip_format(&t->server, srv, sizeof srv);
    switch (td_dhcp_verdict_of(t, now_ns)) {
    case TD_DHCP_V_NO_OFFER: {
        unsigned asked = (unsigned)t->discovers + t->requests;
        k = snprintf(buf, n, "no DHCP server answered %s (%u %s%s over %.1f s): the client has no "
                             "address; check the DHCP server / relay and the VLAN",
                     mac, asked, t->discovers ? "DISCOVER" : "REQUEST", asked == 1 ? "" : "s",
                     (double)(t->ts_last_client - t->ts_first) / 1e9);
        break;
    }
    case TD_DHCP_V_NAK:
        td_ip_format(&t->requested, ip, sizeof ip);
        k = snprintf(buf, n, "DHCP server %s refused %s's request for %s (NAK): that lease is not "
                             "valid on this network (moved, renumbered); the client must start over",
                     srv, mac, td_ip_is_set(&t->requested) ? ip : "its address");
        break;
    case TD_DHCP_V_DECLINED:
        td_ip_format(&t->addr, ip, sizeof ip);
        k = snprintf(buf, n, "%s declined %s from DHCP server %s: another host uses that address",
                     mac, ip, srv);
        break;
    default:
        return 0;
    }
    if (k < 0)
        return 0;
    return (size_t)k < n ? (size_t)k : n - 1;
}

size_t td_dhcp_link_local_finding(const td_dhcp_state *st, const td_ip *client, const td_mac *mac,
                                  int64_t now_ns, char *buf, size_t n)
{
    char ip[TD_IP_STRLEN];
    int k;
    if (n == 0)
        return 0;
    buf[0] = '\0';
    if (!td_ip_is_link_local4(client))
        return 0;
    td_ip_format(client, ip, sizeof ip);
    const td_dhcp_txn *t = mac ? td_dhcp_client_latest(st, mac) : NULL;
    if (t && td_dhcp_verdict_of(t, now_ns) == TD_DHCP_V_NO_OFFER)
        k = snprintf(buf, n, "the client %s uses a link-local address: it has no DHCP lease (%u "
                             "DISCOVERs unanswered); nothing beyond this link answers it",
                     ip, t->discovers);
    else
        k = snprintf(buf, n, "the client %s uses a link-local address (RFC 3927): it has no DHCP "
                             "lease; nothing beyond this link answers it", ip);
    if (k < 0)
        return 0;
    return (size_t)k < n ? (size_t)k : n - 1;
}

static const char *const VNAMES[TD_DHCP_V_COUNT] = {"bound", "no-offer", "nak", "pending",
                                                     "declined"};

const char *td_dhcp_verdict_name(td_dhcp_verdict v)
{
    return (unsigned)v < TD_DHCP_V_COUNT ? VNAMES[v] : "unknown";
}
