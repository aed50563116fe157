/* builders.h — td_pkt builders shared by the unit tests.
 *
 * Direction 0 is the client (CL), 1 the server (SV), unless a test says
 * otherwise. Times are nanoseconds relative to T0; frames are 1-based.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TCPDIAG_BUILDERS_H
#define TCPDIAG_BUILDERS_H

#include <stdint.h>
#include <string.h>

#include "conn_state.h"

#define CL 0 /* client direction */
#define SV 1 /* server direction */
#define CI 1000u /* client ISN */
#define SI 5000u /* server ISN */
#define T0 1700000000000000000LL
#define US(x) ((int64_t)(x) * 1000LL)
#define MS(x) ((int64_t)(x) * 1000000LL)
#define SEC(x) ((int64_t)(x) * 1000000000LL)
#define THR TD_NO_RESPONSE_NS_DEFAULT

/* ---- packet builders -------------------------------------------------- */

static inline td_pkt tcp(uint32_t frame, int64_t t, int dir, uint8_t flags,
                  uint32_t seq, uint32_t ackno, uint32_t len)
{
    td_pkt p;
    memset(&p, 0, sizeof p);
    p.frame = frame;
    p.ts_ns = T0 + t;
    p.kind = TD_PKT_TCP;
    p.dir = (uint8_t)dir;
    p.flags = flags;
    p.flags_known = 1;
    p.seq = seq;
    p.ack = ackno;
    p.payload_len = len;
    return p;
}

static inline td_pkt syn(uint32_t f, int64_t t, int dir, uint32_t seq)
{
    return tcp(f, t, dir, TD_TH_SYN, seq, 0, 0);
}

static inline td_pkt synack(uint32_t f, int64_t t, int dir, uint32_t seq, uint32_t ackno)
{
    return tcp(f, t, dir, TD_TH_SYN | TD_TH_ACK, seq, ackno, 0);
}

static inline td_pkt ack(uint32_t f, int64_t t, int dir, uint32_t seq, uint32_t ackno)
{
    return tcp(f, t, dir, TD_TH_ACK, seq, ackno, 0);
}

static inline td_pkt rst(uint32_t f, int64_t t, int dir, uint32_t seq)
{
    return tcp(f, t, dir, TD_TH_RST, seq, 0, 0);
}

static inline td_pkt rstack(uint32_t f, int64_t t, int dir, uint32_t seq, uint32_t ackno)
{
    return tcp(f, t, dir, TD_TH_RST | TD_TH_ACK, seq, ackno, 0);
}

static inline td_pkt data(uint32_t f, int64_t t, int dir, uint32_t seq, uint32_t ackno, uint32_t len)
{
    return tcp(f, t, dir, TD_TH_PSH | TD_TH_ACK, seq, ackno, len);
}

/* ICMP destination unreachable (type 3) quoting a segment sent in `dir`:
 * a full quote (flags known, the quoted SYN) or an 8-byte one (RFC 792). */
static inline td_pkt icmp_unreach(uint32_t f, int64_t t, int dir, uint32_t seq,
                           int full_quote, uint8_t code, uint8_t reporter)
{
    td_pkt p = tcp(f, t, dir, full_quote ? TD_TH_SYN : 0, seq, 0, 0);
    p.kind = TD_PKT_ICMP_UNREACH;
    p.flags_known = (uint8_t)(full_quote != 0);
    p.icmp_type = 3;
    p.icmp_code = code;
    p.icmp_reporter = reporter;
    return p;
}

static inline td_pkt with_ts(td_pkt p, uint32_t tsval, uint32_t tsecr)
{
    p.has_tsopt = 1;
    p.tsval = tsval;
    p.tsecr = tsecr;
    return p;
}

static inline uint32_t feed(td_conn *c, td_pkt p)
{
    return td_conn_update(c, &p);
}

static inline td_conn fresh(void)
{
    td_conn c;
    td_conn_init(&c);
    return c;
}

#endif
