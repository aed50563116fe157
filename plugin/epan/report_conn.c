/* report_conn.c — `tshark -q -z tcpdiag,conn[,filter]`: one line per
 * connection, sorted by stream, drawn at the end of the run from the final
 * connection state (so it is final even in one-pass mode).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "reports.h"

#include <stdio.h>
#include <stdlib.h>

#include <epan/stat_tap_ui.h>
#include <epan/tap.h>
#include <epan/to_str.h>

#include "compat.h"
#include "diagnosis.h"
#include "td_limits.h"
#include "tap.h"
#include "view.h"

typedef struct {
    GHashTable *rows; /* the td_conn_ext* some packet of which passed the filter */
    char *filter;
} conn_report;

/* "addr:port" ("[addr]:port" for IPv6) of the tuple's end. */
static void endpoint_str(const td_tuple *t, int end, char *out, size_t len)
{
    address a;
    char buf[WS_INET6_ADDRSTRLEN + 1];
    td_tuple_address(t, end, &a);
    address_to_str_buf(&a, buf, (int)sizeof buf);
    snprintf(out, len, td_tuple_is_ipv6(t) ? "[%s]:%u" : "%s:%u", buf, t->port[end]);
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
    if (!ti->cx || g_hash_table_contains(rep->rows, ti->cx))
        return TAP_PACKET_DONT_REDRAW;
    g_hash_table_add(rep->rows, (gpointer)ti->cx);
    return TAP_PACKET_REDRAW;
}

static gint row_cmp(gconstpointer a, gconstpointer b)
{
    const td_conn_ext *x = *(const td_conn_ext *const *)a, *y = *(const td_conn_ext *const *)b;
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
    gpointer key;
    g_hash_table_iter_init(&it, rep->rows);
    while (g_hash_table_iter_next(&it, &key, NULL))
        g_ptr_array_add(rows, key);
    g_ptr_array_sort(rows, row_cmp);
    guint counts[TD_V_COUNT] = {0};

    printf("================================================================================\n");
    printf("TCP handshake diagnosis (tcpdiag,conn)%s%s\n", rep->filter ? " filter: " : "",
           rep->filter ? rep->filter : "");
    printf("%-6s  %-25s  %-25s  %-17s  %4s  %-9s  %s\n", "Stream", "Client", "Server", "Verdict",
           "SYNs", "Setup", "Diagnosis");
    for (guint i = 0; i < rows->len; i++) {
        const td_view *view = td_view_of((const td_conn_ext *)g_ptr_array_index(rows, i));
        const td_conn *c = view->c;
        counts[view->verdict]++;
        /* Midstream connections have no known client: address order. */
        const td_tuple *t;
        int ce;
        char client[WS_INET6_ADDRSTRLEN + 16] = "?", server[WS_INET6_ADDRSTRLEN + 16] = "?";
        if (td_view_tuple(view, &t, &ce)) {
            endpoint_str(t, ce, client, sizeof client);
            endpoint_str(t, ce ^ 1, server, sizeof server);
        }
        char stream[16], setup[32];
        int64_t ns;
        if (TD_STREAM(view->cx) == TD_STREAM_NONE)
            g_strlcpy(stream, "-", sizeof stream);
        else
            snprintf(stream, sizeof stream, "%u", TD_STREAM(view->cx));
        if (td_conn_has_setup_time(c, &ns))
            td_format_duration(setup, sizeof setup, ns);
        else
            g_strlcpy(setup, "-", sizeof setup);
        printf("%-6s  %-25s  %-25s  %-17s  %4u  %-9s  %s\n", stream, client, server,
               td_verdict_name(view->verdict), c->syn_count, setup, td_view_sentence(view));
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

static TD_STAT_TAP_INIT_RESULT conn_init(const char *opt_arg, void *userdata _U_)
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
    rep->rows = g_hash_table_new(g_direct_hash, g_direct_equal);
    rep->filter = filter && *filter ? g_strdup(filter) : NULL;
    GString *err = register_tap_listener(TD_TAP_NAME, rep, rep->filter, TL_REQUIRES_NOTHING,
                                         conn_reset, conn_packet, conn_draw, conn_finish);
    if (err) {
        fprintf(stderr, "tshark: couldn't register tcpdiag,conn tap: %s\n", err->str);
        g_string_free(err, TRUE);
        conn_finish(rep);
        exit(1);
    }
    return TD_STAT_TAP_INIT_OK;
}

static stat_tap_ui conn_ui = {
    REGISTER_STAT_GROUP_GENERIC, "TCP handshake diagnosis", "tcpdiag,conn", conn_init, 0, NULL
};

void td_report_conn_register(void)
{
    register_stat_tap_ui(&conn_ui, NULL);
}
