/* dns_wire.c — DNS message reader (pure C, bounded on hostile input).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "dns_wire.h"

#include <stdio.h>
#include <string.h>

static uint16_t rd16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }

/* Reads the name at *off into m->text; *off moves past the name's bytes in
 * the message (not past the bytes a pointer leads to). Returns the text
 * offset, or TD_DNS_NO_NAME on a malformed name or a full text buffer. */
static uint16_t read_name(const uint8_t *buf, size_t len, size_t *off, td_dns_msg *m)
{
    size_t pos = *off, end_of_name = 0;
    unsigned hops = 0, wire_len = 0;
    size_t start = m->text_len, o = start;
    bool jumped = false;
    for (;;) {
        if (pos >= len)
            return TD_DNS_NO_NAME;
        uint8_t l = buf[pos];
        if ((l & 0xc0) == 0xc0) { /* compression pointer, RFC 1035 4.1.4 */
            if (pos + 1 >= len || ++hops > TD_DNS_PTR_HOPS_MAX)
                return TD_DNS_NO_NAME;
            size_t target = (size_t)(l & 0x3f) << 8 | buf[pos + 1];
            if (!jumped)
                end_of_name = pos + 2;
            jumped = true;
            if (target >= len)
                return TD_DNS_NO_NAME;
            pos = target;
            continue;
        }
        if (l & 0xc0) /* 0x40 / 0x80: extended label types (RFC 6891 5) */
            return TD_DNS_NO_NAME;
        if (l == 0) {
            if (!jumped)
                end_of_name = pos + 1;
            break;
        }
        wire_len += 1u + l;
        if (wire_len > 255 || pos + 1 + l > len) /* RFC 1035 3.1 */
            return TD_DNS_NO_NAME;
        /* label, a dot before it when not first; leave room for the NUL */
        if (o + (o > start) + l + 1 > TD_DNS_TEXT_MAX)
            return TD_DNS_NO_NAME;
        if (o > start)
            m->text[o++] = '.';
        for (unsigned i = 0; i < l; i++) {
            uint8_t c = buf[pos + 1 + i];
            if (c >= 'A' && c <= 'Z')
                c = (uint8_t)(c - 'A' + 'a');
            else if (c < 0x21 || c > 0x7e)
                c = '?';
            m->text[o++] = (char)c;
        }
        pos += 1u + l;
    }
    if (o + 1 > TD_DNS_TEXT_MAX)
        return TD_DNS_NO_NAME;
    m->text[o++] = '\0'; /* the root: an empty string */
    m->text_len = (uint16_t)o;
    *off = end_of_name;
    return (uint16_t)start;
}

bool td_dns_parse(const uint8_t *buf, size_t len, td_dns_msg *m)
{
    m->text_len = 0;
    m->n_rr = 0;
    m->an_other = 0;
    m->malformed = false;
    if (!buf || len < 12)
        return false;
    m->id = rd16(buf);
    uint16_t flags = rd16(buf + 2);
    m->response = (flags & 0x8000) != 0;
    m->opcode = (uint8_t)((flags >> 11) & 0xf);
    m->tc = (flags & 0x0200) != 0;
    m->rcode = (uint8_t)(flags & 0xf);
    m->qdcount = rd16(buf + 4);
    m->ancount = rd16(buf + 6);
    if (m->qdcount == 0)
        return false;
    size_t off = 12;
    m->qname = read_name(buf, len, &off, m);
    if (m->qname == TD_DNS_NO_NAME || off + 4 > len)
        return false;
    m->qtype = rd16(buf + off);
    m->qclass = rd16(buf + off + 2);
    off += 4;
    /* further questions (QDCOUNT > 1 is not used in practice): skip */
    for (unsigned q = 1; q < m->qdcount; q++) {
        uint16_t saved = m->text_len;
        if (read_name(buf, len, &off, m) == TD_DNS_NO_NAME || off + 4 > len) {
            m->malformed = true;
            return true;
        }
        m->text_len = saved;
        off += 4;
    }
    for (unsigned a = 0; a < m->ancount; a++) {
        uint16_t saved = m->text_len;
        uint16_t owner = read_name(buf, len, &off, m);
        if (owner == TD_DNS_NO_NAME || off + 10 > len) {
            m->malformed = true;
            m->text_len = saved;
            break;
        }
        uint16_t type = rd16(buf + off), rdlen = rd16(buf + off + 8);
        size_t rd = off + 10;
        if (rd + rdlen > len) {
            m->malformed = true;
            m->text_len = saved;
            break;
        }
        off = rd + rdlen;
        if (m->n_rr >= TD_DNS_RR_MAX ||
            !(type == TD_DNS_T_A || type == TD_DNS_T_AAAA || type == TD_DNS_T_CNAME)) {
            m->text_len = saved;
            m->an_other++;
            continue;
        }
        td_dns_rr *r = &m->rr[m->n_rr];
        memset(r, 0, sizeof *r);
        r->type = type;
        r->owner = owner;
        r->target = TD_DNS_NO_NAME;
        if (type == TD_DNS_T_A && rdlen == 4) {
            r->addr = td_ip4(buf + rd);
        } else if (type == TD_DNS_T_AAAA && rdlen == 16) {
            r->addr = td_ip6(buf + rd);
        } else if (type == TD_DNS_T_CNAME) {
            size_t t = rd;
            r->target = read_name(buf, rd + rdlen, &t, m);
            if (r->target == TD_DNS_NO_NAME) {
                /* a pointer may lead before rd: read against the whole
                 * message, but not past this record's rdata end */
                t = rd;
                r->target = read_name(buf, len, &t, m);
            }
            if (r->target == TD_DNS_NO_NAME || t > rd + rdlen) {
                m->malformed = true;
                m->text_len = saved;
                continue;
            }
        } else {
            m->malformed = true; /* A / AAAA with a wrong length */
            m->text_len = saved;
            continue;
        }
        m->n_rr++;
    }
    return true;
}

