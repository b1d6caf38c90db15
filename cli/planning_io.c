#include "cli/planning_io.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"

int
cli_check_writable(const char *cmd, const char *path)
{
    char dir[4096];
    const char *slash;

    if (!path || !strcmp(path, "-"))
        return CLI_EXIT_OK;
    slash = strrchr(path, '/');
    if (!slash)
        snprintf(dir, sizeof dir, ".");
    else if (slash == path)
        snprintf(dir, sizeof dir, "/");
    else
        snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
    if (access(dir, W_OK) != 0) {
        fprintf(stderr, "corridor %s: %s: %s\n", cmd, path, strerror(errno));
        return CLI_EXIT_INPUT;
    }
    return CLI_EXIT_OK;
}

json_t *
cli_json_number(double x, int decimals)
{
    double k = pow(10, decimals);
    return isfinite(x) ? json_real(round(x * k) / k) : json_null();
}
