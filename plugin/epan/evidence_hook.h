/* evidence_hook.h — the DNS, DHCP and ARP payloads of the current packet,
 * seen as their dissector tables hand them over (evidence_hook.c), for the
 * checklist evidence (docs/design/checklist.md).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TCPDIAG_EVIDENCE_HOOK_H
#define TCPDIAG_EVIDENCE_HOOK_H

#include <epan/packet.h>

#include "td_limits.h"

typedef enum {
    TD_SEEN_ARP = 1,  /* an ARP message (after the Ethernet header) */
    TD_SEEN_UDP,      /* a UDP payload on port 53, 67 or 68 */
    TD_SEEN_DNS_TCP   /* a TCP payload on port 53: 2-byte length + message, maybe several */
} td_seen_kind;

typedef struct {
    uint8_t kind;          /* td_seen_kind */
    const guint8 *data;    /* the payload as captured; valid while the packet is dissected */
    guint len;
    address src, dst;      /* the enclosing IP header's (UDP / TCP only) */
    guint16 sport, dport;
    gboolean has_seq;      /* TD_SEEN_DNS_TCP: the segment's sequence numbers */
    guint32 seq, nxtseq;
} td_seen_item;

typedef struct {
    guint n;
    td_seen_item item[TD_SEEN_PER_FRAME];
} td_seen;

void td_evidence_hook_register(int proto); /* from proto_register */
void td_evidence_hook_handoff(void);       /* from handoff */
/* For the file being opened: observe if wanted and still in front of DNS,
 * DHCP and ARP (Decode As may have replaced them: the evidence is then
 * absent, never wrong). */
gboolean td_evidence_hook_activate(gboolean wanted);
const td_seen *td_evidence_hook_get(packet_info *pinfo); /* NULL: nothing seen */

#endif
