/* Algorithm B (planning/assign_bush.h). Placeholder until the bush-based solver lands: it says so
 * as an error instead of returning flows. */
#include "planning/assign_bush.h"

enum cr_status
cr_assign_bush(const struct cr_assign_problem *p, const struct cr_assign_options *o,
               struct cr_assign_result *out, struct cr_error *err)
{
    (void)p;
    (void)o;
    (void)out;
    return cr_error_set(err, CR_EINVAL, "assignment: algorithm B is not built yet");
}
