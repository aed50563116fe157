/* evidence.c — shared helpers of the checklist evidence modules (pure C).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "evidence.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

td_ip td_ip4(const uint8_t b[4])
{
    td_ip x;
    memset(&x, 0, sizeof x);
    x.family = 4;
    memcpy(x.a, b, 4);
    return x;
}

td_ip td_ip6(const uint8_t b[16])
{
    td_ip x;
    x.family = 6;
    memcpy(x.a, b, 16);
    return x;
}

td_ip td_ip_of_tuple(const td_tuple *t, int end)
{
    if (t->addr_len == 4)
        return td_ip4(t->addr[end]);
    if (t->addr_len == 16)
        return td_ip6(t->addr[end]);
    td_ip none;
    memset(&none, 0, sizeof none);
    return none;
}

td_ip td_ip4n(unsigned a, unsigned b, unsigned c, unsigned d)
{
    const uint8_t q[4] = {(uint8_t)a, (uint8_t)b, (uint8_t)c, (uint8_t)d};
    return td_ip4(q);
}

bool td_ip_eq(const td_ip *x, const td_ip *y)
{
    if (x->family != y->family)
        return false;
    return memcmp(x->a, y->a, x->family == 6 ? 16 : 4) == 0;
}

bool td_ip_is_set(const td_ip *x) { return x->family == 4 || x->family == 6; }

bool td_ip_is_link_local4(const td_ip *x)
{
    return x->family == 4 && x->a[0] == 169 && x->a[1] == 254;
}

bool td_ip_is_unspecified(const td_ip *x)
{
    static const uint8_t zero[16];
    return td_ip_is_set(x) && memcmp(x->a, zero, x->family == 6 ? 16 : 4) == 0;
}

bool td_mac_eq(const td_mac *x, const td_mac *y) { return memcmp(x->a, y->a, 6) == 0; }

bool td_mac_is_zero(const td_mac *x)
{
    static const uint8_t zero[6];
    return memcmp(x->a, zero, 6) == 0;
}

size_t td_ip_format(const td_ip *x, char *buf, size_t n)
{
    int len;
    if (n == 0)
        return 0;
    if (x->family == 4) {
        len = snprintf(buf, n, "%u.%u.%u.%u", x->a[0], x->a[1], x->a[2], x->a[3]);
    } else if (x->family == 6) {
        /* RFC 5952 4.2: the longest run of >= 2 zero groups becomes "::",
         * the first such run on a tie; lower-case hex without leading 0s. */
        unsigned g[8];
        int best = -1, best_len = 0, i;
        for (i = 0; i < 8; i++)
            g[i] = (unsigned)x->a[2 * i] << 8 | x->a[2 * i + 1];
        for (i = 0; i < 8;) {
            int j = i;
            while (j < 8 && g[j] == 0)
                j++;
            if (j - i > best_len && j - i >= 2) {
                best = i;
                best_len = j - i;
            }
            i = j > i ? j : i + 1;
        }
        char tmp[TD_IP_STRLEN];
        size_t o = 0;
        for (i = 0; i < 8; i++) {
            if (i == best) {
                tmp[o++] = ':';
                if (i == 0)
                    tmp[o++] = ':';
                i += best_len - 1;
                continue;
            }
            o += (size_t)snprintf(tmp + o, sizeof tmp - o, "%x", g[i]);
            if (i < 7)
                tmp[o++] = ':';
        }
        tmp[o] = '\0';
        len = snprintf(buf, n, "%s", tmp);
    } else {
        len = snprintf(buf, n, "-");
    }
    if (len < 0)
        len = 0;
    return (size_t)len < n ? (size_t)len : n - 1;
}

size_t td_mac_format(const td_mac *x, char *buf, size_t n)
{
    int len = snprintf(buf, n, "%02x:%02x:%02x:%02x:%02x:%02x", x->a[0], x->a[1], x->a[2],
                       x->a[3], x->a[4], x->a[5]);
    if (n == 0 || len < 0)
        return 0;
    return (size_t)len < n ? (size_t)len : n - 1;
}

