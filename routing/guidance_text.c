/* Steps as sentences in English and Vietnamese (routing/guidance_text.h). */
#include "routing/guidance_text.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "routing/measure.h"
#include "routing/output.h"

int
cr_lang_parse(const char *name, enum cr_lang *out)
{
    if (!strcmp(name, "en"))
        *out = CR_LANG_EN;
    else if (!strcmp(name, "vi"))
        *out = CR_LANG_VI;
    else
        return -1;
    return 0;
}

const char *
cr_vi_road(const char *name, char *buf, size_t size)
{
    /* NFC, capitalised and not, each followed by a space or the end */
    static const char *const kinds[] = {
        "Đường",     "đường",     "Phố",          "phố",          "Quốc lộ",     "quốc lộ",
        "Tỉnh lộ",   "tỉnh lộ",   "Hương lộ",     "hương lộ",     "Đại lộ",      "đại lộ",
        "Xa lộ",     "xa lộ",     "Cao tốc",      "cao tốc",      "Cầu",         "cầu",
        "Hẻm",       "hẻm",       "Ngõ",          "ngõ",          "Ngách",       "ngách",
        "Kiệt",      "kiệt",      "Hầm",          "hầm",          "Vòng xoay",   "vòng xoay",
        "Bùng binh", "bùng binh", "Quảng trường", "quảng trường", "Công trường", "công trường",
        "Phà",       "phà",       "Bến",          "bến",
    };
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        size_t n = strlen(kinds[i]);
        if (!strncmp(name, kinds[i], n) && (name[n] == ' ' || name[n] == '\0')) {
            snprintf(buf, size, "%s", name);
            return buf;
        }
    }
    snprintf(buf, size, "đường %s", name);
    return buf;
}

static const char *
cardinal(unsigned bearing, enum cr_lang lang)
{
    static const char *const en[8] = { "north", "northeast", "east", "southeast",
                                       "south", "southwest", "west", "northwest" };
    static const char *const vi[8] = { "bắc", "đông bắc", "đông", "đông nam",
                                       "nam", "tây nam",  "tây",  "tây bắc" };
    unsigned k = ((bearing % 360) * 2 + 45) / 90 % 8;
    return lang == CR_LANG_VI ? vi[k] : en[k];
}

static const char *
ordinal_en(unsigned n, char *buf, size_t size)
{
    const char *suffix = "th";
    if (n % 100 < 11 || n % 100 > 13)
        suffix = n % 10 == 1 ? "st" : n % 10 == 2 ? "nd" : n % 10 == 3 ? "rd" : "th";
    snprintf(buf, size, "%u%s", n, suffix);
    return buf;
}

static const char *
ordinal_vi(unsigned n, char *buf, size_t size)
{
    if (n == 1)
        snprintf(buf, size, "thứ nhất");
    else
        snprintf(buf, size, "thứ %u", n);
    return buf;
}

/* What the step's road is called: its name, else its ref; "" when neither. */
static const char *
road_of(const struct cr_graph_view *v, const struct cr_step *s)
{
    const struct cr_way_attr *w = &v->ways[s->way];
    const char *name = cr_graph_string(v, w->name);
    return *name ? name : cr_graph_string(v, w->ref);
}

/* Appends to BUF (of SIZE, holding a string). */
static void add(char *buf, size_t size, const char *fmt, ...) CR_PRINTF(3, 4);

static void
add(char *buf, size_t size, const char *fmt, ...)
{
    size_t len = strlen(buf);
    va_list ap;

    if (len + 1 >= size)
        return;
    va_start(ap, fmt);
    vsnprintf(buf + len, size - len, fmt, ap);
    va_end(ap);
}

static const char *
side_en(enum cr_modifier m)
{
    return m == CR_MOD_LEFT || m == CR_MOD_SLIGHT_LEFT || m == CR_MOD_SHARP_LEFT ? "left" : "right";
}

static const char *
side_vi(enum cr_modifier m)
{
    return m == CR_MOD_LEFT || m == CR_MOD_SLIGHT_LEFT || m == CR_MOD_SHARP_LEFT ? "trái" : "phải";
}

