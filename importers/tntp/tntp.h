/*
 * TNTP files: the text formats of the Transportation Networks for Research collection
 * (github.com/bstabler/TransportationNetworks), in which the published traffic assignment test
 * networks and their best-known flows come. docs/assignment.md, "Input formats".
 *
 * Net and trips files open with metadata lines `<KEY> value` up to `<END OF METADATA>` (keys
 * case-insensitive; unknown keys such as <ORIGINAL HEADER> are ignored). After it, blank lines
 * and lines starting with `~` (comments, the column header) are skipped.
 *   X_net.tntp:   <NUMBER OF ZONES> <NUMBER OF NODES> <FIRST THRU NODE> <NUMBER OF LINKS>
 *                 (required), <TOLL FACTOR> <DISTANCE FACTOR> (optional, 0 when absent); then one
 *                 row per link of 10 whitespace-separated numbers ending with `;`:
 *                 init_node term_node capacity length free_flow_time b power speed toll link_type
 *   X_trips.tntp: <NUMBER OF ZONES> <TOTAL OD FLOW> (required); then `Origin o` blocks of
 *                 `d : trips;` items (any number per line).
 *   X_flow.tntp:  a header line `From To Volume Cost`, then rows of those 4 numbers.
 * Nodes and zones are numbered from 1 in the files and here (the structs keep the files' ids).
 *
 * Errors (CR_EFORMAT unless said) name the file and the line: a missing metadata key or
 * <END OF METADATA>, a wrong flow header, a missing or extra field, a value that is not a number
 * (or negative where it cannot be), a node out of 1..NUMBER OF NODES, a zone out of
 * 1..NUMBER OF ZONES, negative trips, trips given twice for one pair, a link count other than
 * the metadata's, a trips total off TOTAL OD FLOW by more than 1e-4 relative (beyond the
 * rounding of printed values: an error, not a warning, since the matrix is then not the one
 * published). A file that cannot be read is CR_EIO.
 */
#ifndef CR_IMPORTERS_TNTP_H
#define CR_IMPORTERS_TNTP_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

#define CR_TNTP_MAX_BYTES ((size_t)1 << 31) /* file size ceiling */
#define CR_TNTP_MAX_ZONES 100000u           /* the trips matrix is zones^2 doubles */

struct cr_tntp_link {
    uint32_t init_node, term_node; /* 1 .. node_count, as in the file */
    uint32_t line;                 /* in the file */
    int32_t link_type;
    double capacity;       /* > 0 */
    double length;         /* >= 0 */
    double free_flow_time; /* >= 0 */
    double b, power;       /* BPR alpha and beta, >= 0 */
    double speed, toll;    /* >= 0 */
};

struct cr_tntp_net {
    uint32_t zone_count, node_count, first_thru_node, link_count;
    double toll_factor, distance_factor; /* metadata, 0 when absent */
    struct cr_tntp_link *links;          /* [link_count] in file order */
};

struct cr_tntp_trips {
    uint32_t zone_count;
    double total_od_flow; /* the metadata's */
    double sum;           /* of the trips read */
    double *trips;        /* [zone_count^2]: from zone o to d (1-based) at (o-1)*Z + (d-1) */
};

struct cr_tntp_flow_row {
    uint32_t from, to, line;
    double volume, cost;
};

struct cr_tntp_flow {
    size_t count;
    struct cr_tntp_flow_row *rows; /* in file order */
};

/* Reads a net file. caller frees: cr_tntp_net_fini() */
enum cr_status cr_tntp_net_read(const char *path, struct cr_tntp_net *out, struct cr_error *err);
/* Reads a trips file. caller frees: cr_tntp_trips_fini() */
enum cr_status cr_tntp_trips_read(const char *path, struct cr_tntp_trips *out,
                                  struct cr_error *err);
/* Reads a flow (best-known solution) file. caller frees: cr_tntp_flow_fini() */
enum cr_status cr_tntp_flow_read(const char *path, struct cr_tntp_flow *out, struct cr_error *err);

/* Free and zero; zeroed or finished structs are fine. */
void cr_tntp_net_fini(struct cr_tntp_net *n);
void cr_tntp_trips_fini(struct cr_tntp_trips *t);
void cr_tntp_flow_fini(struct cr_tntp_flow *f);

#endif
