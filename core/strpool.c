#include "core/strpool.h"

#include <stdlib.h>
#include <string.h>

#define FIRST_SLOTS 1024
#define FIRST_CHARS 64

static uint64_t
hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

/* Room for N more chars, doubling. */
static int
reserve_chars(struct cr_strpool *p, size_t n)
{
    size_t need = p->len + n, cap = p->cap ? p->cap : FIRST_CHARS;
    char *c;

    if (need <= p->cap)
        return 0;
    while (cap < need)
        cap *= 2;
    c = realloc(p->chars, cap);
    if (!c)
        return -1;
    p->chars = c;
    p->cap = cap;
    return 0;
}

int
cr_strpool_init(struct cr_strpool *p)
{
    *p = (struct cr_strpool){ 0 };
    p->slot_count = FIRST_SLOTS;
    p->slots = calloc(p->slot_count, sizeof *p->slots);
    if (!p->slots || reserve_chars(p, 1))
        return -1;
    p->chars[p->len++] = '\0';
    return 0;
}

void
cr_strpool_fini(struct cr_strpool *p)
{
    free(p->chars);
    free(p->slots);
    *p = (struct cr_strpool){ 0 };
}

/* Twice the slots, every string rehashed. */
static int
grow_slots(struct cr_strpool *p)
{
    size_t n = p->slot_count * 2;
    uint32_t *slots = calloc(n, sizeof *slots);

    if (!slots)
        return -1;
    for (size_t i = 0; i < p->slot_count; i++) {
        if (!p->slots[i])
            continue;
        size_t j = hash_str(p->chars + p->slots[i] - 1) & (n - 1);
        while (slots[j])
            j = (j + 1) & (n - 1);
        slots[j] = p->slots[i];
    }
    free(p->slots);
    p->slots = slots;
    p->slot_count = n;
    return 0;
}

uint32_t
cr_strpool_intern(struct cr_strpool *p, const char *s)
{
    size_t j, len;
    uint32_t off;

    if (!s || !*s)
        return 0;
    if (p->count * 2 >= p->slot_count && grow_slots(p))
        return CR_STRPOOL_NOMEM;
    j = hash_str(s) & (p->slot_count - 1);
    while (p->slots[j]) {
        if (!strcmp(p->chars + p->slots[j] - 1, s))
            return p->slots[j] - 1;
        j = (j + 1) & (p->slot_count - 1);
    }
    len = strlen(s) + 1;
    if (p->len + len >= UINT32_MAX - 1)
        return CR_STRPOOL_NOMEM;
    off = (uint32_t)p->len;
    if (reserve_chars(p, len))
        return CR_STRPOOL_NOMEM;
    memcpy(p->chars + p->len, s, len);
    p->len += len;
    p->slots[j] = off + 1;
    p->count++;
    return off;
}

uint32_t
cr_strpool_next(const struct cr_strpool *p, uint32_t off)
{
    return off + (uint32_t)strlen(p->chars + off) + 1;
}
