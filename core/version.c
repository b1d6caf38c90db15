#include "corridor/version.h"

const char *
cr_version(void)
{
    return CORRIDOR_VERSION_STRING;
}
