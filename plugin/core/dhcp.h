/* dhcp.h — DHCPv4 (RFC 2131) per client hardware address and transaction
 * (xid): did the client get an address (tcpdiag.dhcp.verdict: bound,
 * no-offer, nak, pending, declined), from which server. Pure C.
 *
 * A transaction is one xid of one client: DISCOVER/OFFER/REQUEST/ACK, or a
 * REQUEST (renewing, rebinding, init-reboot) and its ACK or NAK. A client
 * that retransmits keeps its xid (RFC 2131 4.1); one that starts over
 * after a NAK picks a new one.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TCPDIAG_DHCP_H
#define TCPDIAG_DHCP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "evidence.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Strings are a contract: add, never rename. */
typedef enum {
    TD_DHCP_V_BOUND = 0,   /* ACK */
    TD_DHCP_V_NO_OFFER,    /* the client asked (>= 2 times or >= 2 s), no server answered */
    TD_DHCP_V_NAK,
    TD_DHCP_V_PENDING,     /* the exchange was under way when the capture ended */
    TD_DHCP_V_DECLINED,    /* the client declined the address: in use (RFC 2131 3.1.5) */
    TD_DHCP_V_COUNT
} td_dhcp_verdict;

enum {                     /* option 53 (RFC 2132 9.6) */
    TD_DHCP_DISCOVER = 1, TD_DHCP_OFFER, TD_DHCP_REQUEST, TD_DHCP_DECLINE,
    TD_DHCP_ACK, TD_DHCP_NAK, TD_DHCP_RELEASE, TD_DHCP_INFORM
};

typedef struct {
    uint32_t frame;
    int64_t ts_ns;
    uint8_t msg_type;      /* option 53 */
    uint32_t xid;
    td_mac chaddr;
    td_ip ciaddr, yiaddr;
    td_ip requested;       /* option 50, else unset */
    td_ip server_id;       /* option 54, else unset */
    td_ip router;          /* option 3, its first address, else unset */
    td_ip ip_src;          /* the IP source of the datagram */
} td_dhcp_pkt;

/* A BOOTP/DHCP message (the UDP payload, ports 67/68); false when it is no
 * DHCP message (short, no magic cookie, no option 53, hlen != 6). */
bool td_dhcp_parse(const uint8_t *p, size_t len, const td_ip *ip_src, uint32_t frame,
                   int64_t ts_ns, td_dhcp_pkt *out);

typedef struct {
    td_mac mac;
    uint32_t xid;
    td_ip server;          /* the answering server (option 54 or IP source) */
    td_ip addr;            /* offered / acked address */
    td_ip requested;       /* the address the client asked for */
    td_ip router;          /* the default gateway the server gave (option 3):
                            * an unanswered ARP for it explains every remote
                            * failure of that client */
    int64_t ts_first, ts_last_client, ts_answer;
    uint32_t frame_first, frame_answer;
    uint16_t discovers, requests, offers;
    uint8_t acked, naked, declined;
    uint8_t answered_last; /* the client's latest message has an answer */
} td_dhcp_txn;

typedef struct {
    td_vec txns;
    td_index ix;
} td_dhcp_state;

#define TD_DHCP_NONE UINT32_MAX

void td_dhcp_init(td_dhcp_state *st);
void td_dhcp_free(td_dhcp_state *st);
/* Feeds one message; returns its transaction (TD_DHCP_NONE if untracked).
 * When it is a server's OFFER, ACK or NAK, *probe_server / *probe_addr
 * (if not NULL) get the server and the address it concerns (for
 * td_nb_mark_dhcp / td_ping_mark_dhcp); else they are unset (family 0). */
uint32_t td_dhcp_update(td_dhcp_state *st, const td_dhcp_pkt *p, td_ip *probe_server,
                        td_ip *probe_addr);

uint32_t td_dhcp_txn_count(const td_dhcp_state *st);
const td_dhcp_txn *td_dhcp_txn_at(const td_dhcp_state *st, uint32_t i);
td_dhcp_verdict td_dhcp_verdict_of(const td_dhcp_txn *t, int64_t now_ns);
/* The latest transaction of a client, or NULL. */
const td_dhcp_txn *td_dhcp_client_latest(const td_dhcp_state *st, const td_mac *mac);

/* "no DHCP server answered 02:00:00:00:00:30 (4 DISCOVERs over 6.1 s): the
 * client has no address; check the DHCP server / relay and the VLAN", or
 * for a NAK "DHCP server 192.0.2.1 refused 02:..:30's request for
 * 192.0.2.110 (NAK): ...". 0 for bound / pending. */
size_t td_dhcp_conclusion(const td_dhcp_txn *t, int64_t now_ns, char *buf, size_t n);
/* The finding on a connection from a link-local (169.254/16) client:
 * "the client 169.254.77.10 uses a link-local address: it has no DHCP
 * lease", with the client's failed transaction when mac is known. 0 when
 * the client address is not link-local. */
size_t td_dhcp_link_local_finding(const td_dhcp_state *st, const td_ip *client,
                                  const td_mac *mac, int64_t now_ns, char *buf, size_t n);

const char *td_dhcp_verdict_name(td_dhcp_verdict v);

#ifdef __cplusplus
}
#endif
#endif
