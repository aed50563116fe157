/* tuple.h — a TCP segment's 4-tuple and the one rule that orders its two
 * endpoints (pure C).
 *
 * A connection's two directions are told apart by ordering its endpoints:
 * the lower (address, then port) is end 0. A segment's direction is 0 when
 * the lower endpoint sent it. Wireshark's cmp_address() orders addresses of
 * one type by their bytes, so this rule and a conversation key agree.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TCPDIAG_TUPLE_H
#define TCPDIAG_TUPLE_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TD_ADDR_MAX 16 /* bytes of an IPv6 address */

typedef struct {
    uint8_t addr[2][TD_ADDR_MAX]; /* [0] source, [1] destination */
    uint16_t port[2];
    uint8_t addr_len;             /* 4 (IPv4) or 16 (IPv6); 0: no tuple */
} td_tuple;

/* Fills t; false (t cleared) unless both addresses have 4 or 16 bytes. */
bool td_tuple_set(td_tuple *t, const void *src, const void *dst, int addr_len, uint16_t sport,
                  uint16_t dport);

/* 0 when end 0 (the source) is the lower endpoint or both are equal, 1
 * otherwise: the segment's direction. (Inline: once per packet.) */
static inline uint8_t td_tuple_order(const td_tuple *t)
{
    int c = memcmp(t->addr[0], t->addr[1], t->addr_len);
    if (c == 0)
        c = (t->port[0] > t->port[1]) - (t->port[0] < t->port[1]);
    return c <= 0 ? 0 : 1;
}

/* t with its ends swapped so that the lower endpoint is end 0. */
void td_tuple_canonical(const td_tuple *t, td_tuple *out);

/* Tuples made by td_tuple_set (unused address bytes zero). */
static inline bool td_tuple_equal(const td_tuple *a, const td_tuple *b)
{
    return a->addr_len == b->addr_len && a->port[0] == b->port[0] && a->port[1] == b->port[1] &&
           memcmp(a->addr, b->addr, sizeof a->addr) == 0;
}

static inline bool td_tuple_is_ipv6(const td_tuple *t) { return t->addr_len == 16; }

#ifdef __cplusplus
}
#endif
#endif
