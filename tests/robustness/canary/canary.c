/* canary.c — a deliberately buggy post-dissector plugin that proves the
 * robustness harness catches memory errors and undefined behaviour in a
 * plugin loaded by the uninstrumented tshark (tests/robustness/selftest.py).
 *
 * TDROB_CANARY=uaf   frame 1 writes to freed memory (AddressSanitizer)
 * TDROB_CANARY=ub    frame 1 overflows a signed int (UBSan)
 * TDROB_CANARY=leave the canary does nothing
 *
 * Never installed; built only by the self-test, with -fsanitize.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <epan/packet.h>
#include <ws_symbol_export.h>
#include <ws_version.h>

WS_DLL_PUBLIC_DEF const char plugin_version[] = "0.0.0";
WS_DLL_PUBLIC_DEF const int plugin_want_major = WIRESHARK_VERSION_MAJOR;
WS_DLL_PUBLIC_DEF const int plugin_want_minor = WIRESHARK_VERSION_MINOR;
WS_DLL_PUBLIC void plugin_register(void);
#if WIRESHARK_VERSION_MAJOR > 4 || (WIRESHARK_VERSION_MAJOR == 4 && WIRESHARK_VERSION_MINOR >= 2)
#include <wsutil/plugins.h>
WS_DLL_PUBLIC uint32_t plugin_describe(void);
uint32_t plugin_describe(void) { return WS_PLUGIN_DESC_DISSECTOR; }
#endif

static int proto_canary = -1;
/* volatile: keep the optimiser from proving the bugs away. */
static volatile int sink;

static int dissect_canary(tvbuff_t *tvb _U_, packet_info *pinfo, proto_tree *tree _U_,
                          void *data _U_)
{
    const char *mode = getenv("TDROB_CANARY");
    if (!mode || pinfo->num != 1)
        return 0;
    if (strcmp(mode, "uaf") == 0) {
        char *volatile p = (char *)g_malloc(16);
        g_free(p);
        p[3] = 1;
    } else if (strcmp(mode, "ub") == 0) {
        int x = INT_MAX - (int)pinfo->num + 1;
        sink = x + (int)pinfo->num;
    }
    return 0;
}

static void proto_register_canary(void)
{
    proto_canary = proto_register_protocol("tcpdiag robustness canary", "TDCANARY", "tdcanary");
    register_postdissector(register_dissector("tdcanary", dissect_canary, proto_canary));
}

void plugin_register(void)
{
    static proto_plugin plug;
    plug.register_protoinfo = proto_register_canary;
    plug.register_handoff = NULL;
    proto_register_plugin(&plug);
}
