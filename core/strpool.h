/*
 * Interned strings: each distinct string stored once, NUL-terminated, one after another in one
 * buffer, and known by its offset there (offset 0 is ""). The buffer can be written out as it
 * is (the network file's strings section) and walked in first-interned order. Lookup is open
 * addressing on an FNV-1a hash.
 */
#ifndef CR_CORE_STRPOOL_H
#define CR_CORE_STRPOOL_H

#include <stddef.h>
#include <stdint.h>

#define CR_STRPOOL_NOMEM UINT32_MAX /* cr_strpool_intern: out of memory, or the pool is full */

struct cr_strpool {
    char *chars;     /* [len] NUL-separated strings; chars[0] is "" */
    size_t len, cap; /* len < UINT32_MAX - 1 */
    uint32_t *slots; /* [slot_count] offset + 1, 0 empty */
    size_t slot_count;
    size_t count; /* distinct strings interned, "" not counted */
};

/* An empty pool (holding ""). Returns -1 when out of memory; cr_strpool_fini either way. */
int cr_strpool_init(struct cr_strpool *p);
void cr_strpool_fini(struct cr_strpool *p);

/* The offset of S in the pool, adding it once; 0 for NULL or "". CR_STRPOOL_NOMEM when out of
 * memory or past 4 GiB. */
uint32_t cr_strpool_intern(struct cr_strpool *p, const char *s);

/* The string at OFF (an offset cr_strpool_intern gave). Valid until the next intern. */
static inline const char *
cr_strpool_str(const struct cr_strpool *p, uint32_t off)
{
    return p->chars + off;
}

/* The offset of the string after the one at OFF, or p->len past the last: from 0 (or from 1 to
 * skip ""), every interned string in first-interned order. */
uint32_t cr_strpool_next(const struct cr_strpool *p, uint32_t off);

#endif
