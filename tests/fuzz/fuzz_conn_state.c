/* fuzz_conn_state.c — libFuzzer harness for the handshake state machine.
 *
 * The input is decoded into td_pkt records fed to two connections; after
 * every packet the invariants below are checked and abort() on violation.
 * Build: clang -fsanitize=fuzzer,address,undefined (see run-fuzz.sh), or
 * link with fuzz_driver_main.c to replay a corpus without libFuzzer.
 *
 * Input format (little endian; make_corpus.py writes the same):
 *   header, 16 bytes: int64 now, int64 threshold (judged as is, any value)
 *   records, 24 bytes each (a trailing partial record is ignored):
 *     0      ctl: bits 0-1 kind (3 = TCP), bit 2 dir, bit 3 flags_known,
 *            bit 4 has_tsopt, bits 5-6 icmp_reporter, bit 7 connection
 *     1      TCP flags        2  icmp_type     3  icmp_code
 *     4-5    frame (0: record index + 1)
 *     6-7    dt; byte 8: bits 0-3 shift, bit 7 sign. The time moves by
 *            dt << shift microseconds from the previous record's.
 *     9      diagnosis buffer length for the truncation check
 *     10-11  payload_len      12-15 seq       16-19 ack
 *     20-21  tsval            22-23 tsecr
 * Packet times start at FUZZ_T0 and stay in [0, 2^62]: capture timestamps
 * are non-negative nanoseconds since 1970 (td_pkt.ts_ns contract).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conn_state.h"
#include "diagnosis.h"
#include "../unit/utf8_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define HEADER_LEN 16
#define RECORD_LEN 24
#define MAX_RECORDS 256
#define FUZZ_T0 1700000000000000000LL
#define TS_MAX (1LL << 62)
#define ALL_EVENTS ((TD_EV_ACK_WRONG << 1) - 1)
#define CANARY 0xA5

#define INVARIANT(cond)                                                      \
    do {                                                                     \
        if (!(cond)) {                                                       \
            fprintf(stderr, "invariant violated: %s (%s:%d)\n", #cond,       \
                    __FILE__, __LINE__);                                     \
            abort();                                                         \
        }                                                                    \
    } while (0)

/* One connection and what was fed to it. */
typedef struct {
    td_conn c;
    uint32_t frames[MAX_RECORDS];
    unsigned nframes;
    unsigned syns, synacks, rsts, icmp_unreach, icmps;
} track_t;

static uint16_t le16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t le32(const uint8_t *p) { return le16(p) | (uint32_t)le16(p + 2) << 16; }
static int64_t le64s(const uint8_t *p)
{
    return (int64_t)(le32(p) | (uint64_t)le32(p + 4) << 32);
}

static int was_fed(const track_t *t, uint32_t frame)
{
    for (unsigned i = 0; i < t->nframes; i++)
        if (t->frames[i] == frame)
            return 1;
    return 0;
}


/* td_diagnosis into len bytes of a larger buffer: NUL inside, canary intact. */
static void check_diagnosis(const td_conn *c, td_verdict v, int64_t now, size_t len)
{
    char buf[600];
    memset(buf, CANARY, sizeof buf);
    td_diagnosis(buf, len, c, v, now, 443);
    for (size_t i = len; i < sizeof buf; i++)
        INVARIANT((unsigned char)buf[i] == CANARY);
    if (len == 0)
        return; /* nothing may be written at all */
    INVARIANT(memchr(buf, '\0', len) != NULL);
    INVARIANT(utf8_ok(buf));
}

static void check_verdict(const track_t *t, int64_t now, int64_t thr)
{
    const td_conn *c = &t->c;
    td_verdict v = td_conn_verdict(c, now, thr);
    INVARIANT((unsigned)v < TD_V_COUNT);
    INVARIANT(td_conn_verdict(c, now, thr) == v); /* a pure function */
    const char *name = td_verdict_name(v);
    INVARIANT(name != NULL && strcmp(name, "unknown") != 0);
    INVARIANT(td_verdict_is_failure(v) ==
              !(v == TD_V_ESTABLISHED || v == TD_V_PENDING ||
                v == TD_V_SIMULTANEOUS_OPEN || v == TD_V_MIDSTREAM));
    uint32_t f = td_conn_evidence_frame(c, v);
    INVARIANT(f != 0 && was_fed(t, f)); /* every verdict has its evidence */
    INVARIANT((v == TD_V_MIDSTREAM) == !td_conn_syn_seen(c));
    if (v == TD_V_ESTABLISHED || v == TD_V_RESET_BEFORE_DATA)
        INVARIANT(td_conn_completed(c));
    if (td_conn_completed(c))
        INVARIANT(v == TD_V_ESTABLISHED || v == TD_V_RESET_BEFORE_DATA ||
                  v == TD_V_SIMULTANEOUS_OPEN || v == TD_V_MIDSTREAM);
    if (v == TD_V_HALF_OPEN)
        INVARIANT(c->synack_count > 0);
    if (v == TD_V_NO_RESPONSE)
        INVARIANT(c->synack_count == 0 && !td_conn_completed(c));
    if (v == TD_V_REFUSED)
        INVARIANT(t->rsts > 0);
    if (v == TD_V_ICMP_UNREACHABLE)
        INVARIANT(t->icmp_unreach > 0);
}

