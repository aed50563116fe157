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

static int st_verdicts = -1, st_servers = -1, st_services = -1;

static void tree_init(stats_tree *st)
{
    st_verdicts = stats_tree_create_node(st, "Connections by verdict", 0, STAT_DT_INT, TRUE);
    st_servers = stats_tree_create_node(st, "Connections by server", 0, STAT_DT_INT, TRUE);
    st_services = stats_tree_create_node(st, "Connections by service", 0, STAT_DT_INT, TRUE);
}

static tap_packet_status tree_packet(stats_tree *st, packet_info *pinfo,
                                     epan_dissect_t *edt _U_, const void *data,
                                     tap_flags_t flags _U_)
{
    const td_tap_info *ti = (const td_tap_info *)data;
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

void td_stats_tree_register(void)
{
    stats_tree_register_plugin(TD_TAP_NAME, "tcpdiag", "TCP Handshake Diagnosis",
                               0, tree_packet, tree_init, NULL);
}