uint64_t td_hash(uint64_t h, const void *data, size_t len)
{
    const uint8_t *p = data;
    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

uint64_t td_hash_ip(uint64_t h, const td_ip *x)
{
    h = td_hash(h, &x->family, 1);
    return td_hash(h, x->a, x->family == 6 ? 16 : 4);
}

/* ---- index ---------------------------------------------------------------- */

void td_index_init(td_index *ix) { memset(ix, 0, sizeof *ix); }

void td_index_free(td_index *ix)
{
    free(ix->hash);
    free(ix->value);
    memset(ix, 0, sizeof *ix);
}

uint32_t *td_index_slot(const td_index *ix, uint64_t hash,
                        bool (*eq)(const void *ctx, uint32_t value), const void *ctx)
{
    if (ix->cap == 0)
        return NULL;
    if (hash == 0)
        hash = 1;
    uint32_t mask = ix->cap - 1;
    for (uint32_t i = (uint32_t)hash & mask, n = 0; n < ix->cap; i = (i + 1) & mask, n++) {
        if (ix->hash[i] == 0)
            return NULL;
        if (ix->hash[i] == hash && (!eq || eq(ctx, ix->value[i])))
            return &ix->value[i];
    }
    return NULL;
}

uint32_t td_index_find(const td_index *ix, uint64_t hash,
                       bool (*eq)(const void *ctx, uint32_t value), const void *ctx)
{
    const uint32_t *v = td_index_slot(ix, hash, eq, ctx);
    return v ? *v : TD_INDEX_NONE;
}

static void put_slot(uint64_t *hs, uint32_t *vs, uint32_t cap, uint64_t hash, uint32_t value)
{
    uint32_t mask = cap - 1, i = (uint32_t)hash & mask;
    while (hs[i] != 0)
        i = (i + 1) & mask;
    hs[i] = hash;
    vs[i] = value;
}

bool td_index_put(td_index *ix, uint64_t hash, uint32_t value)
{
    if (hash == 0)
        hash = 1;
    if ((uint64_t)(ix->count + 1) * 2 > ix->cap) { /* keep the load <= 1/2 */
        uint32_t ncap = ix->cap ? ix->cap * 2 : 64;
        if (ncap < ix->cap)
            return false;
        uint64_t *nh = calloc(ncap, sizeof *nh);
        uint32_t *nv = calloc(ncap, sizeof *nv);
        if (!nh || !nv) {
            free(nh);
            free(nv);
            return false;
        }
        for (uint32_t i = 0; i < ix->cap; i++)
            if (ix->hash[i])
                put_slot(nh, nv, ncap, ix->hash[i], ix->value[i]);
        free(ix->hash);
        free(ix->value);
        ix->hash = nh;
        ix->value = nv;
        ix->cap = ncap;
    }
    put_slot(ix->hash, ix->value, ix->cap, hash, value);
    ix->count++;
    return true;
}

/* ---- vec ------------------------------------------------------------------ */

void td_vec_init(td_vec *v, uint32_t size, uint32_t max_items)
{
    memset(v, 0, sizeof *v);
    v->size = size;
    v->max_items = max_items;
}

void td_vec_free(td_vec *v)
{
    free(v->items);
    v->items = NULL;
    v->count = v->cap = 0;
}

void *td_vec_add(td_vec *v, uint32_t *index_out)
{
    if (v->count >= v->max_items) {
        v->dropped++;
        return NULL;
    }
    if (v->count == v->cap) {
        uint32_t ncap = v->cap ? v->cap * 2 : 16;
        if (ncap > v->max_items)
            ncap = v->max_items;
        void *n = realloc(v->items, (size_t)ncap * v->size);
        if (!n)
            return NULL;
        v->items = n;
        v->cap = ncap;
    }
    void *r = (char *)v->items + (size_t)v->count * v->size;
    memset(r, 0, v->size);
    if (index_out)
        *index_out = v->count;
    v->count++;
    return r;
}
