/* test_zero_window.c — the zero-window-at-the-start rule, on numbers and
 * on the two real captures (zero-window.pcap: yes; zero-window-late.pcap:
 * no), and no finding in any other checklist capture.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "check.h"
#include "checklist_feed.h"

#define T0 1700000000000000000LL
#define MS(x) ((int64_t)(x) * 1000000LL)

static void test_rule(void)
{
    td_zw_input in = {false, T0 + MS(100), T0, 5792, 2896, true};
    CHECK_EQ(td_zw_judge(&in), TD_ZW_EARLY);
    char buf[256];
    td_zw_sentence(TD_ZW_EARLY, &in, buf, sizeof buf);
    CHECK_STR(buf, "the server accepted, then advertised a zero window 0.1 s later (after 5792 "
                   "bytes): its receive buffer is full (application not reading, memory pressure)");
    in.client_waiting = false; /* nothing to send */
    CHECK_EQ(td_zw_judge(&in), TD_ZW_NONE);
    in.client_waiting = true;
    /* late and after many windows: ordinary flow control */
    in.ts_ns = T0 + MS(5600);
    in.acked_bytes = 499024;
    in.initial_window = 65160;
    CHECK_EQ(td_zw_judge(&in), TD_ZW_NONE);
    /* late, but after few windows: still the start of the connection */
    in.acked_bytes = 4 * 65160;
    CHECK_EQ(td_zw_judge(&in), TD_ZW_EARLY);
    in.acked_bytes = 4 * 65160 + 1;
    CHECK_EQ(td_zw_judge(&in), TD_ZW_NONE);
    /* early, many windows */
    in.ts_ns = T0 + TD_ZW_EARLY_NS;
    CHECK_EQ(td_zw_judge(&in), TD_ZW_EARLY);
    in.is_synack = true;
    CHECK_EQ(td_zw_judge(&in), TD_ZW_SYNACK);
    CHECK(td_zw_sentence(TD_ZW_SYNACK, &in, buf, sizeof buf) > 0);
    CHECK_EQ(td_zw_sentence(TD_ZW_NONE, &in, buf, sizeof buf), 0);
}

static void test_captures(void)
{
    static cf_ctx c;
    int rows = 0;
    for (size_t i = 0; i < CF_NCAPTURES; i++) {
        const char *cap = CF_CAPTURES[i];
        cf_feed(&c, cap);
        int want = !strcmp(cap, "zero-window.pcap");
        int found = 0;
        for (int s = 0; s < c.nstreams; s++)
            if (c.streams[s].zw_seen && c.streams[s].zw != TD_ZW_NONE)
                found++;
        if (found != want)
            printf("%s: %d zero-window findings\n", cap, found);
        CHECK_EQ(found, want);
        if (!strcmp(cap, "zero-window.pcap")) {
            rows++;
            CHECK_EQ(c.streams[0].zw_in.acked_bytes, 5792);
            CHECK_EQ(c.streams[0].zw_in.initial_window, 2896);
        }
        if (!strcmp(cap, "zero-window-late.pcap")) {
            rows++;
            CHECK(c.streams[0].zw_seen);
            CHECK_EQ(c.streams[0].zw_in.acked_bytes, 499024);
        }
        cf_free(&c);
    }
    CHECK_EQ(rows, 2);
}

int main(void)
{
    RUN(test_rule);
    RUN(test_captures);
    return check_report();
}
