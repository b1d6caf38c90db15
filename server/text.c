/* A growing text for answers written by hand (server/text.h). */
#include "server/text.h"

#include <stdlib.h>
#include <string.h>

void
cr_text_add(struct cr_text *t, const char *s, size_t n)
{
    if (t->oom)
        return;
    if (t->len + n + 1 > t->cap) {
        size_t cap = t->cap ? t->cap : 4096;
        char *p;
        while (cap < t->len + n + 1)
            cap *= 2;
        if (!(p = realloc(t->p, cap))) {
            t->oom = 1;
            return;
        }
        t->p = p;
        t->cap = cap;
    }
    memcpy(t->p + t->len, s, n);
    t->len += n;
    t->p[t->len] = '\0';
}

void
cr_text_str(struct cr_text *t, const char *s)
{
    cr_text_add(t, s, strlen(s));
}

/* TENTHS / 10 with one decimal ("245.0", "0.3"), as JSON_REAL_PRECISION prints those values. */
void
cr_text_tenths(struct cr_text *t, uint64_t tenths)
{
    char buf[32], *q = buf + sizeof buf;
    uint64_t whole = tenths / 10;

    *--q = (char)('0' + tenths % 10);
    *--q = '.';
    do {
        *--q = (char)('0' + whole % 10);
        whole /= 10;
    } while (whole);
    cr_text_add(t, q, (size_t)(buf + sizeof buf - q));
}

/* Appends "KEY":JSON and frees J. */
void
cr_text_json(struct cr_text *t, const char *key, json_t *j, size_t flags)
{
    char *dump = json_dumps(j, flags);
    json_decref(j);
    if (!dump) {
        t->oom = 1;
        return;
    }
    cr_text_str(t, ",\"");
    cr_text_str(t, key);
    cr_text_str(t, "\":");
    cr_text_str(t, dump);
    free(dump);
}

/* Rows of tenths, UINT64_MAX as null. */
void
cr_text_matrix(struct cr_text *t, const char *key, const uint64_t *v, size_t ns, size_t nd)
{
    cr_text_str(t, ",\"");
    cr_text_str(t, key);
    cr_text_str(t, "\":[");
    for (size_t i = 0; i < ns; i++) {
        cr_text_str(t, i ? ",[" : "[");
        for (size_t j = 0; j < nd; j++) {
            uint64_t x = v[i * nd + j];
            if (j)
                cr_text_add(t, ",", 1);
            if (x == UINT64_MAX)
                cr_text_add(t, "null", 4);
            else
                cr_text_tenths(t, x);
        }
        cr_text_add(t, "]", 1);
    }
    cr_text_add(t, "]", 1);
}