static void
sentence_en(const struct cr_step *s, const char *road, const char *dest, const char *rotary,
            const char *exit_no, int last_leg, char *buf, size_t size)
{
    enum cr_modifier m = (enum cr_modifier)s->modifier;
    const char *mod = cr_modifier_name(m);
    char ord[16];

    switch (s->type) {
    case CR_MAN_DEPART:
        add(buf, size, "Head %s", cardinal(s->bearing_after, CR_LANG_EN));
        if (*road)
            add(buf, size, " on %s", road);
        return;
    case CR_MAN_ARRIVE:
        add(buf, size,
            last_leg ? "You have arrived at your destination"
                     : "You have arrived at your waypoint");
        return;
    case CR_MAN_ROUNDABOUT:
    case CR_MAN_ROTARY:
        if (s->type == CR_MAN_ROTARY)
            add(buf, size, "Enter %s", "the traffic circle");
        else
            add(buf, size, "Enter the roundabout");
        if (s->exit) {
            buf[0] = '\0';
            if (s->type == CR_MAN_ROTARY && *rotary)
                add(buf, size, "At %s, take the %s exit", rotary,
                    ordinal_en(s->exit, ord, sizeof ord));
            else
                add(buf, size, "At the %s, take the %s exit",
                    s->type == CR_MAN_ROTARY ? "traffic circle" : "roundabout",
                    ordinal_en(s->exit, ord, sizeof ord));
        }
        break;
    case CR_MAN_ROUNDABOUT_TURN:
        if (m == CR_MOD_STRAIGHT)
            add(buf, size, "At the roundabout, continue straight");
        else if (m == CR_MOD_UTURN)
            add(buf, size, "At the roundabout, make a U-turn");
        else
            add(buf, size, "At the roundabout, turn %s", mod);
        break;
    case CR_MAN_ON_RAMP:
    case CR_MAN_OFF_RAMP:
        if (*exit_no && s->type == CR_MAN_OFF_RAMP)
            add(buf, size, "Take exit %s on the %s", exit_no, side_en(m));
        else
            add(buf, size, "Take the ramp on the %s", side_en(m));
        break;
    case CR_MAN_FORK:
        add(buf, size, "Keep %s at the fork", side_en(m));
        break;
    case CR_MAN_MERGE:
        add(buf, size, "Merge %s", side_en(m));
        break;
    case CR_MAN_END_OF_ROAD:
        add(buf, size, "Turn %s at the end of the road", side_en(m));
        break;
    case CR_MAN_CONTINUE:
        if (m == CR_MOD_UTURN)
            add(buf, size, "Make a U-turn");
        else
            add(buf, size, "Continue %s", mod);
        if (*road)
            add(buf, size, " to stay on %s", road);
        return;
    case CR_MAN_NEW_NAME:
    case CR_MAN_NOTIFICATION:
        if (s->mode == CR_MODE_TRANSFER) {
            add(buf, size, *road ? "Transfer at %s" : "Transfer", road);
            return;
        }
        if (m == CR_MOD_STRAIGHT || m == CR_MOD_NONE)
            add(buf, size, "Continue");
        else
            add(buf, size, "Continue %s", mod);
        break;
    default: /* turn */
        if (m == CR_MOD_UTURN)
            add(buf, size, "Make a U-turn");
        else if (m == CR_MOD_STRAIGHT)
            add(buf, size, "Go straight");
        else
            add(buf, size, "Turn %s", mod);
        break;
    }
    if (*dest &&
        (s->type == CR_MAN_ON_RAMP || s->type == CR_MAN_OFF_RAMP || s->type == CR_MAN_FORK))
        add(buf, size, " towards %s", dest);
    else if (*road)
        add(buf, size, " onto %s", road);
}

static const char *
turn_vi(enum cr_modifier m)
{
    static const char *const t[CR_MOD_COUNT] = {
        "Đi tiếp",  "Quay đầu",        "Rẽ gắt sang phải", "Rẽ phải",          "Chếch sang phải",
        "Đi thẳng", "Chếch sang trái", "Rẽ trái",          "Rẽ gắt sang trái",
    };
    return (unsigned)m < CR_MOD_COUNT ? t[m] : t[0];
}

/* turn_vi()'s words within a sentence (lower case). */
static const char *
turn_vi_mid(enum cr_modifier m)
{
    static const char *const t[CR_MOD_COUNT] = {
        "đi tiếp",  "quay đầu",        "rẽ gắt sang phải", "rẽ phải",          "chếch sang phải",
        "đi thẳng", "chếch sang trái", "rẽ trái",          "rẽ gắt sang trái",
    };
    return (unsigned)m < CR_MOD_COUNT ? t[m] : t[0];
}

