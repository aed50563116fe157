/* checklist.c — the checklist evidence of one capture (pure C).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "checklist.h"
#include "textbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

td_checklist *td_cl_new(void)
{
    td_checklist *cl = calloc(1, sizeof *cl);
    if (!cl)
        return NULL;
    td_dns_init(&cl->dns);
    td_nb_init(&cl->nb);
    td_ping_init(&cl->ping);
    td_dhcp_init(&cl->dhcp);
    td_udp_init(&cl->udp);
    return cl;
}

void td_cl_free(td_checklist *cl)
{
    if (!cl)
        return;
    td_dns_free(&cl->dns);
    td_nb_free(&cl->nb);
    td_ping_free(&cl->ping);
    td_dhcp_free(&cl->dhcp);
    td_udp_free(&cl->udp);
    free(cl);
}

static td_cl_frame fr(td_cl_kind k, uint32_t i)
{
    td_cl_frame f = {(uint8_t)(i == UINT32_MAX ? TD_CL_NONE : k), i, TD_DNS_NONE, TD_NB_NONE, -1};
    return f;
}

/* An ARP / ND message: its burst if it belongs to one, and the address its
 * sender claims (for the duplicate-address display on every claim). */
static td_cl_frame neighbor_frame(td_checklist *cl, const td_nb_pkt *n)
{
    uint32_t ep = td_nb_update(&cl->nb, n);
    td_cl_frame f = fr(TD_CL_NEIGHBOR, ep);
    f.addr = td_ip_is_unspecified(&n->sender_ip) ? TD_NB_NONE
                                                 : td_nb_find_index(&cl->nb, &n->sender_ip);
    if (f.addr != TD_NB_NONE)
        f.kind = TD_CL_NEIGHBOR;
    return f;
}

td_cl_frame td_cl_arp(td_checklist *cl, const uint8_t *p, size_t len, uint32_t frame, int64_t ts_ns)
{
    td_nb_pkt n;
    if (!td_nb_parse_arp(p, len, frame, ts_ns, &n))
        return fr(TD_CL_NONE, UINT32_MAX);
    return neighbor_frame(cl, &n);
}

static uint16_t be16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }

bool td_cl_quoted_udp(const uint8_t *q, size_t len, td_ip *src, td_ip *dst, uint16_t *sport,
                      uint16_t *dport, const uint8_t **payload, size_t *payload_len)
{
    size_t hl;
    if (!q || len < 1)
        return false;
    if ((q[0] >> 4) == 4) {
        if (len < 20 || q[9] != 17)
            return false;
        hl = (size_t)(q[0] & 0xf) * 4;
        if (hl < 20 || hl > len)
            return false;
        *src = td_ip4(q + 12);
        *dst = td_ip4(q + 16);
    } else if ((q[0] >> 4) == 6) {
        /* extension headers before UDP are not followed (rare in quotes) */
        if (len < 40 || q[6] != 17)
            return false;
        hl = 40;
        *src = td_ip6(q + 8);
        *dst = td_ip6(q + 24);
    } else {
        return false;
    }
    if (len < hl + 4)
        return false; /* RFC 792's 8 bytes hold the ports: at least those */
    *sport = be16(q + hl);
    *dport = be16(q + hl + 2);
    *payload = len >= hl + 8 ? q + hl + 8 : NULL;
    *payload_len = len >= hl + 8 ? len - hl - 8 : 0;
    return true;
}

td_cl_frame td_cl_icmp(td_checklist *cl, const uint8_t *icmp, size_t len, bool v6, const td_ip *src,
                       const td_ip *dst, const td_mac *eth_src, uint32_t frame, int64_t ts_ns)
{
    td_nb_pkt n;
    td_ping_pkt pg;
    if (!icmp || len < 8)
        return fr(TD_CL_NONE, UINT32_MAX);
    if (v6 && td_nb_parse_nd(icmp, len, src, eth_src, frame, ts_ns, &n))
        return neighbor_frame(cl, &n);
    if (td_ping_parse(icmp, len, v6, src, dst, frame, ts_ns, &pg))
    {
        int64_t rtt = -1;
        td_cl_frame f = fr(TD_CL_PING, td_ping_update(&cl->ping, &pg, &rtt));
        f.rtt_ns = rtt;
        return f;
    }
    td_udp_verdict v;
    if (!td_udp_classify(v6, icmp[0], icmp[1], &v))
        return fr(TD_CL_NONE, UINT32_MAX);
    td_ip qs, qd;
    uint16_t sp, dp;
    const uint8_t *pl;
    size_t pll;
    if (!td_cl_quoted_udp(icmp + 8, len - 8, &qs, &qd, &sp, &dp, &pl, &pll))
        return fr(TD_CL_NONE, UINT32_MAX);
    td_udp_icmp e = {frame, ts_ns, *src, v6, icmp[0], icmp[1], qs, qd, sp, dp};
    td_cl_frame f = fr(TD_CL_UDP_ERROR, td_udp_update(&cl->udp, &e));
    if (dp == 53) {
        bool ok = pl && td_dns_parse(pl, pll, &cl->msg);
        td_dns_pkt q = {frame, ts_ns, qs, qd, sp, dp, false, ok ? &cl->msg : NULL};
        f.dns_index = td_dns_icmp_error(&cl->dns, &q, frame);
    }
    return f;
}

