/* conn_state.c — the TCP handshake state machine of tcpdiag (pure C).
 *
 * The machine records facts (a SYN was seen, a SYN/ACK acknowledged it, a
 * RST answered it...) rather than moving through a single "current state":
 * captures are messy (drops, one-sided capture, duplicates, frames out of
 * event order), and the verdict is resolved from the facts on demand by
 * td_conn_verdict(). Answers are matched to SYNs by sequence and
 * acknowledgement numbers, never by position alone.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "conn_state.h"

#include <string.h>

/* Facts (td_conn.state bits). */
enum {
    S_SYN = 1u << 0,          /* a client SYN was captured */
    S_SYN_PROVEN = 1u << 1,   /* an ICMP error quoted the client SYN */
    S_ISN_C = 1u << 2,        /* isn_c is known (from SYN, quote or SYN/ACK) */
    S_ISN_S = 1u << 3,        /* isn_s is known */
    S_SYNACK = 1u << 4,       /* a SYN/ACK acknowledging the SYN was seen */
    S_ACK = 1u << 5,          /* the client acknowledged the SYN/ACK */
    S_RST_REFUSE = 1u << 6,   /* an acceptable RST answered the SYN */
    S_RST_INVALID = 1u << 7,  /* a RST a compliant stack would ignore */
    S_ICMP = 1u << 8,         /* ICMP unreachable answered the SYN */
    S_ANSWER_ICMP = 1u << 9,  /* frame_answer is that ICMP error */
    S_CHALLENGE = 1u << 10,   /* a challenge ACK answered the SYN */
    S_STALE_RST = 1u << 11,   /* client RST answering the challenge ACK */
    S_CLIENT_RST = 1u << 12,  /* client reset before completion */
    S_SERVER_RST = 1u << 13,  /* server reset after its SYN/ACK */
    S_RST_AFTER_HS = 1u << 14,/* RST after the handshake completed */
    S_SIMOPEN = 1u << 15,     /* crossing SYNs */
    S_C_DATA = 1u << 16,      /* client sent payload */
    S_S_DATA = 1u << 17,      /* server sent payload */
    S_C_DATA_ACKED = 1u << 18,/* server acknowledged client payload */
    S_S_DATA_ACKED = 1u << 19,/* client acknowledged server payload */
    S_ANSWERED_FIRST = 1u << 20,/* SYN/ACK echoes the first SYN's TSval */
    S_END_BY_CLIENT = 1u << 21, /* the RST in frame_end came from the client */
    S_ACK_PRE = 1u << 22,     /* S_ACK inferred from a client bare ACK written
                               * before any SYN/ACK: maybe its reordered ACK */
    S_EARLY_ACK = 1u << 23,   /* the first packet (frame_first) is a bare ACK,
                               * kept until a SYN or SYN/ACK tells whether it
                               * is the handshake's: its time in
                               * ts_last_synack, its seq - 1 in isn_c, its
                               * ack - 1 in isn_s (S_ISN_* unset) */
    S_EARLY_DIR1 = 1u << 24   /* ... sent in direction 1 */
};

#define HAS(c, bits) (((c)->state & (bits)) != 0)

/* Sequence-space comparison modulo 2^32 (RFC 9293 §3.4). */
static bool seq_gt(uint32_t a, uint32_t b) { return (int32_t)(a - b) > 0; }

static int64_t abs64(int64_t v) { return v < 0 ? -v : v; }

/* now - since >= threshold, without signed overflow whatever the values
 * (now_ns comes from the caller and may be absurd in a broken file). */
static bool waited(int64_t now, int64_t since, int64_t threshold)
{
    if (since > 0 && now < INT64_MIN + since)
        return false; /* now - since is below INT64_MIN */
    if (since < 0 && now > INT64_MAX + since)
        return true;  /* now - since is above INT64_MAX */
    return now - since >= threshold;
}

void td_conn_init(td_conn *c)
{
    memset(c, 0, sizeof *c);
    c->client_dir = TD_DIR_UNKNOWN;
}

bool td_conn_syn_seen(const td_conn *c)
{
    return HAS(c, S_SYN | S_SYN_PROVEN);
}

bool td_conn_completed(const td_conn *c)
{
    return HAS(c, S_ACK) ||
           (HAS(c, S_C_DATA_ACKED) && HAS(c, S_S_DATA_ACKED));
}

/* An acknowledgement acceptable for the client's SYN: SND.UNA < SEG.ACK <=
 * SND.NXT, where SND.NXT = ISS + 1 + data carried in the SYN (RFC 9293
 * §3.10.7.3; data only with TCP Fast Open, RFC 7413). */
