/* CSV as corridor writes it (RFC 4180): one rule for quoting a field, for every table. */
#ifndef CR_CORE_CSV_H
#define CR_CORE_CSV_H

#include <stdio.h>

/* S as one CSV field: quoted (with "" for ") when it holds a comma, a quote or a line break. */
void cr_csv_field(FILE *f, const char *s);

#endif
