#include "routing/measure.h"

#include <math.h>
#include <stdio.h>
#include <strings.h>

const char *
cr_measure_key(enum cr_measure m)
{
    static const char *const keys[CR_MEASURE_COUNT] = {
        [CR_MEASURE_DISTANCE] = "distance_m",
        [CR_MEASURE_DURATION] = "duration_s",
        [CR_MEASURE_COST] = "cost",
        [CR_MEASURE_CO2] = "co2_kg",
    };
    return (unsigned)m < CR_MEASURE_COUNT ? keys[m] : "value";
}

enum cr_measure
cr_metric_measure(enum cr_metric m)
{
    switch (m) {
    case CR_METRIC_DISTANCE:
        return CR_MEASURE_DISTANCE;
    case CR_METRIC_COST:
        return CR_MEASURE_COST;
    case CR_METRIC_CO2:
        return CR_MEASURE_CO2;
    case CR_METRIC_TIME:
    default:
        return CR_MEASURE_DURATION;
    }
}

int
cr_metric_weight_is_measure(enum cr_metric m)
{
    return m == CR_METRIC_TIME || m == CR_METRIC_DISTANCE;
}

int
cr_currency_decimals(const char *currency)
{
    /* ISO 4217 codes whose minor unit is not 2 (the list's 2024 edition) */
    static const struct {
        const char *code;
        int decimals;
    } other[] = {
        { "BIF", 0 }, { "CLP", 0 }, { "DJF", 0 }, { "GNF", 0 }, { "ISK", 0 }, { "JPY", 0 },
        { "KMF", 0 }, { "KRW", 0 }, { "PYG", 0 }, { "RWF", 0 }, { "UGX", 0 }, { "UYI", 0 },
        { "VND", 0 }, { "VUV", 0 }, { "XAF", 0 }, { "XOF", 0 }, { "XPF", 0 }, { "BHD", 3 },
        { "IQD", 3 }, { "JOD", 3 }, { "KWD", 3 }, { "LYD", 3 }, { "OMR", 3 }, { "TND", 3 },
        { "CLF", 4 }, { "UYW", 4 },
    };
    if (!currency)
        return 2;
    for (size_t i = 0; i < sizeof other / sizeof other[0]; i++)
        if (!strcasecmp(currency, other[i].code))
            return other[i].decimals;
    return 2;
}

int
cr_measure_decimals(enum cr_measure m, const char *currency)
{
    switch (m) {
    case CR_MEASURE_DISTANCE:
    case CR_MEASURE_DURATION:
        return 1;
    case CR_MEASURE_COST:
        return cr_currency_decimals(currency);
    case CR_MEASURE_CO2:
        return 3;
    default:
        return 3;
    }
}

double
cr_measure_round(enum cr_measure m, double x, const char *currency)
{
    static const double scale[] = { 1, 10, 100, 1000, 10000 };
    int d = cr_measure_decimals(m, currency);

    if (!isfinite(x))
        return x;
    return round(x * scale[d]) / scale[d];
}

int
cr_measure_format(char *buf, size_t size, enum cr_measure m, double x, const char *currency)
{
    if (!isfinite(x))
        return snprintf(buf, size, "%s", "");
    return snprintf(buf, size, "%.*f", cr_measure_decimals(m, currency),
                    cr_measure_round(m, x, currency) + 0.0); /* + 0.0: no "-0.0" */
}

int
cr_measures_csv(char *buf, size_t size, const struct cr_measures *v, const char *currency)
{
    char f[CR_MEASURE_COUNT][64] = { "", "", "", "" };

    if (v) {
        cr_measure_format(f[0], sizeof f[0], CR_MEASURE_DISTANCE, v->distance_m, currency);
        cr_measure_format(f[1], sizeof f[1], CR_MEASURE_DURATION, v->duration_s, currency);
        cr_measure_format(f[2], sizeof f[2], CR_MEASURE_COST, v->cost, currency);
        cr_measure_format(f[3], sizeof f[3], CR_MEASURE_CO2, v->co2_kg, currency);
    }
    return snprintf(buf, size, "%s,%s,%s,%s", f[0], f[1], f[2], f[3]);
}

int
cr_measures_json(json_t *o, const struct cr_measures *v, const char *currency)
{
    const double x[CR_MEASURE_COUNT] = { v->distance_m, v->duration_s, v->cost, v->co2_kg };
    int bad = 0;

    for (int m = 0; m < CR_MEASURE_COUNT; m++) {
        double r = cr_measure_round((enum cr_measure)m, x[m], currency) + 0.0;
        bad |= json_object_set_new(o, cr_measure_key((enum cr_measure)m),
                                   isfinite(r) ? json_real(r) : json_null());
    }
    return bad ? -1 : 0;
}
