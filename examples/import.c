/*
 * import: an OpenStreetMap file into a corridor network file, like `corridor import` with its
 * defaults (every mode, default transfer radii), printing each phase on stderr.
 *
 * Usage: import INPUT.osm.pbf OUTPUT.corr
 *
 * Exits 0 when OUTPUT was written; on an error prints corridor's message and exits 1 (OUTPUT is
 * then absent, or untouched when it existed).
 *
 * Build: cc -std=c17 import.c $(pkg-config --cflags --libs corridor)
 */
#include <corridor/corridor.h>

#include <stdio.h>

static void
phase(void *user, const char *name)
{
    (void)user;
    fprintf(stderr, "import: %s\n", name);
}

int
main(int argc, char **argv)
{
    struct cr_import_options opt = { 0 }; /* every mode, default radii */
    struct cr_error err;

    if (argc != 3) {
        fprintf(stderr, "usage: import INPUT.osm.pbf OUTPUT.corr\n");
        return 2;
    }
    opt.phase = phase;
    if (cr_osm_import(argv[1], argv[2], &opt, NULL, &err) != CR_OK) {
        fprintf(stderr, "import: %s (%s)\n", err.msg, cr_status_name(err.code));
        return 1;
    }
    return 0;
}
