/* udp_unreach.h — ICMP / ICMPv6 errors quoting a UDP datagram, per flow
 * (client, server, server port): tcpdiag.udp.verdict port-unreachable
 * (ICMP 3/3, ICMPv6 1/4), prohibited (ICMP 3/9, 3/10, 3/13; ICMPv6 1/1),
 * unreachable (other destination-unreachable codes). Pure C.
 *
 * UDP has no handshake: a datagram nobody answers proves nothing (the
 * protocol above may not answer, or the answer may be lost), so unanswered
 * UDP is not judged; only an ICMP error is evidence.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TCPDIAG_UDP_UNREACH_H
#define TCPDIAG_UDP_UNREACH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "evidence.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Strings are a contract: add, never rename. */
typedef enum {
    TD_UDP_V_PORT_UNREACHABLE = 0,
    TD_UDP_V_PROHIBITED,
    TD_UDP_V_UNREACHABLE,
    TD_UDP_V_COUNT
} td_udp_verdict;

typedef struct {
    uint32_t frame;        /* the ICMP error */
    int64_t ts_ns;
    td_ip reporter;        /* its IP source */
    bool v6;
    uint8_t type, code;
    td_ip client, server;  /* the quoted datagram's source and destination */
    uint16_t client_port, server_port;
} td_udp_icmp;

typedef struct {
    td_ip client, server, reporter;
    uint16_t server_port;
    uint16_t errors;       /* ICMP errors = datagrams rejected */
    uint8_t verdict;       /* td_udp_verdict of the latest error */
    uint32_t frame_first, frame_last;
} td_udp_flow;

typedef struct {
    td_vec flows;
    td_index ix;
} td_udp_state;

#define TD_UDP_NONE UINT32_MAX

/* The verdict an ICMP type/code gives a UDP datagram; false for an ICMP
 * message that is no destination-unreachable error. */
bool td_udp_classify(bool v6, uint8_t type, uint8_t code, td_udp_verdict *v);

void td_udp_init(td_udp_state *st);
void td_udp_free(td_udp_state *st);
uint32_t td_udp_update(td_udp_state *st, const td_udp_icmp *e);
/* The flow a UDP datagram belongs to (for its verdict on the second pass),
 * or NULL: nothing rejected it. */
const td_udp_flow *td_udp_find(const td_udp_state *st, const td_ip *client, const td_ip *server,
                               uint16_t server_port);
uint32_t td_udp_flow_count(const td_udp_state *st);
const td_udp_flow *td_udp_flow_at(const td_udp_state *st, uint32_t i);
/* "UDP port 5060 of 203.0.113.1: port unreachable (3 datagrams): nothing
 * listens there, or NAT/port forwarding does not forward UDP 5060". */
size_t td_udp_sentence(const td_udp_flow *f, char *buf, size_t n);
const char *td_udp_verdict_name(td_udp_verdict v);

#ifdef __cplusplus
}
#endif
#endif
