/*
 * The thin libosmium shim, in plain C. Views are borrowed and live only during the callback.
 * No libosmium type crosses this header; it compiles as C and as C++.
 */
#ifndef CR_IMPORTERS_OSM_READER_H
#define CR_IMPORTERS_OSM_READER_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

#ifdef __cplusplus
extern "C" {
#endif

struct cr_osm_tag {
    const char *key, *value;
};

struct cr_osm_node {
    int64_t id;
    int32_t lon_e7, lat_e7; /* as stored in OSM (1e-7 degrees) */
    int64_t timestamp;      /* seconds since 1970; 0 when the file has no metadata */
    const struct cr_osm_tag *tags;
    size_t tag_count;
};

struct cr_osm_way {
    int64_t id;
    int64_t timestamp;
    const struct cr_osm_tag *tags;
    size_t tag_count;
    const int64_t *refs; /* node ids in order */
    size_t ref_count;
};

enum cr_osm_member_type {
    CR_OSM_MEMBER_NODE = 'n',
    CR_OSM_MEMBER_WAY = 'w',
    CR_OSM_MEMBER_RELATION = 'r'
};

struct cr_osm_member {
    char type; /* enum cr_osm_member_type */
    int64_t ref;
    const char *role;
};

struct cr_osm_relation {
    int64_t id;
    int64_t timestamp;
    const struct cr_osm_tag *tags;
    size_t tag_count;
    const struct cr_osm_member *members;
    size_t member_count;
};

/* Callbacks return 0 to go on, non-zero to stop the read (cr_osm_read then fails with
 * CR_ECANCELLED, or with the status the callback put in the handler's err, see below).
 * Only the kinds that have a callback are decoded. */
struct cr_osm_handler {
    void *user;
    int (*node)(void *user, const struct cr_osm_node *n);
    int (*way)(void *user, const struct cr_osm_way *w);
    int (*relation)(void *user, const struct cr_osm_relation *r);
    /* called now and then with the fraction of the file read, 0..1; non-zero stops */
    int (*progress)(void *user, double done);
    /* when a callback stops the read and has filled *stop_err with a status other than CR_OK,
     * cr_osm_read returns that error instead of CR_ECANCELLED */
    struct cr_error *stop_err;
};

/* Reads PATH (.osm.pbf, .osm, .osm.bz2, .osm.gz; the format from the name's ending) once, in
 * file order (nodes, ways, relations), calling the handler. Errors name PATH: missing or
 * unreadable file (CR_EIO), empty file (CR_EEMPTY), undecodable data (CR_EFORMAT). */
enum cr_status cr_osm_read(const char *path, const struct cr_osm_handler *h, struct cr_error *err);

/* As cr_osm_read, on DATA[SIZE] (borrowed: valid until it returns) in FORMAT, libosmium's name
 * of it ("xml", "pbf", "opl"; "xml.bz2" and "xml.gz" too), errors naming NAME. */
enum cr_status cr_osm_read_buffer(const void *data, size_t size, const char *format,
                                  const char *name, const struct cr_osm_handler *h,
                                  struct cr_error *err);

/* An area assembled by libosmium from a closed way or a multipolygon relation. */
struct cr_osm_area {
    int64_t id; /* libosmium's area id: way id * 2, relation id * 2 + 1 */
    const struct cr_osm_tag *tags;
    size_t tag_count;
    const int32_t *lon_lat_e7; /* every ring's points, lon, lat pairs (1e-7 degrees) */
    size_t point_count;
    const size_t *ring_first; /* [ring_count + 1]: ring r is points ring_first[r].. [r + 1] */
    const unsigned char *ring_outer; /* [ring_count]: 1 outer, 0 inner; inners follow their outer */
    size_t ring_count;               /* 0: libosmium could not assemble it (broken geometry) */
};

struct cr_osm_area_handler {
    void *user;
    /* returns 0 to go on; non-zero stops (see stop_err in struct cr_osm_handler) */
    int (*area)(void *user, const struct cr_osm_area *a);
    struct cr_error *stop_err;
};

/* Reads PATH twice (relations, then everything) and assembles the areas of closed ways and of
 * type=multipolygon (or boundary) relations that carry one of KEYS (NULL-terminated; NULL: any
 * tag), with libosmium's MultipolygonManager and Assembler. Nodes missing from the extract make
 * an area broken (ring_count 0), not an error. Errors as cr_osm_read. */
enum cr_status cr_osm_read_areas(const char *path, const char *const *keys,
                                 const struct cr_osm_area_handler *h, struct cr_error *err);

/* The value of KEY among TAGS, or NULL. */
const char *cr_osm_tag_get(const struct cr_osm_tag *tags, size_t n, const char *key);

#ifdef __cplusplus
}
#endif

#endif
