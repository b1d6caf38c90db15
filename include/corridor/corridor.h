/* corridor: spatial planning and logistics routing. One include for every public header:
 *
 *     #include <corridor/corridor.h>
 *     cc prog.c $(pkg-config --cflags --libs corridor)
 *
 * Every function a program may call is declared under include/corridor/ and marked CR_API;
 * everything else in libcorridor is internal and hidden. */
#ifndef CORRIDOR_H
#define CORRIDOR_H

#include "corridor/error.h"
#include "corridor/export.h"
#include "corridor/import.h"
#include "corridor/network.h"
#include "corridor/output.h"
#include "corridor/routing.h"
#include "corridor/version.h"
#include "corridor/zones.h"

#endif
