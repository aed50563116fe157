/* check.h — a tiny self-contained test harness for tcpdiag's unit tests.
 *
 * Every failed check prints one line "file:line: CHECK(...): values"; a
 * test program ends with `return check_report();`, which prints
 * "N passed, N failed" and returns non-zero if anything failed.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TCPDIAG_CHECK_H
#define TCPDIAG_CHECK_H

#include <stdio.h>
#include <string.h>

static int check_passed, check_failed;

static inline void check_result(int ok)
{
    if (ok)
        check_passed++;
    else
        check_failed++;
}

/* A boolean condition. */
#define CHECK(cond)                                                         \
    do {                                                                    \
        int ok_ = !!(cond);                                                 \
        check_result(ok_);                                                  \
        if (!ok_)                                                           \
            printf("%s:%d: CHECK(%s) is false\n", __FILE__, __LINE__, #cond); \
    } while (0)

/* Two integers (any integer type up to 64 bits; printed in dec and hex). */
#define CHECK_EQ(a, b)                                                      \
    do {                                                                    \
        long long a_ = (long long)(a), b_ = (long long)(b);                 \
        check_result(a_ == b_);                                             \
        if (a_ != b_)                                                       \
            printf("%s:%d: CHECK_EQ(%s, %s): %lld (0x%llx) != %lld (0x%llx)\n", \
                   __FILE__, __LINE__, #a, #b, a_, (unsigned long long)a_,  \
                   b_, (unsigned long long)b_);                             \
    } while (0)

/* Two strings, exactly. */
#define CHECK_STR(a, b)                                                     \
    do {                                                                    \
        const char *a_ = (a), *b_ = (b);                                    \
        int ok_ = a_ && b_ && strcmp(a_, b_) == 0;                          \
        check_result(ok_);                                                  \
        if (!ok_)                                                           \
            printf("%s:%d: CHECK_STR(%s, %s): \"%s\" != \"%s\"\n", __FILE__, \
                   __LINE__, #a, #b, a_ ? a_ : "(null)", b_ ? b_ : "(null)"); \
    } while (0)

/* haystack contains needle. */
#define CHECK_HAS(hay, needle)                                              \
    do {                                                                    \
        const char *h_ = (hay), *n_ = (needle);                             \
        int ok_ = h_ && n_ && strstr(h_, n_) != NULL;                       \
        check_result(ok_);                                                  \
        if (!ok_)                                                           \
            printf("%s:%d: CHECK_HAS(%s, %s): \"%s\" lacks \"%s\"\n",        \
                   __FILE__, __LINE__, #hay, #needle, h_ ? h_ : "(null)",   \
                   n_ ? n_ : "(null)");                                     \
    } while (0)

/* Runs one test function, naming it so failures can be located. */
#define RUN(test)                                                           \
    do {                                                                    \
        int before_ = check_failed;                                         \
        test();                                                             \
        if (check_failed != before_)                                        \
            printf("  ^ in %s\n", #test);                                   \
    } while (0)

static inline int check_report(void)
{
    printf("%d passed, %d failed\n", check_passed, check_failed);
    return check_failed ? 1 : 0;
}

#endif
