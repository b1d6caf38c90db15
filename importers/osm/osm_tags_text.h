/*
 * Reading tag values as text, shared by the tag files (osm_values.c, osm_tags.c,
 * osm_restriction_tags.c): spans of a value, ASCII tests without the C library's locale, word
 * lists. Inline: they run on every tag of every way.
 */
#ifndef CR_IMPORTERS_OSM_TAGS_TEXT_H
#define CR_IMPORTERS_OSM_TAGS_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "importers/osm/osm_tags.h"

/* ---- characters and spans ---------------------------------------------------------------- */

/* A piece of a tag value: not NUL-terminated. */
struct span {
    const char *p;
    size_t n;
};

static inline bool
is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static inline bool
is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static inline bool
is_upper(char c)
{
    return c >= 'A' && c <= 'Z';
}

static inline char
to_lower(char c)
{
    return is_upper(c) ? (char)(c - 'A' + 'a') : c;
}

static inline struct span
span_of(const char *s)
{
    struct span r = { s, s ? strlen(s) : 0 };
    return r;
}

static inline struct span
trim(struct span s)
{
    while (s.n && is_space(s.p[0])) {
        s.p++;
        s.n--;
    }
    while (s.n && is_space(s.p[s.n - 1]))
        s.n--;
    return s;
}

static inline void
skip(struct span *s, size_t k)
{
    s->p += k;
    s->n -= k;
}

/* Whether S starts with WORD, ignoring ASCII case. */
static inline bool
span_starts(struct span s, const char *word)
{
    size_t n = strlen(word);
    if (s.n < n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (to_lower(s.p[i]) != to_lower(word[i]))
            return false;
    return true;
}

/* Whether S is WORD, ignoring ASCII case. */
static inline bool
span_is(struct span s, const char *word)
{
    return s.n == strlen(word) && span_starts(s, word);
}

/* Whether S is one of WORDS (NULL-terminated), ignoring ASCII case. */
static inline bool
span_is_any(struct span s, const char *const *words)
{
    for (; *words; words++)
        if (span_is(s, *words))
            return true;
    return false;
}

static inline bool
streq(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

static inline bool
str_is_any(const char *s, const char *const *words)
{
    if (!s)
        return false;
    for (; *words; words++)
        if (strcmp(s, *words) == 0)
            return true;
    return false;
}

/* Reads a whole number of at most 9 digits at the start of *S and moves past it. */
static inline bool
take_uint(struct span *s, int64_t *out)
{
    size_t i = 0;
    int64_t v = 0;
    while (i < s->n && is_digit(s->p[i])) {
        if (i == 9)
            return false;
        v = v * 10 + (s->p[i++] - '0');
    }
    if (i == 0)
        return false;
    skip(s, i);
    *out = v;
    return true;
}

/* The index of V in NAMES (count entries), or -1. */
static inline int
index_of(const char *v, const char *const *names, size_t count)
{
    if (!v)
        return -1;
    for (size_t i = 0; i < count; i++)
        if (strcmp(v, names[i]) == 0)
            return (int)i;
    return -1;
}

#endif
