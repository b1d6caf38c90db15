/* The profile file's "exclude" list (routing/exclude.c): which classes of ways a request may
 * leave out (OSRM's exclude=). The rest of the exclude API is in routing/profile.h. */
#ifndef CR_ROUTING_EXCLUDE_H
#define CR_ROUTING_EXCLUDE_H

#include <jansson.h>

#include "core/error.h"
#include "routing/profile.h"

/* "exclude": ["toll", "motorway", "ferry"] of profile FILE into p->excludable. CR_EINVAL naming
 * the file and the element when it is not an array of known class names. */
enum cr_status cr_profile_exclude_json(const char *file, const json_t *v, struct cr_profile *p,
                                       struct cr_error *err);

#endif
