/* pcap_frames.h — reads the checklist captures for the unit tests: a
 * classic pcap file (LINKTYPE_ETHERNET, micro- or nanosecond), and a
 * minimal decoder of Ethernet / ARP / IPv4 / IPv6 / UDP / TCP / ICMP /
 * ICMPv6 into a flat struct, so the pure-C evidence modules can be fed the
 * real packets without Wireshark. Test code only: trusts the sample
 * captures (bounds are still checked).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TCPDIAG_PCAP_FRAMES_H
#define TCPDIAG_PCAP_FRAMES_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evidence.h"

#ifndef TCPDIAG_SOURCE_DIR
#define TCPDIAG_SOURCE_DIR "."
#endif

typedef struct {
    uint32_t frame;
    int64_t ts_ns;
    const uint8_t *data;
    uint32_t len;
    /* decoded */
    td_mac eth_src, eth_dst;
    uint16_t ethertype;         /* 0x0806 ARP, 0x0800, 0x86dd */
    const uint8_t *l3;          /* ARP payload or IP header */
    uint32_t l3_len;
    td_ip src, dst;
    uint8_t proto;              /* 6, 17, 1, 58 */
    const uint8_t *l4;
    uint32_t l4_len;
    uint16_t sport, dport;      /* UDP / TCP */
    const uint8_t *payload;     /* UDP / TCP payload */
    uint32_t payload_len;
    uint8_t tcp_flags;
    uint32_t tcp_seq, tcp_ack;
    uint32_t tcp_win;           /* raw window field */
} pf_frame;

typedef struct {
    uint8_t *buf;
    size_t len, off;
    int nsec;
    uint32_t frame;
} pf_file;

static inline uint32_t pf_rd32(const uint8_t *p, int swap)
{
    uint32_t v = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
    if (swap)
        v = __builtin_bswap32(v);
    return v;
}
static inline uint16_t pf_be16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static inline uint32_t pf_be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Opens sample-captures/checklist/NAME; returns 0 on success. */
static inline int pf_open(pf_file *f, const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/sample-captures/checklist/%s", TCPDIAG_SOURCE_DIR, name);
    memset(f, 0, sizeof *f);
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        printf("cannot open %s\n", path);
        return -1;
    }
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    f->buf = malloc(n > 0 ? (size_t)n : 1);
    f->len = fread(f->buf, 1, n > 0 ? (size_t)n : 0, fp);
    fclose(fp);
    if (f->len < 24)
        return -1;
    uint32_t magic = pf_rd32(f->buf, 0);
    if (magic == 0xa1b2c3d4)
        f->nsec = 0;
    else if (magic == 0xa1b23c4d)
        f->nsec = 1;
    else
        return -1; /* only little-endian files are written by tcpdump here */
    f->off = 24;
    return 0;
}

static inline void pf_close(pf_file *f) { free(f->buf); }

static inline void pf_decode(pf_frame *fr)
{
    const uint8_t *d = fr->data;
    uint32_t n = fr->len;
    if (n < 14)
        return;
    memcpy(fr->eth_dst.a, d, 6);
    memcpy(fr->eth_src.a, d + 6, 6);
    fr->ethertype = pf_be16(d + 12);
    fr->l3 = d + 14;
    fr->l3_len = n - 14;
    const uint8_t *ip = fr->l3;
    uint32_t il = fr->l3_len;
    if (fr->ethertype == 0x0800 && il >= 20) {
        uint32_t hl = (ip[0] & 0xf) * 4u;
        uint32_t tot = pf_be16(ip + 2);
        if (tot > il)
            tot = il;
        fr->src = td_ip4(ip + 12);
        fr->dst = td_ip4(ip + 16);
        fr->proto = ip[9];
        if (hl < 20 || hl > tot)
            return;
        fr->l4 = ip + hl;
        fr->l4_len = tot - hl;
    } else if (fr->ethertype == 0x86dd && il >= 40) {
        uint32_t pl = pf_be16(ip + 4);
        if (pl > il - 40)
            pl = il - 40;
        fr->src = td_ip6(ip + 8);
        fr->dst = td_ip6(ip + 24);
        fr->proto = ip[6]; /* no extension headers in these captures' ND/UDP/TCP */
        fr->l4 = ip + 40;
        fr->l4_len = pl;
    } else {
        return;
    }
    const uint8_t *l4 = fr->l4;
    if (fr->proto == 17 && fr->l4_len >= 8) {
        fr->sport = pf_be16(l4);
        fr->dport = pf_be16(l4 + 2);
        fr->payload = l4 + 8;
        fr->payload_len = fr->l4_len - 8;
    } else if (fr->proto == 6 && fr->l4_len >= 20) {
        uint32_t off = (l4[12] >> 4) * 4u;
        fr->sport = pf_be16(l4);
        fr->dport = pf_be16(l4 + 2);
        fr->tcp_seq = pf_be32(l4 + 4);
        fr->tcp_ack = pf_be32(l4 + 8);
        fr->tcp_flags = l4[13];
        fr->tcp_win = pf_be16(l4 + 14);
        if (off >= 20 && off <= fr->l4_len) {
            fr->payload = l4 + off;
            fr->payload_len = fr->l4_len - off;
        }
    }
}

