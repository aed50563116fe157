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
#include "tcpdiag.h"

#include <stdio.h>

#include <epan/stats_tree.h>
#include <epan/to_str.h>

#include "analysis.h"

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
    const td_conn *c = &ti->cx->c;
    td_verdict v = td_verdict_of(ti->cx);
    uint32_t at = td_conn_evidence_frame(c, v);
    if (pinfo->num != (at ? at : c->frame_first))
        return TAP_PACKET_DONT_REDRAW;

    const char *vn = td_verdict_name(v);
    tick_stat_node(st, "Connections by verdict", 0, TRUE);
    tick_stat_node(st, vn, st_verdicts, FALSE);

    const address *client, *server;
    uint16_t cport, sport;
    if (td_conn_endpoints(ti->cx, &client, &cport, &server, &sport)) {
        char addr[WS_INET6_ADDRSTRLEN + 1], svc[WS_INET6_ADDRSTRLEN + 16];
        address_to_str_buf(server, addr, (int)sizeof addr);
        snprintf(svc, sizeof svc, server->type == AT_IPv6 ? "[%s]:%u" : "%s:%u", addr, sport);
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
    stats_tree_register_plugin("tcpdiag", "tcpdiag", "TCP Handshake Diagnosis",
                               0, tree_packet, tree_init, NULL);
}
