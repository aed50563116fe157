/* hook.h — TCP and ICMP headers seen as IP hands them over (hook.c).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TCPDIAG_HOOK_H
#define TCPDIAG_HOOK_H

#include <epan/packet.h>

#include "conn_state.h"
#include "options.h"
#include "tuple.h"

/* What the observers saw in the current packet (one static record, hook.c). */
typedef struct {
    gboolean have_tcp;     /* a TCP header (its ports at least) was seen */
    gboolean has_seq;
    td_pkt pkt;            /* seq, ack, flags, payload_len, timestamps */
    td_opt_pkt opts;       /* options of a SYN (wscale TD_NO_WSCALE if absent) */
    td_tuple tuple;        /* of the IP header enclosing the innermost TCP */
    uint8_t ttl;
    gboolean has_ttl;
    int icmp_version;      /* 4 / 6: the outermost ICMP error, 0: none */
    uint8_t icmp_type, icmp_code;
    address reporter;      /* that ICMP's source */
    address icmp_dst;      /* ... and destination (the outer IP header's) */
    const guint8 *icmp_msg; /* that ICMP message from its type byte, as captured */
    guint icmp_len;         /* (valid while the packet is dissected) */
    uint16_t window;       /* the segment's window field (unscaled) */
    gboolean has_window;
} td_hook_pkt;

void td_hook_register(int proto);     /* from proto_register */
gboolean td_hook_handoff(void);       /* from handoff: FALSE if not installed */
/* For the file being opened (init routine): read headers through the
 * observers if wanted and they are still in front of TCP/ICMP/ICMPv6
 * (Decode As or another plugin may have replaced them). Returns whether
 * they are active; td_hook_active() tells it until the next file.
 * icmp_for_evidence: record each ICMP message (icmp_msg) for the checklist
 * evidence even when the headers are read from Wireshark's fields. */
gboolean td_hook_activate(gboolean wanted, gboolean icmp_for_evidence);
gboolean td_hook_active(void);
/* What the observers saw of the current packet: NULL when they saw no TCP
 * or ICMP. The post-dissector takes it once, on the first pass, and hands it
 * to the evidence and the extraction; taking it lets a later dissection of
 * the same frame (the GUI) start afresh. Valid, icmp_msg too, until the
 * post-dissector returns. */
const td_hook_pkt *td_hook_take(packet_info *pinfo);

#endif
