/* report_servers.c — `tshark -q -z tcpdiag,servers`: connections counted
 * per server and per service (server address + port), with the conclusion
 * conclusions.c draws for each, at the end of the run.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "reports.h"

#include <stdio.h>
#include <stdlib.h>

#include <epan/stat_tap_ui.h>
#include <epan/tap.h>

#include "capture.h"
#include "compat.h"
#include "tap.h"

static const td_prefs *judge_prefs; /* the entry file's, for verdicts */

static tap_packet_status servers_packet(void *tapdata _U_, packet_info *pinfo _U_,
                                        epan_dissect_t *edt _U_, const void *data _U_,
                                        tap_flags_t flags _U_)
{
    /* Everything is in the connection table; the listener only makes
     * tcpdiag run for every packet. */
    return TAP_PACKET_DONT_REDRAW;
}

static void print_row(const td_analysis_row *r, void *user _U_)
{
    const char *name = td_capture_host_name(r->server);
    char what[80];
    if (r->port)
        snprintf(what, sizeof what, "  port %u", r->port);
    else
        snprintf(what, sizeof what, "%s", name ? name : "?");
    printf("%-40s  %8u  %11u  %6u", what, r->attempts, r->established, r->failed);
    for (int v = 0; v < TD_V_COUNT; v++)
        if (r->per_verdict[v] && v != TD_V_ESTABLISHED)
            printf("  %s=%u", td_verdict_name((td_verdict)v), r->per_verdict[v]);
    printf("\n");
    if (r->conclusion)
        printf("%s    => [%s] %s\n", r->port ? "  " : "", td_conclusion_name(r->kind),
               r->conclusion);
}

static void print_client(const td_analysis_row *r, void *user)
{
    gboolean *any = (gboolean *)user;
    if (!*any) {
        printf("%-40s  %8s  %11s  %6s\n", "Client", "Connects", "Established", "Failed");
        *any = TRUE;
    }
    const char *name = td_capture_host_name(r->server);
    printf("%-40s  %8u  %11u  %6u\n", name ? name : "?", r->attempts, r->established, r->failed);
    printf("    => [%s] %s\n", td_conclusion_name(r->kind), r->conclusion);
}

static void servers_draw(void *tapdata _U_)
{
    const td_analysis *a = td_capture_analysis(judge_prefs);
    printf("================================================================================\n");
    printf("TCP handshake diagnosis per server and service (tcpdiag,servers)\n");
    printf("%-40s  %8s  %11s  %6s  %s\n", "Server / port", "Connects", "Established", "Failed",
           "Other verdicts");
    td_analysis_foreach(a, print_row, NULL);
    gboolean any = FALSE;
    td_analysis_foreach_client(a, print_client, &any);
    td_report_checklist_conclusions();
    printf("================================================================================\n");
}

static TD_STAT_TAP_INIT_RESULT servers_init(const char *opt_arg, void *userdata _U_)
{
    if (strcmp(opt_arg, "tcpdiag,servers") != 0) {
        fprintf(stderr, "tshark: invalid \"-z %s\" argument; use -z tcpdiag,servers\n", opt_arg);
        exit(1);
    }
    GString *err = register_tap_listener(TD_TAP_NAME, NULL, NULL, TL_REQUIRES_NOTHING, NULL,
                                         servers_packet, servers_draw, NULL);
    if (err) {
        fprintf(stderr, "tshark: couldn't register tcpdiag,servers tap: %s\n", err->str);
        g_string_free(err, TRUE);
        exit(1);
    }
    return TD_STAT_TAP_INIT_OK;
}

static stat_tap_ui servers_ui = {
    REGISTER_STAT_GROUP_GENERIC, "TCP handshake diagnosis per server", "tcpdiag,servers",
    servers_init, 0, NULL
};

void td_report_servers_register(const td_prefs *p)
{
    judge_prefs = p;
    register_stat_tap_ui(&servers_ui, NULL);
}
