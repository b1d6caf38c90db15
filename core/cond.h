/*
 * Conditional restrictions (OSM's *:conditional tags): the value grammar
 *   VALUE @ (CONDITION); VALUE @ CONDITION ...
 * with CONDITION one or more parts joined by AND, each either a time in the subset of the
 * opening_hours syntax these tags use, or a vehicle condition (weight>7, height>=4.2, ...).
 * Parsed once at import (to count what is not understood) and again when a routing engine is
 * built (the network file keeps the tag's text): docs/tags.md, "Conditional restrictions".
 *
 * Times are naive local times of the region (no time zone, no daylight saving): seconds since
 * 1970-01-01 00:00 as if it were UTC, which is how --depart 2026-04-30T08:00 is read.
 *
 * The opening_hours subset: rules separated by ";" or by "," before a new day selector; a rule
 * is [month-day ranges] [weekdays and PH] [time ranges]: "Apr", "Apr-Jun", "Apr 30",
 * "Apr 29-30", "Dec 24-Jan 02", "Mo-Fr", "Mo,We", "Sa,PH", "07:00-09:00,16:00-19:00",
 * "22:00-06:00" (past midnight: the rest belongs to the next day). Rules are combined as a union
 * (the condition holds when any rule holds): opening_hours' override of an earlier rule by a
 * later one for the same day is not modelled (it changes nothing for rules on different days,
 * which is how conditional tags are written). Not parsed (the whole tag is then reported):
 * years, weeks, "off", "open", sunrise/sunset, "SH", comments, "+", weekday "[n]" indexes.
 */
#ifndef CR_CORE_COND_H
#define CR_CORE_COND_H

#include <stddef.h>
#include <stdint.h>

#define CR_COND_MAX_RULES 8
#define CR_COND_MAX_DATES 4
#define CR_COND_MAX_TIMES 4
#define CR_COND_MAX_CMP 2
#define CR_COND_MAX_ALTS 4
#define CR_COND_VALUE_MAX 32

/* One opening_hours rule. */
struct cr_oh_rule {
    uint8_t wdays; /* bit 0 Monday .. bit 6 Sunday; with ph 0 and wdays 0: every day */
    uint8_t ph;    /* 1: public holidays are among the days (PH) */
    uint8_t ndates, ntimes;
    struct {
        uint8_t m1, d1, m2, d2; /* month 1..12, day 1..31; wraps over the new year when past */
    } dates[CR_COND_MAX_DATES];
    struct {
        uint16_t from, to;      /* minutes from midnight; to > 1440 runs into the next day */
    } times[CR_COND_MAX_TIMES]; /* none: the whole day */
};

enum cr_cond_quantity {
    CR_COND_WEIGHT,
    CR_COND_AXLELOAD,
    CR_COND_HEIGHT,
    CR_COND_WIDTH,
    CR_COND_LENGTH
};
enum cr_cond_op { CR_COND_GT, CR_COND_GE, CR_COND_LT, CR_COND_LE };

/* A condition: every part must hold (AND). */
struct cr_cond_expr {
    uint8_t nrules; /* 0: no time part (the time always matches) */
    uint8_t ncmp;
    struct cr_oh_rule rules[CR_COND_MAX_RULES];
    struct {
        uint8_t quantity, op; /* enum cr_cond_quantity, enum cr_cond_op */
        double value;         /* tonnes or metres */
    } cmp[CR_COND_MAX_CMP];
};

/* One "VALUE @ CONDITION" of a tag. */
struct cr_cond_alt {
    char value[CR_COND_VALUE_MAX]; /* "no", "30", "no_left_turn", trimmed */
    struct cr_cond_expr expr;
};

/* The vehicle a vehicle condition is checked against: 0 for a size not given, which fails
 * every comparison on it. */
struct cr_cond_vehicle {
    double weight_t, axleload_t, height_m, width_m, length_m;
};

/* The public holidays (PH): days since 1970-01-01, sorted or not. */
struct cr_cond_holidays {
    const int32_t *days;
    size_t count;
};

/* Parses a whole tag value into ALTS[0 .. *N-1] (at most CR_COND_MAX_ALTS). Returns 0, or -1
 * with WHY (of WHY_SIZE bytes) saying what was not understood ("at 12: 'sunset'"). */
int cr_cond_parse(const char *text, struct cr_cond_alt *alts, size_t *n, char *why,
                  size_t why_size);

/* Parses one opening_hours condition (without "@", parentheses allowed) into E. */
int cr_cond_parse_expr(const char *text, struct cr_cond_expr *e, char *why, size_t why_size);

/* Whether the time part of E holds at T (seconds, naive local). */
int cr_cond_time_holds(const struct cr_cond_expr *e, int64_t t, const struct cr_cond_holidays *ph);

/* Whether the vehicle part of E holds for V (no vehicle part: 1). */
int cr_cond_vehicle_holds(const struct cr_cond_expr *e, const struct cr_cond_vehicle *v);

/* "2026-04-30T08:00" (or with ":SS", or a space for "T", or a date alone: midnight) into
 * seconds since 1970 as naive local time. -1 when malformed. */
int cr_cond_parse_time(const char *text, int64_t *t);

/* T as "2026-04-30T08:00:00" into BUF (at least 20 bytes). */
void cr_cond_format_time(int64_t t, char *buf, size_t size);

/* Days since 1970-01-01 of a civil date, and back (proleptic Gregorian). */
int32_t cr_cond_days(int year, int month, int day);
void cr_cond_civil(int32_t days, int *year, int *month, int *day);

/* "2026-04-30,2026-09-02" (or ';' or spaces) into days; *N on input is the capacity. -1 on a
 * bad date. */
int cr_cond_parse_dates(const char *text, int32_t *days, size_t *n);

#endif
