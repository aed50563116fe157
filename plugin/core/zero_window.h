/* zero_window.h — the article's "server out of memory": a server that
 * accepts the connection and then advertises a zero receive window
 * (RFC 9293 3.8.6) early, while the client has data to send. A zero
 * window late in a long transfer is ordinary flow control (a slow
 * reader), no start-up failure. Pure rule, no state.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TCPDIAG_ZERO_WINDOW_H
#define TCPDIAG_ZERO_WINDOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    bool is_synack;          /* the segment is the server's SYN/ACK */
    int64_t ts_ns;           /* the zero-window segment */
    int64_t ts_handshake_ns; /* the SYN/ACK (or the completing ACK) */
    uint32_t acked_bytes;    /* client bytes the server has acknowledged */
    uint32_t initial_window; /* the SYN/ACK's window field (never scaled, RFC 7323 2.2) */
    bool client_waiting;     /* the client has unacknowledged data or probes the window */
} td_zw_input;

typedef enum {
    TD_ZW_NONE = 0,
    TD_ZW_SYNACK,            /* the SYN/ACK itself advertised window 0 */
    TD_ZW_EARLY              /* zero window early, client data waiting */
} td_zw_kind;

/* The finding for a server segment with window 0 (call only for those). */
td_zw_kind td_zw_judge(const td_zw_input *in);
/* "the server accepted, then advertised a zero window 0.1 s later (after
 * 5792 bytes): its receive buffer is full (application not reading,
 * memory pressure)". */
size_t td_zw_sentence(td_zw_kind k, const td_zw_input *in, char *buf, size_t n);

#ifdef __cplusplus
}
#endif
#endif
