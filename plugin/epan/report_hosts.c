/* report_hosts.c — `tshark -q -z tcpdiag,hosts`: one line per address with
 * everything the capture says about it (its names, hardware addresses,
 * ARP/ND, ping, DHCP and UDP evidence, its connections by verdict), then
 * the checklist's conclusions (names that did not resolve, silent DNS
 * servers, addresses nobody answers ARP for, duplicate addresses, DHCP
 * failures, rejected UDP ports). The conclusions are also printed by
 * `-z tcpdiag,servers` (td_report_checklist_conclusions).
 *
 * Drawn at the end of the run from the final state, so it is final in
 * one-pass mode too.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "reports.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <epan/stat_tap_ui.h>
#include <epan/tap.h>

#include "compat.h"
#include "tap.h"
#include "td_limits.h"
#include "view.h"

static const td_prefs *judge_prefs; /* the entry file's, for verdicts */

typedef struct {
    td_ip ip;
    const td_dns_server *dns;  /* when it served DNS queries */
    guint lookups;             /* DNS lookups it made */
    guint to[TD_V_COUNT];   /* connections to it, by verdict */
    guint from[TD_V_COUNT]; /* connections from it */
} host_t;

static guint ip_hash(gconstpointer p)
{
    return (guint)td_hash_ip(TD_HASH_INIT, (const td_ip *)p);
}

static gboolean ip_equal(gconstpointer a, gconstpointer b)
{
    return td_ip_eq((const td_ip *)a, (const td_ip *)b);
}

static host_t *host(GHashTable *hosts, const td_ip *ip)
{
    if (!ip->family)
        return NULL;
    host_t *h = (host_t *)g_hash_table_lookup(hosts, ip);
    if (!h) {
        h = g_new0(host_t, 1);
        h->ip = *ip;
        g_hash_table_insert(hosts, &h->ip, h);
    }
    return h;
}

/* IPv4 before IPv6, then by address bytes. */
static gint host_cmp(gconstpointer a, gconstpointer b)
{
    const host_t *x = *(const host_t *const *)a, *y = *(const host_t *const *)b;
    if (x->ip.family != y->ip.family)
        return x->ip.family < y->ip.family ? -1 : 1;
    return memcmp(x->ip.a, y->ip.a, sizeof x->ip.a);
}

static void print_verdicts(const char *what, const guint *n, gboolean *first_item)
{
    guint total = 0;
    for (int v = 0; v < TD_V_COUNT; v++)
        total += n[v];
    if (!total)
        return;
    printf("%s%u connection%s %s (", *first_item ? " " : "; ", total, total == 1 ? "" : "s",
           what);
    *first_item = FALSE;
    gboolean first = TRUE;
    for (int v = 0; v < TD_V_COUNT; v++)
        if (n[v]) {
            printf("%s%s %u", first ? "" : ", ", td_verdict_name((td_verdict)v), n[v]);
            first = FALSE;
        }
    printf(")");
}

/* Every address any module or connection knows. */
static void collect(GHashTable *hosts, const td_checklist *cl)
{
    for (guint i = 0; i < td_conn_count(); i++) {
        const td_view *v = td_view_of(td_conn_at(i));
        const td_tuple *t;
        int ce;
        if (v->c->client_dir > 1 || !td_view_tuple(v, &t, &ce))
            continue;
        address a;
        td_tuple_address(t, ce, &a);
        td_ip c = td_evidence_ip(&a);
        td_tuple_address(t, ce ^ 1, &a);
        td_ip s = td_evidence_ip(&a);
        host_t *hc = host(hosts, &c), *hs = host(hosts, &s);
        if (hc)
            hc->from[v->verdict]++;
        if (hs)
            hs->to[v->verdict]++;
    }
    if (!cl)
        return;
    for (uint32_t i = 0; i < td_nb_addr_count(&cl->nb); i++)
        host(hosts, &td_nb_addr_at(&cl->nb, i)->addr);
    for (uint32_t i = 0; i < td_ping_flow_count(&cl->ping); i++)
        host(hosts, &td_ping_flow_at(&cl->ping, i)->target);
    for (uint32_t i = 0; i < td_dhcp_txn_count(&cl->dhcp); i++) {
        const td_dhcp_txn *t = td_dhcp_txn_at(&cl->dhcp, i);
        if (td_ip_is_set(&t->addr))
            host(hosts, &t->addr);
    }
    for (uint32_t i = 0; i < td_udp_flow_count(&cl->udp); i++)
        host(hosts, &td_udp_flow_at(&cl->udp, i)->server);
    for (uint32_t i = 0; i < td_dns_lookup_count(&cl->dns); i++) {
        const td_dns_lookup *l = td_dns_lookup_at(&cl->dns, i);
        host_t *hc = host(hosts, &l->client);
        if (hc)
            hc->lookups++;
        if (l->n_addrs)
            host(hosts, &l->first_addr);
    }
    for (uint32_t i = 0; i < td_dns_server_count(&cl->dns); i++) {
        const td_dns_server *d = td_dns_server_at(&cl->dns, i);
        host_t *h = host(hosts, &d->addr);
        if (h)
            h->dns = d;
    }
}

