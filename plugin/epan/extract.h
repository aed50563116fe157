/* extract.h — turn a dissected packet into the flat td_pkt of conn_state.h.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TCPDIAG_EXTRACT_H
#define TCPDIAG_EXTRACT_H

#include <epan/packet.h>

#include "conn_state.h"
#include "options.h"

typedef struct {
    td_pkt pkt;
    address src, dst;      /* the TCP segment's (the quoted one's for ICMP) */
    uint16_t sport, dport;
    uint32_t stream;       /* tcp.stream, or TD_STREAM_NONE (8-byte quotes) */
    address reporter;      /* ICMP only: who sent the error */
    td_opt_pkt opts;       /* options of a SYN or SYN/ACK (else zeroed) */
    uint8_t ttl;           /* IPv4 TTL / IPv6 hop limit of the segment's header */
    gboolean has_ttl;
    uint8_t addr_store[2][16];
} td_extracted;

/* The fields the post-dissector reads; call from the init routine. Declares
 * them wanted only while tcpdiag is enabled, so a disabled plugin costs
 * nothing (an empty wanted list lets tshark skip building trees). */
void td_extract_init(dissector_handle_t handle, gboolean enabled);

/* Fills out from the tree of the current packet. FALSE when the packet is
 * no TCP segment and no ICMP error quoting one. dir is left 0: the caller
 * orders the endpoints. */
gboolean td_extract(proto_tree *tree, packet_info *pinfo, td_extracted *out);

#endif
