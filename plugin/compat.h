/* compat.h — every difference between the Wireshark versions tcpdiag builds
 * against (4.0 tested; 4.2–4.6 by these checks) lives here and only here.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TCPDIAG_COMPAT_H
#define TCPDIAG_COMPAT_H

#include <ws_version.h>

#define TD_WS_AT_LEAST(maj, min)                                                                   \
    (WIRESHARK_VERSION_MAJOR > (maj) ||                                                            \
     (WIRESHARK_VERSION_MAJOR == (maj) && WIRESHARK_VERSION_MINOR >= (min)))

#if !TD_WS_AT_LEAST(4, 0)
#error "tcpdiag needs Wireshark 4.0 or later"
#endif

/* field_info.value: an embedded fvalue_t in 4.0, a pointer from 4.2 on. */
#if TD_WS_AT_LEAST(4, 2)
#define TD_FI_FVALUE(fi) ((fi)->value)
#else
#define TD_FI_FVALUE(fi) (&(fi)->value)
#endif

/* wsutil/plugins.h and plugin_describe() appeared in 4.2; 4.4 refuses a
 * plugin that does not describe itself. */
#if TD_WS_AT_LEAST(4, 2)
#include <wsutil/plugins.h>
#define TD_HAVE_PLUGIN_DESCRIBE 1
#else
#define TD_HAVE_PLUGIN_DESCRIBE 0
#endif

/* The TCP conversation type: conversation_type / CONVERSATION_TCP exists
 * from 4.0 (ENDPOINT_TCP is its older alias). */
#define TD_CONV_TCP CONVERSATION_TCP

#endif
