/* packet-tcpdiag.c — the entry file: registration, hand-off and the
 * post-dissector. It reads each packet (extract.c, through the header
 * observers of hook.c), feeds it to its connection on the first pass
 * (capture.c, conn_table.c), and renders from the stored state on every
 * pass (view.c, render.c). It includes the other layers; nothing includes
 * it (see plugin/README.md).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <epan/packet.h>
#include <epan/tap.h>

#include "capture.h"
#include "compat.h"
#include "conn_table.h"
#include "evidence_hook.h"
#include "evidence_table.h"
#include "extract.h"
#include "hook.h"
#include "prefs.h"
#include "render.h"
#include "render_evidence.h"
#include "reports.h"
#include "tap.h"

void proto_register_tcpdiag(void);
void proto_reg_handoff_tcpdiag(void);

static int proto_tcpdiag = -1;
static int tap_tcpdiag = -1;
static dissector_handle_t tcpdiag_handle;
static td_prefs tcpdiag_prefs;

static void init_tcpdiag(void)
{
    td_conn_table_init();
    td_evidence_init();
    td_capture_init();
    td_view_init(&tcpdiag_prefs);
    /* Chosen once per file (enabling the protocol, a preference or Decode
     * As redissects and so comes through here): the two ways of reading
     * packets must not mix, and the observers test one flag per packet. */
    gboolean enabled = proto_is_protocol_enabled(find_protocol_by_id(proto_tcpdiag));
    /* The checklist evidence (DNS, ARP/ND, ping, DHCP, UDP) is read only
     * through observers, whatever the header_observers preference says of
     * TCP (it chooses how connections are read): without the observers it
     * is absent, never guessed. */
    td_hook_activate(enabled && tcpdiag_prefs.header_observers, enabled);
    td_evidence_hook_activate(enabled);
    td_extract_init(tcpdiag_handle, enabled);
}

static void cleanup_tcpdiag(void)
{
    td_capture_cleanup();
    td_evidence_cleanup();
    td_conn_table_cleanup();
}

static void publish_tap(packet_info *pinfo, const td_conn_ext *cx, const td_ev_frame *ev)
{
    td_tap_info *ti = wmem_new(pinfo->pool, td_tap_info);
    ti->cx = cx;
    ti->evidence = ev;
    tap_queue_packet(tap_tcpdiag, pinfo, ti);
}

static int dissect_tcpdiag(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data _U_)
{
    td_conn_ext *cx = NULL;
    uint32_t events = 0;

    if (!PINFO_FD_VISITED(pinfo)) {
        td_extracted x;
        td_conn_table_note_time(td_time_ns(&pinfo->abs_ts));
        /* What the observers saw, taken once for the evidence and the
         * connection; the checklist evidence costs two compares on packets
         * without any. */
        const td_hook_pkt *h = td_hook_take(pinfo);
        const td_seen *seen = td_evidence_hook_get(pinfo);
        if ((h && h->icmp_version) || seen)
            td_evidence_feed(pinfo, h, seen);
        if (td_extract(tree, pinfo, h, &x))
            cx = td_capture_packet(pinfo, &x, &events);
    } else {
        cx = td_conn_table_revisit(pinfo, &events);
    }
    gboolean evidence = td_render_evidence(tvb, pinfo, tree, &tcpdiag_prefs, proto_tcpdiag);
    if (!cx) {
        if (!evidence)
            return 0;
        if (have_tap_listener(tap_tcpdiag))
            publish_tap(pinfo, NULL, td_evidence_frame(pinfo));
        return tvb_captured_length(tvb);
    }
    td_render(tvb, pinfo, tree, cx, events, &tcpdiag_prefs);
    if (have_tap_listener(tap_tcpdiag))
        publish_tap(pinfo, cx, td_evidence_frame(pinfo));
    return tvb_captured_length(tvb);
}

void proto_register_tcpdiag(void)
{
    proto_tcpdiag = proto_register_protocol("TCP Handshake Diagnosis", "TCPDIAG", "tcpdiag");
    td_render_register(proto_tcpdiag);
    td_render_evidence_register(proto_tcpdiag);
    td_evidence_register(proto_tcpdiag);
    td_prefs_register(proto_tcpdiag, &tcpdiag_prefs);
    td_conn_table_register(proto_tcpdiag);

    tcpdiag_handle = register_dissector("tcpdiag", dissect_tcpdiag, proto_tcpdiag);
    register_postdissector(tcpdiag_handle);
    register_init_routine(init_tcpdiag);
    register_cleanup_routine(cleanup_tcpdiag);
    tap_tcpdiag = register_tap(TD_TAP_NAME);
    td_hook_register(proto_tcpdiag);
    td_evidence_hook_register(proto_tcpdiag);
}

void proto_reg_handoff_tcpdiag(void)
{
    /* Read TCP/ICMP headers as IP hands them over; if that cannot be set
     * up, extract.c falls back to wanted fields (and a tree). */
    td_hook_handoff();
    td_evidence_hook_handoff();
    td_report_conn_register();
    td_report_servers_register(&tcpdiag_prefs);
    td_report_hosts_register(&tcpdiag_prefs);
    td_stats_tree_register(&tcpdiag_prefs);
}
