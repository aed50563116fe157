/* render_evidence.c — the checklist evidence on the packets that carry it
 * (DNS queries and responses, ARP / neighbour discovery, echo requests and
 * replies, DHCP, ICMP errors quoting UDP): fields, expert items and the
 * text the profile's columns show, drawn from stored state on every pass
 * (docs/design/checklist.md, "Fields").
 *
 * Verdicts are judged at "now" = the latest capture time known, with the
 * same threshold as an unanswered SYN (tcpdiag.no_response_threshold): a
 * single pass shows `pending` where -2 and the GUI show `no-answer`, as for
 * connections. `unseen`, `pending`, `probe` and `dhcp-probe` raise nothing.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "render_evidence.h"

#include <epan/expert.h>
#include <epan/tap.h>

#include <string.h>

#include "compat.h"
#include "conn_table.h"
#include "dns_wire.h"
#include "td_limits.h"

static int ett_evidence = -1;
static int hf_evidence = -1;
static int hf_dns_name = -1, hf_dns_type = -1, hf_dns_verdict = -1, hf_dns_server = -1;
static int hf_dns_tries = -1, hf_dns_rtt = -1, hf_dns_answer = -1;
static int hf_frame_dns_query = -1, hf_frame_dns_response = -1;
static int hf_arp_verdict = -1, hf_arp_duplicate = -1, hf_arp_requests = -1;
static int hf_ping_verdict = -1, hf_ping_rtt = -1;
static int hf_dhcp_verdict = -1, hf_dhcp_address = -1, hf_dhcp_server = -1;
static int hf_udp_verdict = -1;
static int hf_server_name = -1, hf_zero_window = -1, hf_link_local = -1;

static expert_field ei_dns_failed = EI_INIT, ei_dns_failed_note = EI_INIT;
static expert_field ei_dns_server_silent = EI_INIT;
static expert_field ei_arp_unanswered = EI_INIT, ei_arp_duplicate = EI_INIT;
static expert_field ei_arp_sweep = EI_INIT, ei_ping_unanswered = EI_INIT;
static expert_field ei_dhcp_failed = EI_INIT, ei_udp_unreachable = EI_INIT;
static expert_field ei_zero_window = EI_INIT;

typedef struct {
    const td_checklist *cl;
    int64_t now, threshold;
    tvbuff_t *tvb;
    packet_info *pinfo;
    proto_tree *tree;   /* the tcpdiag subtree, or NULL (no tree) */
    proto_item *ti;     /* its item, for expert items (may be NULL) */
    gboolean experts;   /* someone collects expert items */
    char text[TD_TEXT_MAX]; /* the sentence of tcpdiag.evidence */
} ctx_t;

static void add_str(ctx_t *c, int hf, const char *s)
{
    if (c->tree)
        proto_item_set_generated(proto_tree_add_string(c->tree, hf, c->tvb, 0, 0, s));
}

static void add_ip(ctx_t *c, int hf, const td_ip *ip)
{
    char b[TD_IP_STRLEN];
    if (c->tree && td_ip_is_set(ip)) {
        td_ip_format(ip, b, sizeof b);
        add_str(c, hf, b);
    }
}

static void add_u32(ctx_t *c, int hf, uint32_t v)
{
    if (c->tree)
        proto_item_set_generated(proto_tree_add_uint(c->tree, hf, c->tvb, 0, 0, v));
}

static void add_rtt(ctx_t *c, int hf, int64_t ns)
{
    if (!c->tree || ns < 0)
        return;
    nstime_t d;
    d.secs = (time_t)(ns / 1000000000);
    d.nsecs = (int)(ns % 1000000000);
    proto_item_set_generated(proto_tree_add_time(c->tree, hf, c->tvb, 0, 0, &d));
}

static void add_text(ctx_t *c)
{
    if (c->tree && c->text[0])
        add_str(c, hf_evidence, c->text);
}

static void expert(ctx_t *c, expert_field *ei, const char *text)
{
    if (c->experts)
        expert_add_info_format(c->pinfo, c->ti, ei, "%s", text);
}

