/* A least-recently-used cache of PNG tiles: a hash table of chains and a doubly linked list. */
#include "server/tile_cache.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BUCKETS 4096 /* a power of two */

struct entry {
    struct cr_tile_key key;
    struct cr_tile_blob *blob;
    struct entry *prev, *next; /* LRU order: head the most recent */
    struct entry *chain;       /* the next in its bucket */
};

struct cr_tile_cache {
    pthread_mutex_t mu;
    size_t max_bytes, bytes, count;
    uint64_t hits, misses;
    struct entry *head, *tail;
    struct entry *buckets[BUCKETS];
};

/* Blobs are counted under one process-wide mutex: a blob may outlive its cache. */
static pthread_mutex_t blob_mu = PTHREAD_MUTEX_INITIALIZER;

static size_t
hash_key(const struct cr_tile_key *k)
{
    uint64_t h = k->generation * 0x9E3779B97F4A7C15ull;
    h ^= ((uint64_t)k->z << 56) ^ ((uint64_t)k->x << 24) ^ (uint64_t)k->y ^
         ((uint64_t)k->scale << 62);
    h ^= h >> 29;
    h *= 0xBF58476D1CE4E5B9ull;
    h ^= h >> 32;
    return (size_t)(h & (BUCKETS - 1));
}

static int
same_key(const struct cr_tile_key *a, const struct cr_tile_key *b)
{
    return a->generation == b->generation && a->z == b->z && a->x == b->x && a->y == b->y &&
           a->scale == b->scale;
}

struct cr_tile_cache *
cr_tile_cache_create(size_t max_bytes)
{
    struct cr_tile_cache *c = calloc(1, sizeof *c);

    if (!c)
        return NULL;
    if (pthread_mutex_init(&c->mu, NULL)) {
        free(c);
        return NULL;
    }
    c->max_bytes = max_bytes;
    return c;
}

void
cr_tile_blob_release(struct cr_tile_blob *b)
{
    int last;

    if (!b)
        return;
    pthread_mutex_lock(&blob_mu);
    last = --b->refs == 0;
    pthread_mutex_unlock(&blob_mu);
    if (last)
        free(b);
}

static void
blob_ref(struct cr_tile_blob *b)
{
    pthread_mutex_lock(&blob_mu);
    b->refs++;
    pthread_mutex_unlock(&blob_mu);
}

static void
unlink_lru(struct cr_tile_cache *c, struct entry *e)
{
    if (e->prev)
        e->prev->next = e->next;
    else
        c->head = e->next;
    if (e->next)
        e->next->prev = e->prev;
    else
        c->tail = e->prev;
    e->prev = e->next = NULL;
}

static void
push_front(struct cr_tile_cache *c, struct entry *e)
{
    e->prev = NULL;
    e->next = c->head;
    if (c->head)
        c->head->prev = e;
    c->head = e;
    if (!c->tail)
        c->tail = e;
}

/* Removes E from its bucket and the list and frees it (its blob keeps other references). */
static void
drop(struct cr_tile_cache *c, struct entry *e)
{
    struct entry **p = &c->buckets[hash_key(&e->key)];
    while (*p != e)
        p = &(*p)->chain;
    *p = e->chain;
    unlink_lru(c, e);
    c->bytes -= e->blob->len;
    c->count--;
    cr_tile_blob_release(e->blob);
    free(e);
}

struct cr_tile_blob *
cr_tile_cache_get(struct cr_tile_cache *c, const struct cr_tile_key *key)
{
    struct entry *e;

    pthread_mutex_lock(&c->mu);
    for (e = c->buckets[hash_key(key)]; e && !same_key(&e->key, key); e = e->chain)
        ;
    if (e) {
        unlink_lru(c, e);
        push_front(c, e);
        blob_ref(e->blob);
        c->hits++;
    } else {
        c->misses++;
    }
    pthread_mutex_unlock(&c->mu);
    return e ? e->blob : NULL;
}

struct cr_tile_blob *
cr_tile_cache_put(struct cr_tile_cache *c, const struct cr_tile_key *key, const unsigned char *data,
                  size_t len)
{
    struct cr_tile_blob *b = malloc(sizeof *b + len);
    struct entry *e, *old;
    uint64_t h = 0xcbf29ce484222325ull; /* FNV-1a */

    if (!b)
        return NULL;
    for (size_t i = 0; i < len; i++)
        h = (h ^ data[i]) * 0x100000001b3ull;
    b->refs = 1;
    b->len = len;
    snprintf(b->etag, sizeof b->etag, "\"%016llx\"", (unsigned long long)h);
    memcpy(b->data, data, len);
    if (len > c->max_bytes || !(e = calloc(1, sizeof *e)))
        return b; /* not kept */
    e->key = *key;
    e->blob = b;
    b->refs++;
    pthread_mutex_lock(&c->mu);
    for (old = c->buckets[hash_key(key)]; old && !same_key(&old->key, key); old = old->chain)
        ;
    if (old) /* drawn twice at once: the later one wins */
        drop(c, old);
    while (c->bytes + len > c->max_bytes && c->tail)
        drop(c, c->tail);
    e->chain = c->buckets[hash_key(key)];
    c->buckets[hash_key(key)] = e;
    push_front(c, e);
    c->bytes += len;
    c->count++;
    pthread_mutex_unlock(&c->mu);
    return b;
}

void
cr_tile_cache_clear(struct cr_tile_cache *c)
{
    pthread_mutex_lock(&c->mu);
    while (c->head)
        drop(c, c->head);
    pthread_mutex_unlock(&c->mu);
}

void
cr_tile_cache_stats(struct cr_tile_cache *c, struct cr_tile_cache_stats *out)
{
    pthread_mutex_lock(&c->mu);
    out->tiles = c->count;
    out->bytes = c->bytes;
    out->max_bytes = c->max_bytes;
    out->hits = c->hits;
    out->misses = c->misses;
    pthread_mutex_unlock(&c->mu);
}

void
cr_tile_cache_destroy(struct cr_tile_cache *c)
{
    if (!c)
        return;
    cr_tile_cache_clear(c);
    pthread_mutex_destroy(&c->mu);
    free(c);
}
