/* conn_cache.h — first-pass shortcut from a segment's 4-tuple to its
 * connection (conn_cache.c).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TCPDIAG_CONN_CACHE_H
#define TCPDIAG_CONN_CACHE_H

#include "extract.h"
#include "tcpdiag.h"

void td_conn_cache_reset(void); /* a new file: the conversations are gone */

/* The connection last stored for x's 4-tuple, if it still is the one TCP
 * uses: valid on the first pass only (frames in order). NULL: ask the
 * conversation table. x->pkt.dir must be set. */
td_conn_ext *td_conn_cache_get(const td_extracted *x);
void td_conn_cache_put(const td_extracted *x, td_conn_ext *cx);

#endif
