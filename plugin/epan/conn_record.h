/* conn_record.h — the per-connection record kept in file scope, one per
 * TCP connection (Wireshark conversation) that carried a handshake event.
 * Created and found only through conn_table.c.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TCPDIAG_CONN_RECORD_H
#define TCPDIAG_CONN_RECORD_H

#include <epan/conversation.h>

#include "conn_state.h"
#include "options.h"

typedef struct td_conn_ext {
    td_conn c;            /* the handshake state machine (conn_state.h) */
    td_opts opts;         /* options negotiated in the handshake */
    conversation_t *conv; /* TCP's conversation: the endpoints' addresses and ports */
} td_conn_ext;           /* 128 bytes on 64-bit: keep it so (see the benchmark) */

/* tcp.stream lives in the state machine's free field. */
#define TD_STREAM(cx) ((cx)->c.user)

#endif
