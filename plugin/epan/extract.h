/* extract.h — turn a dissected packet into the flat td_pkt of conn_state.h.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TCPDIAG_EXTRACT_H
#define TCPDIAG_EXTRACT_H

#include <epan/packet.h>

#include "conn_state.h"
#include "hook.h"
#include "options.h"
#include "time_ns.h"
#include "tuple.h"

/* tcp.stream unknown (an 8-byte ICMP quote of a connection TCP never saw). */
#define TD_STREAM_NONE 0xffffffffu

typedef struct {
    td_pkt pkt;            /* pkt.dir = td_tuple_order(&tuple) */
    td_tuple tuple;        /* the TCP segment's (the quoted one's for ICMP) */
    uint32_t stream;       /* tcp.stream, or TD_STREAM_NONE */
    address reporter;      /* ICMP only: who sent the error */
    td_opt_pkt opts;       /* options of a SYN or SYN/ACK (else zeroed) */
    uint8_t ttl;           /* IPv4 TTL / IPv6 hop limit of the segment's header */
    gboolean has_ttl;
    uint16_t window;       /* the window field (unscaled); observers only */
    gboolean has_window;
} td_extracted;

/* A packet's capture time, clamped (pcapng times reach 2^64 ns). */
static inline int64_t td_time_ns(const nstime_t *t)
{
    return td_time_ns_of((int64_t)t->secs, (int64_t)t->nsecs);
}

/* The tuple's endpoint (0: source, 1: destination) as a Wireshark address
 * pointing into the tuple. */
void td_tuple_address(const td_tuple *t, int end, address *out);
/* pinfo's segment (set by the innermost IP and TCP layers); FALSE unless
 * IPv4 or IPv6. */
gboolean td_tuple_from_pinfo(const packet_info *pinfo, td_tuple *t);

/* The fields the post-dissector reads; call from the init routine, after
 * td_hook_activate(). Declares them wanted only while tcpdiag is enabled and
 * the observers of hook.c are not active, so a disabled plugin costs nothing
 * (an empty wanted list lets tshark skip building trees). */
void td_extract_init(dissector_handle_t handle, gboolean enabled);

/* Fills out from the observers' record h (td_hook_take(), NULL if they saw
 * nothing) when they are active, else from the tree, for the current packet.
 * FALSE when the packet is no TCP segment and no ICMP error quoting one. */
gboolean td_extract(proto_tree *tree, packet_info *pinfo, const td_hook_pkt *h,
                    td_extracted *out);

#endif
