/* test_dns_lookup.c — the DNS reader (dns_wire) and lookups (dns_lookup):
 * hand-made messages for the edge cases, then every checklist capture fed
 * packet by packet and compared with sample-captures/checklist-expected.tsv.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <time.h>

#include "check.h"
#include "dns_lookup.h"
#include "pcap_frames.h"

#define T0 1700000000000000000LL
#define MS(x) ((int64_t)(x) * 1000000LL)
#define THR 1000000000LL

/* ---- message builder -------------------------------------------------- */
typedef struct {
    uint8_t b[1024];
    size_t n;
} msgbuf;

static void b8(msgbuf *m, unsigned v) { m->b[m->n++] = (uint8_t)v; }
static void b16(msgbuf *m, unsigned v) { b8(m, v >> 8); b8(m, v & 0xff); }
static void bname(msgbuf *m, const char *name)
{
    while (*name) {
        size_t l = strcspn(name, ".");
        b8(m, (unsigned)l);
        memcpy(m->b + m->n, name, l);
        m->n += l;
        name += l;
        if (*name == '.')
            name++;
    }
    b8(m, 0);
}
static void bhdr(msgbuf *m, unsigned id, unsigned flags, unsigned qd, unsigned an)
{
    m->n = 0;
    b16(m, id); b16(m, flags); b16(m, qd); b16(m, an); b16(m, 0); b16(m, 0);
}
static void bq(msgbuf *m, const char *name, unsigned type)
{
    bname(m, name); b16(m, type); b16(m, 1);
}
static void brr_a(msgbuf *m, const char *owner, unsigned a, unsigned b, unsigned c, unsigned d)
{
    bname(m, owner); b16(m, 1); b16(m, 1); b16(m, 0); b16(m, 60); b16(m, 4);
    b8(m, a); b8(m, b); b8(m, c); b8(m, d);
}
static void brr_cname(msgbuf *m, const char *owner, const char *target)
{
    bname(m, owner); b16(m, 5); b16(m, 1); b16(m, 0); b16(m, 60);
    size_t at = m->n;
    b16(m, 0);
    bname(m, target);
    size_t len = m->n - at - 2;
    m->b[at] = (uint8_t)(len >> 8);
    m->b[at + 1] = (uint8_t)len;
}

static void test_parse_basic(void)
{
    msgbuf m;
    td_dns_msg d;
    bhdr(&m, 0x1234, 0x8180, 1, 2);
    bq(&m, "Alias.Example.COM", 1);
    brr_cname(&m, "alias.example.com", "www.example.com");
    brr_a(&m, "www.example.com", 198, 51, 100, 10);
    CHECK(td_dns_parse(m.b, m.n, &d));
    CHECK_EQ(d.id, 0x1234);
    CHECK(d.response);
    CHECK(!d.tc);
    CHECK(!d.malformed);
    CHECK_EQ(d.rcode, 0);
    CHECK_STR(td_dns_name(&d, d.qname), "alias.example.com");
    CHECK_EQ(d.qtype, 1);
    CHECK_EQ(d.n_rr, 2);
    td_ip out[4];
    uint16_t final;
    CHECK_EQ(td_dns_answer_addrs(&d, out, 4, &final), 1);
    CHECK_STR(td_dns_name(&d, final), "www.example.com");
    char ip[TD_IP_STRLEN];
    td_ip_format(&out[0], ip, sizeof ip);
    CHECK_STR(ip, "198.51.100.10");
}

