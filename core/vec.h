/* A growable array of fixed-size elements: what the importers build their tables in. */
#ifndef CR_CORE_VEC_H
#define CR_CORE_VEC_H

#include <stdlib.h>
#include <string.h>

#define CR_VEC_MAX_BYTES ((size_t)1 << 40) /* growth ceiling no input can raise past */

struct cr_vec {
    void *data;
    size_t len, cap, elem;
};

static inline void
cr_vec_init(struct cr_vec *v, size_t elem)
{
    v->data = NULL;
    v->len = v->cap = 0;
    v->elem = elem;
}

/* Room for EXTRA more; 0, or -1 when out of memory or past CR_VEC_MAX_BYTES. */
static inline int
cr_vec_reserve(struct cr_vec *v, size_t extra)
{
    size_t need = v->len + extra, cap = v->cap ? v->cap : 64;
    void *p;

    if (need <= v->cap)
        return 0;
    while (cap < need)
        cap *= 2;
    if (cap > CR_VEC_MAX_BYTES / v->elem || !(p = realloc(v->data, cap * v->elem)))
        return -1;
    v->data = p;
    v->cap = cap;
    return 0;
}

/* A zeroed new slot at the end, or NULL when out of memory. */
static inline void *
cr_vec_push(struct cr_vec *v)
{
    void *slot;

    if (cr_vec_reserve(v, 1))
        return NULL;
    slot = (char *)v->data + v->len * v->elem;
    memset(slot, 0, v->elem);
    v->len++;
    return slot;
}

/* Appends N elements from SRC (zeros when SRC is NULL); 0, or -1 when out of memory. */
static inline int
cr_vec_append(struct cr_vec *v, const void *src, size_t n)
{
    if (!n)
        return 0; /* nothing (and memcpy may not take the NULL of an empty vector) */
    if (cr_vec_reserve(v, n))
        return -1;
    if (src)
        memcpy((char *)v->data + v->len * v->elem, src, n * v->elem);
    else
        memset((char *)v->data + v->len * v->elem, 0, n * v->elem);
    v->len += n;
    return 0;
}

static inline void
cr_vec_fini(struct cr_vec *v)
{
    free(v->data);
    v->data = NULL;
    v->len = v->cap = 0;
}

/* Element I of V as a T lvalue. */
#define CR_VEC_AT(v, T, i) (((T *)(v).data)[i])

#endif