static bool acks_syn(const td_conn *c, uint32_t ack)
{
    uint32_t d = ack - c->isn_c;
    return HAS(c, S_ISN_C) && d >= 1 && d <= 1u + c->syn_payload;
}

/* An acknowledgement the client may send for the SYN/ACK (see
 * TD_SYNACK_ACK_WINDOW); with server payload seen, whatever lies beyond. A
 * scanner's ACK probe or a stale ACK on the port pair acknowledges
 * something else: it completes nothing (RFC 9293 §3.10.7.4: the server
 * answers it with a RST). */
static bool acks_synack(const td_conn *c, uint32_t ack)
{
    uint32_t d = ack - c->isn_s;
    return d >= 1 && (d <= TD_SYNACK_ACK_WINDOW || (HAS(c, S_S_DATA) && seq_gt(ack, c->isn_s)));
}

/* A sequence number the connecting side may use after its SYN: the SYN
 * takes ISN(c), data in it (TCP Fast Open) the bytes after; later segments
 * follow within what a capture plausibly misses (TD_SYNACK_ACK_WINDOW). */
static bool fits_after_syn(const td_conn *c, uint32_t seq)
{
    uint32_t d = seq - c->isn_c;
    return d >= 1 && d <= 1u + c->syn_payload + TD_SYNACK_ACK_WINDOW;
}

static bool bare_ack(const td_pkt *p)
{
    return p->payload_len == 0 &&
           (p->flags & (TD_TH_ACK | TD_TH_SYN | TD_TH_FIN | TD_TH_RST)) == TD_TH_ACK;
}

static void drop_early_ack(td_conn *c)
{
    if (HAS(c, S_EARLY_ACK)) {
        c->state &= ~(uint32_t)(S_EARLY_ACK | S_EARLY_DIR1);
        if (!HAS(c, S_SYNACK))
            c->ts_last_synack = 0;
        if (!HAS(c, S_ISN_C))
            c->isn_c = 0;
        if (!HAS(c, S_ISN_S))
            c->isn_s = 0;
    }
}

static uint8_t early_dir(const td_conn *c)
{
    return HAS(c, S_EARLY_DIR1) ? 1 : 0;
}

static uint32_t note_completion(td_conn *c, const td_pkt *p, uint32_t ev)
{
    /* Both directions' payload acknowledged: the handshake must have
     * completed even though its ACK was not captured. */
    if (!HAS(c, S_ACK) && td_conn_completed(c) && c->frame_ack == 0) {
        c->frame_ack = p->frame;
        c->ts_ack = p->ts_ns;
        c->findings |= TD_F_HS_MISSED;
        ev |= TD_EV_INFERRED_HS;
    }
    return ev;
}

/* ---- SYN from the client -------------------------------------------- */

static uint32_t client_syn(td_conn *c, const td_pkt *p)
{
    if (!HAS(c, S_SYN) && (!HAS(c, S_ISN_C) || p->seq == c->isn_c)) {
        /* The first SYN captured (isn_c may already be known from an ICMP
         * quote or a SYN/ACK written earlier in the file). */
        c->state |= S_SYN | S_ISN_C;
        c->isn_c = p->seq;
        c->syn_payload = p->payload_len > 0xffff ? 0xffff : (uint16_t)p->payload_len;
        if (p->payload_len)
            c->findings |= TD_F_SYN_DATA;
        c->frame_syn = c->frame_last_syn = p->frame;
        if (!HAS(c, S_SYN_PROVEN) || p->ts_ns < c->ts_first_syn)
            c->ts_first_syn = p->ts_ns;
        c->ts_last_syn = p->ts_ns;
        c->first_syn_tsval = c->last_syn_tsval = p->tsval;
        c->syn_count = 1;
        return TD_EV_SYN;
    }
    if (p->seq == c->isn_c) {
        if (abs64(p->ts_ns - c->ts_last_syn) < TD_DUP_WINDOW_NS ||
            abs64(p->ts_ns - c->ts_first_syn) < TD_DUP_WINDOW_NS) {
            c->syn_dups++;
            c->findings |= TD_F_SYN_DUP;
            return TD_EV_SYN_DUP;
        }
        if (c->syn_count < UINT16_MAX)
            c->syn_count++;
        if (HAS(c, S_SYNACK)) {
            /* A SYN sent after the SYN/ACK (lost between the capture point
             * and the client) is not the SYN it answered; one sent before
             * it but written after it (reordered frames) is. */
            if (p->ts_ns > c->ts_synack)
                return TD_EV_SYN_RETRANS;
            c->findings |= TD_F_SLOW_CONNECT;
        }
        if (p->ts_ns >= c->ts_last_syn) {
            c->ts_last_syn = p->ts_ns;
            c->frame_last_syn = p->frame;
            c->last_syn_tsval = p->tsval;
        }
        return TD_EV_SYN_RETRANS;
    }
    /* Another ISN on the same stream. Before any answer it is a fresh
     * attempt (a new socket bound to the same port): answers will
     * acknowledge the new ISN. After completion it changes nothing. */
    if (!HAS(c, S_SYNACK) && !td_conn_completed(c)) {
        c->isn_c = p->seq;
        if (c->syn_count < UINT16_MAX)
            c->syn_count++;
        c->ts_last_syn = p->ts_ns;
        c->frame_last_syn = p->frame;
        c->last_syn_tsval = p->tsval;
    }
    return TD_EV_SYN_NEW_ISN;
}