/* ---- DNS ------------------------------------------------------------------ */

/* Lookups of addresses (A, AAAA, ANY, HTTPS/SVCB that carry hints) are what
 * connections wait for; a failed PTR or TXT lookup is worth a note only
 * (resolvers ask PTR for private ranges all the time). */
static gboolean is_address_qtype(uint16_t t)
{
    return t == 1 || t == 28 || t == 255 || t == 64 || t == 65;
}

static void render_dns(ctx_t *c, uint32_t index, gboolean quoted)
{
    const td_dns_state *st = &c->cl->dns;
    const td_dns_lookup *l = td_dns_lookup_at(st, index);
    if (!l)
        return;
    uint32_t num = c->pinfo->num;
    td_dns_verdict v = td_dns_verdict_of(l, c->now, c->threshold);
    char tn[16];
    td_dns_describe(st, l, c->now, c->threshold, c->text, sizeof c->text);
    add_text(c);
    add_str(c, hf_dns_name, td_dns_name_of(st, l->name_id));
    add_str(c, hf_dns_type, td_dns_type_name(l->qtype, tn, sizeof tn));
    add_str(c, hf_dns_verdict, td_dns_verdict_name(v));
    add_ip(c, hf_dns_server, &l->server);
    add_u32(c, hf_dns_tries, l->tries);
    gboolean deciding = l->frame_response == num && !quoted;
    if (deciding) {
        add_rtt(c, hf_dns_rtt, l->rtt_ns);
        if (v == TD_DNS_V_RESOLVED && l->n_addrs) {
            char a[TD_IP_STRLEN + 96];
            td_ip_format(&l->first_addr, a, sizeof a);
            size_t o = strlen(a);
            if (l->n_addrs > 1)
                g_snprintf(a + o, (gulong)(sizeof a - o), " (+%u)", l->n_addrs - 1);
            o = strlen(a);
            if (l->final_id != l->name_id && l->final_id != TD_DNS_NONE)
                g_snprintf(a + o, (gulong)(sizeof a - o), " via CNAME %s",
                           td_dns_name_of(st, l->final_id));
            add_str(c, hf_dns_answer, a);
        }
    }
    if (c->tree && l->frame_first && l->frame_first != num)
        proto_item_set_generated(
            proto_tree_add_uint(c->tree, hf_frame_dns_query, c->tvb, 0, 0, l->frame_first));
    if (c->tree && l->frame_response && l->frame_response != num)
        proto_item_set_generated(proto_tree_add_uint(c->tree, hf_frame_dns_response, c->tvb, 0,
                                                     0, l->frame_response));
    /* Once per lookup: on the response that decided it, else on its last
     * query (a lookup nobody answered). */
    /* A lookup without an answer is judged once the capture is read: in
     * one pass a retry to another server is "no answer" for an instant,
     * and the answer is on its way (dns-server-down.pcap). */
    gboolean final = v != TD_DNS_V_NO_ANSWER || PINFO_FD_VISITED(c->pinfo);
    if (td_dns_verdict_is_failure(v) && !quoted && final &&
        num == (l->frame_response ? l->frame_response : l->frame_last_query))
        /* a malformed response is no warning: Wireshark's own expert item
         * on it says more */
        expert(c, is_address_qtype(l->qtype) && !(l->flags & TD_DNS_L_MALFORMED) ? &ei_dns_failed
                                                                                  : &ei_dns_failed_note,
               c->text);
    /* A server that answered nothing while another answered: once, on the
     * first query to it (needs the whole capture). */
    if (PINFO_FD_VISITED(c->pinfo) && !quoted && num == l->frame_first) {
        for (uint32_t i = 0; i < td_dns_server_count(st); i++) {
            const td_dns_server *s = td_dns_server_at(st, i);
            uint32_t other;
            if (s->frame_first == num && td_dns_server_silent(st, i, &other)) {
                char t[TD_TEXT_MAX];
                td_dns_server_conclusion(st, i, t, sizeof t);
                expert(c, &ei_dns_server_silent, t);
            }
        }
    }
}

