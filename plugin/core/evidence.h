/* evidence.h — the small shared pieces of the checklist evidence modules
 * (dns_lookup, neighbor, ping, dhcp, udp_unreach, zero_window): IP and
 * hardware addresses as plain values, their text forms, a hash, and a
 * bounded open-addressing index. Pure C, no epan or GLib header.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TCPDIAG_EVIDENCE_H
#define TCPDIAG_EVIDENCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "td_limits.h"
#include "tuple.h"

#ifdef __cplusplus
extern "C" {
#endif

/* An IPv4 or IPv6 address. family 4: a[0..3] in network order, the rest
 * zero; family 6: a[0..15]; family 0: none. Compare with td_ip_eq. */
typedef struct {
    uint8_t family;
    uint8_t a[16];
} td_ip;

typedef struct {
    uint8_t a[6];
} td_mac;

td_ip td_ip4(const uint8_t b[4]);
td_ip td_ip6(const uint8_t b[16]);
/* a.b.c.d from four numbers (tests, constants). */
td_ip td_ip4n(unsigned a, unsigned b, unsigned c, unsigned d);
/* End end (0 source, 1 destination) of a tuple; family 0 if it has none. */
td_ip td_ip_of_tuple(const td_tuple *t, int end);
bool td_ip_eq(const td_ip *x, const td_ip *y);
bool td_ip_is_set(const td_ip *x);
/* 169.254.0.0/16 (RFC 3927): what a host without a DHCP lease uses. */
bool td_ip_is_link_local4(const td_ip *x);
/* 0.0.0.0 / :: */
bool td_ip_is_unspecified(const td_ip *x);
bool td_mac_eq(const td_mac *x, const td_mac *y);
bool td_mac_is_zero(const td_mac *x);

/* Text forms: dotted quad, RFC 5952 for IPv6 ("2001:db8:1::10"), and
 * "02:00:00:00:00:10". Return the length written (always NUL-terminated
 * when n > 0). 46 and 18 bytes are always enough. */
#define TD_IP_STRLEN 46
#define TD_MAC_STRLEN 18
size_t td_ip_format(const td_ip *x, char *buf, size_t n);
size_t td_mac_format(const td_mac *x, char *buf, size_t n);

/* 64-bit FNV-1a, chained through `h` (start with TD_HASH_INIT). */
#define TD_HASH_INIT 0xcbf29ce484222325ULL
uint64_t td_hash(uint64_t h, const void *data, size_t len);
uint64_t td_hash_ip(uint64_t h, const td_ip *x);

/* A growable open-addressing index from a 64-bit hash to a record number.
 * It stores no keys: td_index_find asks the caller whether the record with
 * a matching hash is the one sought (eq), so collisions are harmless. At
 * most `max` records; records are never removed. */
typedef struct {
    uint64_t *hash;    /* 0 = empty slot (a real hash 0 is stored as 1) */
    uint32_t *value;
    uint32_t cap;      /* slots, a power of two, or 0 */
    uint32_t count;
} td_index;

#define TD_INDEX_NONE UINT32_MAX
void td_index_init(td_index *ix);
void td_index_free(td_index *ix);
/* The value of the first record with this hash for which eq(ctx, value) is
 * true, or TD_INDEX_NONE. */
uint32_t td_index_find(const td_index *ix, uint64_t hash,
                       bool (*eq)(const void *ctx, uint32_t value), const void *ctx);
/* The same, but a pointer to the stored value (to replace it in place);
 * NULL when absent. Valid until the next td_index_put. */
uint32_t *td_index_slot(const td_index *ix, uint64_t hash,
                        bool (*eq)(const void *ctx, uint32_t value), const void *ctx);
/* Adds (hash -> value); false if out of memory. Duplicates are the
 * caller's business (find first). */
bool td_index_put(td_index *ix, uint64_t hash, uint32_t value);

/* A growable array of fixed-size records, at most max_items. */
typedef struct {
    void *items;
    uint32_t count, cap, max_items;
    uint32_t size;     /* bytes per record */
    uint32_t dropped;  /* adds refused because max_items was reached */
} td_vec;

void td_vec_init(td_vec *v, uint32_t size, uint32_t max_items);
void td_vec_free(td_vec *v);
/* A new zeroed record; *index_out its number. NULL when full (counted in
 * dropped) or out of memory. Pointers are valid until the next add. */
void *td_vec_add(td_vec *v, uint32_t *index_out);
static inline void *td_vec_at(const td_vec *v, uint32_t i)
{
    return i < v->count ? (char *)v->items + (size_t)i * v->size : NULL;
}

#ifdef __cplusplus
}
#endif
#endif
