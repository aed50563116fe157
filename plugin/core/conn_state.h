/* conn_state.h — the TCP handshake state machine of tcpdiag, in pure C.
 *
 * No epan (Wireshark) header is included here, on purpose: this file and
 * conn_state.c are compiled alone into the unit tests and the fuzzer.
 * The plugin turns each dissected packet into a flat td_pkt (like p0f's
 * packet_data), feeds it to td_conn_update() on the first pass only, and
 * renders fields from the stored td_conn on every pass.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TCPDIAG_CONN_STATE_H
#define TCPDIAG_CONN_STATE_H

#include <stdbool.h>
#include <stdint.h>

#include "td_limits.h"
#include "tcp_wire.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One verdict per connection. The strings (td_verdict_name) are a contract:
 * scripts filter on them. Add values at the end, never rename. */
typedef enum {
    TD_V_ESTABLISHED = 0,
    TD_V_NO_RESPONSE,
    TD_V_PENDING,
    TD_V_REFUSED,
    TD_V_ICMP_UNREACHABLE,
    TD_V_HALF_OPEN,
    TD_V_ABORTED,
    TD_V_RESET_BEFORE_DATA,
    TD_V_SIMULTANEOUS_OPEN,
    TD_V_STALE,
    TD_V_MIDSTREAM,
    TD_V_COUNT
} td_verdict;

typedef enum {
    TD_PKT_TCP = 0,      /* a TCP segment of the connection */
    TD_PKT_ICMP_UNREACH, /* ICMP/ICMPv6 destination unreachable quoting one */
    TD_PKT_ICMP_OTHER    /* another ICMP error quoting one (time exceeded...) */
} td_pkt_kind;

/* Who sent an ICMP error, relative to the quoted segment's destination. */
typedef enum {
    TD_REPORTER_UNKNOWN = 0,
    TD_REPORTER_SERVER, /* the destination host itself */
    TD_REPORTER_ROUTER  /* some other node on the path */
} td_reporter;

/* The flat packet the state machine consumes. For an ICMP error the TCP
 * fields describe the QUOTED segment and dir is the quoted segment's
 * direction. dir is 0 or 1: the plugin orders the two endpoints of a
 * conversation (address, then port) and 0 means "sent by the lower one". */
typedef struct {
    uint32_t frame;       /* frame number, 1-based; 0 is never a frame */
    int64_t ts_ns;        /* absolute capture time, nanoseconds */
    uint8_t kind;         /* td_pkt_kind */
    uint8_t dir;          /* 0 or 1 */
    uint8_t flags;        /* TD_TH_*; for an ICMP quote of 8 bytes: 0 */
    uint8_t flags_known;  /* false for an 8-byte ICMP quote (RFC 792) */
    uint32_t seq, ack;    /* raw sequence / acknowledgement numbers */
    uint32_t payload_len; /* TCP payload bytes (tcp.len) */
    uint8_t icmp_type, icmp_code;
    uint8_t icmp_reporter; /* td_reporter */
    uint8_t has_tsopt;     /* TCP timestamps option present */
    uint32_t tsval, tsecr;
} td_pkt;

/* Per-packet events: what this packet proved, for expert info on it. */
enum {
    TD_EV_SYN = 1u << 0,             /* the connection's first SYN */
    TD_EV_SYN_RETRANS = 1u << 1,     /* the SYN sent again (RTO expired) */
    TD_EV_SYN_DUP = 1u << 2,         /* a copy of a SYN < 10 ms later */
    TD_EV_SYN_NEW_ISN = 1u << 3,     /* a new SYN with another ISN */
    TD_EV_SYNACK = 1u << 4,          /* the SYN/ACK answering the SYN */
    TD_EV_SYNACK_RETRANS = 1u << 5,  /* the SYN/ACK sent again */
    TD_EV_HS_ACK = 1u << 6,          /* the ACK completing the handshake */
    TD_EV_ANSWER_RST = 1u << 7,      /* RST answering the SYN */
    TD_EV_RST_INVALID = 1u << 8,     /* RST a compliant stack would ignore */
    TD_EV_ANSWER_ICMP = 1u << 9,     /* ICMP unreachable quoting the SYN */
    TD_EV_CHALLENGE_ACK = 1u << 10,  /* ACK not acknowledging the SYN */
    TD_EV_CLIENT_RST = 1u << 11,     /* connecting side reset the attempt */
    TD_EV_RST_AFTER_HS = 1u << 12,   /* RST after the handshake */
    TD_EV_CROSSING_SYN = 1u << 13,   /* the other side sent a SYN too */
    TD_EV_INFERRED_HS = 1u << 14,    /* proves a handshake not captured */
    TD_EV_ILLEGAL_FLAGS = 1u << 15,  /* SYN+RST, SYN+FIN... */
    TD_EV_BAD_SYNACK = 1u << 16,     /* SYN/ACK acking something else */
    TD_EV_ICMP_OTHER = 1u << 17,     /* another ICMP error for the SYN */
    TD_EV_SERVER_RST = 1u << 18,     /* server reset its half-open side */
    TD_EV_SYNACK_DUP = 1u << 19,     /* a copy of a SYN/ACK < 10 ms later */
    TD_EV_SYN_FLAGS_ODD = 1u << 20,  /* a SYN (no ACK) also carrying FIN/PSH/URG */
    TD_EV_UNRELATED = 1u << 21,      /* a segment whose numbers fit no SYN */
    TD_EV_ACK_WRONG = 1u << 22       /* client ACK not acknowledging the SYN/ACK */
};

