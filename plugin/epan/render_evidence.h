/* render_evidence.h — the checklist evidence on the packets that carry it
 * (render_evidence.c): DNS, ARP/ND, ping, DHCP and ICMP errors quoting UDP.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TCPDIAG_RENDER_EVIDENCE_H
#define TCPDIAG_RENDER_EVIDENCE_H

#include <epan/packet.h>

#include "evidence_table.h"
#include "prefs.h"
#include "view.h"

/* Registers the evidence fields, subtree and expert items under proto. */
void td_render_evidence_register(int proto);

/* The packet's evidence, if it carries some (TRUE then), on every pass. */
gboolean td_render_evidence(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree,
                            const td_prefs *prefs, int proto);

/* The connection-level evidence in the connection's subtree t (NULL: no
 * tree): its server's name, a zero window, a link-local client, a
 * duplicated server address. all: a visible tree (every field); otherwise
 * only the fields someone asked for. ti: for the zero window's expert item. */
/* TRUE when frame num carries an expert item of the connection's evidence
 * (a zero window's), so that a tree-less pass renders it. */
gboolean td_render_conn_evidence_due(const td_view *view, uint32_t num);
void td_render_conn_evidence(proto_tree *t, proto_item *ti, tvbuff_t *tvb, packet_info *pinfo,
                             const td_view *view, gboolean all);

#endif
