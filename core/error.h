/* Errors are values: a status code and a message naming what the user gave and what is wrong.
 * The type, the codes, cr_error_set and cr_status_name are public: include/corridor/error.h. */
#ifndef CR_CORE_ERROR_H
#define CR_CORE_ERROR_H

#include "corridor/error.h"

#endif