static void print_conclusion(gboolean *any, const char *text)
{
    if (!*any) {
        printf("Checklist conclusions (DNS, ARP/ND, ping, DHCP, UDP):\n");
        *any = TRUE;
    }
    printf("  => %s\n", text);
}

void td_report_checklist_conclusions(void)
{
    int64_t now = td_capture_last_ts(), thr = td_prefs_threshold_ns(judge_prefs);
    const td_checklist *cl = td_evidence_prepared(now, thr);
    if (!cl)
        return;
    gboolean any = FALSE;
    char t[TD_TEXT_MAX];
    /* a name that did not resolve: once per (client, name), A and AAAA
     * being two lookups of one name */
    GHashTable *said = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    for (uint32_t i = 0; i < td_dns_lookup_count(&cl->dns); i++) {
        const td_dns_lookup *l = td_dns_lookup_at(&cl->dns, i);
        if (!td_dns_conclusion(&cl->dns, l, now, thr, t, sizeof t))
            continue;
        char c[TD_IP_STRLEN];
        td_ip_format(&l->client, c, sizeof c);
        char *key = g_strdup_printf("%s %u", c, l->name_id);
        if (g_hash_table_contains(said, key)) {
            g_free(key);
            continue;
        }
        g_hash_table_add(said, key);
        print_conclusion(&any, t);
    }
    g_hash_table_destroy(said);
    for (uint32_t i = 0; i < td_dns_server_count(&cl->dns); i++) {
        uint32_t other;
        if (td_dns_server_silent(&cl->dns, i, &other) &&
            td_dns_server_conclusion(&cl->dns, i, t, sizeof t))
            print_conclusion(&any, t);
    }
    for (uint32_t i = 0; i < td_nb_addr_count(&cl->nb); i++) {
        const td_nb_addr *a = td_nb_addr_at(&cl->nb, i);
        if (!td_nb_conclusion(&cl->nb, a, now, thr, t, sizeof t))
            continue;
        print_conclusion(&any, t);
        /* An unanswered default gateway (DHCP option 3, RFC 2132 3.5)
         * explains every connection of its clients beyond the link. */
        if (td_nb_addr_verdict(&cl->nb, a, now, thr) != TD_NB_V_UNANSWERED)
            continue;
        for (uint32_t j = 0; j < td_dhcp_txn_count(&cl->dhcp); j++) {
            const td_dhcp_txn *x = td_dhcp_txn_at(&cl->dhcp, j);
            if (!td_ip_eq(&x->router, &a->addr))
                continue;
            char ip[TD_IP_STRLEN], m[TD_MAC_STRLEN];
            td_ip_format(&a->addr, ip, sizeof ip);
            td_mac_format(&x->mac, m, sizeof m);
            g_snprintf(t, sizeof t, "%s is the default gateway the DHCP server gave %s, and "
                       "nobody answers ARP for it: no connection of that client beyond this "
                       "link can work", ip, m);
            print_conclusion(&any, t);
            break;
        }
    }
    for (uint32_t i = 0; i < td_dhcp_txn_count(&cl->dhcp); i++)
        if (td_dhcp_conclusion(td_dhcp_txn_at(&cl->dhcp, i), now, t, sizeof t))
            print_conclusion(&any, t);
    for (uint32_t i = 0; i < td_udp_flow_count(&cl->udp); i++)
        if (td_udp_sentence(td_udp_flow_at(&cl->udp, i), t, sizeof t))
            print_conclusion(&any, t);
    /* ping against the unanswered SYNs (the article's steps 3-4): once per
     * server and port */
    GHashTable *pinged = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    for (guint i = 0; i < td_conn_count(); i++) {
        const td_view *v = td_view_of(td_conn_at(i));
        const td_tuple *tp;
        int ce;
        if (v->verdict != TD_V_NO_RESPONSE || v->c->client_dir > 1 || !td_view_tuple(v, &tp, &ce))
            continue;
        address sa;
        td_tuple_address(tp, ce ^ 1, &sa);
        td_ip server = td_evidence_ip(&sa);
        if (!td_ping_server_sentence(&cl->ping, &server, tp->port[ce ^ 1], now, thr, t, sizeof t) ||
            g_hash_table_contains(pinged, t))
            continue;
        g_hash_table_add(pinged, g_strdup(t));
        print_conclusion(&any, t);
    }
    g_hash_table_destroy(pinged);
    uint32_t dropped = cl->dns.dropped + cl->dns.lookups.dropped + cl->nb.addrs.dropped +
                       cl->nb.episodes.dropped + cl->ping.flows.dropped +
                       cl->dhcp.txns.dropped + cl->udp.flows.dropped;
    if (dropped)
        printf("  (%u messages not tracked: a table reached its bound, see td_limits.h)\n",
               dropped);
}

