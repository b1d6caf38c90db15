/*
 * version: which corridor a program was compiled and linked with.
 *
 * Usage: version            (no arguments)
 *
 * Prints "corridor RUNTIME (headers COMPILED)": cr_version(), the library linked at run time,
 * and CORRIDOR_VERSION_STRING, the headers this program was compiled with. Exits 1 when they
 * differ (a program built against one release and run with another), else 0.
 *
 * Build: cc -std=c17 version.c $(pkg-config --cflags --libs corridor)
 */
#include <corridor/corridor.h>

#include <stdio.h>
#include <string.h>

int
main(void)
{
    const char *runtime = cr_version();

    printf("corridor %s (headers %s, %d)\n", runtime, CORRIDOR_VERSION_STRING,
           CORRIDOR_VERSION_NUMBER);
    if (strcmp(runtime, CORRIDOR_VERSION_STRING) != 0) {
        fprintf(stderr, "version: library %s, headers %s\n", runtime, CORRIDOR_VERSION_STRING);
        return 1;
    }
    return 0;
}
