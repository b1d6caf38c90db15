/*
 * A growing text for answers the server writes by hand: the table answer's numbers are tenths,
 * printed exactly and ten times faster than through printf's floating point. Out of memory is
 * remembered (oom) and every later call does nothing, so a writer checks once at the end.
 */
#ifndef CR_SERVER_TEXT_H
#define CR_SERVER_TEXT_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

struct cr_text {
    char *p; /* NUL-terminated; caller frees: free() */
    size_t len, cap;
    int oom;
};

/* Appends N bytes of S, or the C string S. */
void cr_text_add(struct cr_text *t, const char *s, size_t n);
void cr_text_str(struct cr_text *t, const char *s);

/* TENTHS / 10 with one decimal ("245.0", "0.3"), as JSON_REAL_PRECISION prints those values. */
void cr_text_tenths(struct cr_text *t, uint64_t tenths);

/* Appends ,"KEY":J dumped with FLAGS (jansson's) and frees J. */
void cr_text_json(struct cr_text *t, const char *key, json_t *j, size_t flags);

/* Appends ,"KEY":[[...],...]: NS rows of ND values in tenths, UINT64_MAX as null. */
void cr_text_matrix(struct cr_text *t, const char *key, const uint64_t *v, size_t ns, size_t nd);

#endif