/* Findings: hiccups that do not change the verdict (connection level). */
enum {
    TD_F_SLOW_CONNECT = 1u << 0,       /* SYN retransmitted, then answered */
    TD_F_SYNACK_RETRANS_ACKED = 1u << 1, /* SYN/ACK again after the ACK */
    TD_F_CHALLENGE_RECOVERED = 1u << 2, /* challenge ACK, then handshake */
    TD_F_PORT_REUSED = 1u << 3,        /* set by the plugin */
    TD_F_HS_MISSED = 1u << 4,          /* capture lacks handshake packets */
    TD_F_RST_INVALID = 1u << 5,        /* an ignorable (injected?) RST */
    TD_F_SYN_DUP = 1u << 6,            /* duplicate copies of a SYN */
    TD_F_ICMP_THEN_ANSWER = 1u << 7,   /* ICMP error, yet later answered */
    TD_F_ILLEGAL_FLAGS = 1u << 8,      /* illegal flag combination seen */
    TD_F_SYN_DATA = 1u << 9,           /* SYN carried payload (TFO) */
    TD_F_BAD_SYNACK = 1u << 10,        /* SYN/ACK with a wrong ack number */
    TD_F_SYN_FLAGS_ODD = 1u << 11,     /* a SYN carried FIN/PSH/URG (scanner) */
    TD_F_UNRELATED = 1u << 12          /* segments of another flow on the 4-tuple */
};

/* Connection state. Kept compact (one per TCP connection in the capture;
 * the benchmark target is <= 128 bytes): times are absolute nanoseconds,
 * frames 0 when absent. Read it through the functions below; the plugin
 * only ever writes `findings` (TD_F_PORT_REUSED). */
typedef struct {
    int64_t ts_first_syn;   /* first SYN (or first proof of it) */
    int64_t ts_last_syn;    /* latest SYN transmission */
    int64_t ts_synack;      /* first SYN/ACK answering the SYN */
    int64_t ts_last_synack; /* latest SYN/ACK before the completing ACK */
    int64_t ts_ack;         /* handshake-completing ACK; before completion,
                             * the server's RST after its SYN/ACK */
    uint32_t isn_c, isn_s;  /* client / server initial sequence numbers */
    uint32_t frame_first;   /* first packet of the connection */
    uint32_t frame_syn;     /* first SYN */
    uint32_t frame_last_syn;
    uint32_t frame_synack;
    uint32_t frame_last_synack;
    uint32_t frame_ack;
    uint32_t frame_answer;  /* RST / ICMP / challenge ACK / crossing SYN */
    uint32_t frame_end;     /* RST that ended the attempt or connection */
    uint32_t first_syn_tsval; /* TSval of the first and latest SYN, to tell */
    uint32_t last_syn_tsval;  /* which one a SYN/ACK echoes (RFC 7323 §4.3) */
    uint32_t user;          /* free for the caller (the plugin: tcp.stream) */
    uint32_t state;         /* TD_S_* bits, private to conn_state.c */
    uint16_t syn_count;     /* SYN transmissions, duplicates excluded */
    uint16_t synack_count;  /* SYN/ACK transmissions */
    uint16_t syn_dups;      /* duplicate copies of a SYN (< 10 ms apart) */
    uint16_t findings;      /* TD_F_* */
    uint16_t syn_payload;   /* payload bytes in the SYN (TCP Fast Open) */
    uint8_t client_dir;     /* 0/1, or TD_DIR_UNKNOWN */
    uint8_t icmp_type, icmp_code, icmp_reporter; /* of the answering ICMP */
} td_conn;

#define TD_DIR_UNKNOWN 0xff

/* Zero a connection. */
void td_conn_init(td_conn *c);

/* Feed one packet (first pass, in frame order). Returns the TD_EV_* bits
 * this packet carries; 0 for a packet that is no handshake event. */
uint32_t td_conn_update(td_conn *c, const td_pkt *p);

/* The verdict given what has been fed so far. now_ns is the latest capture
 * timestamp known (end of capture on a second pass); threshold_ns is how
 * long a single unanswered SYN (or SYN/ACK) may wait before it counts as
 * unanswered rather than pending. */
td_verdict td_conn_verdict(const td_conn *c, int64_t now_ns, int64_t threshold_ns);

/* The same, with options (TD_VF_*). */
enum {
    /* Judge a connection whose SYN is missing from the SYN/ACK on (it may
     * then be established, half-open...) instead of calling it midstream. */
    TD_VF_JUDGE_MIDSTREAM = 1u << 0
};
td_verdict td_conn_verdict_ex(const td_conn *c, int64_t now_ns, int64_t threshold_ns,
                              unsigned flags);

/* The frame that carries the evidence for the verdict (where the verdict's
 * expert item goes); 0 if none. */
uint32_t td_conn_evidence_frame(const td_conn *c, td_verdict v);

/* Facts derived from the state, for fields and reports. */
bool td_conn_syn_seen(const td_conn *c);       /* a client SYN is proven */
bool td_conn_completed(const td_conn *c);      /* handshake completed */
bool td_conn_has_rtt_syn_synack(const td_conn *c, int64_t *ns);
bool td_conn_has_rtt_synack_ack(const td_conn *c, int64_t *ns);
bool td_conn_has_setup_time(const td_conn *c, int64_t *ns);
uint32_t td_conn_answered_syn_frame(const td_conn *c);
bool td_conn_end_by_client(const td_conn *c); /* who sent frame_end's RST */
/* Half-open ended by the server's own RST: how long after its first
 * SYN/ACK (false when the server did not reset). */
bool td_conn_server_reset_after(const td_conn *c, int64_t *ns);

/* Names and descriptions (static strings). */
const char *td_verdict_name(td_verdict v);   /* "no-response", ... */
bool td_verdict_is_failure(td_verdict v);

#ifdef __cplusplus
}
#endif
#endif
