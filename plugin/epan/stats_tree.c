/* stats_tree.c — `-z tcpdiag,tree` and Statistics → TCP Handshake Diagnosis
 * in the GUI: connections per verdict, per server, per service.
 *
 * A connection is counted once, on the packet that carries its verdict's
 * evidence (its first packet if none), so the counts are final on second
 * passes (the GUI, tshark -2); one-pass tshark counts the verdicts known
 * when those packets were read.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "reports.h"

#include <stdio.h>

#include <epan/stats_tree.h>
#include <epan/to_str.h>

#include "tap.h"
#include "view.h"

static const td_prefs *judge_prefs; /* the entry file's, for verdicts */

static int st_verdicts = -1, st_servers = -1, st_services = -1, st_evidence = -1;

static void tree_init(stats_tree *st)
{
    st_verdicts = stats_tree_create_node(st, "Connections by verdict", 0, STAT_DT_INT, TRUE);
    st_servers = stats_tree_create_node(st, "Connections by server", 0, STAT_DT_INT, TRUE);
    st_services = stats_tree_create_node(st, "Connections by service", 0, STAT_DT_INT, TRUE);
    st_evidence = stats_tree_create_node(st, "Checklist evidence", 0, STAT_DT_INT, TRUE);
}

/* One tick under "Checklist evidence" / what / outcome. */
static void tick_evidence(stats_tree *st, const char *what, const char *outcome)
{
    tick_stat_node(st, "Checklist evidence", 0, TRUE);
    int n = tick_stat_node(st, what, st_evidence, TRUE);
    tick_stat_node(st, outcome, n, FALSE);
}

/* Each DNS lookup, ARP/ND burst, ping flow, DHCP transaction and rejected
 * UDP flow counted once, on its first frame (final on second passes). */
static void tree_evidence(stats_tree *st, packet_info *pinfo, const td_ev_frame *r)
{
    const td_checklist *cl = td_evidence_checklist();
    int64_t now = td_capture_last_ts(), thr = td_prefs_threshold_ns(judge_prefs);
    if (!cl)
        return;
    for (guint i = 0; i < r->n; i++) {
        const td_cl_frame *f = &r->f[i];
        if (f->kind == TD_CL_DNS) {
            const td_dns_lookup *l = td_dns_lookup_at(&cl->dns, f->index);
            if (l && l->frame_first == pinfo->num)
                tick_evidence(st, "DNS lookups",
                              td_dns_verdict_name(td_dns_verdict_of(l, now, thr)));
        } else if (f->kind == TD_CL_NEIGHBOR && f->index != TD_NB_NONE) {
            const td_nb_episode *e = td_nb_episode_at(&cl->nb, f->index);
            if (e && e->frame_first == pinfo->num)
                tick_evidence(st, "ARP/ND requests for an address",
                              td_nb_verdict_name(td_nb_episode_verdict(&cl->nb, e, now, thr)));
        } else if (f->kind == TD_CL_PING) {
            const td_ping_flow *p = td_ping_flow_at(&cl->ping, f->index);
            if (p && p->frame_first == pinfo->num)
                tick_evidence(st, "Pings",
                              td_ping_verdict_name(td_ping_flow_verdict(p, now, thr)));
        } else if (f->kind == TD_CL_DHCP) {
            const td_dhcp_txn *t = td_dhcp_txn_at(&cl->dhcp, f->index);
            if (t && t->frame_first == pinfo->num)
                tick_evidence(st, "DHCP transactions",
                              td_dhcp_verdict_name(td_dhcp_verdict_of(t, now)));
        } else if (f->kind == TD_CL_UDP_ERROR) {
            const td_udp_flow *u = td_udp_flow_at(&cl->udp, f->index);
            if (u && u->frame_first == pinfo->num)
                tick_evidence(st, "UDP ports rejected by ICMP",
                              td_udp_verdict_name((td_udp_verdict)u->verdict));
        }
        if (f->kind == TD_CL_NEIGHBOR && f->addr != TD_NB_NONE) {
            const td_nb_addr *a = td_nb_addr_at(&cl->nb, f->addr);
            if (a && td_nb_is_duplicate(a) && a->frame_dup == pinfo->num)
                tick_evidence(st, "Duplicate addresses", "duplicate");
        }
    }
}

static tap_packet_status tree_packet(stats_tree *st, packet_info *pinfo,
                                     epan_dissect_t *edt _U_, const void *data,
                                     tap_flags_t flags _U_)
{
    const td_tap_info *ti = (const td_tap_info *)data;
    if (ti->evidence)
        tree_evidence(st, pinfo, ti->evidence);
    if (!ti->cx)
        return ti->evidence ? TAP_PACKET_REDRAW : TAP_PACKET_DONT_REDRAW;
    const td_view *view = td_view_of(ti->cx);
    td_verdict v = view->verdict;
    uint32_t at = view->evidence_frame;
    if (pinfo->num != (at ? at : view->c->frame_first))
        return TAP_PACKET_DONT_REDRAW;

    const char *vn = td_verdict_name(v);
    tick_stat_node(st, "Connections by verdict", 0, TRUE);
    tick_stat_node(st, vn, st_verdicts, FALSE);

    const td_tuple *t;
    int ce;
    if (view->c->client_dir <= 1 && td_view_tuple(view, &t, &ce)) {
        address server;
        td_tuple_address(t, ce ^ 1, &server);
        char addr[WS_INET6_ADDRSTRLEN + 1], svc[WS_INET6_ADDRSTRLEN + 16];
        address_to_str_buf(&server, addr, (int)sizeof addr);
        snprintf(svc, sizeof svc, td_tuple_is_ipv6(t) ? "[%s]:%u" : "%s:%u", addr, t->port[ce ^ 1]);
        tick_stat_node(st, "Connections by server", 0, TRUE);
        int sn = tick_stat_node(st, addr, st_servers, TRUE);
        tick_stat_node(st, vn, sn, FALSE);
        tick_stat_node(st, "Connections by service", 0, TRUE);
        int pn = tick_stat_node(st, svc, st_services, TRUE);
        tick_stat_node(st, vn, pn, FALSE);
    }
    return TAP_PACKET_REDRAW;
}

void td_stats_tree_register(const td_prefs *p)
{
    judge_prefs = p;
    stats_tree_register_plugin(TD_TAP_NAME, "tcpdiag", "TCP Handshake Diagnosis",
                               0, tree_packet, tree_init, NULL);
}
