/* evidence_hook.c — the DNS, DHCP and ARP payloads the checklist evidence
 * reads, seen without a protocol tree (docs/design/checklist.md, "How the
 * glue should read each protocol").
 *
 * As hook.c does for TCP and ICMP, the dissector-table entries of DNS
 * (udp.port 53, tcp.port 53), DHCP (udp.port 67, 68) and ARP (ethertype
 * 0x0806) are replaced by observers that note where the payload is and
 * then call the dissector that was registered before. Asking for
 * Wireshark's dns.* / arp.* fields instead would make tshark build a tree
 * for every packet (a post-dissector's wanted fields), the cost hook.c
 * removed. No other UDP port, no other ethertype and no TCP segment off
 * port 53 reaches these functions.
 *
 * Nothing is parsed here: the post-dissector of the same packet hands the
 * bytes to the pure-C readers of core/ on the first pass (evidence_table.c).
 * Datagrams quoted inside ICMP errors (pinfo->flags.in_error_pkt) are no
 * messages of the capture and are skipped: the ICMP's own reader handles
 * the quote (td_cl_icmp).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "evidence_hook.h"

#include <epan/proto_data.h>
#include <epan/dissectors/packet-tcp.h>

enum { E_DNS_UDP, E_DHCP_SERVER, E_DHCP_CLIENT, E_DNS_TCP, E_ARP, E_COUNT };
static const struct {
    const char *table;
    guint key;
    const char *parent; /* the protocol whose entry it is */
    td_seen_kind kind;
} entries[E_COUNT] = {
    { "udp.port", 53, "dns", TD_SEEN_UDP },
    { "udp.port", 67, "dhcp", TD_SEEN_UDP },
    { "udp.port", 68, "dhcp", TD_SEEN_UDP },
    { "tcp.port", 53, "dns", TD_SEEN_DNS_TCP },
    { "ethertype", 0x0806, "arp", TD_SEEN_ARP },
};
static dissector_handle_t next_handle[E_COUNT];
static dissector_handle_t our_handle[E_COUNT];
static int proto_dns_seen = -1, proto_dhcp_seen = -1, proto_arp_seen = -1;
static gboolean active;
static int proto_owner = -1;
static guint32 last_frame; /* the frame something was noted in: one compare per packet */

static void note(int which, tvbuff_t *tvb, packet_info *pinfo, void *data)
{
    if (!active || pinfo->flags.in_error_pkt)
        return;
    guint len = tvb_captured_length(tvb);
    if (len == 0)
        return;
    td_seen *s = (td_seen *)p_get_proto_data(pinfo->pool, pinfo, proto_owner, TD_KEY_SEEN);
    if (!s) {
        s = wmem_new0(pinfo->pool, td_seen);
        p_add_proto_data(pinfo->pool, pinfo, proto_owner, TD_KEY_SEEN, s);
    }
    if (s->n == TD_SEEN_PER_FRAME)
        return;
    last_frame = pinfo->num;
    td_seen_item *it = &s->item[s->n++];
    it->kind = (uint8_t)entries[which].kind;
    it->data = tvb_get_ptr(tvb, 0, len);
    it->len = len;
    if (it->kind != TD_SEEN_ARP) {
        copy_address_wmem(pinfo->pool, &it->src, &pinfo->src);
        copy_address_wmem(pinfo->pool, &it->dst, &pinfo->dst);
        it->sport = (guint16)pinfo->srcport;
        it->dport = (guint16)pinfo->destport;
    }
    /* TCP hands its subdissectors the segment's sequence numbers: DNS
     * messages split across segments are put together by evidence_table.c
     * (the DNS dissector behind us reassembles for itself, out of our
     * sight). */
    if (it->kind == TD_SEEN_DNS_TCP && data) {
        const struct tcpinfo *ti = (const struct tcpinfo *)data;
        it->has_seq = !ti->is_reassembled;
        it->seq = ti->seq;
        it->nxtseq = ti->nxtseq;
    }
}