static void
sentence_vi(const struct cr_step *s, const char *road, const char *dest, const char *rotary,
            const char *exit_no, int last_leg, char *buf, size_t size)
{
    enum cr_modifier m = (enum cr_modifier)s->modifier;
    char ord[32], r[256];

    if (*road && s->mode == CR_MODE_ROAD)
        cr_vi_road(road, r, sizeof r);
    else /* a railway, a river, a ferry line: no "đường" */
        snprintf(r, sizeof r, "%s", road);
    switch (s->type) {
    case CR_MAN_DEPART:
        add(buf, size, "Đi về hướng %s", cardinal(s->bearing_after, CR_LANG_VI));
        if (*road)
            add(buf, size, " trên %s", r);
        return;
    case CR_MAN_ARRIVE:
        add(buf, size, last_leg ? "Bạn đã đến nơi" : "Bạn đã đến điểm dừng");
        return;
    case CR_MAN_ROUNDABOUT:
    case CR_MAN_ROTARY:
        if (s->type == CR_MAN_ROTARY && *rotary)
            add(buf, size, "Tại vòng xoay %s", rotary);
        else
            add(buf, size, "Tại vòng xuyến");
        if (s->exit)
            add(buf, size, ", đi lối ra %s", ordinal_vi(s->exit, ord, sizeof ord));
        else
            add(buf, size, ", đi vào vòng xuyến");
        break;
    case CR_MAN_ROUNDABOUT_TURN:
        if (m == CR_MOD_STRAIGHT)
            add(buf, size, "Tại vòng xuyến, đi thẳng");
        else if (m == CR_MOD_UTURN)
            add(buf, size, "Tại vòng xuyến, quay đầu");
        else
            add(buf, size, "Tại vòng xuyến, %s", turn_vi_mid(m));
        break;
    case CR_MAN_ON_RAMP:
        add(buf, size, "Đi vào đường dẫn bên %s", side_vi(m));
        break;
    case CR_MAN_OFF_RAMP:
        if (*exit_no)
            add(buf, size, "Đi vào lối ra %s bên %s", exit_no, side_vi(m));
        else
            add(buf, size, "Đi vào lối ra bên %s", side_vi(m));
        break;
    case CR_MAN_FORK:
        add(buf, size, "Tại ngã rẽ, đi về bên %s", side_vi(m));
        break;
    case CR_MAN_MERGE:
        add(buf, size, "Nhập làn bên %s", side_vi(m));
        break;
    case CR_MAN_END_OF_ROAD:
        add(buf, size, "Cuối đường, rẽ %s", side_vi(m));
        break;
    case CR_MAN_CONTINUE:
        if (m == CR_MOD_UTURN || m == CR_MOD_STRAIGHT)
            add(buf, size, "%s", m == CR_MOD_UTURN ? "Quay đầu" : "Đi tiếp");
        else
            add(buf, size, "%s", turn_vi(m));
        if (*road)
            add(buf, size, " để tiếp tục trên %s", r);
        return;
    case CR_MAN_NEW_NAME:
    case CR_MAN_NOTIFICATION:
        if (s->mode == CR_MODE_TRANSFER) {
            add(buf, size, *road ? "Chuyển phương thức tại %s" : "Chuyển phương thức", road);
            return;
        }
        if (s->mode == CR_MODE_FERRY)
            add(buf, size, "Đi phà");
        else if (m == CR_MOD_STRAIGHT || m == CR_MOD_NONE)
            add(buf, size, "Đi tiếp");
        else
            add(buf, size, "%s", turn_vi(m));
        break;
    default:
        add(buf, size, "%s", turn_vi(m));
        break;
    }
    if (*dest &&
        (s->type == CR_MAN_ON_RAMP || s->type == CR_MAN_OFF_RAMP || s->type == CR_MAN_FORK))
        add(buf, size, " hướng %s", dest);
    else if (*road)
        add(buf, size, " vào %s", r);
}

const char *
cr_guidance_sentence(const struct cr_graph_view *v, const struct cr_step *s, enum cr_lang lang,
                     int last_leg, char *buf, size_t size)
{
    const char *road = road_of(v, s);
    const char *dest = cr_graph_string(v, cr_graph_way_destination(v, s->way));
    const char *rotary = cr_graph_string(v, s->rotary_name);
    char exit_no[64]; /* the first of the exit numbers, as osrm-text-instructions says it */

    if (!size)
        return buf;
    snprintf(exit_no, sizeof exit_no, "%s", cr_guidance_exits(v, s->way));
    exit_no[strcspn(exit_no, ";")] = '\0';
    buf[0] = '\0';
    if (lang == CR_LANG_VI)
        sentence_vi(s, road, dest, rotary, exit_no, last_leg, buf, size);
    else
        sentence_en(s, road, dest, rotary, exit_no, last_leg, buf, size);
    return buf;
}