static uint32_t on_syn(td_conn *c, const td_pkt *p)
{
    if (c->client_dir == TD_DIR_UNKNOWN)
        c->client_dir = p->dir;
    if (p->dir == c->client_dir) {
        bool early = HAS(c, S_EARLY_ACK) && early_dir(c) == p->dir &&
                     c->isn_c == p->seq && abs64(p->ts_ns - c->ts_last_synack) < TD_REORDER_WINDOW_NS;
        int64_t ts_ack = c->ts_last_synack;
        uint32_t frame_ack = c->frame_first, isn_s = c->isn_s;
        drop_early_ack(c);
        uint32_t ev = client_syn(c, p);
        if (early && HAS(c, S_SYN) && !HAS(c, S_ACK | S_SYNACK)) {
            /* ACK, then SYN (the SYN/ACK may follow): as if written SYN,
             * ACK: the ACK proves the handshake and names the server's ISN
             * (see on_segment); the SYN/ACK, if it comes at once, is its. */
            c->state |= S_ACK | S_ACK_PRE | S_ISN_S;
            c->isn_s = isn_s;
            c->frame_ack = frame_ack;
            c->ts_ack = ts_ack;
            c->findings |= TD_F_HS_MISSED;
        }
        return ev;
    }
    if ((p->flags & (TD_TH_FIN | TD_TH_PSH | TD_TH_URG)) && !HAS(c, S_SIMOPEN)) {
        /* No stack answers a SYN with a SYN carrying FIN (and the odd flags
         * are a scanner's): not a crossing SYN. */
        c->findings |= TD_F_ILLEGAL_FLAGS;
        return TD_EV_ILLEGAL_FLAGS;
    }
    /* A SYN from the other end. Before completion these are crossing SYNs:
     * simultaneous open (RFC 9293 §3.5, figure 8). */
    if (!td_conn_completed(c) && HAS(c, S_SYN)) {
        if (!HAS(c, S_SIMOPEN)) {
            c->state |= S_SIMOPEN | S_ISN_S;
            c->isn_s = p->seq;
            c->frame_answer = p->frame;
        }
        return TD_EV_CROSSING_SYN;
    }
    return TD_EV_SYN_NEW_ISN;
}

/* ---- SYN/ACK ---------------------------------------------------------- */

