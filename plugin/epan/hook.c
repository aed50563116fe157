/* hook.c — reads each TCP header (and the ICMP error around a quoted one)
 * as the IP layer hands it over, so the post-dissector needs no protocol
 * tree: tcpdiag declares no wanted fields and a bare `tshark -r` or
 * `-q -z ...` run stays tree-less.
 *
 * The "ip.proto" entries for TCP, ICMP and ICMPv6 are replaced by
 * observers that parse the header into a per-packet record and then call
 * the dissector that was registered before (so Decode As and other
 * plugins' choices still apply). The observers are registered as
 * protocols "in name only" under TCP / ICMP: they add no layer
 * (frame.protocols is unchanged) and follow their parent's enabled state.
 * IP hands the ws_ip4 / ws_ip6 header it parsed as the data pointer.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "hook.h"

#include <epan/dissectors/packet-ip.h>

#include "compat.h"
#include "td_limits.h"
#include "tcp_wire.h"

enum { H_TCP, H_ICMP, H_ICMP6, H_COUNT };
static const struct {
    guint ip_proto;
    const char *parent;
} hooked[H_COUNT] = { { 6, "tcp" }, { 1, "icmp" }, { 58, "icmpv6" } };
static dissector_handle_t next_handle[H_COUNT];
static dissector_handle_t our_handle[H_COUNT];
static int proto_hook[H_COUNT] = { -1, -1, -1 };
static gboolean installed;
static gboolean active;      /* for the current file: td_hook_activate() */
static gboolean icmp_evidence; /* record ICMP messages for the checklist even when not active */

/* The record of the packet being dissected. One static record, not
 * per-packet proto data: p_add_proto_data and its allocation cost ~300
 * instructions a packet (callgrind, tests/bench/README.md). It belongs to
 * frame rec_frame (0: none); the first observer called in another frame
 * starts it afresh, and the post-dissector's td_hook_get() takes it, so a
 * later dissection of the same frame (the GUI) starts afresh too. A
 * dissection that ends before the post-dissector (an exception Wireshark
 * does not catch per packet) leaves a record no other frame can read. */
static td_hook_pkt rec;
static uint32_t rec_frame;
static uint8_t rec_reporter[TD_ADDR_MAX]; /* rec.reporter's bytes */
static uint8_t rec_icmp_dst[TD_ADDR_MAX];  /* rec.icmp_dst's bytes */

static td_hook_pkt *record_of(packet_info *pinfo)
{
    if (rec_frame != pinfo->num) {
        memset(&rec, 0, sizeof rec);
        rec_frame = pinfo->num;
    }
    return &rec;
}

/* The enclosing IP header's addresses and TTL / hop limit. A segment's
 * addresses are pinfo's, the ones TCP keys its conversation on (the final
 * destination of an IPv6 routing header, not its next hop); a quoted
 * segment's are its quoted header's, which IP hands over as data. */
static gboolean ip_of(void *data, packet_info *pinfo, td_hook_pkt *h)
{
    const address *src = NULL, *dst = NULL;
    const ws_ip4 *ip4 = WS_IP4_PTR(data);
    const ws_ip6 *ip6 = WS_IP6_PTR(data);
    h->has_ttl = ip4 || ip6;
    h->ttl = ip4 ? ip4->ip_ttl : ip6 ? ip6->ip6_hop : 0;
    if (!pinfo->flags.in_error_pkt) {
        src = &pinfo->src;
        dst = &pinfo->dst;
    } else if (ip4) {
        src = &ip4->ip_src;
        dst = &ip4->ip_dst;
    } else if (ip6) {
        src = &ip6->ip6_src;
        dst = &ip6->ip6_dst;
    }
    if (!src || src->type != dst->type || src->len != dst->len ||
        (src->type != AT_IPv4 && src->type != AT_IPv6))
        return FALSE;
    /* The ports are filled in by the caller. */
    return td_tuple_set(&h->tuple, src->data, dst->data, src->len, 0, 0);
}

static inline uint16_t be16(const uint8_t *b)
{
    return (uint16_t)(b[0] << 8 | b[1]);
}

