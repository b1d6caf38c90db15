#include "routing/ch_store.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define INDEX_SECTION "ch.index"
#define ARRAYS 11

static const char *const array_names[ARRAYS] = { "rank",      "up_first",  "up_head",  "up_weight",
                                                 "up_middle", "up_arc",    "dn_first", "dn_head",
                                                 "dn_weight", "dn_middle", "dn_arc" };

uint32_t
cr_wgraph_crc(const struct cr_wgraph *g)
{
    uint32_t crc = cr_crc32(0, &g->node_count, sizeof g->node_count);
    crc = cr_crc32(crc, g->first_out, ((size_t)g->node_count + 1) * sizeof *g->first_out);
    crc = cr_crc32(crc, g->head, (size_t)g->arc_count * sizeof *g->head);
    return cr_crc32(crc, g->weight, (size_t)g->arc_count * sizeof *g->weight);
}

/* Pointers and counts of the arrays of A, in array_names order. */
static void
arrays_of(const struct cr_ch_arrays *a, const uint32_t **ptr, uint64_t *count)
{
    const uint32_t *p[ARRAYS] = { a->rank,        a->up_first,    a->up_head,    a->up_weight,
                                  a->up_middle,   a->up_arc,      a->down_first, a->down_head,
                                  a->down_weight, a->down_middle, a->down_arc };
    uint64_t c[ARRAYS] = {
        a->node_count, (uint64_t)a->node_count + 1, a->up_count,   a->up_count,   a->up_count,
        a->up_count,   (uint64_t)a->node_count + 1, a->down_count, a->down_count, a->down_count,
        a->down_count
    };
    memcpy(ptr, p, sizeof p);
    memcpy(count, c, sizeof c);
}

static json_t *
read_index(const struct cr_netfile *f)
{
    uint64_t n = 0;
    struct cr_error ignore;
    const char *text = cr_netfile_section(f, INDEX_SECTION, 1, &n, &ignore);
    json_error_t jerr;
    json_t *index;

    if (!text || n == 0 || text[n - 1] != '\0')
        return json_array();
    index = json_loads(text, 0, &jerr);
    if (!json_is_array(index)) {
        json_decref(index);
        return json_array();
    }
    return index;
}

static int
same_entry(json_t *o, const char *profile, const char *metric)
{
    const char *p = json_string_value(json_object_get(o, "profile"));
    const char *m = json_string_value(json_object_get(o, "metric"));
    return p && m && !strcmp(p, profile) && !strcmp(m, metric);
}

enum cr_status
cr_ch_store_save(const char *path, const struct cr_ch_entry *entries, size_t n,
                 struct cr_error *err)
{
    struct cr_netfile f;
    struct cr_netfile_writer *w = NULL;
    json_t *old = NULL, *index = json_array();
    char *index_text = NULL;
    char(*names)[CR_NETFILE_NAME_MAX] = NULL;
    size_t name_count = 0, kept = 0;
    enum cr_status st;

    memset(&f, 0, sizeof f);
    if ((st = cr_netfile_map(&f, path, err)))
        goto done;
    old = read_index(&f);
    names = calloc((json_array_size(old) + n) * ARRAYS + 1, sizeof *names);
    w = cr_netfile_writer_create(path, err);
    if (!names || !w || !index) {
        st = w ? cr_error_set(err, CR_ENOMEM, "%s: out of memory", path) : err->code;
        goto done;
    }
    /* every section but the old hierarchies */
    for (uint32_t i = 0; i < f.header->section_count; i++) {
        const struct cr_netfile_section *s = &f.sections[i];
        if (!strncmp(s->name, "ch", 2) &&
            (s->name[2] == '.' || (s->name[2] >= '0' && s->name[2] <= '9')))
            continue;
        if ((st = cr_netfile_writer_add(w, s->name, f.data + s->offset, s->elem_size,
                                        s->size / s->elem_size, err)))
            goto done;
    }
    /* old hierarchies not replaced, renumbered */
    for (size_t k = 0; k < json_array_size(old); k++) {
        json_t *o = json_array_get(old, k);
        int replaced = 0;
        for (size_t j = 0; j < n; j++)
            replaced |= same_entry(o, entries[j].profile, entries[j].metric);
        if (replaced || !json_is_integer(json_object_get(o, "id")))
            continue;
        for (int a = 0; a < ARRAYS; a++) {
            char from[CR_NETFILE_NAME_MAX];
            uint64_t count;
            const void *data;
            snprintf(from, sizeof from, "ch%lld.%s",
                     (long long)json_integer_value(json_object_get(o, "id")), array_names[a]);
            snprintf(names[name_count], sizeof names[0], "ch%zu.%s", kept, array_names[a]);
            data = cr_netfile_section(&f, from, sizeof(uint32_t), &count, err);
            if (!data) {
                st = err->code;
                goto done;
            }
            if ((st = cr_netfile_writer_add(w, names[name_count++], data, sizeof(uint32_t), count,
                                            err)))
                goto done;
        }
        json_t *copy = json_deep_copy(o);
        json_object_set_new(copy, "id", json_integer((json_int_t)kept));
        json_array_append_new(index, copy);
        kept++;
    }
    for (size_t j = 0; j < n; j++) {
        struct cr_ch_arrays arr;
        const uint32_t *ptr[ARRAYS];
        uint64_t count[ARRAYS];
        json_t *o = json_object();
        cr_ch_arrays(entries[j].ch, &arr);
        arrays_of(&arr, ptr, count);
        for (int a = 0; a < ARRAYS; a++) {
            snprintf(names[name_count], sizeof names[0], "ch%zu.%s", kept, array_names[a]);
            if ((st = cr_netfile_writer_add(w, names[name_count++], ptr[a], sizeof(uint32_t),
                                            count[a], err)))
                goto done;
        }
        json_object_set_new(o, "id", json_integer((json_int_t)kept));
        json_object_set_new(o, "profile", json_string(entries[j].profile));
        json_object_set_new(o, "metric", json_string(entries[j].metric));
        json_object_set_new(o, "graph_crc", json_integer(entries[j].graph_crc));
        json_object_set_new(o, "nodes", json_integer(arr.node_count));
        json_object_set_new(o, "up_arcs", json_integer(arr.up_count));
        json_object_set_new(o, "down_arcs", json_integer(arr.down_count));
        if (cr_ch_tie_rule(entries[j].ch)) /* absent before the tie rule (routing/tie.h) */
            json_object_set_new(o, "tie", json_string("weight,second"));
        json_array_append_new(index, o);
        kept++;
    }
    index_text = json_dumps(index, JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (!index_text) {
        st = cr_error_set(err, CR_ENOMEM, "%s: out of memory", path);
        goto done;
    }
    if ((st =
             cr_netfile_writer_add(w, INDEX_SECTION, index_text, 1, strlen(index_text) + 1, err)) ||
        (st = cr_netfile_writer_commit(w, err)))
        goto done;
done:
    cr_netfile_writer_destroy(w);
    cr_netfile_unmap(&f);
    json_decref(old);
    json_decref(index);
    free(index_text);
    free(names);
    return st;
}

enum cr_status
cr_ch_store_find(const struct cr_netfile *f, const char *profile, const char *metric, uint32_t crc,
                 struct cr_ch **out, int *stale, struct cr_error *err)
{
    json_t *index = read_index(f);
    enum cr_status st = CR_OK;

