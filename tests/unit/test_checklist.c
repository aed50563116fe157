/* test_checklist.c — the aggregate entry points (core/checklist.h) the
 * plugin glue calls: quoted-UDP reading, DNS through the ICMP path, the
 * connections' server names, and the hosts-report line, on the real
 * checklist captures.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "check.h"
#include "checklist_feed.h"

#define THR 1000000000LL

static void test_quoted_udp(void)
{
    /* IPv4 header (20) + UDP header (8) + 2 bytes */
    uint8_t q[30] = {0x45, 0, 0, 30, 0, 0, 0, 0, 64, 17, 0, 0, 192, 0, 2, 10, 192, 0, 2, 55,
                     0xa0, 0x00, 0x00, 0x35, 0, 10, 0, 0, 0xab, 0xcd};
    td_ip s, d;
    uint16_t sp, dp;
    const uint8_t *pl;
    size_t pll;
    CHECK(td_cl_quoted_udp(q, sizeof q, &s, &d, &sp, &dp, &pl, &pll));
    CHECK_EQ(sp, 0xa000);
    CHECK_EQ(dp, 53);
    CHECK_EQ(pll, 2);
    CHECK(pl && pl[0] == 0xab);
    /* RFC 792 minimum: IP header + 8 bytes; then only the ports */
    CHECK(td_cl_quoted_udp(q, 28, &s, &d, &sp, &dp, &pl, &pll));
    CHECK_EQ(pll, 0);
    CHECK(td_cl_quoted_udp(q, 24, &s, &d, &sp, &dp, &pl, &pll));
    CHECK(pl == NULL);
    CHECK(!td_cl_quoted_udp(q, 23, &s, &d, &sp, &dp, &pl, &pll));
    q[9] = 6; /* TCP */
    CHECK(!td_cl_quoted_udp(q, sizeof q, &s, &d, &sp, &dp, &pl, &pll));
    q[9] = 17;
    q[0] = 0x4f; /* header length 60 > quote */
    CHECK(!td_cl_quoted_udp(q, sizeof q, &s, &d, &sp, &dp, &pl, &pll));
}

static cf_ctx C;

static const char *line_of(const char *ip4)
{
    static char buf[512];
    unsigned a, b, c, d;
    sscanf(ip4, "%u.%u.%u.%u", &a, &b, &c, &d);
    td_ip x = td_ip4n(a, b, c, d);
    td_nb_prepare(&C.cl->nb, C.last_ts, THR);
    td_cl_host_line(C.cl, &x, C.last_ts, THR, buf, sizeof buf);
    return buf;
}

static void check_name(void *ctx, const char *key, const char *outcome, const char *detail)
{
    char want[128];
    (void)ctx;
    (void)outcome;
    int s = atoi(key);
    if (s >= C.nstreams) {
        CHECK(s < C.nstreams);
        return;
    }
    pf_detail_str(detail, "server.name", want, sizeof want);
    CHECK_STR(td_dns_name_of(&C.cl->dns, C.streams[s].name_id), want);
}

static void test_captures(void)
{
    /* DNS through td_cl_udp / td_cl_icmp */
    cf_feed(&C, "dns-port-unreachable.pcap");
    CHECK_EQ(td_dns_lookup_count(&C.cl->dns), 1);
    const td_dns_lookup *l = td_dns_lookup_at(&C.cl->dns, 0);
    CHECK_EQ(l->icmp_errors, 2);
    CHECK_STR(td_dns_verdict_name(td_dns_verdict_of(l, C.last_ts, THR)), "no-answer");
    CHECK_HAS(line_of("192.0.2.55"), "UDP 53 port-unreachable");
    cf_free(&C);

    /* names of connections (rows with server.name=) */
    static const char *const named[] = {"healthy.pcap", "dns-resolved-dead-host.pcap",
                                        "dns-server-down.pcap", "duplicate-ip.pcap"};
    for (size_t i = 0; i < sizeof named / sizeof named[0]; i++) {
        cf_feed(&C, named[i]);
        pf_expected(named[i], "conn", check_name, NULL);
        cf_free(&C);
    }

    cf_feed(&C, "healthy.pcap");
    CHECK_STR(line_of("198.51.100.10"), "198.51.100.10: name alias.example.com; ping answered (0.1 ms)");
    CHECK_STR(line_of("192.0.2.110"), "192.0.2.110: MAC 02:00:00:00:00:30; ARP dhcp-probe; DHCP bound");
    cf_free(&C);

    cf_feed(&C, "duplicate-ip.pcap");
    CHECK_HAS(line_of("192.0.2.20"), "MAC 02:00:00:00:00:21, 02:00:00:00:00:22; ARP duplicate");
    cf_free(&C);

    cf_feed(&C, "dead-gateway.pcap");
    CHECK_STR(line_of("192.0.2.254"), "192.0.2.254: ARP unanswered");
    char buf[64];
    td_ip nobody = td_ip4n(198, 51, 100, 99);
    CHECK_EQ(td_cl_host_line(C.cl, &nobody, C.last_ts, THR, buf, sizeof buf), 0);
    CHECK_STR(buf, "");
    cf_free(&C);

    cf_feed(&C, "ping-unanswered.pcap");
    CHECK_STR(line_of("198.51.100.20"), "198.51.100.20: ping unanswered");
    cf_free(&C);

    cf_feed(&C, "udp-prohibited.pcap");
    CHECK_STR(line_of("198.51.100.10"), "198.51.100.10: UDP 5061 prohibited");
    cf_free(&C);
}

int main(void)
{
    RUN(test_quoted_udp);
    RUN(test_captures);
    return check_report();
}
