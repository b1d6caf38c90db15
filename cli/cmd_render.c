/* PLACEHOLDER while the render command is being written: replaced by its real implementation. */
#include <stdio.h>

#include "cli/cli.h"

int
cmd_render(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "corridor render: not built yet\n");
    return CLI_EXIT_USAGE;
}
