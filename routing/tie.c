/* The tie rule's metric (routing/tie.h). */
#include "routing/tie.h"

enum cr_metric
cr_tie_metric(enum cr_metric metric)
{
    return metric == CR_METRIC_TIME ? CR_METRIC_DISTANCE : CR_METRIC_TIME;
}
