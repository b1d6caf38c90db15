/*
 * Contracting as a library call (corridor/routing.h, cr_contract): per profile and metric, the
 * turn graph, its contraction hierarchy, the checksum of the graph it was built on, and all of
 * them stored in the network file in one atomic rewrite (routing/ch_store.h).
 */
#ifndef CR_ROUTING_CONTRACT_H
#define CR_ROUTING_CONTRACT_H

#include <stddef.h>

#include "core/error.h"
#include "corridor/routing.h"
#include "routing/profile.h"

/* As cr_contract, with the profiles already loaded (PROFILES[0 .. NP-1], names distinct) and
 * the metrics given (METRICS[0 .. NM-1]); O's profiles and metrics are not read, only its
 * callbacks (O may be NULL). */
enum cr_status cr_contract_profiles(const char *path, const struct cr_profile *profiles, size_t np,
                                    const enum cr_metric *metrics, size_t nm,
                                    const struct cr_contract_options *o, struct cr_error *err);

#endif