static int observe(int which, tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data)
{
    note(which, tvb, pinfo, data);
    /* TCP offers desegmentation to the dissector right above it only:
     * every call_dissector_work() (epan/packet.c) decrements
     * pinfo->can_desegment, so our extra layer would leave DNS none, and a
     * DNS message split across segments would be dissected in pieces
     * (frame 8 of dns-tcp-fallback.pcap: "Unreassembled Packet"). As
     * proxying dissectors (SOCKS) do, hand on the level TCP gave us, which
     * packet.c keeps in saved_can_desegment. */
    if (which == E_DNS_TCP)
        pinfo->can_desegment = pinfo->saved_can_desegment;
    return call_dissector_only(next_handle[which], tvb, pinfo, tree, data);
}

static int observe_dns_udp(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data)
{
    return observe(E_DNS_UDP, tvb, pinfo, tree, data);
}
/* One handle for both DHCP ports (Wireshark wants one name per handle in
 * a table); the port the table matched tells which entry called. */
static int observe_dhcp(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data)
{
    return observe(pinfo->match_uint == 68 ? E_DHCP_CLIENT : E_DHCP_SERVER, tvb, pinfo, tree,
                   data);
}
static int observe_dns_tcp(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data)
{
    return observe(E_DNS_TCP, tvb, pinfo, tree, data);
}
static int observe_arp(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data)
{
    return observe(E_ARP, tvb, pinfo, tree, data);
}

static int seen_proto(const char *parent, const char *name, const char *filter)
{
    int p = proto_get_id_by_filter_name(parent);
    /* In name only under the observed protocol: no layer in
     * frame.protocols, and enabled exactly when it is. */
    return p > 0 ? proto_register_protocol_in_name_only(name, name, filter, p, FT_PROTOCOL) : -1;
}

void td_evidence_hook_register(int proto)
{
    proto_owner = proto;
    proto_dns_seen = seen_proto("dns", "DNS (seen by tcpdiag)", "tcpdiag_dns");
    proto_dhcp_seen = seen_proto("dhcp", "DHCP (seen by tcpdiag)", "tcpdiag_dhcp");
    proto_arp_seen = seen_proto("arp", "ARP (seen by tcpdiag)", "tcpdiag_arp");
}

void td_evidence_hook_handoff(void)
{
    static dissector_t const fns[E_COUNT] = { observe_dns_udp, observe_dhcp, observe_dhcp,
                                              observe_dns_tcp, observe_arp };
    const int protos[E_COUNT] = { proto_dns_seen, proto_dhcp_seen, proto_dhcp_seen,
                                  proto_dns_seen, proto_arp_seen };
    for (int i = 0; i < E_COUNT; i++) {
        dissector_table_t t = find_dissector_table(entries[i].table);
        next_handle[i] = t ? dissector_get_uint_handle(t, entries[i].key) : NULL;
        /* An entry nobody registered (a protocol built without it): that
         * evidence is absent. */
        if (!next_handle[i] || protos[i] <= 0)
            continue;
        our_handle[i] = i == E_DHCP_CLIENT && our_handle[E_DHCP_SERVER]
                            ? our_handle[E_DHCP_SERVER]
                            : create_dissector_handle(fns[i], protos[i]);
        dissector_add_uint(entries[i].table, entries[i].key, our_handle[i]);
    }
}

gboolean td_evidence_hook_activate(gboolean wanted)
{
    gboolean any = FALSE;
    for (int i = 0; wanted && i < E_COUNT; i++) {
        dissector_table_t t = find_dissector_table(entries[i].table);
        /* Decode As, a changed port preference or another plugin may have
         * put another dissector there since: that entry sees nothing. */
        if (our_handle[i] && t && dissector_get_uint_handle(t, entries[i].key) == our_handle[i])
            any = TRUE;
    }
    active = any;
    return active;
}

const td_seen *td_evidence_hook_get(packet_info *pinfo)
{
    if (!active || last_frame != pinfo->num)
        return NULL;
    return (const td_seen *)p_get_proto_data(pinfo->pool, pinfo, proto_owner, TD_KEY_SEEN);
}