static uint32_t on_synack(td_conn *c, const td_pkt *p)
{
    bool early_ok = false;
    int64_t early_ts = c->ts_last_synack;
    if (c->client_dir == TD_DIR_UNKNOWN) {
        /* An ACK written first (ACK, SYN/ACK, SYN within microseconds:
         * several capture queues, port mirroring) is this handshake's ACK
         * when its numbers are the SYN/ACK's reversed. */
        early_ok = HAS(c, S_EARLY_ACK) && early_dir(c) != p->dir &&
                   c->isn_c + 1 == p->ack && c->isn_s == p->seq &&
                   abs64(p->ts_ns - early_ts) < TD_REORDER_WINDOW_NS;
        if (!early_ok)
            drop_early_ack(c);
        c->state &= ~(uint32_t)(S_EARLY_ACK | S_EARLY_DIR1);
        /* SYN not (yet) in the capture: the SYN/ACK names the client's ISN. */
        c->client_dir = (uint8_t)(p->dir ^ 1);
        c->isn_c = p->ack - 1;
        c->state |= S_ISN_C;
    }
    if (p->dir == c->client_dir) {
        if (HAS(c, S_SIMOPEN))
            return TD_EV_SYNACK; /* each side's SYN,ACK in simultaneous open */
        c->findings |= TD_F_BAD_SYNACK;
        return TD_EV_BAD_SYNACK;
    }
    if (!acks_syn(c, p->ack)) {
        c->findings |= TD_F_BAD_SYNACK;
        return TD_EV_BAD_SYNACK;
    }
    if (HAS(c, S_SYNACK)) {
        if (p->seq == c->isn_s && abs64(p->ts_ns - c->ts_synack) < TD_DUP_WINDOW_NS)
            return TD_EV_SYNACK_DUP; /* the same SYN/ACK captured twice */
        if (c->synack_count < UINT16_MAX)
            c->synack_count++;
        c->frame_last_synack = p->frame;
        if (!HAS(c, S_ACK))
            c->ts_last_synack = p->ts_ns;
        else
            /* The server did not get the ACK the client sent: it is lost
             * between the capture point and the server. */
            c->findings |= TD_F_SYNACK_RETRANS_ACKED;
        return TD_EV_SYNACK_RETRANS;
    }
    if (HAS(c, S_ACK_PRE) && p->seq == c->isn_s && !(c->findings & TD_F_CHALLENGE_RECOVERED) &&
        abs64(p->ts_ns - c->ts_ack) < TD_REORDER_WINDOW_NS) {
        /* The client's ACK was written just before this SYN/ACK: it is the
         * handshake's ACK, reordered, and the capture missed nothing. */
        c->findings &= (uint16_t)~TD_F_HS_MISSED;
    }
    c->state &= ~(uint32_t)S_ACK_PRE;
    if (early_ok) {
        c->state |= S_ACK;
        c->frame_ack = c->frame_first;
        c->ts_ack = early_ts;
    }
    c->state |= S_SYNACK | S_ISN_S;
    c->isn_s = p->seq;
    c->synack_count = 1;
    c->frame_synack = c->frame_last_synack = p->frame;
    c->ts_synack = c->ts_last_synack = p->ts_ns;
    /* The SYN/ACK echoes the TSval of the SYN it answers (RFC 7323 §4.3). */
    if (p->has_tsopt && HAS(c, S_SYN) && c->syn_count > 1 &&
        p->tsecr == c->first_syn_tsval && p->tsecr != c->last_syn_tsval)
        c->state |= S_ANSWERED_FIRST;
    if (c->syn_count > 1)
        c->findings |= TD_F_SLOW_CONNECT;
    if (HAS(c, S_ICMP))
        c->findings |= TD_F_ICMP_THEN_ANSWER;
    return TD_EV_SYNACK;
}

/* ---- RST -------------------------------------------------------------- */

static void set_end(td_conn *c, const td_pkt *p)
{
    c->frame_end = p->frame;
    if (p->dir == c->client_dir)
        c->state |= S_END_BY_CLIENT;
    else
        c->state &= ~(uint32_t)S_END_BY_CLIENT;
}

static uint32_t on_rst(td_conn *c, const td_pkt *p)
{
    if (c->client_dir == TD_DIR_UNKNOWN)
        return 0; /* no SYN known: nothing to judge it against */
    if (td_conn_completed(c)) {
        /* The first RST after the handshake ends the connection; an earlier
         * one (answering a challenge ACK, say) ended a failed attempt. */
        if (!HAS(c, S_RST_AFTER_HS))
            set_end(c, p);
        c->state |= S_RST_AFTER_HS;
        return TD_EV_RST_AFTER_HS;
    }
    if (p->dir == c->client_dir) {
        if (!c->frame_end || !HAS(c, S_END_BY_CLIENT))
            set_end(c, p); /* an abort is the client's first RST */
        if (HAS(c, S_CHALLENGE)) {
            /* RFC 5961 §4: the client answers the challenge ACK with a RST
             * whose seq is the ACK's ack number, so the peer drops its old
             * connection; the client's next SYN can then succeed. */
            c->state |= S_STALE_RST;
        } else {
            c->state |= S_CLIENT_RST;
        }
        return TD_EV_CLIENT_RST;
    }
    if (HAS(c, S_SYNACK)) {
        if (!c->frame_end)
            set_end(c, p);
        if (!HAS(c, S_SERVER_RST))
            c->ts_ack = p->ts_ns; /* no ACK yet: ts_ack is free until one */
        c->state |= S_SERVER_RST;
        return TD_EV_SERVER_RST;
    }
    /* Not an end: a refusal is recorded as the answer, not as frame_end. */
    if (!HAS(c, S_ISN_C))
        return 0;
    /* In SYN-SENT a RST counts only with ACK set and an acceptable ack
     * (RFC 9293 §3.10.7.3); anything else a compliant stack drops, so it
     * was most likely injected by something that guessed badly. */
    if ((p->flags & TD_TH_ACK) && acks_syn(c, p->ack)) {
        if (!HAS(c, S_RST_REFUSE) && (!c->frame_answer || (HAS(c, S_RST_INVALID) && !HAS(c, S_ICMP)))) {
            c->frame_answer = p->frame;
            c->state &= ~(uint32_t)S_ANSWER_ICMP;
        }
        c->state |= S_RST_REFUSE;
        return TD_EV_ANSWER_RST;
    }
    c->state |= S_RST_INVALID;
    c->findings |= TD_F_RST_INVALID;
    if (!c->frame_answer)
        c->frame_answer = p->frame;
    return TD_EV_RST_INVALID;
}

