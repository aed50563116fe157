/* fuzz_evidence.c — libFuzzer harness for the checklist evidence readers
 * and state machines (dns_wire, dns_lookup, neighbor, ping, dhcp,
 * udp_unreach, zero_window): hostile bytes must never crash, read out of
 * bounds, or produce a sentence that is not NUL-terminated UTF-8 within
 * its buffer.
 *
 * Input: records, each
 *   0      kind: 0 DNS/UDP, 1 DNS/TCP message, 2 ARP, 3 ND (ICMPv6),
 *          4 DHCP, 5 echo (ICMP), 6 echo (ICMPv6), 7 ICMP error quoting
 *          UDP (type, code, then addresses from the payload), 8 SYN note,
 *          9 zero window input, 10 ICMP (v4) / 11 ICMPv6 message and 12
 *          UDP datagram (ports from flags) through core/checklist.h
 *   1      flags: bit 0 direction (swap source and destination), bits 1-3
 *          address variant (one of 8 documentation addresses)
 *   2-3    payload length L (little endian, clipped to what is left)
 *   4-5    time step in milliseconds
 *   6..    L payload bytes
 * The same state is fed all records of one input, then every verdict and
 * sentence is built. make_evidence_corpus.py writes seeds from the real
 * checklist captures.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checklist.h"
#include "dhcp.h"
#include "dns_lookup.h"
#include "neighbor.h"
#include "ping.h"
#include "udp_unreach.h"
#include "zero_window.h"
#include "../unit/utf8_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define T0 1700000000000000000LL
#define THR 1000000000LL

static td_ip addr(unsigned v, bool v6)
{
    static const uint8_t p6[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 1};
    if (v6) {
        uint8_t b[16];
        memcpy(b, p6, 16);
        b[15] = (uint8_t)(v + 1);
        return td_ip6(b);
    }
    return td_ip4n(192, 0, 2, v < 4 ? 10 + v : 50 + v);
}

/* The sentence must end within the buffer, NUL-terminated, valid UTF-8. */
static void check_text(const char *buf, size_t n, size_t len)
{
    if (len >= n || buf[len] != '\0' || strlen(buf) != len || !utf8_ok(buf))
        abort();
}