json_t *
cr_guidance_json(const struct cr_engine *e, const struct cr_route *r, const struct cr_guidance *g,
                 enum cr_lang lang)
{
    const struct cr_graph_view *v = e->view;
    json_t *a = json_array();
    char buf[512];

    for (uint32_t l = 0; l < g->leg_count; l++) {
        for (uint32_t i = g->leg_first_step[l]; i < g->leg_first_step[l + 1]; i++) {
            const struct cr_step *s = &g->steps[i];
            const struct cr_way_attr *w = &v->ways[s->way];
            json_t *o = json_object();
            json_object_set_new(o, "leg", json_integer(l));
            json_object_set_new(o, "type", json_string(cr_maneuver_name(s->type)));
            if (s->modifier != CR_MOD_NONE)
                json_object_set_new(o, "modifier", json_string(cr_modifier_name(s->modifier)));
            if (s->exit)
                json_object_set_new(o, "exit", json_integer(s->exit));
            json_object_set_new(o, "name", cr_output_name(v, w->name));
            json_object_set_new(o, "ref", cr_output_name(v, w->ref));
            if (*cr_guidance_destinations(v, s->way, buf, sizeof buf))
                json_object_set_new(o, "destinations", cr_output_string(buf));
            if (*cr_guidance_exits(v, s->way))
                json_object_set_new(o, "exits", cr_output_string(cr_guidance_exits(v, s->way)));
            json_object_set_new(o, "mode", json_string(cr_mode_name((enum cr_mode)s->mode)));
            json_object_set_new(o, "location", cr_output_lonlat(s->lon_e7, s->lat_e7));
            json_object_set_new(o, "bearing_before", json_integer(s->bearing_before));
            json_object_set_new(o, "bearing_after", json_integer(s->bearing_after));
            json_object_set_new(o, cr_measure_key(CR_MEASURE_DISTANCE), json_real(s->distance_m));
            json_object_set_new(o, cr_measure_key(CR_MEASURE_DURATION), json_real(s->duration_s));
            cr_guidance_sentence(v, s, lang, l + 1 == g->leg_count, buf, sizeof buf);
            json_object_set_new(o, "instruction", cr_output_string(buf));
            json_array_append_new(a, o);
        }
    }
    (void)r;
    return a;
}

/* Appends to the growing text *T (length *N, capacity *CAP); -1 when out of memory. */
static int
grow(char **t, size_t *n, size_t *cap, const char *line)
{
    size_t k = strlen(line);
    if (*n + k + 1 > *cap) {
        size_t c = (*cap + k + 1) * 2;
        char *x = realloc(*t, c);
        if (!x)
            return -1;
        *t = x;
        *cap = c;
    }
    memcpy(*t + *n, line, k + 1);
    *n += k;
    return 0;
}

char *
cr_guidance_text(const struct cr_engine *e, const struct cr_route *r, const struct cr_guidance *g,
                 enum cr_lang lang, size_t *len)
{
    char *t = NULL, line[640], sentence[512];
    size_t n = 0, cap = 0;
    unsigned k = 0;

    snprintf(line, sizeof line, "%s: %.2f km, %.1f min (%s)\n", e->profile.name,
             r->distance_m / 1000.0, r->duration_s / 60.0,
             lang == CR_LANG_VI ? "chỉ đường" : "directions");
    if (grow(&t, &n, &cap, line))
        goto oom;
    for (uint32_t l = 0; l < g->leg_count; l++) {
        for (uint32_t i = g->leg_first_step[l]; i < g->leg_first_step[l + 1]; i++) {
            const struct cr_step *s = &g->steps[i];
            cr_guidance_sentence(e->view, s, lang, l + 1 == g->leg_count, sentence,
                                 sizeof sentence);
            if (s->type == CR_MAN_ARRIVE)
                snprintf(line, sizeof line, "%u. %s\n", ++k, sentence);
            else if (s->distance_m >= 1000.0)
                snprintf(line, sizeof line, "%u. %s (%.1f km)\n", ++k, sentence,
                         s->distance_m / 1000.0);
            else
                snprintf(line, sizeof line, "%u. %s (%.0f m)\n", ++k, sentence, s->distance_m);
            if (grow(&t, &n, &cap, line))
                goto oom;
        }
    }
    if (len)
        *len = n;
    return t;
oom:
    free(t);
    return NULL;
}