static void test_parse_compression_and_loops(void)
{
    msgbuf m;
    td_dns_msg d;
    /* answer owner is a pointer to the question name (offset 12) */
    bhdr(&m, 1, 0x8180, 1, 1);
    bq(&m, "www.example.com", 1);
    b16(&m, 0xc00c); b16(&m, 1); b16(&m, 1); b16(&m, 0); b16(&m, 60); b16(&m, 4);
    b8(&m, 192); b8(&m, 0); b8(&m, 2); b8(&m, 1);
    CHECK(td_dns_parse(m.b, m.n, &d));
    CHECK_EQ(d.n_rr, 1);
    CHECK_STR(td_dns_name(&d, d.rr[0].owner), "www.example.com");
    CHECK_EQ(td_dns_answer_addrs(&d, NULL, 0, NULL), 1);

    /* a pointer loop in the answer: malformed, no crash, question kept */
    bhdr(&m, 2, 0x8180, 1, 1);
    bq(&m, "a.example", 1);
    size_t at = m.n;
    b16(&m, 0xc000 | (unsigned)at); /* points at itself */
    CHECK(td_dns_parse(m.b, m.n, &d));
    CHECK(d.malformed);
    CHECK_EQ(d.n_rr, 0);

    /* a loop in the question: no message */
    bhdr(&m, 3, 0x0100, 1, 0);
    b16(&m, 0xc00c);
    b16(&m, 1); b16(&m, 1);
    CHECK(!td_dns_parse(m.b, m.n, &d));

    /* too short, QDCOUNT 0 */
    CHECK(!td_dns_parse(m.b, 11, &d));
    bhdr(&m, 4, 0x0100, 0, 0);
    CHECK(!td_dns_parse(m.b, m.n, &d));

    /* a CNAME loop a -> b -> a stops (no address) */
    bhdr(&m, 5, 0x8180, 1, 2);
    bq(&m, "a.example", 1);
    brr_cname(&m, "a.example", "b.example");
    brr_cname(&m, "b.example", "a.example");
    CHECK(td_dns_parse(m.b, m.n, &d));
    CHECK_EQ(td_dns_answer_addrs(&d, NULL, 0, NULL), 0);
    CHECK(!td_dns_answer_has_qtype(&d));

    /* every truncation of a valid message is read without going past it */
    bhdr(&m, 6, 0x8180, 1, 2);
    bq(&m, "alias.example.com", 1);
    brr_cname(&m, "alias.example.com", "www.example.com");
    brr_a(&m, "www.example.com", 198, 51, 100, 10);
    for (size_t cut = 0; cut < m.n; cut++) {
        uint8_t *copy = malloc(cut ? cut : 1);
        memcpy(copy, m.b, cut);
        (void)td_dns_parse(copy, cut, &d); /* ASan/valgrind would catch overreads */
        free(copy);
    }
    char tn[16];
    CHECK_STR(td_dns_type_name(28, tn, sizeof tn), "AAAA");
    CHECK_STR(td_dns_type_name(99, tn, sizeof tn), "TYPE99");
    CHECK_STR(td_dns_rcode_name(3, tn, sizeof tn), "NXDOMAIN");
    CHECK_STR(td_dns_rcode_name(9, tn, sizeof tn), "RCODE9");
}

/* ---- lookups from hand-made packets ---------------------------------------- */
static const td_ip *CLI(void) { static td_ip x; x = td_ip4n(192, 0, 2, 10); return &x; }
static const td_ip *SRV(void) { static td_ip x; x = td_ip4n(192, 0, 2, 53); return &x; }

static uint32_t feed_msg(td_dns_state *st, uint32_t frame, int64_t ts, bool response,
                         uint16_t cport, const msgbuf *m)
{
    static td_dns_msg d;
    CHECK(td_dns_parse(m->b, m->n, &d));
    td_dns_pkt p = {frame, ts, *(response ? SRV() : CLI()), *(response ? CLI() : SRV()),
                    response ? 53 : cport, response ? cport : 53, false, &d};
    return td_dns_update(st, &p);
}

/* The same with another client. */
static uint32_t feed_from(td_dns_state *st, uint32_t frame, int64_t ts, bool response,
                          const td_ip *client, const msgbuf *m)
{
    static td_dns_msg d;
    CHECK(td_dns_parse(m->b, m->n, &d));
    td_dns_pkt p = {frame, ts, *(response ? SRV() : client), *(response ? client : SRV()),
                    response ? 53 : 40000, response ? 40000 : 53, false, &d};
    return td_dns_update(st, &p);
}

/* An address shared by two names (virtual hosting, a CDN): each client's
 * connection is named after its own lookup; a client that looked up
 * nothing gets the latest lookup's name. */
