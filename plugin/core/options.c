/* options.c — see options.h.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "options.h"
#include "tcp_wire.h"
#include "textbuf.h"

#include <stdio.h>
#include <string.h>


void td_opts_init(td_opts *o)
{
    memset(o, 0, sizeof *o);
    o->wscale_c = o->wscale_s = TD_NO_WSCALE;
}

void td_opts_from_syn(td_opts *o, const td_opt_pkt *p, uint32_t syn_payload)
{
    if (o->bits & TD_O_SYN)
        return; /* the first SYN sets what was offered */
    o->bits |= TD_O_SYN;
    o->mss_c = p->mss;
    o->wscale_c = p->wscale;
    if (p->sack_perm)
        o->bits |= TD_O_SACK_C;
    if (p->timestamps)
        o->bits |= TD_O_TS_C;
    /* An ECN-setup SYN has both ECE and CWR (RFC 3168 §6.1.1). */
    if ((p->flags & (TD_TH_ECE | TD_TH_CWR)) == (TD_TH_ECE | TD_TH_CWR))
        o->bits |= TD_O_ECN_C;
    o->tfo = p->tfo;
    if (syn_payload)
        o->tfo |= TD_TFO_DATA_SENT;
}

void td_opts_from_synack(td_opts *o, const td_opt_pkt *p, bool data_acked)
{
    if (o->bits & TD_O_SYNACK)
        return;
    o->bits |= TD_O_SYNACK;
    o->mss_s = p->mss;
    o->wscale_s = p->wscale;
    if (p->sack_perm)
        o->bits |= TD_O_SACK_S;
    if (p->timestamps)
        o->bits |= TD_O_TS_S;
    /* An ECN-setup SYN/ACK has ECE without CWR. */
    if ((p->flags & (TD_TH_ECE | TD_TH_CWR)) == TD_TH_ECE)
        o->bits |= TD_O_ECN_S;
    if (p->tfo == TD_TFO_COOKIE)
        o->tfo |= TD_TFO_COOKIE_GIVEN;
    if (data_acked)
        o->tfo |= TD_TFO_DATA_ACCEPTED;
}

uint16_t td_ethernet_mss(bool ipv6)
{
    /* 1500-byte MTU minus 20 (IPv4) or 40 (IPv6) and 20 (TCP) bytes. */
    return ipv6 ? 1440 : 1460;
}

uint16_t td_opts_lowest_mss(const td_opts *o)
{
    return o->mss_c && (!o->mss_s || o->mss_c < o->mss_s) ? o->mss_c : o->mss_s;
}

bool td_opts_wscale_negotiated(const td_opts *o)
{
    /* Scaling is in effect only if both SYNs carried the option (RFC 7323 §2.2). */
    return o->wscale_c != TD_NO_WSCALE && o->wscale_s != TD_NO_WSCALE;
}

uint32_t td_opts_max_window(const td_opts *o, bool of_server)
{
    if (!td_opts_wscale_negotiated(o))
        return 65535;
    uint8_t shift = of_server ? o->wscale_s : o->wscale_c;
    if (shift > 14)
        shift = 14; /* RFC 7323 §2.3: larger values are treated as 14 */
    return 65535u << shift;
}

uint32_t td_opts_findings(const td_opts *o, bool ipv6)
{
    uint32_t f = 0;
    if (o->bits & TD_O_SYNACK) {
        if (o->wscale_c != TD_NO_WSCALE && o->wscale_s == TD_NO_WSCALE)
            f |= TD_OF_WSCALE_DECLINED;
        if ((o->bits & TD_O_SACK_C) && !(o->bits & TD_O_SACK_S))
            f |= TD_OF_SACK_DECLINED;
        if ((o->bits & TD_O_TS_C) && !(o->bits & TD_O_TS_S))
            f |= TD_OF_TS_DECLINED;
        if ((o->bits & TD_O_ECN_C) && !(o->bits & TD_O_ECN_S))
            f |= TD_OF_ECN_DECLINED;
        if ((o->tfo & TD_TFO_DATA_SENT) && !(o->tfo & TD_TFO_DATA_ACCEPTED))
            f |= TD_OF_TFO_DATA_IGNORED;
    }
    uint16_t eth = td_ethernet_mss(ipv6);
    if (((o->bits & TD_O_SYN) && o->mss_c && o->mss_c < eth) ||
        ((o->bits & TD_O_SYNACK) && o->mss_s && o->mss_s < eth))
        f |= TD_OF_MSS_LOW;
    if (((o->bits & TD_O_SYN) && !o->mss_c) || ((o->bits & TD_O_SYNACK) && !o->mss_s))
        f |= TD_OF_MSS_MISSING;
    return f;
}

