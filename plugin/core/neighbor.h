/* neighbor.h — link-layer address resolution as the capture shows it: ARP
 * (RFC 826) and IPv6 neighbour discovery (RFC 4861 7.2). Per IP address:
 * request bursts and whether anybody answered (tcpdiag.arp.verdict), the
 * hardware addresses that claimed it (two = tcpdiag.arp.duplicate), and
 * announcements (gratuitous ARP, RFC 5227 3; unsolicited NA). Pure C.
 *
 * Not failures, by design: an address-conflict probe (ARP with sender
 * 0.0.0.0, RFC 5227 2.1.1; DAD NS from ::, RFC 4862 5.4) that nobody
 * answers, and a DHCP server checking the address it is about to offer
 * (td_nb_mark_dhcp). Feed frames in order on the first pass.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TCPDIAG_NEIGHBOR_H
#define TCPDIAG_NEIGHBOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "evidence.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Strings (td_nb_verdict_name) are a contract: add, never rename. */
typedef enum {
    TD_NB_V_ANSWERED = 0,
    TD_NB_V_UNANSWERED,   /* >= 2 requests, or >= 1 s, and no reply */
    TD_NB_V_PENDING,      /* one request, capture ended < 1 s after it */
    TD_NB_V_DHCP_PROBE,   /* a DHCP server checking an address it offers */
    TD_NB_V_PROBE,        /* RFC 5227 / RFC 4862 DAD probe: no answer is good */
    TD_NB_V_DUPLICATE,    /* (address level) two hardware addresses claim it */
    TD_NB_V_UNSEEN,       /* one request of another host: its reply, unicast
                           * to it, would not pass this capture point */
    TD_NB_V_COUNT
} td_nb_verdict;

typedef enum {
    TD_NB_ARP_REQUEST = 0,
    TD_NB_ARP_REPLY,
    TD_NB_NS,             /* neighbour solicitation */
    TD_NB_NA              /* neighbour advertisement */
} td_nb_kind;

/* One ARP or ND message. For ARP: sender/target as in the packet. For NS:
 * sender = the IPv6 source (:: for DAD) and its source link-layer address
 * option (else the Ethernet source), target = the target address. For NA:
 * sender = target = the target address, sender_mac = its target
 * link-layer address option (else the Ethernet source). */
typedef struct {
    uint32_t frame;
    int64_t ts_ns;
    uint8_t kind;         /* td_nb_kind */
    bool solicited;       /* NA: S flag */
    bool override_;       /* NA: O flag */
    td_ip sender_ip, target_ip;
    td_mac sender_mac;
} td_nb_pkt;

/* Readers: an ARP payload (Ethernet/IPv4 only: htype 1, ptype 0x0800),
 * and an ICMPv6 message of type 135/136 (icmp6 points at its type byte).
 * False when it is no such message. */
bool td_nb_parse_arp(const uint8_t *p, size_t len, uint32_t frame, int64_t ts_ns, td_nb_pkt *out);
bool td_nb_parse_nd(const uint8_t *icmp6, size_t len, const td_ip *ip_src, const td_mac *eth_src,
                    uint32_t frame, int64_t ts_ns, td_nb_pkt *out);

/* A burst of requests for one address, up to its answer. */
typedef struct {
    uint32_t addr;        /* the td_nb_addr it asks for */
    uint32_t prev;        /* the address's previous burst, or TD_NB_NONE */
    td_ip requester;
    int64_t ts_first, ts_last, ts_answer;
    uint32_t frame_first, frame_last, frame_answer;
    uint16_t requests;
    uint8_t answered;
    uint8_t kind;         /* 0 normal, TD_NB_V_PROBE, TD_NB_V_DHCP_PROBE */
} td_nb_episode;

typedef struct {
    td_ip addr;
    td_mac macs[TD_NB_MACS_PER_ADDR];   /* distinct claimers, first first */
    uint32_t mac_frame[TD_NB_MACS_PER_ADDR]; /* first claim of each */
    int64_t mac_last_ts[TD_NB_MACS_PER_ADDR];
    uint8_t n_macs;
    bool syn_seen;        /* a connection to this address was attempted */
    bool replies_visible; /* a reply to a request of this address was captured */
    uint16_t announcements;
    uint32_t frame_dup;   /* the frame whose claim proved the duplicate */
    uint32_t episodes;    /* request bursts */
    uint32_t open_episode; /* the current burst (TD_NB_NONE when none) */
    uint32_t last_episode;
    td_ip dhcp_server;    /* td_nb_mark_dhcp */
    int64_t dhcp_ts;
    uint32_t swept;       /* td_nb_prepare: addresses this one asked in vain */
} td_nb_addr;

