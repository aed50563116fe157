/* td_limits.h — every size, slot count, time bound and key of tcpdiag in one
 * place, with its unit and why (p0f's config.h in spirit). Pure C.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TCPDIAG_TD_LIMITS_H
#define TCPDIAG_TD_LIMITS_H

#include <stdint.h>

/* ---- time ---------------------------------------------------------- */

/* Two copies of a SYN (or SYN/ACK) closer than this are one transmission
 * captured twice (mirroring, several interfaces), not a retransmission: no
 * stack retransmits a SYN within 10 ms (Linux's first SYN RTO is 1 s, RFC
 * 6298 §2 asks for at least 1 s). Nanoseconds. */
#define TD_DUP_WINDOW_NS 10000000LL

/* Packets of one handshake written out of order (several capture queues,
 * port mirroring) are microseconds apart; a retransmission comes an RTO
 * later (a SYN/ACK: 1 s on Linux, RFC 6298 §2). Within this window an ACK
 * written before its SYN/ACK (or both before the SYN) is that handshake's.
 * Nanoseconds. */
#define TD_REORDER_WINDOW_NS TD_DUP_WINDOW_NS

/* A challenge ACK (RFC 5961 §4) is sent at once on the SYN's arrival, so it
 * comes one round trip after the SYN it answers, before that SYN's next
 * retry. After the latest SYN the next retry is unknown: with exponential
 * backoff (RFC 6298 §5.5) each wait is at least as long as all earlier
 * waits together, and never shorter than the 3 s initial RTO of RFC 1122
 * (still used by some stacks), so the bound is the larger of the two. A
 * bare ACK arriving later answers nothing. Nanoseconds. */
#define TD_CHALLENGE_MIN_WINDOW_NS 3000000000LL

/* The client's handshake ACK acknowledges the SYN/ACK: ack = ISN(s) + 1,
 * more only if the server sent data before it (TCP Fast Open, RFC 7413),
 * which its initial window bounds far below this (RFC 6928: 10 segments).
 * Bytes of sequence space. */
#define TD_SYNACK_ACK_WINDOW (1u << 20)

/* Default of the no-response threshold preference: a single unanswered SYN
 * seen at least this long before the capture ended is unanswered rather
 * than pending (the first retransmission comes after 1 s). Nanoseconds. */
#define TD_NO_RESPONSE_NS_DEFAULT 1000000000LL

/* Capture times are clamped to +-(2^62 - 1) ns (about 146 years either side
 * of 1970), so that the difference of two never overflows int64_t: a
 * corrupt or shifted pcapng may hold any 64-bit time. Nanoseconds. */
#define TD_TS_LIMIT_NS ((INT64_C(1) << 62) - 1)

/* ---- cross-connection conclusions (conclusions.c) ----------------- */

/* A SYN flood: many half-open connections (SYN/ACKs to nobody) from many
 * sources on one service, possibly with SYNs left unanswered once the SYN
 * backlog is full; a handful of lost ACKs must not look like an attack.
 * Counts of connections / distinct client addresses. */
#define TD_FLOOD_MIN_HALF_OPEN 10
#define TD_FLOOD_MIN_ATTEMPTS 20
#define TD_FLOOD_MIN_SOURCES 10

/* ---- per-connection memory ---------------------------------------- */

/* SYN retransmission times kept per connection for the retry schedule
 * ("+1.0 s, +3.0 s, ..."): Linux gives up after 6 retries by default
 * (net.ipv4.tcp_syn_retries), so 8 holds every real schedule. Count. */
#define TD_RETRIES_KEPT 8

/* ---- caches (file scope, fixed size) ------------------------------- */

/* First-pass 4-tuple -> connection cache (conn_cache.c). Power of two;
 * the benchmark mix has ~3,000 connections alive at once. Slots of 48 B. */
#define TD_CONN_CACHE_SLOTS 4096

/* Per-connection views with their texts (view.c), direct-mapped by the
 * connection's tcp.stream. A packet list redraws the connections on screen,
 * a single pass the connections open at one time (a few hundred in the
 * bench mix, at 1,000 new connections a second): 1,024 slots keep both.
 * Slots of ~1.9 KiB. */
#define TD_VIEW_SLOTS 1024

/* ---- text ---------------------------------------------------------- */

/* A diagnosis sentence, an option summary or findings, a conclusion part:
 * the longest real sentence is ~420 bytes (refused + forged RST + retry
 * schedule). Longer text is cut at a UTF-8 boundary. Bytes, with NUL. */
#define TD_TEXT_MAX 512

/* "+1.0 s, +3.0 s, +7.0 s, ..." for TD_RETRIES_KEPT retries. Bytes. */
#define TD_RETRIES_TEXT_MAX 96

/* ---- Wireshark per-packet data keys (p_add_proto_data) ------------- */

/* Under tcpdiag's protocol id: file-scope record of an event packet that
 * later passes cannot find from pinfo (an ICMP error quoting a segment). */
#define TD_KEY_EVENT_RECORD 0
/* Under tcpdiag's protocol id, in pinfo->pool: the DNS, DHCP and ARP
 * payloads the evidence observers (evidence_hook.c) saw. */
#define TD_KEY_SEEN 1
/* Under tcpdiag's protocol id, file scope: what a frame carried of the
 * checklist evidence (evidence_table.c), only on frames that carry some. */
#define TD_KEY_EVIDENCE 2

/* Checklist messages kept per frame (a TCP segment on port 53 can hold
 * several DNS messages; the rest of the frame is not read). Count. */
#define TD_SEEN_PER_FRAME 8
/* DNS over TCP (RFC 7766): bytes of an unfinished message kept per
 * direction of a port-53 stream until its last segment comes (a message is
 * at most 65535 bytes plus its 2-byte length). Beyond: dropped. */
#define TD_DNS_TCP_BUFFER 65537
/* ... and port-53 stream directions tracked at once; beyond, split
 * messages of new streams are not read. */
#define TD_DNS_TCP_STREAMS 4096

/* ==== checklist evidence (DNS, ARP/ND, ping, DHCP, UDP unreachable, zero
 * window; issue 11) ====================================================
 *
 * Memory bounds: every table below has a fixed maximum number of entries;
 * once full, new keys are counted in the table's `dropped` counter and not
 * tracked (existing entries go on being updated). The per-entry sizes are
 * checked by the unit tests (sizeof), so the worst case is
 *   entries x size, e.g. DNS: 262144 lookups x 192 B = 48 MiB plus 8 MiB
 * of names; ARP/ND: 65536 addresses x 160 B + 262144 bursts x 72 B;
 * ping: 65536 flows x 216 B; DHCP: 65536 transactions x 128 B.
 */
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
