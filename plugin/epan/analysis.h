/* analysis.h — capture-wide knowledge (epan side): every connection, each
 * server's TTL baseline, the answers' IP details, and the cross-connection
 * conclusions of conclusions.c drawn from them.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TCPDIAG_ANALYSIS_H
#define TCPDIAG_ANALYSIS_H

#include "conclusions.h"
#include "tcpdiag.h"

void td_analysis_init(void);    /* new file: forget everything */
void td_analysis_cleanup(void);

/* First pass. */
void td_note_connection(td_conn_ext *cx);
void td_analysis_touch(void);  /* some connection changed */
guint64 td_analysis_generation(void); /* changes with every touch */
void td_note_server_ttl(const address *server, uint8_t ttl);  /* its SYN/ACKs */
void td_note_answer_rst(const td_conn_ext *cx, uint8_t ttl);
void td_note_answer_icmp(const td_conn_ext *cx, const address *reporter);
void td_note_syn_retry(const td_conn_ext *cx, int64_t offset_ns); /* from the first SYN */
/* "+1.0 s, +3.0 s": when the SYN was sent again; NULL if never. */
const char *td_retry_schedule(const td_conn_ext *cx, char *buf, size_t len);

/* The client and server endpoints of a connection (from TCP's conversation
 * key); FALSE when the client is unknown (midstream). */
gboolean td_conn_endpoints(const td_conn_ext *cx, const address **client, uint16_t *cport,
                           const address **server, uint16_t *sport);

gboolean td_conn_is_ipv6(const td_conn_ext *cx);

/* Forged-RST evidence: TRUE when a baseline exists (the server's own
 * packets); *forged tells whether the answering RST's hop distance differs. */
gboolean td_rst_judgement(const td_conn_ext *cx, gboolean *forged, uint8_t *rst_ttl,
                          uint8_t *server_ttl);
const char *td_icmp_reporter(const td_conn_ext *cx); /* or NULL */

/* The diagnosis sentence of a connection (diagnosis.c) with what only the
 * whole capture knows added (forged RST evidence). Returns buf. */
char *td_describe(const td_conn_ext *cx, td_verdict v, char *buf, size_t len);

/* Cross-connection conclusions over everything seen so far; rebuilt only
 * when connections changed (call it when the first pass is over: second
 * passes, reports). */
const td_analysis *td_current_analysis(void);
const char *td_summary_for(const td_analysis *a, const td_conn_ext *cx);
/* TRUE for the first connection a conclusion concerns: its expert item is
 * raised once, there, not on every connection (no warning storm). */
gboolean td_summary_owner(const char *summary, const td_conn_ext *cx);
guint td_connection_count(void);
td_conn_ext *td_connection_at(guint i);
const char *td_host_name(uint32_t id); /* address text of a host id */

#endif
