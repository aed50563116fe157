/* evidence_limits.h — every limit and threshold of the checklist evidence
 * (DNS, ARP/ND, ping, DHCP, UDP unreachable, zero window), in one place,
 * with its unit. The lead merges this into limits.h (issue 12).
 *
 * Memory bounds: every table below has a fixed maximum number of entries;
 * once full, new keys are counted in the table's `dropped` counter and not
 * tracked (existing entries go on being updated). The per-entry sizes are
 * checked by the unit tests (sizeof), so the worst case is
 *   entries x size, e.g. DNS: 262144 lookups x 192 B = 48 MiB plus 8 MiB
 * of names; ARP/ND: 65536 addresses x 160 B + 262144 bursts x 72 B;
 * ping: 65536 flows x 216 B; DHCP: 65536 transactions x 128 B.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TCPDIAG_EVIDENCE_LIMITS_H
#define TCPDIAG_EVIDENCE_LIMITS_H

/* ---- shared ------------------------------------------------------------ */
/* A request with a single transmission that has waited this long without
 * an answer is unanswered rather than pending (DNS query, ARP/NS request,
 * echo request). The same default as the TCP SYN threshold. ns. */
#define TD_EV_UNANSWERED_NS        1000000000LL   /* 1 s */

/* ---- DNS (dns_lookup.c, dns_wire.c) ------------------------------------ */
/* Longest name in presentation form (RFC 1035 3.1: 255 octets on the
 * wire, so at most 253 characters plus a dot). bytes. */
#define TD_DNS_NAME_MAX            255
/* Resource records of one response read for answers / CNAME following. */
#define TD_DNS_RR_MAX              64
/* CNAME hops followed from the name asked (loops stop here too). */
#define TD_DNS_CNAME_HOPS_MAX      8
/* Compression pointers followed while reading one name (RFC 1035 4.1.4;
 * a loop stops here). */
#define TD_DNS_PTR_HOPS_MAX        32
/* A query for the same name and type from the same client joins the
 * previous lookup (a retry) if it comes within this time of that lookup's
 * latest query and the lookup has not resolved. glibc's default timeout is
 * 5 s (resolv.conf(5)), so its retries are ~5 s apart. ns. */
#define TD_DNS_RETRY_WINDOW_NS     6000000000LL   /* 6 s */
/* Recent queries of one lookup remembered for matching responses (by
 * server and transaction id). */
#define TD_DNS_TRIES_KEPT          4
/* Lookups tracked in one capture. entries. */
#define TD_DNS_MAX_LOOKUPS         262144
/* Bytes of interned names (each distinct name once). bytes. */
#define TD_DNS_NAME_ARENA_MAX      (8u * 1024u * 1024u)
/* Addresses remembered as "returned by a lookup" (for tcpdiag.server.name),
 * and DNS servers with query statistics. entries. */
#define TD_DNS_MAX_ADDRS           65536
#define TD_DNS_MAX_SERVERS         4096

/* ---- ARP / IPv6 neighbour discovery (neighbor.c) ------------------------ */
/* Requests for one address without a reply: unanswered once there are this
 * many, or once the first has waited TD_EV_UNANSWERED_NS. */
#define TD_NB_UNANSWERED_REQUESTS  2
/* Hardware addresses remembered per IP address (2 prove a duplicate; a few
 * more name the others in the report). */
#define TD_NB_MACS_PER_ADDR        4
/* A second hardware address claiming the same IP within this time of the
 * first one's latest claim is a duplicate; after a longer gap it may be a
 * replaced NIC or a moved address (RFC 5227 2.4 defends within 10 s). ns. */
#define TD_NB_DUP_WINDOW_NS        600000000000LL /* 10 min */
/* A request from a DHCP server for an address it offers / acks / naks
 * within this time before or after is its in-use check (dnsmasq pings the
 * address, ~3 s before the OFFER). ns. */
#define TD_NB_DHCP_PROBE_WINDOW_NS 10000000000LL  /* 10 s */
/* A requester with unanswered bursts for more than this many addresses is
 * sweeping the link (a scanner, a router refreshing its table, a DHCP
 * server checking a pool): one note for the sweep, no warning per
 * address. addresses. */
#define TD_NB_SWEEP_ADDRS          8
/* IP addresses tracked. entries. */
#define TD_NB_MAX_ADDRS            65536
/* Request bursts (one per address asked, until answered). entries. */
#define TD_NB_MAX_EPISODES         262144

/* ---- ping (ping.c) ---------------------------------------------------- */
/* Echo flows (requester, target, identifier) tracked. entries. */
#define TD_PING_MAX_FLOWS          65536
/* Outstanding echo requests remembered per flow for RTT matching by
 * sequence number. */
#define TD_PING_SEQ_KEPT           8

/* ---- DHCPv4 (dhcp.c) --------------------------------------------------- */
/* A DISCOVER / REQUEST not answered by an OFFER / ACK / NAK: no-offer once
 * the client has sent this many of the transaction, or once the first has
 * waited TD_DHCP_UNANSWERED_NS (RFC 2131 4.1: retransmit after 4 s, +-1 s,
 * doubling; a server's in-use check takes ~3 s). */
#define TD_DHCP_UNANSWERED_TRIES   2
#define TD_DHCP_UNANSWERED_NS      2000000000LL   /* 2 s */
/* Transactions (client, xid) tracked. entries. */
#define TD_DHCP_MAX_TXNS           65536

/* ---- UDP port unreachable (udp_unreach.c) ------------------------------ */
/* UDP flows (client, server, server port) that got an ICMP error. entries. */
#define TD_UDP_MAX_FLOWS           65536

/* ---- zero window at the start (zero_window.c) --------------------------- */
/* A zero window from the server is a start-up finding when it comes within
 * this time of the handshake ... ns. */
#define TD_ZW_EARLY_NS             3000000000LL   /* 3 s */
/* ... or before the server has acknowledged more than this many of its own
 * initial receive windows of client data. */
#define TD_ZW_EARLY_WINDOWS        4

#endif
