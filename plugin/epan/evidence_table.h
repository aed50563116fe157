/* evidence_table.h — the one owner of the checklist evidence of a file
 * (evidence_table.c): the core's td_checklist (DNS lookups, ARP/ND,
 * ping, DHCP, UDP unreachable), what each frame carried of it, and the
 * little each connection adds (the server's name, a zero window, a
 * link-local client). Fed on the first pass only, in frame order; read on
 * every pass. See docs/design/checklist.md.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TCPDIAG_EVIDENCE_TABLE_H
#define TCPDIAG_EVIDENCE_TABLE_H

#include <epan/packet.h>

#include "checklist.h"
#include "conn_record.h"
#include "evidence_hook.h"
#include "extract.h"
#include "hook.h"
#include "zero_window.h"

void td_evidence_register(int proto); /* the key of the per-frame records */
void td_evidence_init(void);          /* a new file */
void td_evidence_cleanup(void);

/* What a frame carried (only frames that carry something have one). */
typedef struct {
    guint n;
    td_cl_frame f[1];  /* n of them */
} td_ev_frame;

/* What a connection adds; only connections that add something have one. */
typedef struct {
    uint32_t name_id;       /* the name a lookup returned the server for, or TD_DNS_NONE */
    gboolean link_local;    /* the client uses 169.254/16 (RFC 3927) */
    gboolean have_mac;
    td_mac client_mac;      /* the SYN's Ethernet source, for the DHCP finding */
    gboolean zw_seen;       /* the server advertised a zero window (first one below) */
    gboolean zw_open;       /* ... and has not opened it since */
    td_zw_input zw_in;
    uint8_t zw;             /* td_zw_kind */
    uint32_t zw_frame;      /* the first zero window */
    uint32_t zw_known_frame; /* where it became a finding (the SYN/ACK, or the
                             * client segment that showed data waiting) */
} td_conn_evidence;

/* ---- first pass ---------------------------------------------------------- */

/* The checklist messages of the packet: the ICMP the header observers saw
 * (h, may be NULL) and the DNS / DHCP / ARP payloads (seen, may be NULL). */
void td_evidence_feed(packet_info *pinfo, const td_hook_pkt *h, const td_seen *seen);
/* A segment of cx after td_conn_update (events: what it proved): its first
 * SYN names the server and notes a link-local client; the server's zero
 * windows and the client's segments that follow them. */
void td_evidence_segment(packet_info *pinfo, const td_conn_ext *cx, const td_extracted *x,
                         uint32_t events);

/* ---- every pass ---------------------------------------------------------- */

const td_checklist *td_evidence_checklist(void);       /* NULL: nothing yet */
const td_ev_frame *td_evidence_frame(packet_info *pinfo); /* NULL: nothing there */
const td_conn_evidence *td_evidence_of_conn(const td_conn_ext *cx); /* NULL: nothing */
/* The checklist with its per-requester counts up to date for now_ns
 * (td_nb_prepare, redone only when something changed): for sweeps and
 * conclusions. NULL: nothing yet. */
const td_checklist *td_evidence_prepared(int64_t now_ns, int64_t threshold_ns);
/* A requester sweeping the link (td_nb_is_sweep at the last prepared
 * time): the last frame of its first unanswered burst, where its one note
 * goes; 0 when it is no sweeper. */
uint32_t td_evidence_sweep_note_frame(const td_ip *requester);
/* Grows whenever any evidence changed: caches of sentences compare it. */
guint64 td_evidence_generation(void);
/* td_ip of a Wireshark IPv4/IPv6 address (family 0 otherwise). */
td_ip td_evidence_ip(const address *a);

#endif
