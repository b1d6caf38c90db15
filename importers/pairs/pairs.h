/*
 * Origin-destination pairs for batch routing (`corridor batch --pairs FILE.csv`), read with GDAL's
 * CSV driver.
 *
 * A header line is required. Columns (names case-insensitive, in any order; other columns are
 * ignored):
 *   id         optional text; also pair_id or od_id. Without the column, rows are numbered from 1.
 *   from_lon   WGS84 degrees; also orig_lon, origin_lon, o_lon, from_x
 *   from_lat   also orig_lat, origin_lat, o_lat, from_y
 *   to_lon     also dest_lon, destination_lon, d_lon, to_x
 *   to_lat     also dest_lat, destination_lat, d_lat, to_y
 *
 * A file that is missing, unreadable, empty, not CSV or lacks one of the four coordinate columns
 * is an error. A row whose coordinates are blank, not numbers or out of range (or whose id is
 * blank when the file has an id column) is not: it is kept with bad set and a message naming its
 * line, so a batch reports it in its own output row and goes on.
 */
#ifndef CR_IMPORTERS_PAIRS_H
#define CR_IMPORTERS_PAIRS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

#define CR_PAIRS_MAX 50000000u /* rows per file: a ceiling input cannot raise */

struct cr_pair {
    size_t id;      /* offset of the id's text in the list's text */
    size_t problem; /* bad rows: offset of the message in the list's text */
    uint32_t line;  /* in the file; the header is line 1 */
    bool bad;       /* malformed row: coordinates below are 0 */
    int32_t from_lon_e7, from_lat_e7, to_lon_e7, to_lat_e7;
};

struct cr_pair_list {
    struct cr_pair *items; /* in file order */
    size_t count;
    char *text; /* ids and messages, each NUL-terminated */
    size_t text_len, text_cap;
};

/* Reads PATH (.csv). Errors name the file: "od.csv: no from_lon column (want from_lon, ...)".
 * A missing or unreadable file is CR_EIO, one GDAL cannot read CR_EFORMAT, missing columns
 * CR_EINVAL, no rows CR_EEMPTY, more than CR_PAIRS_MAX rows CR_ENOMEM. On error *out is empty.
 * caller frees: cr_pair_list_fini() */
enum cr_status cr_pairs_read(const char *path, struct cr_pair_list *out, struct cr_error *err);

/* The id of pair I ("" for a bad row with a blank id). */
const char *cr_pair_id(const struct cr_pair_list *l, size_t i);

/* Why pair I is bad ("od.csv: line 7: from_lat \"abc\" is not a number"), "" when it is not. */
const char *cr_pair_problem(const struct cr_pair_list *l, size_t i);

/* Frees everything and empties L; a zeroed or already finished list is fine. */
void cr_pair_list_fini(struct cr_pair_list *l);

#endif