#define TD_NB_NONE UINT32_MAX

typedef struct {
    td_vec addrs;         /* td_nb_addr */
    td_index addr_ix;
    td_vec episodes;      /* td_nb_episode */
    bool prepared;        /* td_nb_prepare ran at prepared_now, nothing fed since */
    int64_t prepared_now;
} td_nb_state;

void td_nb_init(td_nb_state *st);
void td_nb_free(td_nb_state *st);

/* Feeds one message. Returns the episode this frame belongs to (a request,
 * or the reply that answered one), or TD_NB_NONE (announcements, claims). */
uint32_t td_nb_update(td_nb_state *st, const td_nb_pkt *p);

/* A DHCP server (server) offered, acknowledged or refused `addr` at ts:
 * its requests for addr within TD_NB_DHCP_PROBE_WINDOW_NS are its in-use
 * check, not a failure (before and after this call). */
void td_nb_mark_dhcp(td_nb_state *st, const td_ip *server, const td_ip *addr, int64_t ts_ns);
/* A connection's SYN to addr was captured. */
void td_nb_note_syn(td_nb_state *st, const td_ip *addr);

uint32_t td_nb_addr_count(const td_nb_state *st);
const td_nb_addr *td_nb_addr_at(const td_nb_state *st, uint32_t i);
const td_nb_addr *td_nb_find(const td_nb_state *st, const td_ip *addr);
/* The same as an index for td_nb_addr_at, or TD_NB_NONE. */
uint32_t td_nb_find_index(const td_nb_state *st, const td_ip *addr);
const td_nb_episode *td_nb_episode_at(const td_nb_state *st, uint32_t i);

/* A burst: answered; else a probe kind; else unanswered when the
 * requester asked >= TD_NB_UNANSWERED_REQUESTS times (its own retries say
 * it got no reply), or asked once >= threshold ago and replies to it are
 * visible here (a reply to another of its requests was captured); else
 * unseen (a switch delivers the unicast reply to the requester only) or
 * pending. */
td_nb_verdict td_nb_episode_verdict(const td_nb_state *st, const td_nb_episode *e, int64_t now_ns,
                                    int64_t threshold_ns);
/* The address over the capture: duplicate, else unanswered if any burst
 * was, else answered, dhcp-probe, probe, pending; answered when there were
 * only claims / announcements. */
td_nb_verdict td_nb_addr_verdict(const td_nb_state *st, const td_nb_addr *a, int64_t now_ns,
                                 int64_t threshold_ns);
bool td_nb_is_duplicate(const td_nb_addr *a);

/* Addresses for which `requester` has an unanswered burst. More than
 * TD_NB_SWEEP_ADDRS: a sweep (td_nb_is_sweep): the glue raises one note for
 * the requester instead of a warning per address, and td_nb_conclusion
 * stays silent for those addresses. */
uint32_t td_nb_unanswered_targets(const td_nb_state *st, const td_ip *requester, int64_t now_ns,
                                  int64_t threshold_ns);
/* Counts every requester's unanswered targets in one pass over the bursts
 * (O(bursts)), so that td_nb_unanswered_targets / td_nb_is_sweep /
 * td_nb_conclusion at this now_ns are O(1) each: call it before a report
 * (without it they walk all addresses each time). */
void td_nb_prepare(td_nb_state *st, int64_t now_ns, int64_t threshold_ns);
bool td_nb_is_sweep(const td_nb_state *st, const td_ip *requester, int64_t now_ns,
                    int64_t threshold_ns);

/* Sentences. Conclusion for an unanswered address: "no host answers ARP
 * for 192.0.2.50 on this link (3 requests over 2.0 s): ..."; for a
 * duplicate: "two hosts claim 198.51.100.20 (02:..:01 and 02:..:02): ...".
 * 0 (empty) when there is nothing to conclude. */
size_t td_nb_conclusion(const td_nb_state *st, const td_nb_addr *a, int64_t now_ns,
                        int64_t threshold_ns, char *buf, size_t n);

const char *td_nb_verdict_name(td_nb_verdict v);

#ifdef __cplusplus
}
#endif
#endif
