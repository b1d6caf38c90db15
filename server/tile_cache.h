/*
 * The tile server's memory: PNG tiles kept in a least-recently-used cache of a given size in
 * bytes, shared by every worker thread (one mutex). A tile is a reference-counted blob, so a
 * worker may send one while another thread evicts it. The key holds the network's generation,
 * so a reload (SIGHUP) never serves a tile of the old network; cr_tile_cache_clear frees them.
 */
#ifndef CR_SERVER_TILE_CACHE_H
#define CR_SERVER_TILE_CACHE_H

#include <stddef.h>
#include <stdint.h>

struct cr_tile_key {
    unsigned long generation;
    unsigned z;
    uint32_t x, y;
    unsigned scale;
};

struct cr_tile_blob {
    int refs;      /* under the cache's mutex */
    size_t len;    /* bytes of data */
    char etag[24]; /* "\"<16 hex digits>\"": a 64-bit FNV-1a hash of the bytes, quoted */
    unsigned char data[];
};

struct cr_tile_cache;

/* A cache of at most MAX_BYTES of tiles (0: nothing kept). caller frees: cr_tile_cache_destroy */
struct cr_tile_cache *cr_tile_cache_create(size_t max_bytes);
void cr_tile_cache_destroy(struct cr_tile_cache *c);

/* The tile of KEY with a reference taken (now the most recently used), or NULL. */
struct cr_tile_blob *cr_tile_cache_get(struct cr_tile_cache *c, const struct cr_tile_key *key);

/* A blob holding a copy of DATA, kept under KEY when it fits (the least recently used tiles
 * make room), with a reference for the caller; NULL only when out of memory. */
struct cr_tile_blob *cr_tile_cache_put(struct cr_tile_cache *c, const struct cr_tile_key *key,
                                       const unsigned char *data, size_t len);

/* Gives back a reference (NULL: nothing). */
void cr_tile_blob_release(struct cr_tile_blob *b);

/* Drops every tile (a reload). */
void cr_tile_cache_clear(struct cr_tile_cache *c);

struct cr_tile_cache_stats {
    size_t tiles, bytes, max_bytes;
    uint64_t hits, misses;
};
void cr_tile_cache_stats(struct cr_tile_cache *c, struct cr_tile_cache_stats *out);

#endif