/* ---- ARP / ND ------------------------------------------------------------- */

static void render_neighbor(ctx_t *c, const td_cl_frame *f)
{
    const td_nb_state *st = &c->cl->nb;
    uint32_t num = c->pinfo->num;
    const td_nb_episode *e = f->index != TD_NB_NONE ? td_nb_episode_at(st, f->index) : NULL;
    const td_nb_addr *claimer = f->addr != TD_NB_NONE ? td_nb_addr_at(st, f->addr) : NULL;
    c->text[0] = '\0';
    if (e) {
        const td_nb_addr *target = td_nb_addr_at(st, e->addr);
        td_nb_verdict v = td_nb_episode_verdict(st, e, c->now, c->threshold);
        char ip[TD_IP_STRLEN], rq[TD_IP_STRLEN];
        gboolean sweep = v == TD_NB_V_UNANSWERED &&
                         td_nb_is_sweep(st, &e->requester, c->now, c->threshold);
        if (target)
            td_ip_format(&target->addr, ip, sizeof ip);
        else
            g_strlcpy(ip, "?", sizeof ip);
        td_ip_format(&e->requester, rq, sizeof rq);
        const char *proto = target && target->addr.family == 6 ? "ND" : "ARP";
        switch (v) {
        case TD_NB_V_ANSWERED:
            g_snprintf(c->text, sizeof c->text, "%s for %s from %s answered", proto, ip, rq);
            break;
        case TD_NB_V_UNANSWERED:
            if (target && !sweep &&
                td_nb_conclusion(st, target, c->now, c->threshold, c->text, sizeof c->text))
                break;
            g_snprintf(c->text, sizeof c->text, "%s for %s from %s: no reply to %u request%s%s",
                       proto, ip, rq, e->requests, e->requests == 1 ? "" : "s",
                       sweep ? " (the requester sweeps the link: not judged per address)" : "");
            break;
        case TD_NB_V_PENDING:
            g_snprintf(c->text, sizeof c->text, "%s for %s from %s: capture ended before a reply "
                       "could come", proto, ip, rq);
            break;
        case TD_NB_V_DHCP_PROBE:
            g_snprintf(c->text, sizeof c->text, "%s for %s from %s: the DHCP server checks that "
                       "the address it offers is free (no reply is the good outcome)", proto, ip,
                       rq);
            break;
        case TD_NB_V_PROBE:
            g_snprintf(c->text, sizeof c->text, "%s probe for %s (RFC 5227 / RFC 4862 duplicate "
                       "address detection): no reply is the good outcome", proto, ip);
            break;
        case TD_NB_V_UNSEEN:
            g_snprintf(c->text, sizeof c->text, "%s for %s from %s: a single request whose reply "
                       "this capture point cannot see (unicast to the requester): not judged",
                       proto, ip, rq);
            break;
        default:
            break;
        }
        add_text(c);
        add_str(c, hf_arp_verdict, td_nb_verdict_name(sweep ? TD_NB_V_UNSEEN : v));
        add_u32(c, hf_arp_requests, e->requests);
        if (v == TD_NB_V_UNANSWERED && num == e->frame_last) {
            if (!sweep) {
                /* once the capture is read: a DHCP server's in-use check
                 * is known as such only from its OFFER, seconds later */
                if (PINFO_FD_VISITED(c->pinfo))
                    expert(c, &ei_arp_unanswered, c->text);
            } else if (td_evidence_sweep_note_frame(&e->requester) == num) {
                /* once per requester, at the end of its first vain burst */
                char t[TD_TEXT_MAX];
                g_snprintf(t, sizeof t, "%s asks for addresses nobody answers for (%u of them): "
                           "a scan, a router refreshing its table or a DHCP server checking its "
                           "pool; not judged per address", rq,
                           td_nb_unanswered_targets(st, &e->requester, c->now, c->threshold));
                expert(c, &ei_arp_sweep, t);
            }
        }
    }
    if (!e && claimer && !td_nb_is_duplicate(claimer)) {
        /* an announcement (gratuitous ARP, unsolicited NA): the address's
         * standing over the capture */
        char ip[TD_IP_STRLEN];
        td_ip_format(&claimer->addr, ip, sizeof ip);
        td_nb_verdict av = td_nb_addr_verdict(st, claimer, c->now, c->threshold);
        g_snprintf(c->text, sizeof c->text, "%s announces its address %s (%u announcement%s); "
                   "no other host claims it", claimer->addr.family == 6 ? "ND" : "ARP", ip,
                   claimer->announcements, claimer->announcements == 1 ? "" : "s");
        add_text(c);
        add_str(c, hf_arp_verdict, td_nb_verdict_name(av));
    }
    if (claimer && td_nb_is_duplicate(claimer)) {
        char d[TD_TEXT_MAX], ip[TD_IP_STRLEN], m[TD_MAC_STRLEN];
        td_ip_format(&claimer->addr, ip, sizeof ip);
        size_t o = (size_t)g_snprintf(d, sizeof d, "%s claimed by", ip);
        for (unsigned i = 0; i < claimer->n_macs && o < sizeof d; i++) {
            td_mac_format(&claimer->macs[i], m, sizeof m);
            o += (size_t)g_snprintf(d + o, (gulong)(sizeof d - o), "%s %s",
                                    i == 0 ? "" : i + 1 == claimer->n_macs ? " and" : ",", m);
        }
        add_str(c, hf_arp_duplicate, d);
        if (!e)
            add_str(c, hf_arp_verdict, td_nb_verdict_name(TD_NB_V_DUPLICATE));
        if (!e) {
            td_nb_conclusion(st, claimer, c->now, c->threshold, c->text, sizeof c->text);
            add_text(c);
        }
        if (num == claimer->frame_dup) {
            char t[TD_TEXT_MAX];
            if (!td_nb_conclusion(st, claimer, c->now, c->threshold, t, sizeof t))
                g_strlcpy(t, d, sizeof t);
            expert(c, &ei_arp_duplicate, t);
        }
    }
}

