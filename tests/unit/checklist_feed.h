/* checklist_feed.h — feeds a checklist capture to the core the way the
 * plugin glue is meant to (docs/design/checklist.md): each frame's ARP
 * payload, ICMP/ICMPv6 message or UDP payload through td_cl_arp /
 * td_cl_icmp / td_cl_udp (core/checklist.h), SYNs through td_cl_syn, the
 * zero-window rule from the TCP headers. Test code.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TCPDIAG_CHECKLIST_FEED_H
#define TCPDIAG_CHECKLIST_FEED_H

#include "checklist.h"
#include "pcap_frames.h"
#include "zero_window.h"

#define CF_MAX_STREAMS 32

typedef struct {
    td_ip c, s;
    uint16_t cp, sp;
    bool have_syn, have_synack;
    uint32_t isn_c;
    uint32_t client_end;      /* highest client seq + len */
    int64_t ts_synack;
    uint32_t synack_win;
    td_zw_kind zw;            /* the first zero window's finding */
    bool zw_seen, zw_open;  /* a zero window seen / still in force */
    td_zw_input zw_in;
    td_mac client_mac;
    uint32_t name_id;         /* td_cl_syn */
} cf_stream;

typedef struct {
    td_checklist *cl;
    cf_stream streams[CF_MAX_STREAMS];
    int nstreams;
    int64_t last_ts;
} cf_ctx;

static inline int cf_stream_of(cf_ctx *c, const pf_frame *f, int *from_client)
{
    for (int i = 0; i < c->nstreams; i++) {
        cf_stream *s = &c->streams[i];
        if (td_ip_eq(&s->c, &f->src) && td_ip_eq(&s->s, &f->dst) && s->cp == f->sport &&
            s->sp == f->dport) {
            *from_client = 1;
            return i;
        }
        if (td_ip_eq(&s->c, &f->dst) && td_ip_eq(&s->s, &f->src) && s->cp == f->dport &&
            s->sp == f->sport) {
            *from_client = 0;
            return i;
        }
    }
    if (c->nstreams == CF_MAX_STREAMS)
        return -1;
    cf_stream *s = &c->streams[c->nstreams];
    memset(s, 0, sizeof *s);
    s->c = f->src;
    s->s = f->dst;
    s->cp = f->sport;
    s->sp = f->dport;
    s->client_mac = f->eth_src;
    *from_client = 1;
    return c->nstreams++;
}

static inline void cf_tcp(cf_ctx *c, const pf_frame *f)
{
    int fc;
    int i = cf_stream_of(c, f, &fc);
    if (i < 0)
        return;
    cf_stream *s = &c->streams[i];
    uint8_t fl = f->tcp_flags;
    if (fc) {
        if ((fl & 0x12) == 0x02) {
            s->have_syn = true;
            s->isn_c = f->tcp_seq;
            s->client_end = f->tcp_seq + 1;
            s->name_id = td_cl_syn(c->cl, &f->dst, f->ts_ns);
        } else if ((int32_t)(f->tcp_seq + f->payload_len - s->client_end) > 0) {
            s->client_end = f->tcp_seq + f->payload_len;
        }
        /* a client segment while the window is zero (a zero-window probe,
         * RFC 9293 3.8.6.1): the client has data waiting */
        if (s->zw_open && !(fl & 0x05)) {
            s->zw_in.client_waiting = true;
            s->zw = td_zw_judge(&s->zw_in);
        }
        return;
    }
    if ((fl & 0x12) == 0x12) {
        s->have_synack = true;
        s->ts_synack = f->ts_ns;
        s->synack_win = f->tcp_win;
    }
    if (f->tcp_win != 0)
        s->zw_open = false;
    if (f->tcp_win == 0 && !(fl & 0x04) && !s->zw_seen && s->have_synack) {
        td_zw_input in = {(fl & 0x12) == 0x12, f->ts_ns, s->ts_synack,
                          (fl & 0x10) ? f->tcp_ack - s->isn_c - 1 : 0, s->synack_win,
                          (int32_t)(s->client_end - f->tcp_ack) > 0};
        s->zw_seen = true;
        s->zw_open = true;
        s->zw_in = in;
        s->zw = td_zw_judge(&in);
    }
}

static inline void cf_feed(cf_ctx *c, const char *name)
{
    pf_file pf;
    pf_frame f;
    memset(c, 0, sizeof *c);
    c->cl = td_cl_new();
    if (pf_open(&pf, name) != 0) {
        printf("cannot read %s\n", name);
        return;
    }
    while (pf_next(&pf, &f)) {
        c->last_ts = f.ts_ns;
        if (f.ethertype == 0x0806)
            td_cl_arp(c->cl, f.l3, f.l3_len, f.frame, f.ts_ns);
        else if (f.proto == 58 || f.proto == 1)
            td_cl_icmp(c->cl, f.l4, f.l4_len, f.proto == 58, &f.src, &f.dst, &f.eth_src, f.frame,
                       f.ts_ns);
        else if (f.proto == 17)
            td_cl_udp(c->cl, &f.src, &f.dst, f.sport, f.dport, f.payload, f.payload_len, f.frame,
                      f.ts_ns);
        else if (f.proto == 6)
            cf_tcp(c, &f);
    }
    pf_close(&pf);
}

static inline void cf_free(cf_ctx *c)
{
    td_cl_free(c->cl);
    c->cl = NULL;
}

/* Every capture of checklist/ (for the "no row, no verdict" checks). */
static const char *const CF_CAPTURES[] = {
    "arp-unanswered.pcap", "dead-gateway.pcap", "dhcp-dead-gateway.pcap", "dhcp-nak.pcap",
    "dhcp-no-offer.pcap", "dns-no-address.pcap", "dns-no-answer.pcap", "dns-nxdomain.pcap",
    "dns-pending.pcap",
    "dns-port-unreachable.pcap", "dns-refused.pcap", "dns-resolved-dead-host.pcap",
    "dns-server-down.pcap", "dns-servfail.pcap", "dns-tcp-fallback.pcap", "dns-truncated.pcap",
    "duplicate-ip.pcap", "duplicate-ipv6.pcap", "gratuitous-arp.pcap", "healthy.pcap",
    "nd-unanswered.pcap", "ping-port-filtered.pcap", "ping-unanswered.pcap", "ping6-answered.pcap",
    "udp-port-unreachable.pcap", "udp-prohibited.pcap", "zero-window-late.pcap",
    "zero-window.pcap"};
#define CF_NCAPTURES (sizeof CF_CAPTURES / sizeof CF_CAPTURES[0])

#endif
