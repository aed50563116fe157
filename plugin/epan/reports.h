/* reports.h — `-z tcpdiag,conn` (report_conn.c), `-z tcpdiag,servers`
 * (report_servers.c), `-z tcpdiag,hosts` (report_hosts.c) and `-z tcpdiag,tree` / Statistics → TCP Handshake
 * Diagnosis (stats_tree.c). All read connection views only.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TCPDIAG_REPORTS_H
#define TCPDIAG_REPORTS_H

#include "prefs.h"

void td_report_conn_register(void);
void td_report_servers_register(const td_prefs *prefs);
void td_report_hosts_register(const td_prefs *prefs);
void td_stats_tree_register(const td_prefs *prefs);
/* The checklist's conclusions (report_hosts.c), for the hosts and servers
 * reports; prints nothing when there are none. */
void td_report_checklist_conclusions(void);

#endif