/* ---- ping ----------------------------------------------------------------- */

static void render_ping(ctx_t *c, uint32_t index, int64_t rtt_ns)
{
    const td_ping_flow *f = td_ping_flow_at(&c->cl->ping, index);
    if (!f)
        return;
    td_ping_verdict v = td_ping_flow_verdict(f, c->now, c->threshold);
    char t[TD_IP_STRLEN], rq[TD_IP_STRLEN];
    td_ip_format(&f->target, t, sizeof t);
    td_ip_format(&f->requester, rq, sizeof rq);
    switch (v) {
    case TD_PING_V_ANSWERED:
        g_snprintf(c->text, sizeof c->text, "%s answers ping from %s (%u of %u echo requests, "
                   "RTT %.1f ms)", t, rq, f->replies, f->requests,
                   f->rtt_min_ns >= 0 ? (double)f->rtt_min_ns / 1e6 : 0.0);
        break;
    case TD_PING_V_UNANSWERED:
        g_snprintf(c->text, sizeof c->text, "%s does not answer ping from %s (%u echo request%s): "
                   "down, unreachable, or ICMP filtered (a firewall may drop echo on purpose)",
                   t, rq, f->requests, f->requests == 1 ? "" : "s");
        break;
    case TD_PING_V_PENDING:
        g_snprintf(c->text, sizeof c->text, "echo request to %s: capture ended before a reply "
                   "could come", t);
        break;
    case TD_PING_V_DHCP_PROBE:
        g_snprintf(c->text, sizeof c->text, "the DHCP server %s checks that %s is free before "
                   "offering it (no reply is the good outcome)", rq, t);
        break;
    default:
        c->text[0] = '\0';
        break;
    }
    add_text(c);
    add_str(c, hf_ping_verdict, td_ping_verdict_name(v));
    add_rtt(c, hf_ping_rtt, rtt_ns); /* a reply matched to its request */
    if (v == TD_PING_V_UNANSWERED && c->pinfo->num == f->frame_first &&
        PINFO_FD_VISITED(c->pinfo))
        expert(c, &ei_ping_unanswered, c->text);
}

