/* conn_table.h — the one owner of per-connection state (conn_table.c), as
 * get_tcp_conversation_data() is in Wireshark's TCP: the lookup-or-create
 * accessor of a connection, the list of connections, the answers side
 * table, the per-frame event index, the capture's first and last times and
 * the verdict policy.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TCPDIAG_CONN_TABLE_H
#define TCPDIAG_CONN_TABLE_H

#include <epan/packet.h>

#include "conn_record.h"
#include "extract.h"
#include "td_limits.h"
#include "prefs.h"
#include "tuple.h"

void td_conn_table_register(int proto); /* proto: the key of our conversation data */
void td_conn_table_init(void);          /* a new file: forget everything */
void td_conn_table_cleanup(void);

/* ---- first pass -------------------------------------------------------- */

/* Every packet's capture time: the capture's first and last. */
void td_conn_table_note_time(int64_t ts_ns);

/* The connection of x (a segment, or the one an ICMP error quotes),
 * created if it is new: first pass only, frames in order. NULL when TCP
 * has no conversation for it and x is a segment (TCP did not take it). */
td_conn_ext *td_conn_table_get(packet_info *pinfo, const td_extracted *x);

/* Records what packet pinfo proved about cx (TD_EV_*), for later passes. */
void td_conn_table_set_events(packet_info *pinfo, td_conn_ext *cx, uint32_t events,
                              const td_extracted *x);

/* What the answers to a connection's SYN showed (kept only for the few
 * connections that had such an answer or a retry). */
typedef struct {
    uint8_t rst_ttl;
    gboolean have_rst_ttl;
    char *icmp_reporter;                /* address text, file scope */
    uint8_t n_retries;                  /* SYN retransmissions seen (capped) */
    uint32_t retry_us[TD_RETRIES_KEPT]; /* after the first SYN, microseconds (71 min max) */
} td_answers;

void td_conn_note_answer_rst(const td_conn_ext *cx, uint8_t ttl);
void td_conn_note_answer_icmp(const td_conn_ext *cx, const address *reporter);
void td_conn_note_syn_retry(const td_conn_ext *cx, int64_t offset_ns); /* from the first SYN */

/* Something about some connection changed (an event, a new baseline):
 * caches of derived facts compare generations. */
void td_conn_table_touch(void);
guint64 td_conn_table_generation(void);

/* ---- every pass -------------------------------------------------------- */

/* Later passes: the connection of the packet and what it proved, without
 * creating anything; NULL when the packet belongs to none. */
td_conn_ext *td_conn_table_revisit(packet_info *pinfo, uint32_t *events);

const td_answers *td_conn_answers(const td_conn_ext *cx); /* NULL if none */

/* The connection's endpoints from TCP's conversation key, in canonical
 * order (td_tuple_order: the lower endpoint is end 0, so the client is end
 * cx->c.client_dir when that is known). FALSE if the key has none. */
gboolean td_conn_tuple(const td_conn_ext *cx, td_tuple *canonical);

/* Latest / earliest capture time seen (ns): "now" for one-pass output, the
 * end of the capture for later passes and reports. */
int64_t td_capture_last_ts(void);
int64_t td_capture_first_ts(void);

/* The verdict of a connection now, with the user's preferences applied. */
td_verdict td_verdict_of(const td_conn_ext *cx, const td_prefs *prefs);

guint td_conn_count(void);
td_conn_ext *td_conn_at(guint i); /* in the order they appeared */

#endif
