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

#define SLOTS 4096 /* power of two; ~3,000 connections live in the bench mix */

typedef struct {
    td_conn_ext *cx;
    uint16_t port[2];
    uint8_t len;
    uint8_t addr[2][16];
} slot_t;

static slot_t slots[SLOTS];

void td_conn_cache_reset(void)
{
    memset(slots, 0, sizeof slots);
}

/* The endpoints in conversation order: the lower (address, port) first. */
static void ordered(const td_extracted *x, const address **a, uint16_t *pa, const address **b,
                    uint16_t *pb)
{
    gboolean from_lower = x->pkt.dir == 0;
    *a = from_lower ? &x->src : &x->dst;
    *pa = from_lower ? x->sport : x->dport;
    *b = from_lower ? &x->dst : &x->src;
    *pb = from_lower ? x->dport : x->sport;
}

static slot_t *slot_of(const address *a, uint16_t pa, const address *b, uint16_t pb)
{
    uint32_t h = ((uint32_t)pa << 16 | pb) * 2654435761u;
    const uint8_t *da = (const uint8_t *)a->data, *db = (const uint8_t *)b->data;
    for (int i = 0; i < a->len; i++)
        h = (h ^ da[i]) * 16777619u;
    for (int i = 0; i < b->len; i++)
        h = (h ^ db[i]) * 16777619u;
    return &slots[(h ^ (h >> 15)) & (SLOTS - 1)];
}

static gboolean usable(const address *a, const address *b)
{
    return a->len == b->len && a->len > 0 && a->len <= 16;
}

td_conn_ext *td_conn_cache_get(const td_extracted *x)
{
    const address *a, *b;
    uint16_t pa, pb;
    ordered(x, &a, &pa, &b, &pb);
    if (!usable(a, b))
        return NULL;
    slot_t *s = slot_of(a, pa, b, pb);
    if (!s->cx || s->len != a->len || s->port[0] != pa || s->port[1] != pb ||
        memcmp(s->addr[0], a->data, a->len) != 0 || memcmp(s->addr[1], b->data, b->len) != 0)
        return NULL;
    if (!s->cx->conv || !TD_CONV_IS_NEWEST(s->cx->conv))
        return NULL; /* a newer conversation took over the port pair */
    return s->cx;
}

void td_conn_cache_put(const td_extracted *x, td_conn_ext *cx)
{
    const address *a, *b;
    uint16_t pa, pb;
    ordered(x, &a, &pa, &b, &pb);
    if (!usable(a, b))
        return;
    slot_t *s = slot_of(a, pa, b, pb);
    s->cx = cx;
    s->len = (uint8_t)a->len;
    s->port[0] = pa;
    s->port[1] = pb;
    memcpy(s->addr[0], a->data, a->len);
    memcpy(s->addr[1], b->data, b->len);
}
