/* `corridor compare --assign ALGORITHM`: the assignment of the same demand on BASE and SCENARIO,
 * compared edge by edge (planning/assign_compare.h), its totals printed, the change written and
 * mapped. */
#ifndef CR_CLI_COMPARE_ASSIGN_H
#define CR_CLI_COMPARE_ASSIGN_H

#include <stddef.h>

#include "planning/assign.h"
#include "spatial/zones.h"

#define CLI_COMPARE_MAX_CLASSES 16

struct cli_compare_assign {
    const char *base, *scenario, *demand;
    const char *classes[CLI_COMPARE_MAX_CLASSES]; /* --classes, or the --profile */
    size_t class_count;
    struct cr_assign_options ao;
    const char *flows_out; /* --flows-out CHANGE.gpkg|csv or NULL */
    const char *map;       /* --map CHANGE.png|pdf|svg or NULL */
    const char *title;     /* --title or NULL */
};

/* Runs it on zones Z: 0, or the exit code after "corridor compare: ..." on stderr. */
int cli_compare_assign_run(const struct cli_compare_assign *o, const struct cr_zones *z);

#endif
