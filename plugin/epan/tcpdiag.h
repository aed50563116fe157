/* tcpdiag.h — what the plugin's epan-side files share.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TCPDIAG_TCPDIAG_H
#define TCPDIAG_TCPDIAG_H

#include <epan/conversation.h>
#include <epan/packet.h>

#include "conn_state.h"
#include "options.h"

#define TD_STREAM_NONE 0xffffffffu

/* Per-connection state, in wmem_file_scope, attached to TCP's conversation
 * with conversation_add_proto_data(). */
typedef struct {
    td_conn c;
    td_opts opts;         /* options negotiated in the handshake */
    conversation_t *conv; /* TCP's conversation: the endpoints' addresses and ports */
} td_conn_ext;           /* 128 bytes on 64-bit: keep it so (see the benchmark) */

/* tcp.stream lives in the state machine's free field. */
#define TD_STREAM(cx) ((cx)->c.user)

/* The endpoints of a TCP segment (the quoted one for an ICMP error). */
typedef struct {
    address src, dst;
    uint16_t sport, dport;
    uint8_t dir;
} td_endpoints;

/* Per-packet record, only for packets that carry a handshake event. */
typedef struct {
    td_conn_ext *cx;
    uint32_t events;      /* TD_EV_* */
    td_endpoints *quoted; /* ICMP errors only: the quoted segment's */
} td_pkt_record;

/* What the tcpdiag tap publishes for each packet of a connection. */
typedef struct {
    const td_conn_ext *cx;
    const address *src, *dst; /* NULL when unknown */
    uint16_t sport, dport;
    uint8_t dir;
} td_tap_info;

/* A capture time in nanoseconds, clamped to +-(2^62 - 1) ns (about 146
 * years either side of 1970) so that the difference of two such times never
 * overflows int64_t: a corrupt or shifted pcapng may hold any 64-bit time. */
#define TD_TS_LIMIT_NS ((INT64_C(1) << 62) - 1)
static inline int64_t td_time_ns(const nstime_t *t)
{
    const int64_t lim_s = TD_TS_LIMIT_NS / 1000000000;
    if (t->secs > lim_s)
        return TD_TS_LIMIT_NS;
    if (t->secs < -lim_s)
        return -TD_TS_LIMIT_NS;
    int64_t ns = (int64_t)t->secs * 1000000000 + t->nsecs;
    return ns > TD_TS_LIMIT_NS ? TD_TS_LIMIT_NS : ns < -TD_TS_LIMIT_NS ? -TD_TS_LIMIT_NS : ns;
}

/* Plugin-wide state (tcpdiag.c). */
extern int proto_tcpdiag;
extern int td_tap_id;
int64_t td_last_ts(void);          /* latest capture time seen, ns */
int64_t td_first_ts(void);         /* earliest capture time seen, ns */
int64_t td_threshold_ns(void);     /* no-response threshold preference */
gboolean td_append_info(void);     /* Info column preference */
gboolean td_use_observers(void);   /* hook.c reads the headers (this file) */
/* The verdict of a connection now (end of capture on later passes), with
 * the user's preferences applied. */
td_verdict td_verdict_of(const td_conn_ext *cx);

/* render.c */
void td_render_register(void);
void td_render_reset(void); /* a new file: forget cached sentences */
void td_render(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, const td_conn_ext *cx,
               uint32_t events);

/* report_conn.c, report_servers.c, stats_tree.c */
void td_report_conn_register(void);
void td_report_servers_register(void);
void td_stats_tree_register(void);

#endif
