#include "importers/osm/osm_import.h"

#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/geo.h"
#include "core/netfile.h"
#include "corridor/version.h"
#include "importers/osm/osm_reader.h"
#include "importers/osm/osm_tags.h"
#include "importers/terminals/terminals.h"

#include "core/strpool.h"
#include "importers/osm/osm_build.h"

/* ---- provenance --------------------------------------------------------------------------- */

static const char *
base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

static void
iso_time(int64_t t, char *buf, size_t size)
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (t <= 0 || !gmtime_r(&tt, &tm) || !strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm))
        snprintf(buf, size, "%s", "");
}

static enum cr_status
write_meta(struct state *s, struct cr_error *err)
{
    json_t *root = json_object(), *modes = json_array(), *radius = json_object();
    json_t *ways = json_object(), *invalid = json_object();
    struct stat st;
    char when[32];

    if (!root || !modes || !radius || !ways || !invalid)
        goto oom;
    iso_time(s->stats->newest_timestamp, when, sizeof when);
    for (int g = 0; g < CR_GROUP_TERMINAL; g++) {
        if (s->modes & (1u << g))
            json_array_append_new(modes, json_string(cr_group_name((enum cr_group)g)));
        json_object_set_new(radius, cr_group_name((enum cr_group)g),
                            json_real(cr_osm_radius_for(s->opt, g)));
    }
    for (int m = 0; m < CR_MODE_COUNT; m++)
        json_object_set_new(ways, cr_mode_name((enum cr_mode)m),
                            json_integer((json_int_t)s->stats->ways_by_mode[m]));
    json_object_set_new(root, "input", json_string(base_name(s->input)));
    json_object_set_new(root, "input_bytes",
                        json_integer(s->data                    ? (json_int_t)s->size
                                     : stat(s->input, &st) == 0 ? (json_int_t)st.st_size
                                                                : 0));
    json_object_set_new(root, "newest_timestamp", when[0] ? json_string(when) : json_null());
    json_object_set_new(root, "modes", modes);
    json_object_set_new(root, "terminals_file",
                        s->opt && s->opt->terminals_path
                            ? json_string(base_name(s->opt->terminals_path))
                            : json_null());
    json_object_set_new(root, "transfer_radius_m", radius);
    json_object_set_new(root, "osm_ways_by_mode", ways);
    json_object_set_new(root, "missing_nodes", json_integer((json_int_t)s->stats->missing_nodes));
    json_object_set_new(root, "restrictions_dropped",
                        json_integer((json_int_t)s->stats->restrictions_dropped));
    /* the reasons added later (via_ways_apart) only when counted: the keys stay as before */
    for (int p = 0; p < CR_RESTRICTION_PROBLEM_COUNT; p++)
        if (p < CR_RESTRICTION_VIA_APART || s->stats->restrictions_invalid[p])
            json_object_set_new(invalid,
                                cr_restriction_problem_name((enum cr_restriction_problem)p),
                                json_integer((json_int_t)s->stats->restrictions_invalid[p]));
    json_object_set_new(root, "restrictions_invalid", invalid);
    invalid = NULL;
    json_object_set_new(root, "terminal_candidates",
                        json_integer((json_int_t)s->stats->terminal_candidates));
    json_object_set_new(root, "terminals_unlinked",
                        json_integer((json_int_t)s->stats->terminals_unlinked));
    if (s->stats->cond_tags || s->stats->cond_restrictions || s->stats->cond_unparsed ||
        s->stats->cond_other) /* only then: files without conditional tags keep their meta */
        json_object_set_new(root, "conditional",
                            json_pack("{s:I,s:I,s:I,s:I}", "way_tags",
                                      (json_int_t)s->stats->cond_tags, "restrictions",
                                      (json_int_t)s->stats->cond_restrictions, "not_parsed",
                                      (json_int_t)s->stats->cond_unparsed, "other_keys",
                                      (json_int_t)s->stats->cond_other));
    json_object_set_new(root, "corridor_version", json_string(CORRIDOR_VERSION_STRING));
    s->b->meta = json_dumps(root, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(root);
    if (!s->b->meta)
        return cr_error_set(err, CR_ENOMEM, "%s: out of memory", s->input);
    return CR_OK;
oom:
    json_decref(root);
    json_decref(modes);
    json_decref(radius);
    json_decref(ways);
    json_decref(invalid);
    return cr_error_set(err, CR_ENOMEM, "%s: out of memory", s->input);
}

/* ---- assembling --------------------------------------------------------------------------- */

static void
fill_view(struct cr_netbuild *b)
{
    struct cr_graph_view *v = &b->view;

    v->node_count = (uint32_t)b->lon.len;
    v->edge_count = (uint32_t)b->head.len;
    v->segment_count = (uint32_t)b->seg_way.len;
    v->way_count = (uint32_t)b->ways.len;
    v->shape_count = (uint32_t)b->shape_lon.len;
    v->terminal_count = (uint32_t)b->terminals.len;
    v->restriction_count = (uint32_t)b->restrictions.len;
    v->strings_size = b->strings.len;
    v->lon_e7 = b->lon.data;
    v->lat_e7 = b->lat.data;
    v->osm_id = b->osm_id.data;
    v->group = b->group.data;
    v->barrier = b->barrier.data;
    v->node_flags = b->flags.data;
    v->node_closed = b->closed.data;
    v->first_out = b->first_out.data;
    v->head = b->head.data;
    v->edge_segment = b->edge_segment.data;
    v->segment_way = b->seg_way.data;
    v->segment_length_cm = b->seg_len.data;
    v->segment_node = b->seg_node.data;
    v->segment_edge = b->seg_edge.data;
    v->segment_first_shape = b->seg_first_shape.data;
    v->shape_lon_e7 = b->shape_lon.data;
    v->shape_lat_e7 = b->shape_lat.data;
    v->ways = b->ways.data;
    v->terminals = b->terminals.data;
    v->restrictions = b->restrictions.data;
    v->restriction_via = b->restriction_via.len ? b->restriction_via.data : NULL;
    v->restriction_via_size = (uint32_t)b->restriction_via.len;
    v->cond_ways = b->cond_ways.len ? b->cond_ways.data : NULL;
    v->cond_way_count = (uint32_t)b->cond_ways.len;
    v->cond_restrictions = b->cond_restr.len ? b->cond_restr.data : NULL;
    v->cond_restriction_count = (uint32_t)b->cond_restr.len;
    v->cond_via_ways = b->cond_via.len ? b->cond_via.data : NULL;
    v->cond_via_way_count = (uint32_t)b->cond_via.len;
    v->way_destination = b->way_dest.len ? b->way_dest.data : NULL;
    v->way_destination_count = (uint32_t)(b->way_dest.len / 2);
    v->way_guide = b->way_guide.len ? b->way_guide.data : NULL;
    v->way_guide_count = (uint32_t)b->way_guide.len;
    v->strings = b->strings.chars;
    v->meta = b->meta ? b->meta : "";
}

static struct cr_netbuild *
netbuild_create(void)
{
    struct cr_netbuild *b = calloc(1, sizeof *b);

    if (!b)
        return NULL;
    cr_vec_init(&b->ways, sizeof(struct cr_way_attr));
    cr_vec_init(&b->lon, sizeof(int32_t));
    cr_vec_init(&b->lat, sizeof(int32_t));
    cr_vec_init(&b->osm_id, sizeof(int64_t));
    cr_vec_init(&b->group, 1);
    cr_vec_init(&b->barrier, 1);
    cr_vec_init(&b->flags, 1);
    cr_vec_init(&b->closed, 1);
    cr_vec_init(&b->first_out, sizeof(uint32_t));
    cr_vec_init(&b->head, sizeof(uint32_t));
    cr_vec_init(&b->edge_segment, sizeof(uint32_t));
    cr_vec_init(&b->seg_way, sizeof(uint32_t));
    cr_vec_init(&b->seg_len, sizeof(uint32_t));
    cr_vec_init(&b->seg_node, sizeof(uint32_t));
    cr_vec_init(&b->seg_edge, sizeof(uint32_t));
    cr_vec_init(&b->seg_first_shape, sizeof(uint32_t));
    cr_vec_init(&b->shape_lon, sizeof(int32_t));
    cr_vec_init(&b->shape_lat, sizeof(int32_t));
    cr_vec_init(&b->terminals, sizeof(struct cr_terminal));
    cr_vec_init(&b->restrictions, sizeof(struct cr_restriction));
    cr_vec_init(&b->restriction_via, sizeof(uint32_t));
    cr_vec_init(&b->cond_ways, sizeof(struct cr_cond_way));
    cr_vec_init(&b->cond_restr, sizeof(struct cr_cond_restriction));
    cr_vec_init(&b->cond_via, sizeof(struct cr_cond_restriction));
    cr_vec_init(&b->way_dest, sizeof(uint32_t));
    cr_vec_init(&b->way_guide, sizeof(struct cr_way_guide));
    if (cr_strpool_init(&b->strings)) {
        cr_netbuild_destroy(b);
        return NULL;
    }
    return b;
}

void
cr_netbuild_destroy(struct cr_netbuild *b)
{
    if (!b)
        return;
    cr_strpool_fini(&b->strings);
    cr_vec_fini(&b->ways);
    cr_vec_fini(&b->lon);
    cr_vec_fini(&b->lat);
    cr_vec_fini(&b->osm_id);
    cr_vec_fini(&b->group);
    cr_vec_fini(&b->barrier);
    cr_vec_fini(&b->flags);
    cr_vec_fini(&b->closed);
    cr_vec_fini(&b->first_out);
    cr_vec_fini(&b->head);
    cr_vec_fini(&b->edge_segment);
    cr_vec_fini(&b->seg_way);
    cr_vec_fini(&b->seg_len);
    cr_vec_fini(&b->seg_node);
    cr_vec_fini(&b->seg_edge);
    cr_vec_fini(&b->seg_first_shape);
    cr_vec_fini(&b->shape_lon);
    cr_vec_fini(&b->shape_lat);
    cr_vec_fini(&b->terminals);
    cr_vec_fini(&b->restrictions);
    cr_vec_fini(&b->restriction_via);
    cr_vec_fini(&b->cond_ways);
    cr_vec_fini(&b->cond_restr);
    cr_vec_fini(&b->cond_via);
    cr_vec_fini(&b->way_dest);
    cr_vec_fini(&b->way_guide);
    free(b->meta);
    free(b);
}

const struct cr_graph_view *
cr_netbuild_view(const struct cr_netbuild *b)
{
    return &b->view;
}

static void
state_fini(struct state *s)
{
    cr_vec_fini(&s->wrecs);
    cr_vec_fini(&s->refs);
    cr_vec_fini(&s->cands);
    cr_vec_fini(&s->cand_refs);
    cr_vec_fini(&s->mp_ways);
    cr_vec_fini(&s->raw_restr);
    cr_vec_fini(&s->raw_via);
    cr_vec_fini(&s->edges);
    free(s->need);
    free(s->need_lon);
    free(s->need_lat);
    free(s->need_have);
    free(s->need_barrier);
    free(s->need_flags);
    free(s->need_closed);
    free(s->ridx);
    for (int g = 0; g < CR_GROUP_COUNT; g++) {
        free(s->node_of[g]);
        free(s->forced[g]);
    }
    cr_vec_fini(&s->node_need);
    cr_vec_fini(&s->shape_need);
}

/* The graph from the chosen nodes: segments, CSR, largest components. */
static enum cr_status
build_graph(struct state *s, struct cr_error *err)
{
    enum cr_status st;

    if ((st = cr_osm_choose_graph_nodes(s, err)) || (st = cr_osm_build_segments(s, err)) ||
        (st = cr_osm_build_csr(s, err)) || (st = cr_osm_mark_largest_components(s, err)))
        return st;
    return CR_OK;
}

/* Forgets the graph (not what was read) so build_graph can run again. */
static void
reset_graph(struct state *s)
{
    struct cr_netbuild *b = s->b;
    struct cr_vec *vecs[] = { &b->lon,       &b->lat,      &b->osm_id,          &b->group,
                              &b->barrier,   &b->flags,    &b->closed,          &b->seg_way,
                              &b->seg_len,   &b->seg_node, &b->seg_first_shape, &b->shape_lon,
                              &b->shape_lat, &s->edges,    &s->node_need,       &s->shape_need };

    for (size_t i = 0; i < sizeof vecs / sizeof vecs[0]; i++)
        vecs[i]->len = 0;
}

static void
phase(const struct cr_import_options *opt, const char *name)
{
    if (opt && opt->phase)
        opt->phase(opt->progress_user, name);
}

static int
forward_progress(void *user, double done)
{
    const struct state *s = user;
    return s->opt->progress(s->opt->progress_user, done);
}

static enum cr_status
read_osm(struct state *s, const char *name, int (*node)(void *, const struct cr_osm_node *),
         int (*way)(void *, const struct cr_osm_way *),
         int (*relation)(void *, const struct cr_osm_relation *), struct cr_error *err)
{
    struct cr_osm_handler h = { 0 };

    phase(s->opt, name);
    h.user = s;
    h.node = node;
    h.way = way;
    h.relation = relation;
    h.stop_err = &s->stop_err;
    if (s->opt && s->opt->progress)
        h.progress = forward_progress;
    if (s->data)
        return cr_osm_read_buffer(s->data, s->size, s->format, s->input, &h, err);
    return cr_osm_read(s->input, &h, err);
}

/* cr_osm_build, from file INPUT, or from DATA[SIZE] in FORMAT when DATA is not NULL. */
static struct cr_netbuild *
build(const char *input, const void *data, size_t size, const char *format,
      const struct cr_import_options *opt, struct cr_import_stats *stats, struct cr_error *err)
{
    struct state s;
    struct cr_import_stats local_stats;
    enum cr_status st;
    char modes_text[32] = "";
    struct cr_vec targets;
    int split = 0;

    memset(&s, 0, sizeof s);
    s.input = input;
    s.data = data;
    s.size = size;
    s.format = format;
    s.opt = opt;
    s.modes = (opt && opt->modes)
                  ? opt->modes
                  : (1u << CR_GROUP_ROAD) | (1u << CR_GROUP_RAIL) | (1u << CR_GROUP_WATER);
    s.stats = stats ? stats : &local_stats;
    memset(s.stats, 0, sizeof *s.stats);
    cr_vec_init(&s.wrecs, sizeof(struct way_rec));
    cr_vec_init(&s.refs, sizeof(int64_t));
    cr_vec_init(&s.cands, sizeof(struct cand));
    cr_vec_init(&s.cand_refs, sizeof(struct cand_ref));
    cr_vec_init(&s.mp_ways, sizeof(struct cand_ref));
    cr_vec_init(&s.raw_restr, sizeof(struct raw_restriction));
    cr_vec_init(&s.raw_via, sizeof(int64_t));
    cr_vec_init(&s.edges, sizeof(struct edge_rec));
    cr_vec_init(&s.node_need, sizeof(uint32_t));
    cr_vec_init(&s.shape_need, sizeof(uint32_t));
    cr_vec_init(&targets, sizeof(struct target));
    s.b = netbuild_create();
    if (!s.b) {
        cr_error_set(err, CR_ENOMEM, "%s: out of memory", input);
        goto fail;
    }

    if ((st = read_osm(&s, "ways and relations", NULL, cr_osm_on_way, cr_osm_on_relation, err)))
        goto fail;
    if (s.wrecs.len == 0) {
        for (int g = 0; g < CR_GROUP_TERMINAL; g++)
            if (s.modes & (1u << g))
                snprintf(modes_text + strlen(modes_text), sizeof modes_text - strlen(modes_text),
                         "%s%s", modes_text[0] ? "," : "", cr_group_name((enum cr_group)g));
        cr_error_set(err, CR_EEMPTY,
                     "%s: no usable way (no road, railway or waterway for modes %s)", input,
                     modes_text);
        goto fail;
    }
    if (s.mp_ways.len) {
        qsort(s.mp_ways.data, s.mp_ways.len, sizeof(struct cand_ref), cr_osm_cmp_cand_ref);
        if ((st = read_osm(&s, "terminal areas", NULL, cr_osm_on_member_way, NULL, err)))
            goto fail;
    }
    if (cr_osm_collect_needed(&s, err))
        goto fail;
    if ((st = read_osm(&s, "nodes", cr_osm_on_node, NULL, NULL, err)))
        goto fail;
    phase(opt, "building graph");
    if (cr_osm_index_refs(&s, err) || build_graph(&s, err))
        goto fail;
    if (s.b->seg_way.len == 0) {
        cr_error_set(err, CR_EEMPTY,
                     "%s: no usable way (ways found, but none with two nodes in "
                     "the file)",
                     input);
        goto fail;
    }
    if (opt && opt->terminals_path && cr_osm_read_terminal_file(&s, err))
        goto fail;
    cr_osm_place_candidates(&s);
    if (cr_osm_choose_targets(&s, &targets, &split, err))
        goto fail;
    if (split) { /* some terminals join a shape point: make those nodes and build again */
        reset_graph(&s);
        if (build_graph(&s, err))
            goto fail;
    }
    if (cr_osm_add_terminals(&s, &targets, err) || cr_osm_build_csr(&s, err) ||
        cr_osm_resolve_restrictions(&s, err) || write_meta(&s, err))
        goto fail;
    if (cr_vec_reserve(&s.b->seg_first_shape, 1)) { /* the closing entry: S + 1 in all */
        cr_error_set(err, CR_ENOMEM, "%s: out of memory", input);
        goto fail;
    }
    AT(s.b->seg_first_shape, uint32_t, s.b->seg_first_shape.len++) = (uint32_t)s.b->shape_lon.len;
    fill_view(s.b);
    cr_vec_fini(&targets);
    state_fini(&s);
    return s.b;
fail:
    cr_vec_fini(&targets);
    state_fini(&s);
    cr_netbuild_destroy(s.b);
    return NULL;
}

struct cr_netbuild *
cr_osm_build(const char *input, const struct cr_import_options *opt, struct cr_import_stats *stats,
             struct cr_error *err)
{
    return build(input, NULL, 0, NULL, opt, stats, err);
}

struct cr_netbuild *
cr_osm_build_buffer(const void *data, size_t size, const char *format, const char *name,
                    const struct cr_import_options *opt, struct cr_import_stats *stats,
                    struct cr_error *err)
{
    return build(name, data, size, format, opt, stats, err);
}

enum cr_status
cr_osm_import(const char *input, const char *output, const struct cr_import_options *opt,
              struct cr_import_stats *stats, struct cr_error *err)
{
    struct cr_netbuild *b;
    enum cr_status st;

    if ((st = cr_netfile_check_folder(output, err)))
        return st;
    b = cr_osm_build(input, opt, stats, err);
    if (!b)
        return err ? err->code : CR_EINTERNAL;
    phase(opt, "writing");
    st = cr_graph_write(&b->view, output, err);
    cr_netbuild_destroy(b);
    return st;
}
