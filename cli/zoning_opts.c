#include "cli/zoning_opts.h"

int
cli_zoning_option(int c, const char *arg, struct cr_zones_options *zo)
{
    switch (c) {
    case CLI_O_ZONES:
        zo->path = arg;
        return 1;
    case CLI_O_CLASS_FIELD:
        zo->class_field = arg;
        return 1;
    case CLI_O_NAME_FIELD:
        zo->name_field = arg;
        return 1;
    case CLI_O_LAYER:
        zo->layer = arg;
        return 1;
    case CLI_O_S_SRS:
        zo->s_srs = arg;
        return 1;
    case CLI_O_WORK_CRS:
        zo->work_crs = arg;
        return 1;
    case CLI_O_ENCODING:
        zo->encoding = arg;
        return 1;
    default:
        return 0;
    }
}