static bool wants(uint16_t qtype, uint16_t rtype)
{
    if (qtype == TD_DNS_T_ANY)
        return rtype == TD_DNS_T_A || rtype == TD_DNS_T_AAAA;
    return qtype == rtype;
}

size_t td_dns_answer_addrs(const td_dns_msg *m, td_ip *out, size_t max, uint16_t *final_name)
{
    const char *cur = td_dns_name(m, m->qname);
    uint16_t cur_off = m->qname;
    if (final_name)
        *final_name = TD_DNS_NO_NAME;
    if (m->qtype != TD_DNS_T_A && m->qtype != TD_DNS_T_AAAA && m->qtype != TD_DNS_T_ANY)
        return 0;
    for (unsigned hop = 0; hop <= TD_DNS_CNAME_HOPS_MAX; hop++) {
        size_t n = 0;
        uint16_t next = TD_DNS_NO_NAME;
        for (unsigned i = 0; i < m->n_rr; i++) {
            const td_dns_rr *r = &m->rr[i];
            if (strcmp(td_dns_name(m, r->owner), cur) != 0)
                continue;
            if (wants(m->qtype, r->type)) {
                if (n < max && out)
                    out[n] = r->addr;
                n++;
            } else if (r->type == TD_DNS_T_CNAME && next == TD_DNS_NO_NAME) {
                next = r->target;
            }
        }
        if (n > 0) {
            if (final_name)
                *final_name = cur_off;
            return n;
        }
        if (next == TD_DNS_NO_NAME)
            return 0;
        cur_off = next;
        cur = td_dns_name(m, next);
        if (final_name)
            *final_name = cur_off; /* the chain went this far */
    }
    return 0;
}

bool td_dns_answer_has_qtype(const td_dns_msg *m)
{
    if (m->qtype == TD_DNS_T_A || m->qtype == TD_DNS_T_AAAA || m->qtype == TD_DNS_T_ANY)
        return td_dns_answer_addrs(m, NULL, 0, NULL) > 0;
    if (m->qtype == TD_DNS_T_CNAME) {
        for (unsigned i = 0; i < m->n_rr; i++)
            if (m->rr[i].type == TD_DNS_T_CNAME)
                return true;
        return false;
    }
    return m->an_other > 0;
}

const char *td_dns_type_name(uint16_t type, char *buf, size_t n)
{
    static const struct { uint16_t t; const char *s; } names[] = {
        {1, "A"}, {2, "NS"}, {5, "CNAME"}, {6, "SOA"}, {12, "PTR"}, {15, "MX"},
        {16, "TXT"}, {28, "AAAA"}, {33, "SRV"}, {64, "SVCB"}, {65, "HTTPS"}, {255, "ANY"}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (names[i].t == type)
            return names[i].s;
    snprintf(buf, n, "TYPE%u", type); /* RFC 3597 5 */
    return buf;
}

const char *td_dns_rcode_name(uint8_t rcode, char *buf, size_t n)
{
    static const char *const names[] = {"NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN",
                                        "NOTIMP", "REFUSED"};
    if (rcode < sizeof names / sizeof names[0])
        return names[rcode];
    snprintf(buf, n, "RCODE%u", rcode);
    return buf;
}
