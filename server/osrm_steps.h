/*
 * OSRM's step objects (steps=true) for a leg of a route: maneuver (type, modifier, exit,
 * bearing_before, bearing_after, location), name, ref, destinations, rotary_name, mode,
 * driving_side, geometry in the request's encoding, intersections (location, bearings, entry,
 * in, out), and distance, duration and weight that add up to the leg's (routing/guidance.h).
 * /route writes them; /trip and /match reuse the same call for their legs.
 */
#ifndef CR_SERVER_OSRM_STEPS_H
#define CR_SERVER_OSRM_STEPS_H

#include <jansson.h>

#include "routing/guidance.h"
#include "routing/route.h"
#include "server/osrm.h"

/* The "steps" array of leg LEG of R (engine E), from G = cr_guidance_build(E, R). NULL G: an
 * empty array (steps=false). caller frees: json_decref() */
json_t *cr_osrm_json_leg_steps(const struct cr_osrm_request *req, const struct cr_engine *e,
                               const struct cr_route *r, const struct cr_guidance *g, uint32_t leg);

/* OSRM's mode name of a corridor mode: "driving", "ferry", "train", "boat", "transfer". */
const char *cr_osrm_mode_name(unsigned mode);

#endif
