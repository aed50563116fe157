/* checklist.h — the checklist evidence of one capture in one place: the
 * DNS, ARP/ND, ping, DHCP and UDP-unreachable states, fed through a few
 * entry points that take what the plugin's observers have at hand (the
 * payload bytes and the addresses), and that do the cross-module calls
 * (a DHCP server's OFFER marks its probes; an ICMP error quoting a DNS
 * query counts against the lookup). The plugin glue calls these; it holds
 * no checklist logic of its own. Pure C.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TCPDIAG_CHECKLIST_H
#define TCPDIAG_CHECKLIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dhcp.h"
#include "dns_lookup.h"
#include "evidence.h"
#include "neighbor.h"
#include "ping.h"
#include "udp_unreach.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What a frame carried, for its per-frame record (kind + index). */
typedef enum {
    TD_CL_NONE = 0,
    TD_CL_DNS,        /* index: lookup */
    TD_CL_NEIGHBOR,   /* index: burst (td_nb_episode) */
    TD_CL_PING,       /* index: flow */
    TD_CL_DHCP,       /* index: transaction */
    TD_CL_UDP_ERROR   /* index: UDP flow (and, if it quoted DNS, see dns_index) */
} td_cl_kind;

typedef struct {
    uint8_t kind;        /* td_cl_kind */
    uint32_t index;      /* TD_CL_NEIGHBOR: the burst, or TD_NB_NONE (an announcement, a claim) */
    uint32_t dns_index;  /* TD_CL_UDP_ERROR quoting a DNS query: its lookup */
    uint32_t addr;       /* TD_CL_NEIGHBOR: the sender's td_nb_addr (the address it
                          * claims for itself), or TD_NB_NONE */
    int64_t rtt_ns;      /* TD_CL_PING reply: its request's RTT; -1 otherwise */
} td_cl_frame;

typedef struct {
    td_dns_state dns;
    td_nb_state nb;
    td_ping_state ping;
    td_dhcp_state dhcp;
    td_udp_state udp;
    td_dns_msg msg;      /* scratch: one parsed message (~9.5 KiB) */
} td_checklist;

/* The state is large (the scratch message): allocate it, do not put it on
 * the stack. */
td_checklist *td_cl_new(void);
void td_cl_free(td_checklist *cl);

/* An ARP payload (after the Ethernet header). */
td_cl_frame td_cl_arp(td_checklist *cl, const uint8_t *p, size_t len, uint32_t frame, int64_t ts_ns);

/* An ICMP (v6 false) or ICMPv6 message, icmp pointing at its type byte,
 * from src to dst; eth_src may be NULL. Echo, NS/NA, and destination
 * unreachable quoting UDP (the quote: IP header + UDP header + payload as
 * the error carries it). */
td_cl_frame td_cl_icmp(td_checklist *cl, const uint8_t *icmp, size_t len, bool v6, const td_ip *src,
                       const td_ip *dst, const td_mac *eth_src, uint32_t frame, int64_t ts_ns);

/* A UDP datagram's payload: DNS (port 53 either side) or DHCP (67/68). */
td_cl_frame td_cl_udp(td_checklist *cl, const td_ip *src, const td_ip *dst, uint16_t sport,
                      uint16_t dport, const uint8_t *payload, size_t len, uint32_t frame,
                      int64_t ts_ns);

/* One whole DNS message from a TCP stream on port 53 (without its 2-byte
 * length; the glue reassembles). */
td_cl_frame td_cl_dns_tcp(td_checklist *cl, const td_ip *src, const td_ip *dst, uint16_t sport,
                          uint16_t dport, const uint8_t *msg, size_t len, uint32_t frame,
                          int64_t ts_ns);

/* A connection's first SYN to server: its name id (TD_DNS_NONE if none). */
uint32_t td_cl_syn(td_checklist *cl, const td_ip *server, int64_t ts_ns);
/* The same, naming the server after the client's own lookup first. */
uint32_t td_cl_syn_from(td_checklist *cl, const td_ip *client, const td_ip *server, int64_t ts_ns);

/* The IP + UDP header of a datagram quoted by an ICMP error: false when
 * the quote is no UDP over IPv4/IPv6 (or too short for the ports). The
 * payload is what the quote holds of the datagram's payload. */
bool td_cl_quoted_udp(const uint8_t *q, size_t len, td_ip *src, td_ip *dst, uint16_t *sport,
                      uint16_t *dport, const uint8_t **payload, size_t *payload_len);

/* One line on an address for `-z tcpdiag,hosts`: its names, hardware
 * addresses, ARP/ND, ping, DHCP and UDP evidence, e.g. "192.0.2.20: MAC
 * 02:00:00:00:00:21, 02:00:00:00:00:22 (duplicate!); ARP duplicate". 0 when
 * nothing is known about it. Call td_nb_prepare(&cl->nb, ...) first for a
 * whole report. */
size_t td_cl_host_line(const td_checklist *cl, const td_ip *addr, int64_t now_ns,
                       int64_t threshold_ns, char *buf, size_t n);

#ifdef __cplusplus
}
#endif
#endif
