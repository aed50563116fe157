/* capture.h — what the whole capture knows (capture.c): it feeds each
 * packet of the first pass to its connection's state machine, keeps each
 * server's TTL baseline, judges answering RSTs against it, and draws the
 * cross-connection conclusions of conclusions.c.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TCPDIAG_CAPTURE_H
#define TCPDIAG_CAPTURE_H

#include "conclusions.h"
#include "conn_table.h"
#include "evidence_table.h"
#include "extract.h"
#include "prefs.h"

void td_capture_init(void);    /* new file: forget everything */
void td_capture_cleanup(void);

/* First pass: feeds x to its connection. Returns the connection (NULL if
 * none) and, in *events, what this packet proved (TD_EV_*). */
td_conn_ext *td_capture_packet(packet_info *pinfo, const td_extracted *x, uint32_t *events);

/* Forged-RST evidence: TRUE when a baseline exists (the server's own
 * packets); *forged tells whether the answering RST's hop distance differs. */
gboolean td_capture_rst_judgement(const td_conn_ext *cx, gboolean *forged, uint8_t *rst_ttl,
                          uint8_t *server_ttl);

/* Cross-connection conclusions over everything seen so far; rebuilt only
 * when connections changed (call it when the first pass is over: second
 * passes, reports). */
const td_analysis *td_capture_analysis(const td_prefs *prefs);
/* The conclusion concerning cx in a, or NULL. */
const char *td_capture_conclusion_of(const td_analysis *a, const td_conn_ext *cx);
/* TRUE for the first connection a conclusion concerns: its expert item is
 * raised once, there, not on every connection (no warning storm). */
gboolean td_capture_conclusion_owner(const char *summary, const td_conn_ext *cx);
const char *td_capture_host_name(uint32_t id); /* address text of a host id */

#endif
