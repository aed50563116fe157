/* prefs.h — tcpdiag's preferences (Edit → Preferences → Protocols →
 * TCPDIAG, or `-o tcpdiag.NAME:VALUE`), in one struct. The entry file owns
 * the struct and hands each module what it needs.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TCPDIAG_PREFS_H
#define TCPDIAG_PREFS_H

#include <stdint.h>

#include <epan/prefs.h>

#include "compat.h"

typedef struct {
    guint no_response_threshold_ms; /* tcpdiag.no_response_threshold */
    td_pref_bool append_info;       /* tcpdiag.append_info */
    td_pref_bool judge_midstream;   /* tcpdiag.judge_midstream */
    td_pref_bool header_observers;  /* tcpdiag.header_observers */
} td_prefs;

/* Sets the defaults and registers every preference of proto into p, which
 * must outlive the program (Wireshark writes into it). */
void td_prefs_register(int proto, td_prefs *p);

static inline int64_t td_prefs_threshold_ns(const td_prefs *p)
{
    return (int64_t)p->no_response_threshold_ms * 1000000;
}

#endif