static inline uint32_t be32(const uint8_t *b)
{
    return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

/* Options: timestamps on every segment, the negotiated ones on SYNs. b is
 * the header's first end bytes. */
static void parse_options(const uint8_t *b, int off, int end, td_hook_pkt *h)
{
    while (off < end) {
        uint8_t kind = b[off];
        if (kind == TD_TCPOPT_EOL)
            break;
        if (kind == TD_TCPOPT_NOP) {
            off++;
            continue;
        }
        if (off + 1 >= end)
            break;
        uint8_t len = b[off + 1];
        if (len < 2 || off + len > end)
            break;
        switch (kind) {
        case TD_TCPOPT_MSS:
            if (len == TD_TCPOPT_MSS_LEN)
                h->opts.mss = be16(b + off + 2);
            break;
        case TD_TCPOPT_WSCALE:
            if (len == TD_TCPOPT_WSCALE_LEN)
                h->opts.wscale = b[off + 2];
            break;
        case TD_TCPOPT_SACK_PERM:
            h->opts.sack_perm = true;
            break;
        case TD_TCPOPT_TIMESTAMP:
            if (len == TD_TCPOPT_TIMESTAMP_LEN) {
                h->pkt.tsval = be32(b + off + 2);
                h->pkt.tsecr = be32(b + off + 6);
                h->pkt.has_tsopt = 1;
            }
            break;
        case TD_TCPOPT_TFO:
            h->opts.tfo = len == TD_TCPOPT_TFO_REQUEST_LEN ? TD_TFO_REQUEST : TD_TFO_COOKIE;
            break;
        case TD_TCPOPT_EXP: /* experimental TFO, before kind 34 was assigned */
            if (len >= TD_TCPOPT_EXP_TFO_REQUEST_LEN &&
                be16(b + off + 2) == TD_TCPOPT_EXP_TFO_MAGIC)
                h->opts.tfo = len == TD_TCPOPT_EXP_TFO_REQUEST_LEN ? TD_TFO_REQUEST : TD_TFO_COOKIE;
            break;
        default:
            break;
        }
        off += len;
    }
}

static int hook_tcp(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data)
{
    /* Only the first pass reads packets (later ones render stored state). */
    if (active && !PINFO_FD_VISITED(pinfo)) {
        td_hook_pkt *h = record_of(pinfo);
        /* The innermost segment wins (tunnels, ICMP quotes), as with fields. */
        int icmp_version = h->icmp_version;
        h->have_tcp = FALSE;
        h->has_window = FALSE;
        memset(&h->pkt, 0, sizeof h->pkt);
        memset(&h->opts, 0, sizeof h->opts);
        h->opts.wscale = TD_NO_WSCALE;
        guint cap = tvb_captured_length(tvb);
        if (cap >= 4 && ip_of(data, pinfo, h) && (!icmp_version || pinfo->flags.in_error_pkt)) {
            /* One look at the header's bytes instead of a tvb accessor per
             * field (~250 instructions a packet). */
            const uint8_t *b = tvb_get_ptr(tvb, 0, (gint)MIN(cap, TD_TCP_MAX_HEADER));
            h->tuple.port[0] = be16(b);
            h->tuple.port[1] = be16(b + 2);
            h->have_tcp = TRUE;
            if (cap >= 8)
                h->pkt.seq = be32(b + 4), h->has_seq = TRUE;
            else
                h->has_seq = FALSE;
            guint hlen = cap >= 14 ? (guint)(b[12] >> 4) * 4 : 0;
            /* A data offset below 5 words is no TCP header (RFC 9293 3.1):
             * a stack drops it and Wireshark stops before the flags. A
             * segment (not an ICMP quote) with fewer than the 20 bytes of a
             * whole header captured is not judged either: Wireshark 4.0 and
             * 4.4 give it no conversation and no tcp.stream, 4.6 does, and
             * the verdicts must not depend on the version. */
            if (cap >= 14 && hlen >= TD_TCP_MIN_HEADER &&
                (cap >= TD_TCP_MIN_HEADER || pinfo->flags.in_error_pkt)) {
                h->pkt.ack = be32(b + 8);
                h->pkt.flags = b[13];
                h->pkt.flags_known = 1;
                guint rep = tvb_reported_length(tvb);
                h->pkt.payload_len = rep > hlen ? rep - hlen : 0;
                h->has_window = cap >= 16 && !pinfo->flags.in_error_pkt;
                h->window = h->has_window ? tvb_get_ntohs(tvb, 14) : 0;
                if (hlen > TD_TCP_MIN_HEADER && !pinfo->flags.in_error_pkt)
                    parse_options(b, TD_TCP_MIN_HEADER, (int)MIN(hlen, cap), h);
            }
        }
    }
    return call_dissector_only(next_handle[H_TCP], tvb, pinfo, tree, data);
}

/* An address IP set (IPv4 or IPv6) into the static record: to points at
 * bytes, which hold TD_ADDR_MAX. Anything longer is left empty. */
static void copy_ip(address *to, uint8_t *bytes, const address *from)
{
    if (from->len > 0 && from->len <= TD_ADDR_MAX) {
        memcpy(bytes, from->data, (size_t)from->len);
        set_address(to, from->type, from->len, bytes);
    } else {
        clear_address(to);
    }
}

static int hook_icmp(int which, tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data)
{
    /* On the first pass only, like TCP: the evidence is read once. */
    if ((active || icmp_evidence) && !PINFO_FD_VISITED(pinfo) && !pinfo->flags.in_error_pkt &&
        tvb_captured_length(tvb) >= 2) {
        td_hook_pkt *h = record_of(pinfo);
        if (!h->icmp_version) { /* only the outermost ICMP counts */
            h->icmp_version = which == H_ICMP ? 4 : 6;
            h->icmp_type = td_tvb_u8(tvb, 0);
            h->icmp_code = td_tvb_u8(tvb, 1);
            copy_ip(&h->reporter, rec_reporter, &pinfo->src);
            copy_ip(&h->icmp_dst, rec_icmp_dst, &pinfo->dst);
            /* The whole message for the checklist evidence (echo, ND,
             * errors quoting UDP): read by the post-dissector of this
             * same packet, while the tvb is alive. */
            h->icmp_len = tvb_captured_length(tvb);
            h->icmp_msg = tvb_get_ptr(tvb, 0, h->icmp_len);
        }
    }
    return call_dissector_only(next_handle[which], tvb, pinfo, tree, data);
}

static int hook_icmp4(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data)
{
    return hook_icmp(H_ICMP, tvb, pinfo, tree, data);
}

static int hook_icmp6(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data)
{
    return hook_icmp(H_ICMP6, tvb, pinfo, tree, data);
}

void td_hook_register(int proto _U_)
{
    static const char *const names[H_COUNT] = { "TCP (seen by tcpdiag)", "ICMP (seen by tcpdiag)",
                                                "ICMPv6 (seen by tcpdiag)" };
    static const char *const filters[H_COUNT] = { "tcpdiag_tcp", "tcpdiag_icmp",
                                                  "tcpdiag_icmpv6" };
    for (int i = 0; i < H_COUNT; i++) {
        int parent = proto_get_id_by_filter_name(hooked[i].parent);
        if (parent > 0)
            proto_hook[i] = proto_register_protocol_in_name_only(names[i], names[i], filters[i],
                                                                 parent, FT_PROTOCOL);
    }
}

gboolean td_hook_handoff(void)
{
    static dissector_t const fns[H_COUNT] = { hook_tcp, hook_icmp4, hook_icmp6 };
    dissector_table_t t = find_dissector_table("ip.proto");
    if (!t)
        return FALSE;
    for (int i = 0; i < H_COUNT; i++) {
        next_handle[i] = dissector_get_uint_handle(t, hooked[i].ip_proto);
        if (!next_handle[i] || proto_hook[i] <= 0)
            return FALSE;
    }
    for (int i = 0; i < H_COUNT; i++) {
        our_handle[i] = create_dissector_handle(fns[i], proto_hook[i]);
        dissector_add_uint("ip.proto", hooked[i].ip_proto, our_handle[i]);
    }
    installed = TRUE;
    return TRUE;
}

static gboolean still_installed(void)
{
    if (!installed)
        return FALSE;
    /* Decode As (or another plugin) may have put another dissector in
     * front of TCP or ICMP since: then the observers see nothing, and the
     * caller must read Wireshark's fields instead. */
    dissector_table_t t = find_dissector_table("ip.proto");
    for (int i = 0; i < H_COUNT; i++)
        if (!t || dissector_get_uint_handle(t, hooked[i].ip_proto) != our_handle[i])
            return FALSE;
    return TRUE;
}

gboolean td_hook_activate(gboolean wanted, gboolean icmp_for_evidence)
{
    gboolean ok = still_installed();
    active = wanted && ok;
    icmp_evidence = icmp_for_evidence && ok;
    rec_frame = 0;
    return active;
}

gboolean td_hook_active(void)
{
    return active;
}

const td_hook_pkt *td_hook_take(packet_info *pinfo)
{
    if (rec_frame != pinfo->num)
        return NULL;
    rec_frame = 0; /* taken: see rec */
    return &rec;
}