/* ---- DHCP ----------------------------------------------------------------- */

static void render_dhcp(ctx_t *c, uint32_t index)
{
    const td_dhcp_txn *t = td_dhcp_txn_at(&c->cl->dhcp, index);
    if (!t)
        return;
    td_dhcp_verdict v = td_dhcp_verdict_of(t, c->now);
    char m[TD_MAC_STRLEN], a[TD_IP_STRLEN];
    td_mac_format(&t->mac, m, sizeof m);
    if (!td_dhcp_conclusion(t, c->now, c->text, sizeof c->text)) {
        if (v == TD_DHCP_V_BOUND) {
            td_ip_format(&t->addr, a, sizeof a);
            g_snprintf(c->text, sizeof c->text, "DHCP: %s bound to %s", m, a);
        } else {
            g_snprintf(c->text, sizeof c->text, "DHCP exchange of %s under way when the capture "
                       "ended", m);
        }
    }
    add_text(c);
    add_str(c, hf_dhcp_verdict, td_dhcp_verdict_name(v));
    add_ip(c, hf_dhcp_address, &t->addr);
    add_ip(c, hf_dhcp_server, &t->server);
    gboolean failed = v == TD_DHCP_V_NO_OFFER || v == TD_DHCP_V_NAK || v == TD_DHCP_V_DECLINED;
    uint32_t at = t->frame_answer && v != TD_DHCP_V_NO_OFFER ? t->frame_answer : t->frame_first;
    if (failed && c->pinfo->num == at && (v != TD_DHCP_V_NO_OFFER || PINFO_FD_VISITED(c->pinfo)))
        expert(c, &ei_dhcp_failed, c->text);
}

/* ---- UDP ports ------------------------------------------------------------ */

static void render_udp_flow(ctx_t *c, const td_udp_flow *f, gboolean is_error)
{
    td_udp_sentence(f, c->text, sizeof c->text);
    add_text(c);
    add_str(c, hf_udp_verdict, td_udp_verdict_name((td_udp_verdict)f->verdict));
    if (is_error && c->pinfo->num == f->frame_first)
        expert(c, &ei_udp_unreachable, c->text);
}

/* ---- the connection's part ------------------------------------------------ */

/* Whether hf is asked, its header_field_info looked up once (the registry
 * keeps it in place): these are read on every packet of a connection. */
static gboolean asked_once(int hf, header_field_info **hfi)
{
    if (!*hfi)
        *hfi = proto_registrar_get_nth((unsigned)hf);
    return TD_HFI_ASKED(*hfi);
}

gboolean td_render_conn_evidence_due(const td_view *view, uint32_t num)
{
    const td_conn_evidence *ce = td_view_conn_evidence(view);
    return ce && ce->zw != TD_ZW_NONE && ce->zw_known_frame == num;
}

void td_render_conn_evidence(proto_tree *t, proto_item *ti, tvbuff_t *tvb, packet_info *pinfo,
                             const td_view *view, gboolean all)
{
    const td_conn_evidence *ce = td_view_conn_evidence(view);
    if (ce && ce->zw_known_frame == pinfo->num && ce->zw != TD_ZW_NONE) {
        const char *zw;
        td_view_zero_window(view, &zw);
        if (zw)
            expert_add_info_format(pinfo, ti, &ei_zero_window, "%s", zw);
    }
    if (!t)
        return;
    static header_field_info *hfi_name, *hfi_zw, *hfi_ll, *hfi_dup;
    if (ce && (all || asked_once(hf_server_name, &hfi_name))) {
        const char *name = td_view_server_name(view);
        if (name)
            proto_item_set_generated(proto_tree_add_string(t, hf_server_name, tvb, 0, 0, name));
    }
    if (ce && (all || asked_once(hf_zero_window, &hfi_zw))) {
        const char *zw;
        if (td_view_zero_window(view, &zw) != TD_ZW_NONE)
            proto_item_set_generated(proto_tree_add_boolean(t, hf_zero_window, tvb, 0, 0, TRUE));
    }
    if (ce && ce->link_local && (all || asked_once(hf_link_local, &hfi_ll)))
        proto_item_set_generated(proto_tree_add_boolean(t, hf_link_local, tvb, 0, 0, TRUE));
    if (td_evidence_checklist() && (all || asked_once(hf_arp_duplicate, &hfi_dup))) {
        const char *dup = td_view_server_duplicate(view);
        if (dup)
            proto_item_set_generated(proto_tree_add_string(t, hf_arp_duplicate, tvb, 0, 0, dup));
    }
}