/* ---- other segments ----------------------------------------------------- */

/* A segment from the server before its SYN/ACK that could be an RFC 5961
 * challenge ACK: a bare ACK not acknowledging the SYN, soon after a SYN
 * (see TD_CHALLENGE_MIN_WINDOW_NS). */
static bool could_be_challenge(const td_conn *c, const td_pkt *p)
{
    if (!bare_ack(p) || HAS(c, S_C_DATA) || acks_syn(c, p->ack))
        return false;
    int64_t window = c->ts_last_syn - c->ts_first_syn;
    if (window < TD_CHALLENGE_MIN_WINDOW_NS)
        window = TD_CHALLENGE_MIN_WINDOW_NS;
    /* The ACK may be written a little before the SYN (reordering). */
    return !waited(c->ts_last_syn, p->ts_ns, TD_REORDER_WINDOW_NS) &&
           !waited(p->ts_ns, c->ts_last_syn, window + 1);
}

static uint32_t on_segment(td_conn *c, const td_pkt *p)
{
    uint32_t ev = 0;
    if (c->client_dir == TD_DIR_UNKNOWN) {
        /* midstream: no handshake to follow, unless this first packet is a
         * bare ACK written before its SYN/ACK and SYN (on_syn, on_synack). */
        if (c->frame_first == p->frame && bare_ack(p)) {
            c->state |= S_EARLY_ACK | (p->dir ? S_EARLY_DIR1 : 0);
            c->isn_c = p->seq - 1;
            c->isn_s = p->ack - 1;
            c->ts_last_synack = p->ts_ns;
        }
        return 0;
    }
    if (p->dir == c->client_dir) {
        if ((p->flags & TD_TH_ACK) && !HAS(c, S_ACK | S_SYNACK | S_SIMOPEN) &&
            td_conn_syn_seen(c) && HAS(c, S_ISN_C) && !fits_after_syn(c, p->seq)) {
            /* Before any answer, a segment from the connecting side whose
             * sequence number does not follow its SYN belongs to another
             * flow on the 4-tuple: it proves no handshake. */
            c->findings |= TD_F_UNRELATED;
            return TD_EV_UNRELATED;
        }
        if (p->payload_len)
            c->state |= S_C_DATA;
        if (!(p->flags & TD_TH_ACK))
            return 0;
        if (!HAS(c, S_ACK) && HAS(c, S_SYNACK) && !acks_synack(c, p->ack)) {
            /* Acknowledges no SYN/ACK of this connection: a scanner's ACK
             * probe on the same ports or a stale ACK. Completes nothing. */
            return TD_EV_ACK_WRONG;
        }
        if (!HAS(c, S_ACK) && HAS(c, S_SYNACK)) {
            c->state |= S_ACK;
            c->frame_ack = p->frame;
            c->ts_ack = p->ts_ns;
            if (HAS(c, S_CHALLENGE))
                c->findings |= TD_F_CHALLENGE_RECOVERED;
            ev |= TD_EV_HS_ACK;
        } else if (!HAS(c, S_ACK) && !HAS(c, S_SYNACK) && td_conn_syn_seen(c) &&
                   !HAS(c, S_SIMOPEN)) {
            /* A non-RST segment with ACK from the connecting side after its
             * SYN: a SYN/ACK reached the client though the capture lacks it. */
            c->state |= S_ACK;
            c->frame_ack = p->frame;
            c->ts_ack = p->ts_ns;
            c->findings |= TD_F_HS_MISSED;
            if (HAS(c, S_CHALLENGE))
                c->findings |= TD_F_CHALLENGE_RECOVERED;
            if (bare_ack(p) && !HAS(c, S_S_DATA | S_ISN_S))
                c->state |= S_ACK_PRE;
            if (!HAS(c, S_S_DATA | S_ISN_S)) {
                /* Nothing from the server yet: this first ACK acknowledges
                 * just the missed SYN/ACK, whose ISN it thereby names. */
                c->isn_s = p->ack - 1;
                c->state |= S_ISN_S;
            }
            ev |= TD_EV_INFERRED_HS;
        }
        /* Server payload acknowledged. Without the server's ISN, an ACK the
         * client sends after server payload is taken to cover it. */
        if (HAS(c, S_ISN_S) ? seq_gt(p->ack, c->isn_s + 1) : HAS(c, S_S_DATA))
            c->state |= S_S_DATA_ACKED;
        return note_completion(c, p, ev);
    }
    /* From the server. */
    if ((p->flags & TD_TH_ACK) && HAS(c, S_ISN_C) && !HAS(c, S_SYNACK | S_SIMOPEN) &&
        !td_conn_completed(c) && td_conn_syn_seen(c) && !acks_syn(c, p->ack) &&
        !could_be_challenge(c, p)) {
        /* Before the handshake a server segment can only acknowledge the
         * SYN or be a challenge ACK. This one is neither: a segment of
         * another flow on the same 4-tuple (retransmitted FINs re-addressed
         * by an anonymiser or NAT, mirrored copies). Not an answer. */
        c->findings |= TD_F_UNRELATED;
        return TD_EV_UNRELATED;
    }
    if (p->payload_len)
        c->state |= S_S_DATA;
    if (!(p->flags & TD_TH_ACK) || !HAS(c, S_ISN_C))
        return note_completion(c, p, ev);
    if (!HAS(c, S_SYNACK) && !td_conn_completed(c) && td_conn_syn_seen(c) &&
        could_be_challenge(c, p)) {
        /* RFC 5961 §4 challenge ACK: the peer still holds an older
         * connection on this 4-tuple and answers our SYN with an ACK for
         * that connection's sequence space. */
        if (!HAS(c, S_CHALLENGE) && !c->frame_answer)
            c->frame_answer = p->frame;
        c->state |= S_CHALLENGE;
        return TD_EV_CHALLENGE_ACK;
    }
    if (!td_conn_completed(c) && p->payload_len && td_conn_syn_seen(c) &&
        !HAS(c, S_SIMOPEN) && !c->syn_payload && seq_gt(p->ack, c->isn_c) &&
        (HAS(c, S_SYNACK) || !HAS(c, S_CHALLENGE))) {
        /* Server payload acknowledging the SYN: a server in SYN-RECEIVED
         * queues data until ESTABLISHED (RFC 9293 §3.10.2), so the client's
         * ACK reached it though the capture lacks it (not so with TCP Fast
         * Open, RFC 7413, hence no SYN payload). */
        c->state |= S_ACK;
        c->frame_ack = p->frame;
        c->ts_ack = p->ts_ns;
        c->findings |= TD_F_HS_MISSED;
        ev |= TD_EV_INFERRED_HS;
    }
    if (seq_gt(p->ack, c->isn_c + 1u + c->syn_payload))
        c->state |= S_C_DATA_ACKED;
    return note_completion(c, p, ev);
}

