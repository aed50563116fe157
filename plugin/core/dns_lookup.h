/* dns_lookup.h — name resolution as the capture shows it: DNS queries and
 * responses (UDP or TCP, port 53) grouped into lookups, each with an
 * outcome (tcpdiag.dns.verdict), and the addresses they returned, so that
 * a connection can be named (tcpdiag.server.name) and a failed lookup that
 * was never followed by a connection can be concluded on. Pure C.
 *
 * A lookup is one question (client, name, type). Queries for the same
 * name and type from the same client within TD_DNS_RETRY_WINDOW_NS of the
 * lookup's latest query join it while it has not resolved: a
 * retransmission, a resolver retrying after a failure from a new source
 * port or with another server, a retry over TCP after TC=1. glibc reuses
 * the transaction id across its retries and servers, dig changes it for
 * its TCP retry, so the id only matches responses to queries.
 *
 * Feed the packets of the first pass in frame order; ask verdicts at any
 * time (they depend on now_ns, the latest capture time known).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TCPDIAG_DNS_LOOKUP_H
#define TCPDIAG_DNS_LOOKUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dns_wire.h"
#include "evidence.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The strings (td_dns_verdict_name) are a contract: add, never rename. */
typedef enum {
    TD_DNS_V_RESOLVED = 0, /* an answer with addresses (CNAMEs followed) */
    TD_DNS_V_NO_ADDRESS,   /* NOERROR, but no address for the name asked */
    TD_DNS_V_NXDOMAIN,
    TD_DNS_V_SERVFAIL,
    TD_DNS_V_REFUSED,
    TD_DNS_V_NO_ANSWER,    /* retried, or >= 1 s, or an ICMP error: no response */
    TD_DNS_V_PENDING,      /* one query, capture ended < 1 s after it */
    TD_DNS_V_TRUNCATED,    /* TC=1 and no retry over TCP */
    TD_DNS_V_ERROR,        /* another RCODE (FORMERR, NOTIMP...) */
    TD_DNS_V_COUNT
} td_dns_verdict;

#define TD_DNS_NONE UINT32_MAX

/* One DNS message as the plugin saw it. */
typedef struct {
    uint32_t frame;
    int64_t ts_ns;
    td_ip src, dst;
    uint16_t sport, dport;
    bool tcp;
    const td_dns_msg *msg;
} td_dns_pkt;

/* td_dns_lookup.flags */
enum {
    TD_DNS_L_RESPONSE = 1u << 0, /* a response matched a query of it */
    TD_DNS_L_RESOLVED = 1u << 1, /* one response had addresses (sticky) */
    TD_DNS_L_TC = 1u << 2,       /* the latest response had TC=1 */
    TD_DNS_L_TCP = 1u << 3,      /* a query of it went over TCP */
    TD_DNS_L_NO_QUERY = 1u << 4, /* the response's query is not captured */
    TD_DNS_L_QUERY_AFTER = 1u << 5, /* a query came after the latest response */
    TD_DNS_L_MALFORMED = 1u << 6  /* a response to it could not be read (ignored) */
};

typedef struct {
    uint32_t key;      /* hash of (server, client port, transaction id) */
    uint32_t frame;
    int64_t ts_ns;
} td_dns_try;

typedef struct {
    td_ip client;
    td_ip server;          /* the server that answered, else the latest asked */
    int64_t ts_first;      /* first query (or the response when no query) */
    int64_t ts_last_query;
    int64_t ts_response;   /* the response that decided the outcome */
    int64_t rtt_ns;        /* that response minus its query; -1: none */
    uint32_t frame_first, frame_last_query, frame_response;
    uint32_t name_id;      /* td_dns_name_of() */
    uint32_t final_id;     /* last CNAME target followed, else name_id */
    uint32_t n_addrs;      /* addresses in the deciding answer */
    td_ip first_addr;      /* the first of them */
    uint16_t qtype;
    uint16_t tries;        /* queries sent (retransmissions included) */
    uint16_t icmp_errors;  /* ICMP errors quoting a query of it */
    uint16_t servers;      /* distinct servers asked, 1 or 2 (2 = "several") */
    uint8_t rcode;         /* of the deciding response */
    uint8_t flags;         /* TD_DNS_L_* */
    uint8_t next_try;
    td_dns_try try_[TD_DNS_TRIES_KEPT];
} td_dns_lookup;

