/* options.h — TCP options negotiated in the handshake (pure C).
 *
 * MSS (RFC 9293 §3.7.1), window scaling and timestamps (RFC 7323), SACK
 * (RFC 2018), ECN (RFC 3168 §6.1.1) and TCP Fast Open (RFC 7413), taken
 * from the client's first SYN and the server's first SYN/ACK.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TCPDIAG_OPTIONS_H
#define TCPDIAG_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TD_NO_WSCALE 0xff

/* What one SYN or SYN/ACK carried. */
typedef struct {
    uint16_t mss;      /* 0: absent */
    uint8_t wscale;    /* shift count, TD_NO_WSCALE: absent */
    bool sack_perm;
    bool timestamps;
    uint8_t tfo;       /* TD_TFO_NONE, TD_TFO_REQUEST (empty cookie), TD_TFO_COOKIE */
    uint8_t flags;     /* TCP flags of the segment (ECE/CWR) */
} td_opt_pkt;

enum { TD_TFO_NONE = 0, TD_TFO_REQUEST = 1, TD_TFO_COOKIE = 2 };

enum {
    TD_O_SYN = 1u << 0,     /* the client's SYN was seen */
    TD_O_SYNACK = 1u << 1,  /* the server's SYN/ACK was seen */
    TD_O_SACK_C = 1u << 2, TD_O_SACK_S = 1u << 3,
    TD_O_TS_C = 1u << 4, TD_O_TS_S = 1u << 5,
    TD_O_ECN_C = 1u << 6, TD_O_ECN_S = 1u << 7
};

/* Per connection: 8 bytes. */
typedef struct {
    uint16_t mss_c, mss_s;
    uint8_t wscale_c, wscale_s;
    uint8_t bits;      /* TD_O_* */
    uint8_t tfo;       /* TD_TFO_* of the SYN, | TD_TFO_DATA_* */
} td_opts;

enum { TD_TFO_DATA_SENT = 0x10, TD_TFO_DATA_ACCEPTED = 0x20, TD_TFO_COOKIE_GIVEN = 0x40 };

/* Findings. */
enum {
    TD_OF_WSCALE_DECLINED = 1u << 0, /* client offered, server did not */
    TD_OF_SACK_DECLINED = 1u << 1,
    TD_OF_TS_DECLINED = 1u << 2,
    TD_OF_ECN_DECLINED = 1u << 3,
    TD_OF_MSS_LOW = 1u << 4,         /* an MSS below Ethernet's for its IP version */
    TD_OF_MSS_MISSING = 1u << 5,     /* a SYN without MSS: 536 / 1220 assumed */
    TD_OF_TFO_DATA_IGNORED = 1u << 6 /* data in the SYN not acknowledged */
};

void td_opts_init(td_opts *o);
void td_opts_from_syn(td_opts *o, const td_opt_pkt *p, uint32_t syn_payload);
/* data_acked: the SYN/ACK acknowledges payload carried in the SYN. */
void td_opts_from_synack(td_opts *o, const td_opt_pkt *p, bool data_acked);

uint32_t td_opts_findings(const td_opts *o, bool ipv6);
bool td_opts_wscale_negotiated(const td_opts *o);
/* Largest receive window the server / client may advertise, in bytes:
 * 65535 << shift when scaling is negotiated, else 65535 (RFC 7323 §2.2). */
uint32_t td_opts_max_window(const td_opts *o, bool of_server);
/* The Ethernet MSS for the IP version: 1460 (IPv4) or 1440 (IPv6). */
uint16_t td_ethernet_mss(bool ipv6);
/* The smaller of the two MSS values present (0 if none). */
uint16_t td_opts_lowest_mss(const td_opts *o);

/* "MSS 1460/1380, window scale 7/7, SACK, timestamps" */
char *td_opts_summary(char *buf, size_t len, const td_opts *o);
/* The findings in words, each with a likely cause, "; "-separated. */
char *td_opts_findings_text(char *buf, size_t len, const td_opts *o, bool ipv6);
const char *td_tfo_text(const td_opts *o); /* NULL when no TFO */

#ifdef __cplusplus
}
#endif
#endif
