/* The options of what map tiles draw (cli/tile_opts.h). */
#include "cli/tile_opts.h"

#include <string.h>

#include "render/map.h"

int
cli_tiles_option(int c, const char *arg, struct cli_tiles *t)
{
    if (cli_zoning_option(c, arg, &t->zo))
        return 1;
    if (c == CLI_O_TILE_STYLE)
        t->style_path = arg;
    else if (c == CLI_O_TILE_CLASS_MAP)
        t->class_map_path = arg;
    else
        return 0;
    return 1;
}

enum cr_status
cli_tiles_load(struct cli_tiles *t, struct cr_error *err)
{
    enum cr_status st;

    if ((st = cr_style_load(t->style_path, &t->style, err)))
        return st;
    t->style_loaded = 1;
    if (t->class_map_path &&
        (st = cr_zoneclass_map_load(t->class_map_path, &t->style, &t->class_map, err)))
        return st;
    if (t->zo.path) {
        if (cr_map_is_osm_path(t->zo.path)) {
            if (!t->zo.class_field)
                t->zo.class_field = "landuse";
            if (!t->zo.name_field)
                t->zo.name_field = "name";
        }
        if ((st = cr_zones_load(&t->zo, &t->zones, err)))
            return st;
    }
    t->layers.zones = t->zones;
    t->layers.class_map = t->class_map;
    t->layers.style = &t->style;
    return CR_OK;
}

void
cli_tiles_fini(struct cli_tiles *t)
{
    if (t->style_loaded)
        cr_style_fini(&t->style);
    cr_zones_destroy(t->zones);
    cr_zoneclass_map_destroy(t->class_map);
    memset(t, 0, sizeof *t);
}