/* A DNS server's counts over the capture. */
typedef struct {
    td_ip addr;
    uint32_t queries, responses, icmp_errors;
    uint32_t frame_first;
} td_dns_server;

typedef struct {
    td_vec lookups;   /* td_dns_lookup */
    td_index by_key;  /* (client, name, type) -> latest lookup */
    /* interned names */
    char *arena;
    uint32_t arena_len, arena_cap;
    td_vec names;     /* td_dns_name_rec */
    td_index name_ix;
    /* address -> the latest lookup that returned it */
    td_vec addrs;     /* td_dns_addr_rec */
    td_index addr_ix;
    td_vec servers;   /* td_dns_server */
    td_index server_ix;
    uint32_t dropped; /* messages not tracked (a table full) */
} td_dns_state;

void td_dns_init(td_dns_state *st);
void td_dns_free(td_dns_state *st);

/* Feeds one DNS message (first pass, frame order). Returns the lookup the
 * frame belongs to, or TD_DNS_NONE (not tracked: not a QUERY, a table
 * full). */
uint32_t td_dns_update(td_dns_state *st, const td_dns_pkt *p);

/* An ICMP/ICMPv6 error (port unreachable...) quoting a DNS query: `p`
 * describes the QUOTED datagram (src = the client). Counts against its
 * lookup (which stays unanswered: an ICMP error is no DNS answer) and its
 * server; returns the lookup or TD_DNS_NONE. */
uint32_t td_dns_icmp_error(td_dns_state *st, const td_dns_pkt *quoted, uint32_t frame);

/* A connection's first SYN to `server` at ts_ns (first pass, frame order):
 * returns the name of the latest lookup that returned this address (the
 * name asked, TD_DNS_NONE if none) and remembers that the name was
 * connected to (td_dns_lookup_connected). */
uint32_t td_dns_note_connection(td_dns_state *st, const td_ip *server, int64_t ts_ns);
/* The same, preferring the connecting client's own latest lookup of the
 * address (an address shared by many names) over anybody's. */
uint32_t td_dns_note_connection_from(td_dns_state *st, const td_ip *client, const td_ip *server,
                                     int64_t ts_ns);

/* The name of the latest lookup that returned this address (any time),
 * read-only; TD_DNS_NONE if none. */
uint32_t td_dns_name_for(const td_dns_state *st, const td_ip *addr);

const td_dns_lookup *td_dns_lookup_at(const td_dns_state *st, uint32_t i);
uint32_t td_dns_lookup_count(const td_dns_state *st);
td_dns_verdict td_dns_verdict_of(const td_dns_lookup *l, int64_t now_ns, int64_t threshold_ns);
/* A connection to an address of this lookup's name started after it. */
bool td_dns_lookup_connected(const td_dns_state *st, const td_dns_lookup *l);

/* The name text of a name id ("" for TD_DNS_NONE). */
const char *td_dns_name_of(const td_dns_state *st, uint32_t name_id);

uint32_t td_dns_server_count(const td_dns_state *st);
const td_dns_server *td_dns_server_at(const td_dns_state *st, uint32_t i);
/* Every query to server i unanswered (no response, maybe ICMP errors)
 * while some other server did answer: the "DNS server down" conclusion. */
bool td_dns_server_silent(const td_dns_state *st, uint32_t i, uint32_t *other_out);

/* Sentences (for expert items, conclusions, reports); the length written,
 * NUL-terminated. td_dns_describe: "nosuch.example.com A: NXDOMAIN from
 * 192.0.2.53 (2 tries)". td_dns_conclusion: for a failed lookup never
 * followed by a connection to its name, e.g. "db.example.com did not
 * resolve (NXDOMAIN from 192.0.2.53, 2 tries): no connection was
 * attempted; check the name and the DNS server"; 0 (empty) otherwise.
 * td_dns_server_conclusion: for a silent server. */
size_t td_dns_describe(const td_dns_state *st, const td_dns_lookup *l, int64_t now_ns,
                       int64_t threshold_ns, char *buf, size_t n);
size_t td_dns_conclusion(const td_dns_state *st, const td_dns_lookup *l, int64_t now_ns,
                         int64_t threshold_ns, char *buf, size_t n);
size_t td_dns_server_conclusion(const td_dns_state *st, uint32_t i, char *buf, size_t n);

const char *td_dns_verdict_name(td_dns_verdict v);
bool td_dns_verdict_is_failure(td_dns_verdict v);

#ifdef __cplusplus
}
#endif
#endif