static void test_shared_address_named_per_client(void)
{
    td_dns_state st;
    msgbuf q, r;
    td_dns_init(&st);
    td_ip a = td_ip4n(192, 0, 2, 10), b = td_ip4n(192, 0, 2, 11), c = td_ip4n(192, 0, 2, 12);
    td_ip srv = td_ip4n(198, 51, 100, 10);
    const char *names[2] = {"www.example.com", "shop.example.com"};
    const td_ip *clients[2] = {&a, &b};
    for (int i = 0; i < 2; i++) {
        bhdr(&q, (uint16_t)(7 + i), 0x0100, 1, 0);
        bq(&q, names[i], 1);
        feed_from(&st, (uint32_t)(1 + 2 * i), T0 + MS(10 * i), false, clients[i], &q);
        bhdr(&r, (uint16_t)(7 + i), 0x8180, 1, 1);
        bq(&r, names[i], 1);
        brr_a(&r, names[i], 198, 51, 100, 10);
        feed_from(&st, (uint32_t)(2 + 2 * i), T0 + MS(10 * i + 1), true, clients[i], &r);
    }
    CHECK_STR(td_dns_name_of(&st, td_dns_note_connection_from(&st, &a, &srv, T0 + MS(50))),
              "www.example.com");
    CHECK_STR(td_dns_name_of(&st, td_dns_note_connection_from(&st, &b, &srv, T0 + MS(50))),
              "shop.example.com");
    CHECK_STR(td_dns_name_of(&st, td_dns_note_connection_from(&st, &c, &srv, T0 + MS(50))),
              "shop.example.com");
    /* before b's answer, a's connection already had its name */
    CHECK_STR(td_dns_name_of(&st, td_dns_note_connection_from(&st, &a, &srv, T0 + MS(5))),
              "www.example.com");
    td_dns_free(&st);
}

static void test_lookup_retry_and_answer(void)
{
    td_dns_state st;
    msgbuf q, r;
    td_dns_init(&st);
    bhdr(&q, 7, 0x0100, 1, 0);
    bq(&q, "www.example.com", 1);
    uint32_t a = feed_msg(&st, 1, T0, false, 40000, &q);
    CHECK(a != TD_DNS_NONE);
    const td_dns_lookup *l = td_dns_lookup_at(&st, a);
    CHECK_STR(td_dns_verdict_name(td_dns_verdict_of(l, T0 + MS(500), THR)), "pending");
    CHECK_STR(td_dns_verdict_name(td_dns_verdict_of(l, T0 + MS(1000), THR)), "no-answer");
    /* retransmission 1 s later joins */
    CHECK_EQ(feed_msg(&st, 2, T0 + MS(1000), false, 40000, &q), a);
    l = td_dns_lookup_at(&st, a);
    CHECK_EQ(l->tries, 2);
    CHECK_STR(td_dns_verdict_name(td_dns_verdict_of(l, T0 + MS(1001), THR)), "no-answer");
    bhdr(&r, 7, 0x8180, 1, 1);
    bq(&r, "www.example.com", 1);
    brr_a(&r, "www.example.com", 198, 51, 100, 10);
    CHECK_EQ(feed_msg(&st, 3, T0 + MS(1002), true, 40000, &r), a);
    l = td_dns_lookup_at(&st, a);
    CHECK_STR(td_dns_verdict_name(td_dns_verdict_of(l, T0 + MS(2000), THR)), "resolved");
    CHECK_EQ(l->rtt_ns, MS(2));
    CHECK_EQ(l->frame_response, 3);
    /* a connection to the address is named */
    td_ip s = td_ip4n(198, 51, 100, 10), other = td_ip4n(198, 51, 100, 99);
    uint32_t nid = td_dns_note_connection(&st, &s, T0 + MS(1005));
    CHECK_STR(td_dns_name_of(&st, nid), "www.example.com");
    CHECK_EQ(td_dns_note_connection(&st, &other, T0 + MS(1005)), TD_DNS_NONE);
    /* before the answer, the address had no name */
    CHECK_EQ(td_dns_note_connection(&st, &s, T0 + MS(1)), TD_DNS_NONE);
    /* a new query after the resolution is a new lookup */
    uint32_t b = feed_msg(&st, 4, T0 + MS(1500), false, 40001, &q);
    CHECK(b != a && b != TD_DNS_NONE);
    char buf[256];
    td_dns_describe(&st, td_dns_lookup_at(&st, a), T0 + MS(2000), THR, buf, sizeof buf);
    CHECK_STR(buf, "www.example.com A: 198.51.100.10 from 192.0.2.53 in 2.0 ms (2 tries over 1.0 s)");
    td_dns_free(&st);
}

