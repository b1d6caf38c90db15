/*
 * Origin-destination demand between zones from a CSV file: `corridor compare --demand` and
 * `corridor assign --demand OD.csv`. docs/assignment.md, "Input formats".
 *
 * A header names the columns origin (or from, o, from_zone, orig), destination (or to, d,
 * to_zone, dest) and trips (or flow, demand, count), any order, other columns ignored; zone ids
 * are matched as text against the ids the caller gives; rows naming the same pair (and class)
 * add up. Errors (naming the file and line): no such column, a zone id that is not one of the
 * zones, trips not a finite number >= 0, a file without data rows, and two zones with the same
 * id (the table could not say which).
 *
 * With classes (cr_demand_load_classes), an optional `class` column (or vehicle_class, mode)
 * names each row's class; a row with an empty class, or every row when there is no such column,
 * belongs to the default class (the first one). A class name that is not one of the classes
 * given (compared case-insensitively) is an error naming the file and line.
 */
#ifndef CR_IMPORTERS_DEMAND_H
#define CR_IMPORTERS_DEMAND_H

#include <stddef.h>

#include "core/error.h"

struct cr_demand {
    size_t count;  /* zones */
    double *trips; /* [count * count]: from i to j at i * count + j */
    size_t rows;   /* data rows read */
    double total;  /* trips over all rows */
};

/* IDS[count]: the zones' ids (for compare, as cr_compare_zone_id gives them). A column named
 * class is ignored, as any other column. caller frees: cr_demand_fini() */
enum cr_status cr_demand_load(const char *path, const char *const *ids, size_t count,
                              struct cr_demand *out, struct cr_error *err);

/* The same with classes: OUT[class_count] gets one matrix per class of CLASSES[class_count]
 * (>= 1; CLASSES[0] the default), in that order. A file without data rows in any class is an
 * error; a class without rows gets an all-zero matrix. caller frees: cr_demand_fini() on each */
enum cr_status cr_demand_load_classes(const char *path, const char *const *ids, size_t count,
                                      const char *const *classes, size_t class_count,
                                      struct cr_demand *out, struct cr_error *err);

/* Matrix MATRIX of OpenMatrix file PATH (importers/omx/omx.h; MATRIX NULL: the file's only
 * matrix) onto zones IDS[count] through its lookup. Errors name the file and the matrix: those of
 * cr_omx_read_zones, several matrices and no name, trips that are not finite and >= 0 (naming the
 * pair's zone ids). rows counts the non-zero cells. caller frees: cr_demand_fini() */
enum cr_status cr_demand_load_omx(const char *path, const char *matrix, const char *const *ids,
                                  size_t count, struct cr_demand *out, struct cr_error *err);

/* Demand per class from PATH, by its extension: .omx gives class c the matrix named CLASSES[c]
 * (or, with one class, the file's only matrix when none has that name); any other file is CSV
 * (cr_demand_load_classes). OUT[class_count]. caller frees: cr_demand_fini() on each */
enum cr_status cr_demand_load_file(const char *path, const char *const *ids, size_t count,
                                   const char *const *classes, size_t class_count,
                                   struct cr_demand *out, struct cr_error *err);

void cr_demand_fini(struct cr_demand *d);

#endif
