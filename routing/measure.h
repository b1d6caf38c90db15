/*
 * How corridor writes a route's four measures: one rule, used by `corridor route`, `matrix`,
 * `batch`, `skim` and the server's `corridor` extension, so the same route prints the same text
 * everywhere.
 *
 *   measure    key          unit                        rounded to
 *   distance   distance_m   metres                      0.1 m
 *   duration   duration_s   seconds                     0.1 s
 *   cost       cost         the profile's currency      its minor unit (ISO 4217): whole dong
 *                           (written beside as          for VND, cents for EUR or USD, 0.001
 *                           "currency" in JSON)         for KWD; 2 decimals for other codes
 *   CO2        co2_kg       kilograms                   0.001 kg (1 g)
 *
 * The key is the same in CSV headers, JSON keys and GeoJSON properties. The server keeps OSRM's
 * own fields (distance, duration, weight) as OSRM defines them; these keys are for the rest.
 * Values are rounded half away from zero (C's round) before they are printed, so equal values
 * print equal text.
 */
#ifndef CR_ROUTING_MEASURE_H
#define CR_ROUTING_MEASURE_H

#include <jansson.h>
#include <stddef.h>

#include "corridor/routing.h"
#include "routing/profile.h"

enum cr_measure {
    CR_MEASURE_DISTANCE = 0,
    CR_MEASURE_DURATION,
    CR_MEASURE_COST,
    CR_MEASURE_CO2,
    CR_MEASURE_COUNT
};

/* struct cr_measures, a route's (or a cell's, or a part's) four measures: corridor/routing.h */

/* The four keys in the order corridor writes them, as a CSV header (no newline). */
#define CR_MEASURES_CSV_HEADER "distance_m,duration_s,cost,co2_kg"

/* "distance_m", "duration_s", "cost", "co2_kg"; "value" for anything else. */
const char *cr_measure_key(enum cr_measure m);

/* The measure a metric's weight is in: time -> duration, distance, cost, co2. */
enum cr_measure cr_metric_measure(enum cr_metric m);

/* Whether METRIC's weight is its measure to the printed precision: 1 for time and distance (a
 * route's duration and distance are the searches' own deciseconds and decimetres), 0 for cost
 * and CO2, whose weights are whole currency units and grams rounded edge by edge while their
 * measures are exact sums (routing/route_ends.h): a writer prints those from the measures, so a
 * matrix by cost says the same cost as the route. */
int cr_metric_weight_is_measure(enum cr_metric m);

/* The decimals of CURRENCY's minor unit (ISO 4217, case-insensitive): 0 for VND, JPY, KRW...,
 * 3 for BHD, KWD..., 4 for CLF, UYW; 2 for any other code, NULL or "". */
int cr_currency_decimals(const char *currency);

/* The decimals measure M is written with: 1, 1, cr_currency_decimals(CURRENCY), 3. */
int cr_measure_decimals(enum cr_measure m, const char *currency);

/* X rounded to M's decimals (half away from zero); NaN and infinities unchanged. */
double cr_measure_round(enum cr_measure m, double x, const char *currency);

/* X with M's decimals into BUF ("604.1", "423", "0.030"); "" when X is not finite. Returns what
 * snprintf returns. */
int cr_measure_format(char *buf, size_t size, enum cr_measure m, double x, const char *currency);

/* The four measures of V as CSV fields in CR_MEASURES_CSV_HEADER's order ("604.1,88.1,423,0.030";
 * ",,," when V is NULL). Returns what snprintf returns. */
int cr_measures_csv(char *buf, size_t size, const struct cr_measures *v, const char *currency);

/* Sets the four keys of the JSON object O to V's rounded values (null when not finite). Returns 0,
 * or -1 when jansson is out of memory. */
int cr_measures_json(json_t *o, const struct cr_measures *v, const char *currency);

#endif