static void check_conn(const track_t *t, uint32_t ev, int64_t last_ts,
                       int64_t now_raw, int64_t thr_raw, size_t small_len)
{
    const td_conn *c = &t->c;
    static const int64_t extremes[] = {INT64_MIN, -1, 0, 1, INT64_MAX};

    INVARIANT((ev & ~(uint32_t)ALL_EVENTS) == 0);
    INVARIANT(t->nframes > 0 && c->frame_first == t->frames[0]);
    INVARIANT((unsigned)c->syn_count + c->syn_dups <= t->syns);
    INVARIANT(c->synack_count <= t->synacks);
    INVARIANT(c->synack_count == 0 || t->synacks > 0);
    if (td_conn_syn_seen(c))
        INVARIANT(t->syns > 0 || t->icmps > 0);
    INVARIANT(c->client_dir == TD_DIR_UNKNOWN || c->client_dir <= 1);

    check_verdict(t, last_ts, TD_NO_RESPONSE_NS_DEFAULT);
    check_verdict(t, last_ts + 500000000, TD_NO_RESPONSE_NS_DEFAULT);
    check_verdict(t, now_raw, thr_raw);
    for (size_t i = 0; i < sizeof extremes / sizeof extremes[0]; i++) {
        check_verdict(t, extremes[i], thr_raw);
        check_verdict(t, now_raw, extremes[i]);
    }
    for (int v = 0; v < TD_V_COUNT; v++) {
        uint32_t f = td_conn_evidence_frame(c, (td_verdict)v);
        INVARIANT(f == 0 || was_fed(t, f));
    }
    uint32_t af = td_conn_answered_syn_frame(c);
    INVARIANT(af == 0 || was_fed(t, af));

    int64_t ns;
    /* Times measured are never negative (reordered frames give none). */
    if (td_conn_has_rtt_syn_synack(c, &ns))
        INVARIANT(ns >= 0);
    if (td_conn_has_rtt_synack_ack(c, &ns))
        INVARIANT(ns >= 0);
    if (td_conn_has_setup_time(c, &ns))
        INVARIANT(ns >= 0 && td_conn_completed(c));
    if (td_conn_server_reset_after(c, &ns))
        INVARIANT(!td_conn_completed(c) && c->synack_count > 0);
    (void)td_conn_end_by_client(c);

    td_verdict v = td_conn_verdict(c, now_raw, thr_raw);
    check_diagnosis(c, v, now_raw, 512);
    check_diagnosis(c, v, now_raw, small_len);
    check_diagnosis(c, td_conn_verdict(c, last_ts, TD_NO_RESPONSE_NS_DEFAULT), last_ts, 512);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static track_t tracks[2];
    if (size < HEADER_LEN)
        return 0;
    int64_t now_raw = le64s(data), thr_raw = le64s(data + 8);
    size_t n = (size - HEADER_LEN) / RECORD_LEN;
    if (n > MAX_RECORDS)
        n = MAX_RECORDS;
    for (int i = 0; i < 2; i++) {
        memset(&tracks[i], 0, sizeof tracks[i]);
        td_conn_init(&tracks[i].c);
    }

    int64_t ts = FUZZ_T0;
    for (size_t i = 0; i < n; i++) {
        const uint8_t *r = data + HEADER_LEN + i * RECORD_LEN;
        track_t *t = &tracks[r[0] >> 7];
        td_pkt p;
        memset(&p, 0, sizeof p);

        int64_t dt = (int64_t)le16(r + 6) << (r[8] & 15); /* microseconds */
        ts += (r[8] & 0x80 ? -dt : dt) * 1000;
        ts = ts < 0 ? 0 : ts > TS_MAX ? TS_MAX : ts;

        p.kind = (r[0] & 3) == 3 ? TD_PKT_TCP : (uint8_t)(r[0] & 3);
        p.dir = (r[0] >> 2) & 1;
        p.flags_known = (r[0] >> 3) & 1;
        p.has_tsopt = (r[0] >> 4) & 1;
        p.icmp_reporter = (r[0] >> 5) & 3;
        p.flags = r[1];
        p.icmp_type = r[2];
        p.icmp_code = r[3];
        p.frame = le16(r + 4) ? le16(r + 4) : (uint32_t)i + 1;
        p.ts_ns = ts;
        p.payload_len = le16(r + 10);
        p.seq = le32(r + 12);
        p.ack = le32(r + 16);
        p.tsval = le16(r + 20);
        p.tsecr = le16(r + 22);

        uint8_t f = p.flags;
        if (p.kind != TD_PKT_TCP) {
            t->icmps++;
            t->icmp_unreach += p.kind == TD_PKT_ICMP_UNREACH;
        } else if ((f & (TD_TH_SYN | TD_TH_RST | TD_TH_ACK)) == TD_TH_SYN) {
            t->syns++; /* a SYN whatever else it carries (FIN, PSH, URG...) */
        } else if ((f & (TD_TH_SYN | TD_TH_RST | TD_TH_FIN | TD_TH_ACK)) ==
                   (TD_TH_SYN | TD_TH_ACK)) {
            t->synacks++;
        } else if ((f & TD_TH_RST) && !(f & TD_TH_SYN)) {
            t->rsts++;
        }
        t->frames[t->nframes++] = p.frame;

        uint32_t ev = td_conn_update(&t->c, &p);
        check_conn(t, ev, ts, now_raw, thr_raw, r[9]);
    }
    return 0;
}
