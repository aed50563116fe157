/* zero_window.c — the zero-window-at-the-start rule (pure C).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "zero_window.h"

#include <stdio.h>

#include "td_limits.h"

td_zw_kind td_zw_judge(const td_zw_input *in)
{
    if (in->is_synack)
        return TD_ZW_SYNACK; /* no buffer at all for this connection */
    if (!in->client_waiting)
        return TD_ZW_NONE;   /* nothing to send: a zero window hurts nobody */
    bool soon = in->ts_ns >= in->ts_handshake_ns && in->ts_ns - in->ts_handshake_ns <= TD_ZW_EARLY_NS;
    bool few = in->initial_window > 0 &&
               (uint64_t)in->acked_bytes <= (uint64_t)TD_ZW_EARLY_WINDOWS * in->initial_window;
    return soon || few ? TD_ZW_EARLY : TD_ZW_NONE;
}

size_t td_zw_sentence(td_zw_kind k, const td_zw_input *in, char *buf, size_t n)
{
    int r;
    if (n == 0)
        return 0;
    buf[0] = '\0';
    if (k == TD_ZW_SYNACK)
        r = snprintf(buf, n, "the server accepted with a zero window in its SYN/ACK: it has no "
                             "receive buffer for the connection (memory pressure)");
    else if (k == TD_ZW_EARLY)
        r = snprintf(buf, n, "the server accepted, then advertised a zero window %.1f s later "
                             "(after %u bytes): its receive buffer is full (application not "
                             "reading, memory pressure)",
                     (double)(in->ts_ns - in->ts_handshake_ns) / 1e9, in->acked_bytes);
    else
        return 0;
    if (r < 0)
        return 0;
    return (size_t)r < n ? (size_t)r : n - 1;
}
