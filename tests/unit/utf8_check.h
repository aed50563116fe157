/* utf8_check.h — is a string well-formed UTF-8? Shared by the diagnosis
 * unit test and the fuzzer: tcpdiag's sentences go into Wireshark string
 * fields, which must be valid UTF-8 even when cut short.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TCPDIAG_UTF8_CHECK_H
#define TCPDIAG_UTF8_CHECK_H

/* True if s is well-formed UTF-8 (no sequence cut short). */
static inline int utf8_ok(const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    while (*u) {
        int n = *u < 0x80 ? 0 : (*u & 0xE0) == 0xC0 ? 1 : (*u & 0xF0) == 0xE0 ? 2
              : (*u & 0xF8) == 0xF0 ? 3 : -1;
        if (n < 0)
            return 0;
        for (u++; n > 0; n--, u++)
            if ((*u & 0xC0) != 0x80)
                return 0;
    }
    return 1;
}

#endif
