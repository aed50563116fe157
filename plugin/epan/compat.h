/* compat.h — every difference between the Wireshark versions tcpdiag builds
 * against lives here and only here (4.0, 4.4 and 4.6 built and tested; 4.2
 * by these version checks only).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TCPDIAG_COMPAT_H
#define TCPDIAG_COMPAT_H

#include <stdbool.h>

#include <glib.h>
#include <ws_version.h>

#include <epan/column-info.h>
#include <epan/proto.h>

#define TD_WS_AT_LEAST(maj, min)                                                                   \
    (WIRESHARK_VERSION_MAJOR > (maj) ||                                                            \
     (WIRESHARK_VERSION_MAJOR == (maj) && WIRESHARK_VERSION_MINOR >= (min)))

#if !TD_WS_AT_LEAST(4, 0)
#error "tcpdiag needs Wireshark 4.0 or later"
#endif

/* Whether a tree is shown (details pane, -V, -T pdml/json) rather than
 * built for filters only, and whether a filter, colouring rule, custom
 * column or -e field asks for field hf in this packet (Wireshark primes
 * such fields before each dissection and resets them after it).
 *
 * `tshark -T fields -e F...` differs by version, with no test needed here:
 * 4.0 builds a visible tree (every item real) and primes no -e field, so a
 * post-dissector cannot tell what will be printed; 4.2+ build a hidden tree
 * when -e fields are given and prime each of them (output_fields_prime_edt,
 * HF_REF_TYPE_PRINT), so TD_TREE_VISIBLE is false and TD_HF_ASKED true for
 * exactly the printed fields. The GUI's details pane is a visible tree on
 * every version; its colouring rules and filters prime fields in hidden
 * trees, which is why render.c decides on visibility, never on "some field
 * is asked". (Checked with a Lua post-dissector reading tree.visible.) */
#define TD_TREE_VISIBLE(tree) (PTREE_DATA(tree)->visible)
#define TD_HFI_ASKED(hfinfo) ((hfinfo)->ref_type != HF_REF_TYPE_NONE)
#define TD_HF_ASKED(hf) TD_HFI_ASKED(proto_registrar_get_nth((unsigned)(hf)))
/* A protocol is referenced indirectly whenever one of its fields is; this
 * tells a filter on the protocol itself ("tcpdiag"). 4.2 added
 * HF_REF_TYPE_PRINT after DIRECT. */
#define TD_HF_ASKED_DIRECTLY(hf)                                                                   \
    (proto_registrar_get_nth((unsigned)(hf))->ref_type >= HF_REF_TYPE_DIRECT)

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

/* The variable behind a boolean preference: prefs_register_bool_preference()
 * takes a gboolean * in 4.0 and a bool * from 4.2 on (C99 types in the prefs
 * API). Passing the wrong one is a memory bug — Wireshark writes
 * sizeof(bool) bytes into a gboolean or four into a bool — so the type is
 * chosen here and -Werror=incompatible-pointer-types keeps it honest. */
#if TD_WS_AT_LEAST(4, 2)
typedef bool td_pref_bool;
#else
typedef gboolean td_pref_bool;
#endif

/* One byte of a tvb: tvb_get_guint8 up to 4.2, tvb_get_uint8 from 4.4 on
 * (where the old name is deprecated). */
#if TD_WS_AT_LEAST(4, 4)
#define td_tvb_u8(tvb, off) tvb_get_uint8((tvb), (off))
#else
#define td_tvb_u8(tvb, off) tvb_get_guint8((tvb), (off))
#endif

/* A "-z" stat tap's init callback (stat_tap_ui.tap_init_cb) returns void up
 * to 4.4; from 4.6 on it returns bool and tshark exits 1, silently, when it
 * is false. */
#if TD_WS_AT_LEAST(4, 6)
#define TD_STAT_TAP_INIT_RESULT bool
#define TD_STAT_TAP_INIT_OK true
#else
#define TD_STAT_TAP_INIT_RESULT void
#define TD_STAT_TAP_INIT_OK
#endif

/* The TCP conversation type: conversation_type / CONVERSATION_TCP exists
 * from 4.0 (ENDPOINT_TCP is its older alias). */
#define TD_CONV_TCP CONVERSATION_TCP

/* True when no newer conversation follows conv on its key's hash chain
 * (conversation_t.next, public in 4.0-4.6): see conn_cache.c. */
#define TD_CONV_IS_NEWEST(conv) ((conv)->next == NULL)

/* Whether the packet's columns include "Expert Info Severity" (%a), which
 * expert_add_info() fills even without a tree. column_info's per-format
 * index (col_first, -1 when absent) is the same in 4.0-4.6. */
#define TD_COLUMNS_SHOW_EXPERT(cinfo)                                                              \
    ((cinfo) != NULL && (cinfo)->col_first != NULL && (cinfo)->col_first[COL_EXPERT] >= 0)

#endif
