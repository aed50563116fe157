/* tap.h — what the "tcpdiag" tap publishes for each packet of a connection
 * or with checklist evidence (queued by the entry file, read by the reports and the stats tree).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TCPDIAG_TAP_H
#define TCPDIAG_TAP_H

#include "conn_record.h"
#include "evidence_table.h"

#define TD_TAP_NAME "tcpdiag"

typedef struct {
    const td_conn_ext *cx;       /* the packet's connection, or NULL (checklist evidence only) */
    const td_ev_frame *evidence; /* the packet's checklist evidence, or NULL */
} td_tap_info;

#endif