static td_dns_msg msg;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    td_dns_state dns;
    td_nb_state nb;
    td_ping_state ping;
    td_dhcp_state dhcp;
    td_udp_state udp;
    td_dns_init(&dns);
    td_nb_init(&nb);
    td_ping_init(&ping);
    td_dhcp_init(&dhcp);
    td_udp_init(&udp);
    td_checklist *cl = td_cl_new();
    if (!cl)
        return 0;
    int64_t now = T0;
    uint32_t frame = 0;
    size_t off = 0;
    char buf[600];
    while (off + 6 <= size) {
        uint8_t kind = data[off], fl = data[off + 1];
        size_t len = (size_t)data[off + 2] | (size_t)data[off + 3] << 8;
        now += (int64_t)((unsigned)data[off + 4] | (unsigned)data[off + 5] << 8) * 1000000LL;
        off += 6;
        if (len > size - off)
            len = size - off;
        const uint8_t *p = data + off;
        off += len;
        frame++;
        bool v6 = kind == 3 || kind == 6;
        td_ip a = addr((fl >> 1) & 7, v6), b = addr(((fl >> 1) + 3) & 7, v6);
        if (fl & 1) {
            td_ip t = a;
            a = b;
            b = t;
        }
        td_mac mac = {{2, 0, 0, 0, 0, (uint8_t)(fl & 0xf)}};
        switch (kind) {
        case 0:
        case 1:
            if (td_dns_parse(p, len, &msg)) {
                if (msg.qname >= msg.text_len || msg.text_len > TD_DNS_TEXT_MAX || msg.n_rr > TD_DNS_RR_MAX)
                    abort();
                td_dns_pkt d = {frame, now, a, b, msg.response ? 53 : 40000,
                                msg.response ? 40000 : 53, kind == 1, &msg};
                td_dns_update(&dns, &d);
                if (fl & 8)
                    td_dns_icmp_error(&dns, &d, frame);
            }
            break;
        case 2: {
            td_nb_pkt n;
            if (td_nb_parse_arp(p, len, frame, now, &n))
                td_nb_update(&nb, &n);
            break;
        }
        case 3: {
            td_nb_pkt n;
            if (td_nb_parse_nd(p, len, &a, &mac, frame, now, &n))
                td_nb_update(&nb, &n);
            break;
        }
        case 4: {
            td_dhcp_pkt d;
            td_ip s, x;
            if (td_dhcp_parse(p, len, &a, frame, now, &d)) {
                td_dhcp_update(&dhcp, &d, &s, &x);
                if (td_ip_is_set(&s)) {
                    td_nb_mark_dhcp(&nb, &s, &x, now);
                    td_ping_mark_dhcp(&ping, &s, &x, now);
                }
            }
            break;
        }
        case 5:
        case 6: {
            td_ping_pkt e;
            int64_t rtt;
            if (td_ping_parse(p, len, v6, &a, &b, frame, now, &e))
                td_ping_update(&ping, &e, &rtt);
            break;
        }
        case 7:
            if (len >= 4) {
                td_udp_icmp e = {frame, now, a, (fl & 16) != 0, p[0], p[1], b, a,
                                 (uint16_t)(p[2] << 8 | p[3]), (uint16_t)(p[2] | p[3] << 8)};
                td_udp_update(&udp, &e);
            }
            break;
        case 8:
            td_dns_note_connection(&dns, &a, now);
            td_nb_note_syn(&nb, &a);
            break;
        case 9:
            if (len >= 12) {
                td_zw_input z = {p[0] & 1, now, now - (int64_t)p[1] * 100000000LL,
                                 (uint32_t)p[2] << 24 | (uint32_t)p[3] << 16 | p[4],
                                 (uint32_t)p[5] << 8 | p[6], (p[7] & 1) != 0};
                size_t n = td_zw_sentence(td_zw_judge(&z), &z, buf, (size_t)p[8] % sizeof buf + 1);
                check_text(buf, (size_t)p[8] % sizeof buf + 1, n);
            }
            break;
        case 10:
        case 11:
            td_cl_icmp(cl, p, len, kind == 11, &a, &b, &mac, frame, now);
            break;
        case 12: {
            static const uint16_t ports[4] = {53, 67, 68, 5060};
            uint16_t sp = ports[(fl >> 4) & 3], dp = ports[(fl >> 6) & 3];
            td_cl_udp(cl, &a, &b, sp, dp, p, len, frame, now);
            break;
        }
        default:
            break;
        }
    }
    /* the aggregate's host lines */
    td_nb_prepare(&cl->nb, now, THR);
    for (unsigned v = 0; v < 8; v++) {
        td_ip h4 = addr(v, false), h6 = addr(v, true);
        size_t bl2 = (size % 97) + 1;
        check_text(buf, bl2, td_cl_host_line(cl, &h4, now, THR, buf, bl2));
        check_text(buf, sizeof buf, td_cl_host_line(cl, &h6, now, THR, buf, sizeof buf));
    }
    td_cl_free(cl);
    /* every verdict and sentence, with buffers of odd sizes too */
    size_t bl = size % sizeof buf + 1;
    for (uint32_t i = 0; i < td_dns_lookup_count(&dns); i++) {
        const td_dns_lookup *l = td_dns_lookup_at(&dns, i);
        if ((unsigned)td_dns_verdict_of(l, now, THR) >= TD_DNS_V_COUNT)
            abort();
        check_text(buf, bl, td_dns_describe(&dns, l, now, THR, buf, bl));
        check_text(buf, sizeof buf, td_dns_describe(&dns, l, now, THR, buf, sizeof buf));
        check_text(buf, bl, td_dns_conclusion(&dns, l, now, THR, buf, bl));
    }
    for (uint32_t i = 0; i < td_dns_server_count(&dns); i++)
        check_text(buf, bl, td_dns_server_conclusion(&dns, i, buf, bl));
    for (uint32_t i = 0; i < td_nb_addr_count(&nb); i++) {
        const td_nb_addr *x = td_nb_addr_at(&nb, i);
        if ((unsigned)td_nb_addr_verdict(&nb, x, now, THR) >= TD_NB_V_COUNT || x->n_macs > TD_NB_MACS_PER_ADDR)
            abort();
        check_text(buf, bl, td_nb_conclusion(&nb, x, now, THR, buf, bl));
    }
    for (uint32_t i = 0; i < td_ping_flow_count(&ping); i++) {
        const td_ping_flow *f = td_ping_flow_at(&ping, i);
        if ((unsigned)td_ping_flow_verdict(f, now, THR) >= TD_PING_V_COUNT)
            abort();
        check_text(buf, bl, td_ping_server_sentence(&ping, &f->target, 80, now, THR, buf, bl));
    }
    for (uint32_t i = 0; i < td_dhcp_txn_count(&dhcp); i++) {
        const td_dhcp_txn *t = td_dhcp_txn_at(&dhcp, i);
        if ((unsigned)td_dhcp_verdict_of(t, now) >= TD_DHCP_V_COUNT)
            abort();
        check_text(buf, bl, td_dhcp_conclusion(t, now, buf, bl));
        td_ip ll = td_ip4n(169, 254, 1, 2);
        check_text(buf, bl, td_dhcp_link_local_finding(&dhcp, &ll, &t->mac, now, buf, bl));
    }
    for (uint32_t i = 0; i < td_udp_flow_count(&udp); i++)
        check_text(buf, bl, td_udp_sentence(td_udp_flow_at(&udp, i), buf, bl));
    td_dns_free(&dns);
    td_nb_free(&nb);
    td_ping_free(&ping);
    td_dhcp_free(&dhcp);
    td_udp_free(&udp);
    return 0;
}