/* Next frame, decoded; 0 at the end. */
static inline int pf_next(pf_file *f, pf_frame *fr)
{
    if (f->off + 16 > f->len)
        return 0;
    const uint8_t *h = f->buf + f->off;
    uint32_t sec = pf_rd32(h, 0), frac = pf_rd32(h + 4, 0), incl = pf_rd32(h + 8, 0);
    if (f->off + 16 + incl > f->len)
        return 0;
    memset(fr, 0, sizeof *fr);
    fr->frame = ++f->frame;
    fr->ts_ns = (int64_t)sec * 1000000000LL + (int64_t)frac * (f->nsec ? 1 : 1000);
    fr->data = h + 16;
    fr->len = incl;
    f->off += 16 + incl;
    pf_decode(fr);
    return 1;
}

/* Rows of sample-captures/checklist-expected.tsv for one capture and
 * protocol: calls fn(ctx, key, outcome, detail) for each. Returns the
 * number of rows. */
static inline int pf_expected(const char *capture, const char *protocol,
                              void (*fn)(void *ctx, const char *key, const char *outcome,
                                         const char *detail),
                              void *ctx)
{
    char path[512], line[4096];
    int rows = 0;
    snprintf(path, sizeof path, "%s/sample-captures/checklist-expected.tsv", TCPDIAG_SOURCE_DIR);
    FILE *fp = fopen(path, "r");
    if (!fp) {
        printf("cannot open %s\n", path);
        return -1;
    }
    while (fgets(line, sizeof line, fp)) {
        char *col[8] = {0};
        int c = 0;
        char *s = line;
        line[strcspn(line, "\n")] = '\0';
        while (c < 8) {
            col[c++] = s;
            char *t = strchr(s, '\t');
            if (!t)
                break;
            *t = '\0';
            s = t + 1;
        }
        if (c < 5 || strcmp(col[0], capture) != 0 || strcmp(col[1], protocol) != 0)
            continue;
        fn(ctx, col[2], col[3], col[4]);
        rows++;
    }
    fclose(fp);
    return rows;
}

/* The integer value of k=N in a detail "a=1;k=2;..." or -1. */
static inline long pf_detail_num(const char *detail, const char *k)
{
    size_t kl = strlen(k);
    for (const char *p = detail; p && *p;) {
        if (strncmp(p, k, kl) == 0 && p[kl] == '=')
            return strtol(p + kl + 1, NULL, 0);
        p = strchr(p, ';');
        if (p)
            p++;
    }
    return -1;
}

/* The text value of k=V (copied into out) or "" */
static inline const char *pf_detail_str(const char *detail, const char *k, char *out, size_t n)
{
    size_t kl = strlen(k);
    out[0] = '\0';
    for (const char *p = detail; p && *p;) {
        if (strncmp(p, k, kl) == 0 && p[kl] == '=') {
            size_t l = strcspn(p + kl + 1, ";");
            if (l >= n)
                l = n - 1;
            memcpy(out, p + kl + 1, l);
            out[l] = '\0';
            return out;
        }
        p = strchr(p, ';');
        if (p)
            p++;
    }
    return out;
}

#endif
