/* tcp_wire.h — numbers as they are on the wire: TCP flag bits and option
 * kinds (p0f's tcp.h in spirit). Pure C, shared by the core and the epan
 * side, so that no file writes a bare 0x40 or `case 34`.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TCPDIAG_TCP_WIRE_H
#define TCPDIAG_TCP_WIRE_H

/* TCP flag bits (RFC 9293 §3.1; ECE and CWR: RFC 3168 §23.2). */
enum {
    TD_TH_FIN = 0x01,
    TD_TH_SYN = 0x02,
    TD_TH_RST = 0x04,
    TD_TH_PSH = 0x08,
    TD_TH_ACK = 0x10,
    TD_TH_URG = 0x20,
    TD_TH_ECE = 0x40,
    TD_TH_CWR = 0x80
};

/* TCP option kinds (IANA "TCP Option Kind Numbers"). */
enum {
    TD_TCPOPT_EOL = 0,       /* end of option list (RFC 9293) */
    TD_TCPOPT_NOP = 1,       /* padding (RFC 9293) */
    TD_TCPOPT_MSS = 2,       /* maximum segment size, length 4 (RFC 9293 §3.7.1) */
    TD_TCPOPT_WSCALE = 3,    /* window scale, length 3 (RFC 7323 §2) */
    TD_TCPOPT_SACK_PERM = 4, /* SACK permitted, length 2 (RFC 2018) */
    TD_TCPOPT_TIMESTAMP = 8, /* TSval/TSecr, length 10 (RFC 7323 §3) */
    TD_TCPOPT_TFO = 34,      /* TCP Fast Open cookie (RFC 7413) */
    TD_TCPOPT_EXP = 254      /* experimental (RFC 6994); TFO before kind 34 */
};

#define TD_TCPOPT_MSS_LEN 4
#define TD_TCPOPT_WSCALE_LEN 3
#define TD_TCPOPT_TIMESTAMP_LEN 10
#define TD_TCPOPT_TFO_REQUEST_LEN 2     /* kind 34 with an empty cookie: a request */
#define TD_TCPOPT_EXP_TFO_MAGIC 0xF989  /* ExID of experimental TFO (RFC 7413 §4.1.1) */
#define TD_TCPOPT_EXP_TFO_REQUEST_LEN 4 /* kind 254 + magic, no cookie */

/* Smallest TCP header: data offset 5 words (RFC 9293 §3.1). */
#define TD_TCP_MIN_HEADER 20
/* Largest: data offset 15 words. */
#define TD_TCP_MAX_HEADER 60

#endif
