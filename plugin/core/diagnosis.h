/* diagnosis.h — one line for people: outcome, evidence, likely cause.
 * Pure C (no epan headers), unit-tested with conn_state.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TCPDIAG_DIAGNOSIS_H
#define TCPDIAG_DIAGNOSIS_H

#include <stddef.h>
#include <stdint.h>

#include "conn_state.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Writes the diagnosis of connection c (whose verdict is v, judged at
 * now_ns) into buf, always NUL-terminated; returns buf. server_port is the
 * port the client connected to, or 0 when unknown. */
char *td_diagnosis(char *buf, size_t len, const td_conn *c, td_verdict v,
                   int64_t now_ns, uint16_t server_port);
/* The same, naming the server when a DNS lookup of the capture returned its
 * address: server is "db.example.com (198.51.100.20)", or NULL for the
 * plain sentence ("No answer to 3 SYNs to db.example.com (198.51.100.20)
 * port 5432 over 3.0 s: ..."). */
char *td_diagnosis_named(char *buf, size_t len, const td_conn *c, td_verdict v,
                         int64_t now_ns, uint16_t server_port, const char *server);

/* "port unreachable", "communication administratively prohibited"... for
 * ICMP destination unreachable (type 3) and ICMPv6 (type 1) codes. */
const char *td_icmp_unreach_name(uint8_t type, uint8_t code);

/* Formats a duration as "1.25 ms", "850 ms" or "3.0 s". */
char *td_format_duration(char *buf, size_t len, int64_t ns);

#ifdef __cplusplus
}
#endif
#endif