static void mss_text(td_textbuf *o, uint16_t mss, bool seen)
{
    if (!seen)
        td_text_put(o, "?");
    else if (mss)
        td_text_put(o, "%u", mss);
    else
        td_text_put(o, "none");
}

char *td_opts_summary(char *buf, size_t len, const td_opts *o)
{
    td_textbuf out;
    td_text_init(&out, buf, len);
    bool c = o->bits & TD_O_SYN, s = o->bits & TD_O_SYNACK;
    td_text_put(&out, "MSS ");
    mss_text(&out, o->mss_c, c);
    td_text_put(&out, "/");
    mss_text(&out, o->mss_s, s);
    if (td_opts_wscale_negotiated(o))
        td_text_put(&out, ", window scale %u/%u", o->wscale_c, o->wscale_s);
    else if (c && !s && o->wscale_c != TD_NO_WSCALE)
        td_text_put(&out, ", window scale %u/?", o->wscale_c); /* no SYN/ACK yet */
    else
        td_text_put(&out, ", no window scaling");
    if ((o->bits & TD_O_SACK_C) && (o->bits & TD_O_SACK_S))
        td_text_put(&out, ", SACK");
    if ((o->bits & TD_O_TS_C) && (o->bits & TD_O_TS_S))
        td_text_put(&out, ", timestamps");
    if ((o->bits & TD_O_ECN_C) && (o->bits & TD_O_ECN_S))
        td_text_put(&out, ", ECN");
    const char *tfo = td_tfo_text(o);
    if (tfo)
        td_text_put(&out, ", TFO %s", tfo);
    return buf;
}

const char *td_tfo_text(const td_opts *o)
{
    uint8_t t = o->tfo;
    if ((t & 0x0f) == TD_TFO_NONE && !(t & TD_TFO_DATA_SENT))
        return NULL;
    if (t & TD_TFO_DATA_SENT) {
        if (!(o->bits & TD_O_SYNACK))
            return "data in SYN";
        return (t & TD_TFO_DATA_ACCEPTED) ? "data in SYN accepted" : "data in SYN ignored";
    }
    if ((t & 0x0f) == TD_TFO_REQUEST)
        return (t & TD_TFO_COOKIE_GIVEN) ? "cookie requested and given" : "cookie requested";
    return "cookie sent";
}

char *td_opts_findings_text(char *buf, size_t len, const td_opts *o, bool ipv6)
{
    td_textbuf out;
    td_text_init(&out, buf, len);
    uint32_t f = td_opts_findings(o, ipv6);
    const char *sep = "";
    if (f & TD_OF_WSCALE_DECLINED) {
        td_text_put(&out, "%sserver declined window scaling: the window is capped at 64 KiB, "
                  "throughput limited on long or fast paths", sep);
        sep = "; ";
    }
    if (f & TD_OF_SACK_DECLINED) {
        td_text_put(&out, "%sserver declined SACK: each loss costs more retransmissions", sep);
        sep = "; ";
    }
    if (f & TD_OF_TS_DECLINED) {
        td_text_put(&out, "%sserver declined timestamps: coarser RTT estimates, no PAWS", sep);
        sep = "; ";
    }
    if (f & TD_OF_ECN_DECLINED) {
        td_text_put(&out, "%sserver declined ECN", sep);
        sep = "; ";
    }
    if (f & TD_OF_MSS_LOW) {
        uint16_t low = td_opts_lowest_mss(o);
        td_text_put(&out, "%sMSS %u below Ethernet's %u: a tunnel, VPN, PPPoE or MSS clamping on the "
                  "path; large transfers may stall where PMTUD is blocked",
            sep, low, td_ethernet_mss(ipv6));
        sep = "; ";
    }
    if (f & TD_OF_MSS_MISSING) {
        td_text_put(&out, "%sa SYN without MSS option: the peer must assume %u bytes", sep,
            ipv6 ? 1220 : 536);
        sep = "; ";
    }
    if (f & TD_OF_TFO_DATA_IGNORED) {
        td_text_put(&out, "%sTCP Fast Open data in the SYN was not accepted: sent again after the "
                  "handshake (cookie invalid or TFO off on the server)", sep);
    }
    return buf;
}
