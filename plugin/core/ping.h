/* ping.h — ICMP / ICMPv6 echo (RFC 792, RFC 4443 4.1-4.2) per flow
 * (requester, target, identifier): answered or not (tcpdiag.ping.verdict)
 * and the round-trip time; per target host, for the server conclusions
 * that combine ping with the connections (the article's steps 3-4: a host
 * that answers ping but not the port is up; one that answers neither may
 * be down, or filter everything, ICMP included). Pure C.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TCPDIAG_PING_H
#define TCPDIAG_PING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "evidence.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Strings are a contract: add, never rename. */
typedef enum {
    TD_PING_V_ANSWERED = 0,
    TD_PING_V_UNANSWERED,  /* >= 2 requests, or >= 1 s, and no reply */
    TD_PING_V_PENDING,
    TD_PING_V_DHCP_PROBE,  /* a DHCP server's in-use check (td_ping_mark_dhcp) */
    TD_PING_V_COUNT
} td_ping_verdict;

typedef struct {
    uint32_t frame;
    int64_t ts_ns;
    td_ip src, dst;
    bool reply;            /* echo reply (ICMP 0, ICMPv6 129) */
    uint16_t id, seq;
} td_ping_pkt;

/* An echo request / reply from the ICMP or ICMPv6 header (type byte at
 * icmp[0]); false for anything else. */
bool td_ping_parse(const uint8_t *icmp, size_t len, bool v6, const td_ip *src, const td_ip *dst,
                   uint32_t frame, int64_t ts_ns, td_ping_pkt *out);

typedef struct {
    uint16_t seq;
    uint32_t frame;
    int64_t ts_ns;
} td_ping_sent;

typedef struct {
    td_ip requester, target;
    uint16_t id;
    uint16_t requests, replies;
    uint8_t dhcp_probe;
    uint8_t next_sent;
    int64_t ts_first, ts_last_request;
    uint32_t frame_first, frame_first_reply;
    int64_t rtt_first_ns;   /* RTT of the first answered request, -1: none */
    int64_t rtt_min_ns;
    td_ping_sent sent[TD_PING_SEQ_KEPT];
} td_ping_flow;

typedef struct {
    td_vec flows;
    td_index ix;
} td_ping_state;

#define TD_PING_NONE UINT32_MAX

void td_ping_init(td_ping_state *st);
void td_ping_free(td_ping_state *st);
/* Feeds one echo message; returns its flow (TD_PING_NONE if not tracked).
 * *rtt_ns (may be NULL): for a reply matched to its request, the RTT; else -1. */
uint32_t td_ping_update(td_ping_state *st, const td_ping_pkt *p, int64_t *rtt_ns);
/* A DHCP server offered `addr` at ts: its echo requests to it within
 * TD_NB_DHCP_PROBE_WINDOW_NS are its in-use check. */
void td_ping_mark_dhcp(td_ping_state *st, const td_ip *server, const td_ip *addr, int64_t ts_ns);

uint32_t td_ping_flow_count(const td_ping_state *st);
const td_ping_flow *td_ping_flow_at(const td_ping_state *st, uint32_t i);
td_ping_verdict td_ping_flow_verdict(const td_ping_flow *f, int64_t now_ns, int64_t threshold_ns);
/* The target host over all its flows (DHCP probes left out): answered if
 * any flow was (*first: that flow), else unanswered / pending; false when
 * nobody pinged it. */
bool td_ping_host(const td_ping_state *st, const td_ip *target, int64_t now_ns,
                  int64_t threshold_ns, td_ping_verdict *v, const td_ping_flow **first);

/* The server sentence for a host all of whose connections to `port` got
 * no answer: "198.51.100.20 answers ping (frame 4, 0.2 ms) but not SYNs to
 * port 80: the host is up; a firewall filters port 80 or the service is
 * not listening on it", or "... answers neither ping nor SYNs: ...". 0 when
 * the host was not pinged. */
size_t td_ping_server_sentence(const td_ping_state *st, const td_ip *server, uint16_t port,
                               int64_t now_ns, int64_t threshold_ns, char *buf, size_t n);

const char *td_ping_verdict_name(td_ping_verdict v);

#ifdef __cplusplus
}
#endif
#endif
