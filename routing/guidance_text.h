/*
 * Turn-by-turn steps as sentences, in English or Vietnamese: "Turn right onto Võ Thị Sáu",
 * "Rẽ phải vào đường Võ Thị Sáu", "At the roundabout, take the 2nd exit onto ..." / "Tại vòng
 * xuyến, đi lối ra thứ 2 vào ...". The English follows osrm-text-instructions' v5 phrases
 * closely; the Vietnamese is corridor's own (docs/routing.md, "Guidance").
 *
 * Vietnamese street names usually begin with their kind ("Đường 3 Tháng 2", "Quốc lộ 1A",
 * "Cầu Sài Gòn", "Hẻm 51"): such a name is used as it is, any other gets "đường" before it, so
 * a sentence never says "đường Đường".
 */
#ifndef CR_ROUTING_GUIDANCE_TEXT_H
#define CR_ROUTING_GUIDANCE_TEXT_H

#include <jansson.h>
#include <stddef.h>

#include "core/graph.h"
#include "routing/guidance.h"

enum cr_lang { CR_LANG_EN = 0, CR_LANG_VI };

/* "en" or "vi" into *OUT; 0, or -1 for any other. */
int cr_lang_parse(const char *name, enum cr_lang *out);

/* The sentence of step S (of network V) in LANG into BUF (always NUL-terminated, cut to SIZE);
 * returns BUF. LAST_LEG: an arrive step at the end of the route rather than at a via point. */
const char *cr_guidance_sentence(const struct cr_graph_view *v, const struct cr_step *s,
                                 enum cr_lang lang, int last_leg, char *buf, size_t size);

/* NAME with "đường " before it unless it begins with a Vietnamese road kind (Đường, Phố, Quốc
 * lộ, Cầu, Hẻm, ...), into BUF; returns BUF. */
const char *cr_vi_road(const char *name, char *buf, size_t size);

/* corridor's `steps` array for `corridor route --steps`: one object per step of every leg (leg,
 * type, modifier, exit, name, ref, destinations, exits, mode, location, bearing_before,
 * bearing_after, distance_m, duration_s and instruction, the sentence in LANG). caller frees:
 * json_decref() */
json_t *cr_guidance_json(const struct cr_engine *e, const struct cr_route *r,
                         const struct cr_guidance *g, enum cr_lang lang);

/* The numbered instructions, one a line ("3. Turn right onto Võ Thị Sáu (250 m)"), after a
 * line with the route's distance and time. NULL when out of memory. caller frees: free() */
char *cr_guidance_text(const struct cr_engine *e, const struct cr_route *r,
                       const struct cr_guidance *g, enum cr_lang lang, size_t *len);

#endif
