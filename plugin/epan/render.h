/* render.h — the tcpdiag subtree, expert items and Info column of a packet,
 * drawn from the connection's view (render.c), on every pass.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TCPDIAG_RENDER_H
#define TCPDIAG_RENDER_H

#include <epan/packet.h>

#include "prefs.h"
#include "view.h"

/* Registers tcpdiag's fields, subtrees and expert items under proto. */
void td_render_register(int proto);

/* The packet's part of connection cx, from its view; events: what this
 * packet proved (TD_EV_*). */
void td_render(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, const td_conn_ext *cx,
               uint32_t events, const td_prefs *prefs);

#endif