/* ---- entry ---------------------------------------------------------------- */

static int expert_tap_id(void)
{
    static int id = -1;
    if (id < 0)
        id = find_tap_id("expert");
    return id;
}

/* A UDP datagram that an ICMP error of the capture rejected: known once the
 * whole capture is read (later passes). */
static const td_udp_flow *rejected_datagram(const td_checklist *cl, packet_info *pinfo)
{
    if (!PINFO_FD_VISITED(pinfo) || pinfo->ptype != PT_UDP || pinfo->flags.in_error_pkt ||
        td_udp_flow_count(&cl->udp) == 0)
        return NULL;
    td_ip s = td_evidence_ip(&pinfo->src), d = td_evidence_ip(&pinfo->dst);
    return s.family ? td_udp_find(&cl->udp, &s, &d, (uint16_t)pinfo->destport) : NULL;
}

gboolean td_render_evidence(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree,
                            const td_prefs *prefs, int proto)
{
    const td_checklist *cl = td_evidence_checklist();
    if (!cl)
        return FALSE;
    const td_ev_frame *r = td_evidence_frame(pinfo);
    const td_udp_flow *datagram = rejected_datagram(cl, pinfo);
    if (!r && !datagram)
        return FALSE;
    ctx_t c;
    c.threshold = td_prefs_threshold_ns(prefs);
    c.now = td_capture_last_ts();
    c.cl = td_evidence_prepared(c.now, c.threshold);
    c.tvb = tvb;
    c.pinfo = pinfo;
    c.experts = tree || have_tap_listener(expert_tap_id()) ||
                TD_COLUMNS_SHOW_EXPERT(pinfo->cinfo);
    c.text[0] = '\0';
    c.tree = NULL;
    c.ti = NULL;
    if (!tree && !c.experts)
        return TRUE;
    if (tree) {
        c.ti = proto_tree_add_protocol_format(tree, proto, tvb, 0, 0, "TCP Handshake Diagnosis: "
                                              "checklist evidence");
        proto_item_set_generated(c.ti);
        c.tree = proto_item_add_subtree(c.ti, ett_evidence);
    }
    if (datagram) {
        render_udp_flow(&c, datagram, FALSE);
        if (!r)
            return TRUE;
    }
    for (guint i = 0; i < r->n; i++) {
        const td_cl_frame *f = &r->f[i];
        c.text[0] = '\0';
        switch (f->kind) {
        case TD_CL_DNS:
            render_dns(&c, f->index, FALSE);
            break;
        case TD_CL_NEIGHBOR:
            render_neighbor(&c, f);
            break;
        case TD_CL_PING:
            render_ping(&c, f->index, f->rtt_ns);
            break;
        case TD_CL_DHCP:
            render_dhcp(&c, f->index);
            break;
        case TD_CL_UDP_ERROR: {
            const td_udp_flow *u = td_udp_flow_at(&cl->udp, f->index);
            if (u)
                render_udp_flow(&c, u, TRUE);
            if (f->dns_index != TD_DNS_NONE) {
                c.text[0] = '\0';
                render_dns(&c, f->dns_index, TRUE);
            }
            break;
        }
        default:
            break;
        }
    }
    return TRUE;
}

#define TD_EI(ei, name, group, sev, text) \
    { &(ei), { "tcpdiag.expert." name, group, sev, text, EXPFILL } }

