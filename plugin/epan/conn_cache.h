/* conn_cache.h — first-pass shortcut from a segment's 4-tuple to its
 * connection (conn_cache.c). Used by conn_table.c only.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TCPDIAG_CONN_CACHE_H
#define TCPDIAG_CONN_CACHE_H

#include "conn_record.h"
#include "tuple.h"

void td_conn_cache_reset(void); /* a new file: the conversations are gone */

/* The connection last stored for this canonical tuple (td_tuple_canonical),
 * if it still is the one TCP uses: valid on the first pass only (frames in
 * order). NULL: ask the conversation table. */
td_conn_ext *td_conn_cache_get(const td_tuple *canonical);
void td_conn_cache_put(const td_tuple *canonical, td_conn_ext *cx);

#endif
