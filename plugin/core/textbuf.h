/* textbuf.h — a small appender for the human sentences (pure C).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TCPDIAG_TEXTBUF_H
#define TCPDIAG_TEXTBUF_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Appends into buf[0..len) and never overruns it. Once the text no longer
 * fits it stops, so the result is always a prefix of the full line, cut on
 * a UTF-8 character boundary (it goes into Wireshark string fields, which
 * must be valid UTF-8). */
typedef struct {
    char *buf;
    size_t len, used;
} td_textbuf;

/* Starts an empty text in buf (len may be 0: then nothing is written). */
void td_text_init(td_textbuf *t, char *buf, size_t len);
/* Goes on appending to the text already in buf (NUL-terminated). */
void td_text_resume(td_textbuf *t, char *buf, size_t len);
void td_text_put(td_textbuf *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Appends at *o into buf[0..n), snprintf-style: a text that does not fit
 * is cut (not at a UTF-8 boundary) and *o stops at n - 1. For the
 * evidence reports, which track their own positions. */
void td_text_append(char *buf, size_t n, size_t *o, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#ifdef __cplusplus
}
#endif
#endif