/* ---- ICMP errors quoting a segment -------------------------------------- */

static uint32_t on_icmp(td_conn *c, const td_pkt *p)
{
    bool quotes_syn;
    if (p->flags_known)
        quotes_syn = (p->flags & (TD_TH_SYN | TD_TH_ACK | TD_TH_RST)) == TD_TH_SYN;
    else if (HAS(c, S_ISN_C))
        quotes_syn = p->dir == c->client_dir && p->seq == c->isn_c;
    else
        /* An 8-byte quote (RFC 792) has no flags. With nothing else known
         * of this connection, the quoted segment can only be its opener. */
        quotes_syn = c->client_dir == TD_DIR_UNKNOWN && c->frame_first == p->frame;

    if (!quotes_syn)
        return TD_EV_ICMP_OTHER;
    if (c->client_dir == TD_DIR_UNKNOWN)
        c->client_dir = p->dir;
    if (p->dir != c->client_dir)
        return TD_EV_ICMP_OTHER;
    if (!HAS(c, S_ISN_C)) {
        c->isn_c = p->seq;
        c->state |= S_ISN_C;
    } else if (p->seq != c->isn_c) {
        return TD_EV_ICMP_OTHER;
    }
    if (!HAS(c, S_SYN | S_SYN_PROVEN)) {
        /* The quote proves the SYN was sent even if the capture lacks it. */
        c->state |= S_SYN_PROVEN;
        c->ts_first_syn = c->ts_last_syn = p->ts_ns;
        c->frame_last_syn = p->frame; /* evidence until the SYN shows up */
    }
    if (p->kind != TD_PKT_ICMP_UNREACH)
        return TD_EV_ICMP_OTHER;
    if (HAS(c, S_SYNACK) || td_conn_completed(c))
        return TD_EV_ICMP_OTHER; /* late: the SYN was answered anyway */
    if (!HAS(c, S_ICMP) && (!c->frame_answer || (HAS(c, S_RST_INVALID) && !HAS(c, S_RST_REFUSE)))) {
        c->frame_answer = p->frame;
        c->state |= S_ANSWER_ICMP;
        c->icmp_type = p->icmp_type;
        c->icmp_code = p->icmp_code;
        c->icmp_reporter = p->icmp_reporter;
    }
    c->state |= S_ICMP;
    return TD_EV_ANSWER_ICMP;
}

