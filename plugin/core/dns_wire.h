/* dns_wire.h — reads a DNS message (RFC 1035 4.1) into a flat struct:
 * header, the first question, and the answer section's A, AAAA and CNAME
 * records (others are counted, not kept). Pure C; bounded work on any
 * input (name length, label count, compression pointer hops, records).
 *
 * Names come out in lower case (DNS names compare case-insensitively,
 * RFC 4343), without the final dot, bytes outside printable ASCII as '?'.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TCPDIAG_DNS_WIRE_H
#define TCPDIAG_DNS_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "evidence.h"

#ifdef __cplusplus
extern "C" {
#endif

enum {
    TD_DNS_T_A = 1,
    TD_DNS_T_CNAME = 5,
    TD_DNS_T_PTR = 12,
    TD_DNS_T_AAAA = 28,
    TD_DNS_T_ANY = 255
};
enum {                      /* RCODE (RFC 1035 4.1.1, RFC 6895 2.3) */
    TD_DNS_R_NOERROR = 0,
    TD_DNS_R_FORMERR = 1,
    TD_DNS_R_SERVFAIL = 2,
    TD_DNS_R_NXDOMAIN = 3,
    TD_DNS_R_NOTIMP = 4,
    TD_DNS_R_REFUSED = 5
};

#define TD_DNS_NO_NAME 0xffffu
/* Bytes for the names of one message: the question and up to
 * TD_DNS_RR_MAX owners / targets, most names being short. */
#define TD_DNS_TEXT_MAX 8192

typedef struct {
    uint16_t type;     /* TD_DNS_T_A, _AAAA or _CNAME */
    uint16_t owner;    /* offset of the owner name in text[] */
    uint16_t target;   /* CNAME: offset of the target; else TD_DNS_NO_NAME */
    td_ip addr;        /* A / AAAA */
} td_dns_rr;

typedef struct {
    uint16_t id;
    bool response;     /* QR */
    bool tc;           /* truncated (RFC 1035 4.1.1, RFC 7766) */
    bool malformed;    /* something past the question could not be read */
    uint8_t opcode, rcode;
    uint16_t qdcount, ancount;
    uint16_t qtype, qclass;
    uint16_t qname;    /* offset of the name asked in text[] */
    uint16_t n_rr;     /* records kept in rr[] */
    uint16_t an_other; /* answer records of other types (counted) */
    td_dns_rr rr[TD_DNS_RR_MAX];
    uint16_t text_len;
    char text[TD_DNS_TEXT_MAX]; /* NUL-terminated names */
} td_dns_msg;

/* Reads buf[0..len) (a UDP payload, or a TCP DNS message without its
 * 2-byte length). False when it is no DNS message with a question (header
 * short, QDCOUNT 0, question unreadable): then *m is unspecified. */
bool td_dns_parse(const uint8_t *buf, size_t len, td_dns_msg *m);

static inline const char *td_dns_name(const td_dns_msg *m, uint16_t off)
{
    return off < m->text_len ? m->text + off : "";
}

/* The addresses the answer gives for the name asked, following CNAMEs
 * from the question name (at most TD_DNS_CNAME_HOPS_MAX hops): A records
 * for an A question, AAAA for AAAA, both for ANY. Writes up to max into
 * out, returns how many there are in all (may exceed max). *final_name:
 * offset of the name the addresses belong to (the question name, or the
 * last CNAME target), or TD_DNS_NO_NAME. */
size_t td_dns_answer_addrs(const td_dns_msg *m, td_ip *out, size_t max, uint16_t *final_name);

/* True if the answer holds a record of the question's own type (A, AAAA,
 * CNAME), or for any other type at least one answer record: used for
 * questions that are not about addresses (PTR, MX, TXT...). */
bool td_dns_answer_has_qtype(const td_dns_msg *m);

/* "A", "AAAA", "PTR"... or "TYPE65" into buf. */
const char *td_dns_type_name(uint16_t type, char *buf, size_t n);
/* "NOERROR", "NXDOMAIN"... (static) or "RCODE9" into buf. */
const char *td_dns_rcode_name(uint8_t rcode, char *buf, size_t n);

#ifdef __cplusplus
}
#endif
#endif
