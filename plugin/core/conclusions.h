/* conclusions.h — reasoning across connections: per server, per service
 * (server address + port) and per client, in the spirit of the seed article
 * ("108.160.163.43 connects fine, so the problem is limited to
 * 81.218.31.171"; "port 80 works but 6036 gets RST/ACK").
 *
 * GLib only, no epan headers: the caller numbers hosts (any stable ids) and
 * feeds one summary per connection, then asks for the conclusions.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TCPDIAG_CONCLUSIONS_H
#define TCPDIAG_CONCLUSIONS_H

#include <glib.h>
#include <stdint.h>

#include "conn_state.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    uint32_t client, server; /* host ids chosen by the caller */
    uint16_t port;           /* server port */
    td_verdict verdict;
    uint32_t frame;          /* first SYN (or first packet) */
    int64_t ts_ns;           /* its time */
    gboolean rst_forged;     /* refused by a RST a middlebox most likely forged */
} td_conn_summary;

/* What a service or host looks like over the whole capture. */
typedef enum {
    TD_C_NONE = 0,
    TD_C_HOST_DOWN,     /* every port of a server fails, other servers answer */
    TD_C_PORT_BLOCKED,  /* one port fails while another port of it works */
    TD_C_INTERMITTENT,  /* the same service both answers and fails */
    TD_C_STOPPED,       /* answered until some moment, failed after it */
    TD_C_SYN_FLOOD,     /* many half-open connections from many sources */
    TD_C_CLIENT_SIDE,   /* every destination fails from one client */
    TD_C_COUNT
} td_conclusion_kind;

typedef struct td_analysis td_analysis;

/* capture_start_ns: time of the first packet, to print times relative to it. */
td_analysis *td_analysis_new(int64_t capture_start_ns);
void td_analysis_add(td_analysis *a, const td_conn_summary *s);
/* Draw the conclusions; after this, only the queries below. */
void td_analysis_finish(td_analysis *a);
void td_analysis_free(td_analysis *a);

/* The conclusion sentence for a service, its server, or a client; NULL
 * when there is nothing to say. Strings live as long as the analysis. */
const char *td_analysis_service(const td_analysis *a, uint32_t server, uint16_t port,
                                td_conclusion_kind *kind);
const char *td_analysis_server(const td_analysis *a, uint32_t server, td_conclusion_kind *kind);
const char *td_analysis_client(const td_analysis *a, uint32_t client, td_conclusion_kind *kind);

/* The one line for a connection: its service's conclusion, else its
 * server's, else its client's; NULL if none. */
const char *td_analysis_for_conn(const td_analysis *a, uint32_t client, uint32_t server,
                                 uint16_t port);

/* Iteration for reports: every server / service seen, in first-seen order. */
typedef struct {
    uint32_t server;
    uint16_t port;      /* 0 for a server row */
    guint attempts, established, failed;
    guint per_verdict[TD_V_COUNT];
    td_conclusion_kind kind;
    const char *conclusion; /* or NULL */
} td_analysis_row;

/* Calls fn for each server, followed by each of its services. */
void td_analysis_foreach(const td_analysis *a, void (*fn)(const td_analysis_row *, void *),
                         void *user);

/* Calls fn for each client that has a conclusion (row.server is the
 * client's id, port 0). */
void td_analysis_foreach_client(const td_analysis *a,
                                void (*fn)(const td_analysis_row *, void *), void *user);

/* Host id names, for conclusions: the caller may give a formatter. */
typedef const char *(*td_host_name_fn)(uint32_t id, void *user);
void td_analysis_set_namer(td_analysis *a, td_host_name_fn fn, void *user);

const char *td_conclusion_name(td_conclusion_kind k); /* "host-down", ... */

#ifdef __cplusplus
}
#endif
#endif