static void test_lookup_wrong_id_and_window(void)
{
    td_dns_state st;
    msgbuf q, r;
    td_dns_init(&st);
    bhdr(&q, 9, 0x0100, 1, 0);
    bq(&q, "nosuch.example.com", 1);
    uint32_t a = feed_msg(&st, 1, T0, false, 40000, &q);
    /* a response with another id is no answer to this query */
    bhdr(&r, 10, 0x8183, 1, 0);
    bq(&r, "nosuch.example.com", 1);
    uint32_t b = feed_msg(&st, 2, T0 + MS(1), true, 40000, &r);
    CHECK(b != a);
    CHECK(td_dns_lookup_at(&st, b)->flags & TD_DNS_L_NO_QUERY);
    CHECK_STR(td_dns_verdict_name(td_dns_verdict_of(td_dns_lookup_at(&st, a), T0 + MS(2000), THR)),
              "no-answer");
    CHECK_STR(td_dns_verdict_name(td_dns_verdict_of(td_dns_lookup_at(&st, b), T0 + MS(2000), THR)),
              "nxdomain");
    /* a query long after a failure is a new lookup */
    uint32_t c = feed_msg(&st, 3, T0 + TD_DNS_RETRY_WINDOW_NS + MS(10), false, 40002, &q);
    CHECK(c != a && c != b);
    char buf[256];
    CHECK(td_dns_conclusion(&st, td_dns_lookup_at(&st, b), T0 + MS(2000), THR, buf, sizeof buf) > 0);
    CHECK_STR(buf, "nosuch.example.com did not resolve (NXDOMAIN from 192.0.2.53): no connection "
                   "was attempted; check the name and the DNS server");
    td_dns_free(&st);
}

static void test_icmp_and_truncation(void)
{
    td_dns_state st;
    msgbuf q, r;
    td_dns_init(&st);
    /* one query, an ICMP port unreachable 1 ms later: no-answer at once */
    bhdr(&q, 11, 0x0100, 1, 0);
    bq(&q, "www.example.com", 1);
    uint32_t a = feed_msg(&st, 1, T0, false, 40000, &q);
    static td_dns_msg d;
    CHECK(td_dns_parse(q.b, q.n, &d));
    td_dns_pkt quoted = {1, T0, *CLI(), *SRV(), 40000, 53, false, &d};
    CHECK_EQ(td_dns_icmp_error(&st, &quoted, 2), a);
    CHECK_STR(td_dns_verdict_name(td_dns_verdict_of(td_dns_lookup_at(&st, a), T0 + MS(2), THR)),
              "no-answer");
    CHECK_EQ(td_dns_server_at(&st, 0)->icmp_errors, 1);
    /* TC=1, then the TCP retry: pending while it waits, no-answer after */
    bhdr(&q, 12, 0x0100, 1, 0);
    bq(&q, "big.example.com", 1);
    uint32_t b = feed_msg(&st, 3, T0, false, 40001, &q);
    bhdr(&r, 12, 0x8380, 1, 0); /* QR, AA... TC */
    bq(&r, "big.example.com", 1);
    CHECK_EQ(feed_msg(&st, 4, T0 + MS(1), true, 40001, &r), b);
    CHECK_STR(td_dns_verdict_name(td_dns_verdict_of(td_dns_lookup_at(&st, b), T0 + MS(5000), THR)),
              "truncated");
    bhdr(&q, 13, 0x0100, 1, 0);
    bq(&q, "big.example.com", 1);
    CHECK_EQ(feed_msg(&st, 5, T0 + MS(2), false, 40002, &q), b);
    CHECK_STR(td_dns_verdict_name(td_dns_verdict_of(td_dns_lookup_at(&st, b), T0 + MS(500), THR)),
              "pending");
    CHECK_STR(td_dns_verdict_name(td_dns_verdict_of(td_dns_lookup_at(&st, b), T0 + MS(1500), THR)),
              "no-answer");
    td_dns_free(&st);
}

/* 100 k lookups (the benchmark size), each answered: all tracked,
 * memory within the bound of td_limits.h, and the time printed. */