td_cl_frame td_cl_udp(td_checklist *cl, const td_ip *src, const td_ip *dst, uint16_t sport,
                      uint16_t dport, const uint8_t *payload, size_t len, uint32_t frame,
                      int64_t ts_ns)
{
    if (sport == 53 || dport == 53) {
        if (!td_dns_parse(payload, len, &cl->msg))
            return fr(TD_CL_NONE, UINT32_MAX);
        td_dns_pkt p = {frame, ts_ns, *src, *dst, sport, dport, false, &cl->msg};
        return fr(TD_CL_DNS, td_dns_update(&cl->dns, &p));
    }
    if (sport == 67 || sport == 68 || dport == 67 || dport == 68) {
        td_dhcp_pkt d;
        td_ip srv, addr;
        if (!td_dhcp_parse(payload, len, src, frame, ts_ns, &d))
            return fr(TD_CL_NONE, UINT32_MAX);
        uint32_t t = td_dhcp_update(&cl->dhcp, &d, &srv, &addr);
        if (td_ip_is_set(&srv)) {
            /* its requests / echoes for this address are its in-use check */
            td_nb_mark_dhcp(&cl->nb, &srv, &addr, ts_ns);
            td_ping_mark_dhcp(&cl->ping, &srv, &addr, ts_ns);
        }
        return fr(TD_CL_DHCP, t);
    }
    return fr(TD_CL_NONE, UINT32_MAX);
}

td_cl_frame td_cl_dns_tcp(td_checklist *cl, const td_ip *src, const td_ip *dst, uint16_t sport,
                          uint16_t dport, const uint8_t *msg, size_t len, uint32_t frame,
                          int64_t ts_ns)
{
    if (!td_dns_parse(msg, len, &cl->msg))
        return fr(TD_CL_NONE, UINT32_MAX);
    td_dns_pkt p = {frame, ts_ns, *src, *dst, sport, dport, true, &cl->msg};
    return fr(TD_CL_DNS, td_dns_update(&cl->dns, &p));
}

uint32_t td_cl_syn(td_checklist *cl, const td_ip *server, int64_t ts_ns)
{
    return td_cl_syn_from(cl, NULL, server, ts_ns);
}

uint32_t td_cl_syn_from(td_checklist *cl, const td_ip *client, const td_ip *server, int64_t ts_ns)
{
    td_nb_note_syn(&cl->nb, server);
    return td_dns_note_connection_from(&cl->dns, client, server, ts_ns);
}

/* ---- hosts ---------------------------------------------------------------- */

size_t td_cl_host_line(const td_checklist *cl, const td_ip *addr, int64_t now_ns,
                       int64_t threshold_ns, char *buf, size_t n)
{
    size_t o = 0, start;
    char ip[TD_IP_STRLEN], m[TD_MAC_STRLEN];
    if (n == 0)
        return 0;
    buf[0] = '\0';
    td_ip_format(addr, ip, sizeof ip);
    td_text_append(buf, n, &o, "%s:", ip);
    start = o;
    /* its name: the latest lookup that returned it */
    uint32_t nm = td_dns_name_for(&cl->dns, addr);
    if (nm != TD_DNS_NONE)
        td_text_append(buf, n, &o, " name %s", td_dns_name_of(&cl->dns, nm));
    const td_nb_addr *a = td_nb_find(&cl->nb, addr);
    if (a && a->n_macs) {
        td_text_append(buf, n, &o, "%s MAC", o > start ? ";" : "");
        for (unsigned i = 0; i < a->n_macs; i++) {
            td_mac_format(&a->macs[i], m, sizeof m);
            td_text_append(buf, n, &o, "%s %s", i ? "," : "", m);
        }
    }
    if (a && (a->episodes || td_nb_is_duplicate(a)))
        td_text_append(buf, n, &o, "%s %s %s", o > start ? ";" : "", addr->family == 6 ? "ND" : "ARP",
            td_nb_verdict_name(td_nb_addr_verdict(&cl->nb, a, now_ns, threshold_ns)));
    td_ping_verdict pv;
    const td_ping_flow *pf;
    if (td_ping_host(&cl->ping, addr, now_ns, threshold_ns, &pv, &pf)) {
        td_text_append(buf, n, &o, "%s ping %s", o > start ? ";" : "", td_ping_verdict_name(pv));
        if (pv == TD_PING_V_ANSWERED && pf && pf->rtt_min_ns >= 0)
            td_text_append(buf, n, &o, " (%.1f ms)", (double)pf->rtt_min_ns / 1e6);
    }
    for (uint32_t i = td_dhcp_txn_count(&cl->dhcp); i-- > 0;) {
        const td_dhcp_txn *t = td_dhcp_txn_at(&cl->dhcp, i);
        if ((t->acked || t->offers) && td_ip_eq(&t->addr, addr)) {
            td_text_append(buf, n, &o, "%s DHCP %s", o > start ? ";" : "",
                td_dhcp_verdict_name(td_dhcp_verdict_of(t, now_ns)));
            break;
        }
    }
    for (uint32_t i = 0; i < td_udp_flow_count(&cl->udp); i++) {
        const td_udp_flow *u = td_udp_flow_at(&cl->udp, i);
        if (td_ip_eq(&u->server, addr))
            td_text_append(buf, n, &o, "%s UDP %u %s", o > start ? ";" : "", u->server_port,
                td_udp_verdict_name((td_udp_verdict)u->verdict));
    }
    if (o == start) {
        buf[0] = '\0';
        return 0;
    }
    return o;
}
