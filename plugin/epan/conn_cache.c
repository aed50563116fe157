/* conn_cache.c — a direct-mapped cache from 4-tuple to connection for the
 * first pass.
 *
 * Finding a packet's connection through Wireshark's conversation table
 * (find_conversation: element keys built, hashed and compared, both
 * directions) costs ~1,200 instructions, the largest per-packet cost of
 * tcpdiag when a filter or column builds a hidden tree (tests/bench). On
 * the first pass frames come in order, so the conversation TCP uses for a
 * 4-tuple is the newest one on that key's hash chain; when TCP starts a new
 * conversation for a reused port pair, it is appended after the old one
 * (conv->next). An entry is therefore valid while its conversation has no
 * successor. Later passes (random access in the GUI) always ask the table.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "conn_cache.h"

#include <string.h>

#include "compat.h"
#include "td_limits.h"

typedef struct {
    td_conn_ext *cx;
    td_tuple key; /* canonical: the lower endpoint first */
} slot_t;

static slot_t slots[TD_CONN_CACHE_SLOTS];

void td_conn_cache_reset(void)
{
    memset(slots, 0, sizeof slots);
}

/* Four address bytes at a time (a byte-wise FNV-1a cost ~120 instructions a
 * packet over the bench mix's IPv4/IPv6 tuples, callgrind; this ~40). The
 * multiply spreads each word before the next is mixed in. */
static slot_t *slot_of(const td_tuple *k)
{
    uint32_t h = ((uint32_t)k->port[0] << 16 | k->port[1]) * 2654435761u;
    for (int end = 0; end < 2; end++)
        for (int i = 0; i + 4 <= k->addr_len; i += 4) {
            uint32_t w;
            memcpy(&w, &k->addr[end][i], sizeof w);
            h = (h ^ w) * 0x9E3779B1u;
            h ^= h >> 16;
        }
    return &slots[(h ^ (h >> 15)) & (TD_CONN_CACHE_SLOTS - 1)];
}

td_conn_ext *td_conn_cache_get(const td_tuple *canonical)
{
    if (!canonical->addr_len)
        return NULL;
    slot_t *s = slot_of(canonical);
    if (!s->cx || !td_tuple_equal(&s->key, canonical))
        return NULL;
    if (!s->cx->conv || !TD_CONV_IS_NEWEST(s->cx->conv))
        return NULL; /* a newer conversation took over the port pair */
    return s->cx;
}

void td_conn_cache_put(const td_tuple *canonical, td_conn_ext *cx)
{
    if (!canonical->addr_len)
        return;
    slot_t *s = slot_of(canonical);
    s->cx = cx;
    s->key = *canonical;
}
