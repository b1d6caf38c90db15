/* PLACEHOLDER while the batch command is being written: replaced by its real implementation. */
#include <stdio.h>

#include "cli/cli.h"

int
cmd_batch(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "corridor batch: not built yet\n");
    return CLI_EXIT_USAGE;
}
