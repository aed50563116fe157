/* time_ns.h — a capture time as clamped nanoseconds (pure C).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TCPDIAG_TIME_NS_H
#define TCPDIAG_TIME_NS_H

#include <stdint.h>

#include "td_limits.h"

/* secs + nsecs in nanoseconds, clamped to +-TD_TS_LIMIT_NS so that the
 * difference of two such times never overflows int64_t. */
static inline int64_t td_time_ns_of(int64_t secs, int64_t nsecs)
{
    const int64_t lim_s = TD_TS_LIMIT_NS / 1000000000;
    if (secs > lim_s)
        return TD_TS_LIMIT_NS;
    if (secs < -lim_s)
        return -TD_TS_LIMIT_NS;
    int64_t ns = secs * 1000000000 + nsecs;
    return ns > TD_TS_LIMIT_NS ? TD_TS_LIMIT_NS : ns < -TD_TS_LIMIT_NS ? -TD_TS_LIMIT_NS : ns;
}

#endif
