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
 * connection's address. A packet list redraws the connections on screen,
 * so a few hundred slots keep every visible one. Slots of ~1.2 KiB. */
#define TD_VIEW_SLOTS 256

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
/* Under tcpdiag's protocol id, in pinfo->pool: what the header observers
 * (hook.c) saw of the current packet. */
#define TD_KEY_HOOK 1

#endif