static void test_bulk(void)
{
    enum { N = 100000 };
    static td_dns_state st;
    msgbuf q, r;
    char name[64];
    struct timespec t0, t1;
    td_dns_init(&st);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (unsigned i = 0; i < N; i++) {
        snprintf(name, sizeof name, "host%u.example.com", i);
        bhdr(&q, i & 0xffff, 0x0100, 1, 0);
        bq(&q, name, 1);
        feed_msg(&st, 2 * i + 1, T0 + (int64_t)i * MS(1), false, (uint16_t)(40000 + i % 20000), &q);
        bhdr(&r, i & 0xffff, 0x8180, 1, 1);
        bq(&r, name, 1);
        brr_a(&r, name, 198, 51, (i >> 8) & 0xff, i & 0xff);
        feed_msg(&st, 2 * i + 2, T0 + (int64_t)i * MS(1) + 100000, true,
                 (uint16_t)(40000 + i % 20000), &r);
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    CHECK_EQ(td_dns_lookup_count(&st), N);
    CHECK_EQ(st.dropped, 0);
    unsigned resolved = 0;
    for (unsigned i = 0; i < N; i++)
        resolved += td_dns_verdict_of(td_dns_lookup_at(&st, i), T0 + MS(N + 10), THR) == TD_DNS_V_RESOLVED;
    CHECK_EQ(resolved, N);
    size_t bytes = (size_t)st.lookups.cap * st.lookups.size + (size_t)st.names.cap * st.names.size +
                   st.arena_cap + (size_t)st.addrs.cap * st.addrs.size +
                   ((size_t)st.by_key.cap + st.name_ix.cap + st.addr_ix.cap) * 12;
    CHECK(bytes < 64u * 1024 * 1024);
    printf("bulk: %u lookups (query + answer) in %.0f ms, %.1f MiB of state\n", N,
           (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6,
           (double)bytes / (1024 * 1024));
    td_dns_free(&st);
}

static void test_sizes(void)
{
    /* the bound quoted in td_limits.h */
    CHECK(sizeof(td_dns_lookup) <= 192);
    CHECK_STR(td_dns_verdict_name(TD_DNS_V_COUNT), "unknown");
    static const char *const want[] = {"resolved", "no-address", "nxdomain", "servfail", "refused",
                                       "no-answer", "pending", "truncated", "error"};
    for (int v = 0; v < TD_DNS_V_COUNT; v++)
        CHECK_STR(td_dns_verdict_name((td_dns_verdict)v), want[v]);
}

/* ---- the real captures -------------------------------------------------- */
typedef struct {
    td_dns_state st;
    int64_t last_ts;
    /* tcp streams in order of first appearance, for conn rows */
    struct { td_ip a, b; uint16_t pa, pb; uint32_t name_id; } streams[32];
    int nstreams;
    const char *capture;
    int rows_matched, lookups_matched;
    /* TCP DNS: one reassembly buffer per direction of the port-53 stream */
    uint8_t tcpbuf[2][8192];
    uint32_t tcplen[2];
} cap_ctx;

static int stream_of(cap_ctx *c, const pf_frame *f)
{
    for (int i = 0; i < c->nstreams; i++) {
        if ((td_ip_eq(&c->streams[i].a, &f->src) && td_ip_eq(&c->streams[i].b, &f->dst) &&
             c->streams[i].pa == f->sport && c->streams[i].pb == f->dport) ||
            (td_ip_eq(&c->streams[i].a, &f->dst) && td_ip_eq(&c->streams[i].b, &f->src) &&
             c->streams[i].pa == f->dport && c->streams[i].pb == f->sport))
            return i;
    }
    if (c->nstreams == 32)
        return -1;
    int i = c->nstreams++;
    c->streams[i].a = f->src;
    c->streams[i].b = f->dst;
    c->streams[i].pa = f->sport;
    c->streams[i].pb = f->dport;
    c->streams[i].name_id = TD_DNS_NONE;
    return i;
}

static void feed_capture(cap_ctx *c, const char *name)
{
    pf_file f;
    pf_frame fr;
    static td_dns_msg m;
    td_dns_init(&c->st);
    c->nstreams = 0;
    c->capture = name;
    CHECK_EQ(pf_open(&f, name), 0);
    while (pf_next(&f, &fr)) {
        c->last_ts = fr.ts_ns;
        if (fr.proto == 17 && (fr.sport == 53 || fr.dport == 53)) {
            if (td_dns_parse(fr.payload, fr.payload_len, &m)) {
                td_dns_pkt p = {fr.frame, fr.ts_ns, fr.src, fr.dst, fr.sport, fr.dport, false, &m};
                td_dns_update(&c->st, &p);
            }
        } else if (fr.proto == 6) {
            int s = stream_of(c, &fr);
            if ((fr.tcp_flags & 0x12) == 0x02 && s >= 0) /* SYN without ACK */
                c->streams[s].name_id = td_dns_note_connection(&c->st, &fr.dst, fr.ts_ns);
            /* in-order reassembly of the 2-byte-length framed messages
             * (RFC 1035 4.2.2): enough for these captures */
            int dir = fr.dport == 53;
            if ((fr.sport == 53 || fr.dport == 53) && fr.payload_len > 0 &&
                c->tcplen[dir] + fr.payload_len <= sizeof c->tcpbuf[dir]) {
                memcpy(c->tcpbuf[dir] + c->tcplen[dir], fr.payload, fr.payload_len);
                c->tcplen[dir] += fr.payload_len;
                while (c->tcplen[dir] >= 2 && pf_be16(c->tcpbuf[dir]) + 2u <= c->tcplen[dir]) {
                    uint32_t ml = pf_be16(c->tcpbuf[dir]);
                    if (td_dns_parse(c->tcpbuf[dir] + 2, ml, &m)) {
                        td_dns_pkt p = {fr.frame, fr.ts_ns, fr.src, fr.dst, fr.sport, fr.dport,
                                        true, &m};
                        td_dns_update(&c->st, &p);
                    }
                    memmove(c->tcpbuf[dir], c->tcpbuf[dir] + 2 + ml, c->tcplen[dir] - 2 - ml);
                    c->tcplen[dir] -= 2 + ml;
                }
            }
        } else if (fr.proto == 1 && fr.l4_len >= 8 + 20 && fr.l4[0] == 3) {
            /* ICMP unreachable quoting IPv4 + UDP to port 53 */
            pf_frame q;
            memset(&q, 0, sizeof q);
            q.ethertype = 0x0800;
            q.l3 = fr.l4 + 8;
            q.l3_len = fr.l4_len - 8;
            uint8_t fake[1600];
            memset(fake, 0, 14);
            fake[12] = 0x08;
            if (q.l3_len + 14 <= sizeof fake) {
                memcpy(fake + 14, q.l3, q.l3_len);
                q.data = fake;
                q.len = q.l3_len + 14;
                pf_decode(&q);
                if (q.proto == 17 && q.dport == 53 &&
                    td_dns_parse(q.payload, q.payload_len, &m)) {
                    td_dns_pkt p = {fr.frame, fr.ts_ns, q.src, q.dst, q.sport, q.dport, false, &m};
                    td_dns_icmp_error(&c->st, &p, fr.frame);
                }
            }
        }
    }
    pf_close(&f);
}

static void check_dns_row(void *ctx, const char *key, const char *outcome, const char *detail)
{
    cap_ctx *c = ctx;
    char client[64], name[256], type[16], tn[16], ip[TD_IP_STRLEN], want_srv[64];
    if (sscanf(key, "%63s %255s %15s", client, name, type) != 3) {
        CHECK(!"bad key");
        return;
    }
    int found = 0;
    for (uint32_t i = 0; i < td_dns_lookup_count(&c->st); i++) {
        const td_dns_lookup *l = td_dns_lookup_at(&c->st, i);
        td_ip_format(&l->client, ip, sizeof ip);
        if (strcmp(ip, client) || strcmp(td_dns_name_of(&c->st, l->name_id), name) ||
            strcmp(td_dns_type_name(l->qtype, tn, sizeof tn), type))
            continue;
        found++;
        td_dns_verdict v = td_dns_verdict_of(l, c->last_ts, THR);
        if (strcmp(td_dns_verdict_name(v), outcome) != 0)
            printf("%s %s: verdict %s, expected %s\n", c->capture, key, td_dns_verdict_name(v), outcome);
        CHECK_STR(td_dns_verdict_name(v), outcome);
        long tries = pf_detail_num(detail, "tries");
        if (tries >= 0)
            CHECK_EQ(l->tries, tries);
        pf_detail_str(detail, "server", want_srv, sizeof want_srv);
        if (want_srv[0]) {
            td_ip_format(&l->server, ip, sizeof ip);
            CHECK_STR(ip, want_srv);
        }
        char concl[512];
        size_t cl = td_dns_conclusion(&c->st, l, c->last_ts, THR, concl, sizeof concl);
        if (!!strstr(detail, "no-connection") != (cl > 0))
            printf("%s %s: conclusion [%s]\n", c->capture, key, concl);
        CHECK_EQ(!!strstr(detail, "no-connection"), cl > 0);
    }
    c->lookups_matched += found;
    if (!found)
        printf("%s: no lookup for row %s\n", c->capture, key);
    CHECK(found > 0);
    c->rows_matched++;
}

static void check_server_row(void *ctx, const char *key, const char *outcome, const char *detail)
{
    cap_ctx *c = ctx;
    char ip[TD_IP_STRLEN];
    (void)detail;
    int found = 0;
    for (uint32_t i = 0; i < td_dns_server_count(&c->st); i++) {
        td_ip_format(&td_dns_server_at(&c->st, i)->addr, ip, sizeof ip);
        if (strcmp(ip, key) == 0) {
            found = 1;
            CHECK(td_dns_server_silent(&c->st, i, NULL) == (strcmp(outcome, "unanswered") == 0));
            char buf[512];
            CHECK(td_dns_server_conclusion(&c->st, i, buf, sizeof buf) > 0);
            CHECK_HAS(buf, "answered none of 2 queries while 192.0.2.53 answered");
        }
    }
    CHECK(found);
}

static void check_conn_row(void *ctx, const char *key, const char *outcome, const char *detail)
{
    cap_ctx *c = ctx;
    char want[256];
    (void)outcome;
    int s = atoi(key);
    pf_detail_str(detail, "server.name", want, sizeof want);
    CHECK(s < c->nstreams);
    if (s >= c->nstreams)
        return;
    CHECK_STR(td_dns_name_of(&c->st, c->streams[s].name_id), want);
}

static void test_checklist_captures(void)
{
    static const char *const caps[] = {
        "healthy.pcap", "dns-resolved-dead-host.pcap", "dns-nxdomain.pcap", "dns-servfail.pcap",
        "dns-refused.pcap", "dns-no-address.pcap", "dns-no-answer.pcap", "dns-server-down.pcap",
        "dns-port-unreachable.pcap", "dns-truncated.pcap", "dns-tcp-fallback.pcap",
        "dns-pending.pcap", "duplicate-ip.pcap", "ping-port-filtered.pcap", "dhcp-no-offer.pcap",
        "udp-port-unreachable.pcap", "zero-window.pcap"};
    int rows = 0;
    for (size_t i = 0; i < sizeof caps / sizeof caps[0]; i++) {
        static cap_ctx c;
        memset(&c, 0, sizeof c);
        feed_capture(&c, caps[i]);
        rows += pf_expected(caps[i], "dns", check_dns_row, &c);
        pf_expected(caps[i], "dns-server", check_server_row, &c);
        pf_expected(caps[i], "conn", check_conn_row, &c);
        /* no silent-server conclusion where the TSV has none */
        int silent = 0;
        for (uint32_t s = 0; s < td_dns_server_count(&c.st); s++)
            silent += td_dns_server_silent(&c.st, s, NULL);
        CHECK_EQ(silent, strcmp(caps[i], "dns-server-down.pcap") == 0 ? 1 : 0);
        /* every lookup has a row (no surprise verdict) */
        if (c.lookups_matched != (int)td_dns_lookup_count(&c.st))
            printf("%s: %u lookups, %d with a row\n", caps[i], td_dns_lookup_count(&c.st),
                   c.lookups_matched);
        CHECK_EQ(c.lookups_matched, td_dns_lookup_count(&c.st));
        td_dns_free(&c.st);
    }
    CHECK_EQ(rows, 16); /* the dns rows of checklist-expected.tsv */
}

int main(void)
{
    RUN(test_parse_basic);
    RUN(test_parse_compression_and_loops);
    RUN(test_lookup_retry_and_answer);
    RUN(test_shared_address_named_per_client);
    RUN(test_lookup_wrong_id_and_window);
    RUN(test_icmp_and_truncation);
    RUN(test_sizes);
    RUN(test_bulk);
    RUN(test_checklist_captures);
    return check_report();
}
