/* textbuf.c — see textbuf.h.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "textbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void td_text_init(td_textbuf *t, char *buf, size_t len)
{
    t->buf = buf;
    t->len = len;
    t->used = 0;
    if (len)
        buf[0] = '\0';
}

void td_text_resume(td_textbuf *t, char *buf, size_t len)
{
    t->buf = buf;
    t->len = len;
    t->used = len ? strnlen(buf, len) : 0;
    if (len && t->used == len)
        t->used = len; /* full (not terminated): write nothing more */
}

/* Drops a UTF-8 sequence cut short at the end of buf[0..n). */
static void trim_utf8(char *buf, size_t n)
{
    size_t i = n;
    while (i > 0 && ((unsigned char)buf[i - 1] & 0xC0) == 0x80)
        i--; /* continuation bytes */
    if (i == 0 || (unsigned char)buf[i - 1] < 0xC0)
        return; /* ends in ASCII (or only continuation bytes) */
    unsigned char lead = (unsigned char)buf[i - 1];
    size_t want = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
    if (n - (i - 1) < want)
        buf[i - 1] = '\0';
}

void td_text_put(td_textbuf *t, const char *fmt, ...)
{
    if (t->used >= t->len)
        return;
    size_t room = t->len - t->used;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(t->buf + t->used, room, fmt, ap);
    va_end(ap);
    if (n >= 0 && (size_t)n < room) {
        t->used += (size_t)n;
        return;
    }
    if (n < 0)
        t->buf[t->used] = '\0';
    else
        trim_utf8(t->buf, t->len - 1);
    t->used = t->len; /* truncated: write nothing more */
}

void td_text_append(char *buf, size_t n, size_t *o, const char *fmt, ...)
{
    if (*o >= n)
        return;
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(buf + *o, n - *o, fmt, ap);
    va_end(ap);
    if (k > 0)
        *o = *o + (size_t)k < n ? *o + (size_t)k : n - 1;
}
