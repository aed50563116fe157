/* plugin.c — the symbols Wireshark's plugin loader looks for.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <epan/proto.h>
#include <ws_symbol_export.h>

#include "compat.h"

#ifndef TCPDIAG_VERSION
#define TCPDIAG_VERSION "0.0.0"
#endif

void proto_register_tcpdiag(void);
void proto_reg_handoff_tcpdiag(void);

WS_DLL_PUBLIC_DEF const char plugin_version[] = TCPDIAG_VERSION;
WS_DLL_PUBLIC_DEF const int plugin_want_major = WIRESHARK_VERSION_MAJOR;
WS_DLL_PUBLIC_DEF const int plugin_want_minor = WIRESHARK_VERSION_MINOR;

WS_DLL_PUBLIC void plugin_register(void);
#if TD_HAVE_PLUGIN_DESCRIBE
WS_DLL_PUBLIC uint32_t plugin_describe(void);
uint32_t plugin_describe(void)
{
    return WS_PLUGIN_DESC_DISSECTOR;
}
#endif

void plugin_register(void)
{
    static proto_plugin plug;
    plug.register_protoinfo = proto_register_tcpdiag;
    plug.register_handoff = proto_reg_handoff_tcpdiag;
    proto_register_plugin(&plug);
}
