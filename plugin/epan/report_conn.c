/* report_conn.c — `tshark -q -z tcpdiag,conn[,filter]`: one line per
 * connection, sorted by stream, drawn at the end of the run from the final
 * connection state (so it is final even in one-pass mode).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "tcpdiag.h"

#include <stdio.h>
#include <stdlib.h>

#include <epan/stat_tap_ui.h>
#include <epan/tap.h>
#include <epan/to_str.h>

#include "analysis.h"
#include "compat.h"
#include "diagnosis.h"

typedef struct {
    const td_conn_ext *cx;
    char *endpoint[2]; /* "addr:port" of the dir-0 and dir-1 endpoints */
} conn_row;

typedef struct {
    GHashTable *rows; /* td_conn_ext* -> conn_row* */
    char *filter;
} conn_report;

static void row_free(gpointer p)
{
    conn_row *r = (conn_row *)p;
    g_free(r->endpoint[0]);
    g_free(r->endpoint[1]);
    g_free(r);
}

static char *endpoint_str(const address *a, uint16_t port)
{
    char buf[WS_INET6_ADDRSTRLEN + 1];
    address_to_str_buf(a, buf, (int)sizeof buf);
    return a->type == AT_IPv6 ? g_strdup_printf("[%s]:%u", buf, port)
                              : g_strdup_printf("%s:%u", buf, port);
}

static void conn_reset(void *tapdata)
{
    conn_report *rep = (conn_report *)tapdata;
    g_hash_table_remove_all(rep->rows);
}

static tap_packet_status conn_packet(void *tapdata, packet_info *pinfo _U_,
                                     epan_dissect_t *edt _U_, const void *data,
                                     tap_flags_t flags _U_)
{
    conn_report *rep = (conn_report *)tapdata;
    const td_tap_info *ti = (const td_tap_info *)data;
    if (!ti->src || g_hash_table_contains(rep->rows, ti->cx))
        return TAP_PACKET_DONT_REDRAW;
    conn_row *r = g_new0(conn_row, 1);
    r->cx = ti->cx;
    r->endpoint[ti->dir] = endpoint_str(ti->src, ti->sport);
    r->endpoint[ti->dir ^ 1] = endpoint_str(ti->dst, ti->dport);
    g_hash_table_insert(rep->rows, (gpointer)ti->cx, r);
    return TAP_PACKET_REDRAW;
}

static gint row_cmp(gconstpointer a, gconstpointer b)
{
    const td_conn_ext *x = (*(conn_row *const *)a)->cx, *y = (*(conn_row *const *)b)->cx;
    /* Streams in order; connections known only from an ICMP quote (no
     * tcp.stream) last, by first frame. */
    if (TD_STREAM(x) != TD_STREAM(y))
        return TD_STREAM(x) < TD_STREAM(y) ? -1 : 1;
    return (x->c.frame_first > y->c.frame_first) - (x->c.frame_first < y->c.frame_first);
}

static void conn_draw(void *tapdata)
{
    conn_report *rep = (conn_report *)tapdata;
    GPtrArray *rows = g_ptr_array_sized_new(g_hash_table_size(rep->rows));
    GHashTableIter it;
    gpointer value;
    g_hash_table_iter_init(&it, rep->rows);
    while (g_hash_table_iter_next(&it, NULL, &value))
        g_ptr_array_add(rows, value);
    g_ptr_array_sort(rows, row_cmp);
    guint counts[TD_V_COUNT] = {0};

    printf("================================================================================\n");
    printf("TCP handshake diagnosis (tcpdiag,conn)%s%s\n", rep->filter ? " filter: " : "",
           rep->filter ? rep->filter : "");
    printf("%-6s  %-25s  %-25s  %-17s  %4s  %-9s  %s\n", "Stream", "Client", "Server", "Verdict",
           "SYNs", "Setup", "Diagnosis");
    for (guint i = 0; i < rows->len; i++) {
        conn_row *r = (conn_row *)g_ptr_array_index(rows, i);
        const td_conn *c = &r->cx->c;
        td_verdict v = td_verdict_of(r->cx);
        counts[v]++;
        /* Midstream connections have no known client: address order. */
        uint8_t cd = c->client_dir <= 1 ? c->client_dir : 0;
        char stream[16], setup[32], diag[512];
        int64_t ns;
        if (TD_STREAM(r->cx) == TD_STREAM_NONE)
            g_strlcpy(stream, "-", sizeof stream);
        else
            snprintf(stream, sizeof stream, "%u", TD_STREAM(r->cx));
        if (td_conn_has_setup_time(c, &ns))
            td_format_duration(setup, sizeof setup, ns);
        else
            g_strlcpy(setup, "-", sizeof setup);
        td_describe(r->cx, v, diag, sizeof diag);
        printf("%-6s  %-25s  %-25s  %-17s  %4u  %-9s  %s\n", stream,
               r->endpoint[cd] ? r->endpoint[cd] : "?",
               r->endpoint[cd ^ 1] ? r->endpoint[cd ^ 1] : "?", td_verdict_name(v), c->syn_count,
               setup, diag);
    }
    printf("Connections: %u", rows->len);
    for (int v = 0; v < TD_V_COUNT; v++)
        if (counts[v])
            printf(", %s %u", td_verdict_name((td_verdict)v), counts[v]);
    printf("\n================================================================================\n");
    g_ptr_array_free(rows, TRUE);
}

static void conn_finish(void *tapdata)
{
    conn_report *rep = (conn_report *)tapdata;
    g_hash_table_destroy(rep->rows);
    g_free(rep->filter);
    g_free(rep);
}

static td_stat_tap_init_ret conn_init(const char *opt_arg, void *userdata _U_)
{
    const char *prefix = "tcpdiag,conn";
    const char *filter = NULL;
    size_t plen = strlen(prefix);
    if (strncmp(opt_arg, prefix, plen) == 0 && opt_arg[plen] == ',')
        filter = opt_arg + plen + 1;
    else if (strcmp(opt_arg, prefix) != 0) {
        fprintf(stderr, "tshark: invalid \"-z %s\" argument; use -z tcpdiag,conn[,filter]\n",
                opt_arg);
        exit(1);
    }
    conn_report *rep = g_new0(conn_report, 1);
    rep->rows = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, row_free);
    rep->filter = filter && *filter ? g_strdup(filter) : NULL;
    GString *err = register_tap_listener("tcpdiag", rep, rep->filter, TL_REQUIRES_NOTHING,
                                         conn_reset, conn_packet, conn_draw, conn_finish);
    if (err) {
        fprintf(stderr, "tshark: couldn't register tcpdiag,conn tap: %s\n", err->str);
        g_string_free(err, TRUE);
        conn_finish(rep);
        exit(1);
    }
    TD_STAT_TAP_INIT_DONE;
}

static stat_tap_ui conn_ui = {
    REGISTER_STAT_GROUP_GENERIC, "TCP handshake diagnosis", "tcpdiag,conn", conn_init, 0, NULL
};

void td_report_conn_register(void)
{
    register_stat_tap_ui(&conn_ui, NULL);
}