static tap_packet_status hosts_packet(void *tapdata _U_, packet_info *pinfo _U_,
                                      epan_dissect_t *edt _U_, const void *data _U_,
                                      tap_flags_t flags _U_)
{
    /* Everything is in the tables; the listener only makes tcpdiag run. */
    return TAP_PACKET_DONT_REDRAW;
}

static void hosts_draw(void *tapdata _U_)
{
    int64_t now = td_capture_last_ts(), thr = td_prefs_threshold_ns(judge_prefs);
    const td_checklist *cl = td_evidence_prepared(now, thr);
    GHashTable *hosts = g_hash_table_new_full(ip_hash, ip_equal, NULL, g_free);
    collect(hosts, cl);
    GPtrArray *list = g_ptr_array_new();
    GHashTableIter it;
    gpointer k, v;
    g_hash_table_iter_init(&it, hosts);
    while (g_hash_table_iter_next(&it, &k, &v))
        g_ptr_array_add(list, v);
    g_ptr_array_sort(list, host_cmp);
    printf("================================================================================\n");
    printf("TCP handshake diagnosis per address (tcpdiag,hosts)\n");
    for (guint i = 0; i < list->len; i++) {
        const host_t *h = (const host_t *)g_ptr_array_index(list, i);
        char line[TD_TEXT_MAX * 2];
        gboolean first_item = FALSE;
        if (!cl || !td_cl_host_line(cl, &h->ip, now, thr, line, sizeof line)) {
            td_ip_format(&h->ip, line, sizeof line);
            g_strlcat(line, ":", sizeof line);
            first_item = TRUE;
        }
        printf("%s", line);
        if (h->dns) {
            printf("%sDNS server: answered %u of %u quer%s", first_item ? " " : "; ",
                   h->dns->responses, h->dns->queries, h->dns->queries == 1 ? "y" : "ies");
            if (h->dns->icmp_errors)
                printf(", %u ICMP error%s", h->dns->icmp_errors, h->dns->icmp_errors == 1 ? "" : "s");
            first_item = FALSE;
        }
        if (td_ip_is_link_local4(&h->ip)) {
            /* RFC 3927: what a host without a DHCP lease falls back to */
            printf("%slink-local address: no DHCP lease", first_item ? " " : "; ");
            first_item = FALSE;
        }
        if (h->lookups) {
            printf("%sDNS client: %u lookup%s", first_item ? " " : "; ", h->lookups,
                   h->lookups == 1 ? "" : "s");
            first_item = FALSE;
        }
        print_verdicts("to it", h->to, &first_item);
        print_verdicts("from it", h->from, &first_item);
        printf("\n");
    }
    if (!list->len)
        printf("(no address)\n");
    td_report_checklist_conclusions();
    printf("================================================================================\n");
    g_ptr_array_free(list, TRUE);
    g_hash_table_destroy(hosts);
}

static TD_STAT_TAP_INIT_RESULT hosts_init(const char *opt_arg, void *userdata _U_)
{
    if (strcmp(opt_arg, "tcpdiag,hosts") != 0) {
        fprintf(stderr, "tshark: invalid \"-z %s\" argument; use -z tcpdiag,hosts\n", opt_arg);
        exit(1);
    }
    GString *err = register_tap_listener(TD_TAP_NAME, NULL, NULL, TL_REQUIRES_NOTHING, NULL,
                                         hosts_packet, hosts_draw, NULL);
    if (err) {
        fprintf(stderr, "tshark: couldn't register tcpdiag,hosts tap: %s\n", err->str);
        g_string_free(err, TRUE);
        exit(1);
    }
    return TD_STAT_TAP_INIT_OK;
}

static stat_tap_ui hosts_ui = {
    REGISTER_STAT_GROUP_GENERIC, "TCP handshake diagnosis per address", "tcpdiag,hosts",
    hosts_init, 0, NULL
};

void td_report_hosts_register(const td_prefs *p)
{
    judge_prefs = p;
    register_stat_tap_ui(&hosts_ui, NULL);
}
