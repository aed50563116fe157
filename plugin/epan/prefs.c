/* prefs.c — see prefs.h.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "prefs.h"

#include "td_limits.h"

void td_prefs_register(int proto, td_prefs *p)
{
    p->no_response_threshold_ms = (guint)(TD_NO_RESPONSE_NS_DEFAULT / 1000000);
    p->append_info = FALSE;
    p->judge_midstream = FALSE;
    p->header_observers = TRUE;

    module_t *m = prefs_register_protocol(proto, NULL);
    prefs_register_uint_preference(m, "no_response_threshold",
        "No-response threshold (ms)",
        "A single SYN (or SYN/ACK) left unanswered for at least this long before the "
        "capture ends counts as unanswered (no-response / half-open) rather than pending.",
        10, &p->no_response_threshold_ms);
    prefs_register_bool_preference(m, "append_info",
        "Append the verdict to the Info column",
        "Adds \"[tcpdiag: <verdict>]\" to the Info column of every packet of a judged "
        "connection.", &p->append_info);
    prefs_register_bool_preference(m, "judge_midstream",
        "Judge connections whose SYN is missing",
        "When the capture holds a connection's SYN/ACK but not its SYN (capture started "
        "late, one direction only), judge it from the SYN/ACK on (established, half-open...) "
        "instead of calling it midstream.", &p->judge_midstream);
    prefs_register_bool_preference(m, "header_observers",
        "Read TCP/ICMP headers directly (fast)",
        "Read each TCP header (and the ICMP error quoting one) as the IP layer hands it to "
        "TCP, without a protocol tree. Off: read them from Wireshark's dissected fields "
        "instead, which makes tshark build a protocol tree for every packet (slower). tcpdiag "
        "does that by itself when Decode As or another plugin has replaced TCP or ICMP in the "
        "IP protocol table.",
        &p->header_observers);
}
