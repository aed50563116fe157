/* view.h — one read-only view per connection for the output layer
 * (render.c, the reports, the stats tree): the verdict and everything said
 * about it, computed at most once per change of the connection's state and
 * cached (view.c). Output code reads views; it never climbs down into the
 * state machine, the connection table or the capture.
 *
 * A view is valid until the next td_view_of() for a connection of the same
 * cache slot: long enough for one packet or one report row.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TCPDIAG_VIEW_H
#define TCPDIAG_VIEW_H

#include "capture.h"
#include "conn_table.h"
#include "evidence_table.h"
#include "prefs.h"

typedef struct td_view td_view;

/* Cheap facts, filled on every change of state. */
struct td_view {
    const td_conn_ext *cx;
    const td_conn *c;          /* the state the view was made from */
    const td_opts *opts;
    td_verdict verdict;
    uint32_t evidence_frame;   /* where the verdict's expert item goes; 0: none */
};

void td_view_init(const td_prefs *prefs); /* a new file (and the prefs it is judged with) */
const td_view *td_view_of(const td_conn_ext *cx);

/* Facts computed on first use, then kept with the view. */

/* The endpoints in canonical order (client = end client_end); FALSE when the
 * conversation key has none. client_end is c->client_dir, or 0 (address
 * order) for a midstream connection whose client is unknown. */
gboolean td_view_tuple(const td_view *v, const td_tuple **t, int *client_end);
gboolean td_view_is_ipv6(const td_view *v);
uint16_t td_view_server_port(const td_view *v); /* 0 when unknown */

/* Refused only: the answering RST's TTL against the server's baseline.
 * judged FALSE: no baseline (rst_ttl may still be known, else 0). */
typedef struct {
    gboolean judged, forged;
    uint8_t rst_ttl, server_ttl;
} td_view_rst;
const td_view_rst *td_view_rst_of(const td_view *v);

const char *td_view_icmp_reporter(const td_view *v); /* or NULL */
const char *td_view_retries(const td_view *v);       /* "+1.0 s, +3.0 s" or NULL */
const char *td_view_sentence(const td_view *v);      /* the diagnosis */
const char *td_view_options(const td_view *v);       /* "MSS 1460/1460, ..." */
const char *td_view_option_findings(const td_view *v); /* or NULL when none */
/* Checklist evidence about the connection (issue 11). */
/* Its record in evidence_table.c (NULL: none), found once per view: the
 * record's fields are read live, the lookup is not repeated per packet. */
const td_conn_evidence *td_view_conn_evidence(const td_view *v);
/* The name a DNS lookup of the capture returned the server's address for
 * (the name asked, not a CNAME target), or NULL. */
const char *td_view_server_name(const td_view *v);
/* The zero-window finding (TD_ZW_NONE when none) and its sentence. */
td_zw_kind td_view_zero_window(const td_view *v, const char **sentence);
/* The client uses a link-local address (169.254/16): it has no DHCP lease. */
gboolean td_view_client_link_local(const td_view *v);
/* "192.0.2.20 claimed by 02:..:21 and 02:..:22" when two hardware
 * addresses claim the server's address, or NULL. */
const char *td_view_server_duplicate(const td_view *v);

/* The cross-connection conclusion concerning the connection (needs the
 * whole capture: call on later passes and in reports), or NULL; *owner
 * tells whether this connection is the first it concerns. */
const char *td_view_conclusion(const td_view *v, gboolean *owner);

#endif