uint32_t td_conn_update(td_conn *c, const td_pkt *p)
{
    if (!c->frame_first)
        c->frame_first = p->frame;
    uint8_t f = p->flags;
    if (p->kind != TD_PKT_TCP || !(f & TD_TH_SYN) || (f & TD_TH_RST))
        drop_early_ack(c); /* only a SYN or SYN/ACK can confirm it */
    if (p->kind != TD_PKT_TCP)
        return on_icmp(c, p);
    if ((f & TD_TH_SYN) && ((f & TD_TH_RST) || (f & (TD_TH_FIN | TD_TH_ACK)) ==
                                                   (TD_TH_FIN | TD_TH_ACK))) {
        /* SYN+RST, or a SYN/ACK with FIN: no stack sends these; not judged. */
        c->findings |= TD_F_ILLEGAL_FLAGS;
        return TD_EV_ILLEGAL_FLAGS;
    }
    if ((f & (TD_TH_SYN | TD_TH_ACK)) == TD_TH_SYN) {
        /* SYN set, ACK clear: a connection attempt whatever else it carries
         * (nmap's OS detection sends SYN+FIN+PSH+URG and SYN+ECE+CWR;
         * Wireshark counts them as SYNs). ECE+CWR is the ECN setup SYN
         * (RFC 3168 §6.1.1); FIN, PSH or URG on a SYN are a scanner's. */
        uint32_t ev = on_syn(c, p);
        if ((f & (TD_TH_FIN | TD_TH_PSH | TD_TH_URG)) && !(ev & TD_EV_ILLEGAL_FLAGS)) {
            c->findings |= TD_F_SYN_FLAGS_ODD;
            ev |= TD_EV_SYN_FLAGS_ODD;
        }
        return ev;
    }
    if (f & TD_TH_SYN)
        return on_synack(c, p);
    if (f & TD_TH_RST)
        return on_rst(c, p);
    return on_segment(c, p);
}

/* ---- verdict -------------------------------------------------------------- */

td_verdict td_conn_verdict(const td_conn *c, int64_t now_ns, int64_t threshold_ns)
{
    return td_conn_verdict_ex(c, now_ns, threshold_ns, 0);
}

td_verdict td_conn_verdict_ex(const td_conn *c, int64_t now_ns, int64_t threshold_ns,
                              unsigned flags)
{
    if (!td_conn_syn_seen(c) && !((flags & TD_VF_JUDGE_MIDSTREAM) && HAS(c, S_SYNACK)))
        return TD_V_MIDSTREAM;
    if (HAS(c, S_SIMOPEN))
        return TD_V_SIMULTANEOUS_OPEN;
    if (td_conn_completed(c)) {
        if (HAS(c, S_RST_AFTER_HS) && !HAS(c, S_C_DATA_ACKED | S_S_DATA_ACKED))
            return TD_V_RESET_BEFORE_DATA;
        return TD_V_ESTABLISHED;
    }
    if (HAS(c, S_CHALLENGE))
        return TD_V_STALE;
    if (HAS(c, S_SYNACK)) {
        if (HAS(c, S_CLIENT_RST))
            return TD_V_ABORTED;
        if (c->synack_count > 1 || HAS(c, S_SERVER_RST) ||
            waited(now_ns, c->ts_synack, threshold_ns))
            return TD_V_HALF_OPEN;
        return TD_V_PENDING;
    }
    if (HAS(c, S_RST_REFUSE | S_ICMP))
        return HAS(c, S_ANSWER_ICMP) ? TD_V_ICMP_UNREACHABLE : TD_V_REFUSED;
    if (HAS(c, S_CLIENT_RST))
        return TD_V_ABORTED;
    if (HAS(c, S_RST_INVALID))
        return TD_V_REFUSED;
    if (c->syn_count > 1 || waited(now_ns, c->ts_first_syn, threshold_ns))
        return TD_V_NO_RESPONSE;
    return TD_V_PENDING;
}

