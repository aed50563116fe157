/* tuple.c — see tuple.h.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "tuple.h"

#include <string.h>

bool td_tuple_set(td_tuple *t, const void *src, const void *dst, int addr_len, uint16_t sport,
                  uint16_t dport)
{
    memset(t, 0, sizeof *t);
    if (!src || !dst || (addr_len != 4 && addr_len != TD_ADDR_MAX))
        return false;
    memcpy(t->addr[0], src, (size_t)addr_len);
    memcpy(t->addr[1], dst, (size_t)addr_len);
    t->port[0] = sport;
    t->port[1] = dport;
    t->addr_len = (uint8_t)addr_len;
    return true;
}

void td_tuple_canonical(const td_tuple *t, td_tuple *out)
{
    if (td_tuple_order(t) == 0) {
        if (out != t)
            *out = *t;
        return;
    }
    td_tuple s = *t;
    memcpy(s.addr[0], t->addr[1], sizeof s.addr[0]);
    memcpy(s.addr[1], t->addr[0], sizeof s.addr[1]);
    s.port[0] = t->port[1];
    s.port[1] = t->port[0];
    *out = s;
}