void td_render_evidence_register(int proto)
{
    static hf_register_info hf[] = {
        { &hf_evidence, { "Evidence", "tcpdiag.evidence", FT_STRING, BASE_NONE, NULL, 0x0,
          "What this DNS, ARP/ND, ping, DHCP or ICMP packet shows, in words (the "
          "troubleshooting checklist)", HFILL } },
        { &hf_dns_name, { "DNS name", "tcpdiag.dns.name", FT_STRING, BASE_NONE, NULL, 0x0,
          "Name asked by the lookup this DNS message belongs to", HFILL } },
        { &hf_dns_type, { "DNS type", "tcpdiag.dns.type", FT_STRING, BASE_NONE, NULL, 0x0,
          "Type asked: A, AAAA, PTR, ... (TYPEnnn for others, RFC 3597)", HFILL } },
        { &hf_dns_verdict, { "DNS verdict", "tcpdiag.dns.verdict", FT_STRING, BASE_NONE, NULL,
          0x0, "Outcome of the lookup: resolved, no-address, nxdomain, servfail, refused, "
          "no-answer, pending, truncated, error", HFILL } },
        { &hf_dns_server, { "DNS server", "tcpdiag.dns.server", FT_STRING, BASE_NONE, NULL, 0x0,
          "Server that answered the lookup, else the last one asked", HFILL } },
        { &hf_dns_tries, { "DNS tries", "tcpdiag.dns.tries", FT_UINT32, BASE_DEC, NULL, 0x0,
          "Queries of the lookup (retransmissions and retries from new ports included)",
          HFILL } },
        { &hf_dns_rtt, { "DNS response time", "tcpdiag.dns.rtt", FT_RELATIVE_TIME, BASE_NONE,
          NULL, 0x0, "From the query this response answers to the response", HFILL } },
        { &hf_dns_answer, { "DNS answer", "tcpdiag.dns.answer", FT_STRING, BASE_NONE, NULL, 0x0,
          "First address of the answer (+ how many more), and the CNAME followed", HFILL } },
        { &hf_frame_dns_query, { "DNS query", "tcpdiag.frame.dns_query", FT_FRAMENUM, BASE_NONE,
          FRAMENUM_TYPE(FT_FRAMENUM_REQUEST), 0x0, "First query of the lookup", HFILL } },
        { &hf_frame_dns_response, { "DNS response", "tcpdiag.frame.dns_response", FT_FRAMENUM,
          BASE_NONE, FRAMENUM_TYPE(FT_FRAMENUM_RESPONSE), 0x0,
          "Response that decided the lookup", HFILL } },
        { &hf_arp_verdict, { "ARP/ND verdict", "tcpdiag.arp.verdict", FT_STRING, BASE_NONE, NULL,
          0x0, "Outcome of the ARP requests / neighbour solicitations for an address: answered, "
          "unanswered, pending, dhcp-probe, probe, unseen, duplicate", HFILL } },
        { &hf_arp_duplicate, { "Duplicate address", "tcpdiag.arp.duplicate", FT_STRING,
          BASE_NONE, NULL, 0x0, "Two or more hardware addresses claim this IP address: "
          "\"192.0.2.20 claimed by 02:..:21 and 02:..:22\"", HFILL } },
        { &hf_arp_requests, { "ARP/ND requests", "tcpdiag.arp.requests", FT_UINT32, BASE_DEC,
          NULL, 0x0, "Requests of the burst this packet belongs to", HFILL } },
        { &hf_ping_verdict, { "Ping verdict", "tcpdiag.ping.verdict", FT_STRING, BASE_NONE, NULL,
          0x0, "Outcome of the ICMP/ICMPv6 echo requests: answered, unanswered, pending, "
          "dhcp-probe", HFILL } },
        { &hf_ping_rtt, { "Ping RTT", "tcpdiag.ping.rtt", FT_RELATIVE_TIME, BASE_NONE, NULL, 0x0,
          "From the echo request to its reply", HFILL } },
        { &hf_dhcp_verdict, { "DHCP verdict", "tcpdiag.dhcp.verdict", FT_STRING, BASE_NONE, NULL,
          0x0, "Outcome of the DHCP transaction: bound, no-offer, nak, pending, declined",
          HFILL } },
        { &hf_dhcp_address, { "DHCP address", "tcpdiag.dhcp.address", FT_STRING, BASE_NONE, NULL,
          0x0, "Address offered or acknowledged", HFILL } },
        { &hf_dhcp_server, { "DHCP server", "tcpdiag.dhcp.server", FT_STRING, BASE_NONE, NULL,
          0x0, "Server that answered", HFILL } },
        { &hf_udp_verdict, { "UDP verdict", "tcpdiag.udp.verdict", FT_STRING, BASE_NONE, NULL,
          0x0, "Datagrams to this UDP port rejected by an ICMP error (on the error, and on the "
          "datagrams on later passes): port-unreachable, prohibited, unreachable", HFILL } },
        { &hf_server_name, { "Server name", "tcpdiag.server.name", FT_STRING, BASE_NONE, NULL,
          0x0, "Name a DNS lookup earlier in the capture returned the server's address for "
          "(the name asked; the most recent lookup before the SYN)", HFILL } },
        { &hf_zero_window, { "Zero window at the start", "tcpdiag.zero_window", FT_BOOLEAN,
          BASE_NONE, NULL, 0x0, "The server accepted, then advertised a zero receive window "
          "early (its SYN/ACK, or within 3 s while the client had data waiting): receive buffer "
          "full, application not reading, memory pressure", HFILL } },
        { &hf_link_local, { "Client link-local", "tcpdiag.client.link_local", FT_BOOLEAN,
          BASE_NONE, NULL, 0x0, "The client uses a link-local address (169.254.0.0/16, RFC "
          "3927): it has no DHCP lease", HFILL } },
    };
    static int *ett[] = { &ett_evidence };
    static ei_register_info ei[] = {
        TD_EI(ei_dns_failed, "dns_failed", PI_SEQUENCE, PI_WARN,
              "DNS lookup failed: NXDOMAIN, SERVFAIL, REFUSED, no address, no answer or "
              "truncated"),
        TD_EI(ei_dns_failed_note, "dns_failed_other", PI_SEQUENCE, PI_NOTE,
              "DNS lookup of a non-address type (PTR, TXT...) failed"),
        TD_EI(ei_dns_server_silent, "dns_server_silent", PI_SEQUENCE, PI_NOTE,
              "DNS server answered none of its queries while another server answered"),
        TD_EI(ei_arp_unanswered, "arp_unanswered", PI_SEQUENCE, PI_WARN,
              "No host answers ARP / neighbour discovery for this address"),
        TD_EI(ei_arp_duplicate, "arp_duplicate", PI_SECURITY, PI_WARN,
              "Two hardware addresses claim one IP address (duplicate IP)"),
        TD_EI(ei_arp_sweep, "arp_sweep", PI_SEQUENCE, PI_NOTE,
              "A host asks for many addresses nobody answers (a scan or a table refresh)"),
        TD_EI(ei_ping_unanswered, "ping_unanswered", PI_SEQUENCE, PI_NOTE,
              "Echo requests to this host got no reply"),
        TD_EI(ei_dhcp_failed, "dhcp_failed", PI_SEQUENCE, PI_WARN,
              "DHCP failed: no offer, NAK or decline"),
        TD_EI(ei_udp_unreachable, "udp_unreachable", PI_SEQUENCE, PI_WARN,
              "UDP datagrams rejected by ICMP (port unreachable, administratively prohibited)"),
        TD_EI(ei_zero_window, "zero_window_early", PI_SEQUENCE, PI_WARN,
              "The server accepted, then advertised a zero window: its receive buffer is full"),
    };
    proto_register_field_array(proto, hf, array_length(hf));
    proto_register_subtree_array(ett, array_length(ett));
    expert_module_t *em = expert_register_protocol(proto);
    expert_register_field_array(em, ei, array_length(ei));
}