    *out = NULL;
    *stale = 0;
    for (size_t k = 0; k < json_array_size(index); k++) {
        json_t *o = json_array_get(index, k);
        struct cr_ch_arrays arr;
        const uint32_t *ptr[ARRAYS];
        uint64_t count[ARRAYS];
        long long id = json_integer_value(json_object_get(o, "id"));
        if (!same_entry(o, profile, metric))
            continue;
        if ((uint32_t)json_integer_value(json_object_get(o, "graph_crc")) != crc) {
            *stale = 1;
            continue;
        }
        for (int a = 0; a < ARRAYS; a++) {
            char name[CR_NETFILE_NAME_MAX];
            snprintf(name, sizeof name, "ch%lld.%s", id, array_names[a]);
            ptr[a] = cr_netfile_section(f, name, sizeof(uint32_t), &count[a], err);
            if (!ptr[a]) {
                st = err->code;
                goto done;
            }
        }
        memset(&arr, 0, sizeof arr);
        arr.node_count = (uint32_t)count[0];
        arr.up_count = (uint32_t)count[2];
        arr.down_count = (uint32_t)count[7];
        arr.rank = ptr[0];
        arr.up_first = ptr[1];
        arr.up_head = ptr[2];
        arr.up_weight = ptr[3];
        arr.up_middle = ptr[4];
        arr.up_arc = ptr[5];
        arr.down_first = ptr[6];
        arr.down_head = ptr[7];
        arr.down_weight = ptr[8];
        arr.down_middle = ptr[9];
        arr.down_arc = ptr[10];
        if (count[1] != count[0] + 1 || count[6] != count[0] + 1 || count[3] != count[2] ||
            count[4] != count[2] || count[5] != count[2] || count[8] != count[7] ||
            count[9] != count[7] || count[10] != count[7]) {
            st = cr_error_set(err, CR_EFORMAT, "%s: hierarchy %s/%s: array lengths disagree",
                              f->path, profile, metric);
            goto done;
        }
        *out = cr_ch_from_arrays(&arr, f->path, err);
        if (!*out)
            st = err->code;
        else
            cr_ch_set_tie_rule(*out, json_object_get(o, "tie") != NULL);
        goto done;
    }
done:
    json_decref(index);
    return st;
}

size_t
cr_ch_store_list(const struct cr_netfile *f, char *buf, size_t size)
{
    json_t *index = read_index(f);
    size_t n = json_array_size(index), used = 0;

    if (size)
        buf[0] = '\0';
    for (size_t k = 0; k < n && size; k++) {
        json_t *o = json_array_get(index, k);
        int w = snprintf(buf + used, size - used, "%s%s/%s", k ? ", " : "",
                         json_string_value(json_object_get(o, "profile")) ?: "?",
                         json_string_value(json_object_get(o, "metric")) ?: "?");
        if (w < 0 || (size_t)w >= size - used) {
            buf[used] = '\0'; /* whole names only, not the start of one */
            break;
        }
        used += (size_t)w;
    }
    json_decref(index);
    return n;
}