uint32_t td_conn_evidence_frame(const td_conn *c, td_verdict v)
{
    switch (v) {
    case TD_V_ESTABLISHED:
        return c->frame_ack;
    case TD_V_NO_RESPONSE:
        return c->frame_last_syn;
    case TD_V_PENDING:
        return HAS(c, S_SYNACK) ? c->frame_last_synack : c->frame_last_syn;
    case TD_V_REFUSED:
    case TD_V_ICMP_UNREACHABLE:
    case TD_V_SIMULTANEOUS_OPEN:
    case TD_V_STALE:
        return c->frame_answer;
    case TD_V_HALF_OPEN:
        return c->frame_last_synack;
    case TD_V_ABORTED:
    case TD_V_RESET_BEFORE_DATA:
        return c->frame_end;
    case TD_V_MIDSTREAM:
        return c->frame_first;
    default:
        return 0;
    }
}

uint32_t td_conn_answered_syn_frame(const td_conn *c)
{
    if (!HAS(c, S_SYN) || !HAS(c, S_SYNACK))
        return 0;
    /* The SYN/ACK answers the latest SYN sent before it, unless its TSecr
     * says it answers the first one (an answer slower than the RTO). */
    if (HAS(c, S_ANSWERED_FIRST) || c->ts_last_syn > c->ts_synack)
        return c->frame_syn;
    return c->frame_last_syn;
}

bool td_conn_end_by_client(const td_conn *c)
{
    return HAS(c, S_END_BY_CLIENT);
}

bool td_conn_has_rtt_syn_synack(const td_conn *c, int64_t *ns)
{
    uint32_t f = td_conn_answered_syn_frame(c);
    if (!f)
        return false;
    *ns = c->ts_synack - (f == c->frame_last_syn ? c->ts_last_syn : c->ts_first_syn);
    return *ns >= 0; /* reordered within microseconds: no time to tell */
}

bool td_conn_has_rtt_synack_ack(const td_conn *c, int64_t *ns)
{
    if (!HAS(c, S_SYNACK) || !HAS(c, S_ACK) || (c->findings & TD_F_HS_MISSED))
        return false;
    *ns = c->ts_ack - c->ts_last_synack;
    return *ns >= 0;
}

bool td_conn_has_setup_time(const td_conn *c, int64_t *ns)
{
    if (!HAS(c, S_SYN) || !HAS(c, S_ACK) || (c->findings & TD_F_HS_MISSED))
        return false;
    *ns = c->ts_ack - c->ts_first_syn;
    return *ns >= 0;
}

bool td_conn_server_reset_after(const td_conn *c, int64_t *ns)
{
    if (!HAS(c, S_SERVER_RST) || !HAS(c, S_SYNACK) || td_conn_completed(c))
        return false;
    *ns = c->ts_ack - c->ts_synack;
    return true;
}

static const char *const verdict_names[TD_V_COUNT] = {
    [TD_V_ESTABLISHED] = "established",
    [TD_V_NO_RESPONSE] = "no-response",
    [TD_V_PENDING] = "pending",
    [TD_V_REFUSED] = "refused",
    [TD_V_ICMP_UNREACHABLE] = "icmp-unreachable",
    [TD_V_HALF_OPEN] = "half-open",
    [TD_V_ABORTED] = "aborted",
    [TD_V_RESET_BEFORE_DATA] = "reset-before-data",
    [TD_V_SIMULTANEOUS_OPEN] = "simultaneous-open",
    [TD_V_STALE] = "stale",
    [TD_V_MIDSTREAM] = "midstream",
};

const char *td_verdict_name(td_verdict v)
{
    return (unsigned)v < TD_V_COUNT ? verdict_names[v] : "unknown";
}

bool td_verdict_is_failure(td_verdict v)
{
    switch (v) {
    case TD_V_NO_RESPONSE:
    case TD_V_REFUSED:
    case TD_V_ICMP_UNREACHABLE:
    case TD_V_HALF_OPEN:
    case TD_V_ABORTED:
    case TD_V_RESET_BEFORE_DATA:
    case TD_V_STALE:
        return true;
    default:
        return false;
    }
}
