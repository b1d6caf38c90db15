/*
 * Fuzz target for the network file reader and the graph checks behind it.
 *
 * Each input runs twice: as given (header, table and CRC checks), and with every in-range
 * section's CRC and the header and table CRC (format 1.1) recomputed, so mutated payloads get
 * past the checksums into cr_graph_validate.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/graph.h"
#include "core/netfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Touches everything a view promises, so ASan sees a read outside any array. */
static uint64_t
walk(const struct cr_graph_view *v)
{
    uint64_t sum = 0;
    for (uint32_t u = 0; u < v->node_count; u++) {
        sum += (uint64_t)v->lon_e7[u] + (uint64_t)v->lat_e7[u] + (uint64_t)v->osm_id[u];
        sum += v->group[u] + v->barrier[u] + v->node_flags[u];
        for (uint32_t e = v->first_out[u]; e < v->first_out[u + 1]; e++) {
            const uint32_t s = v->edge_segment[e] & ~CR_SEGMENT_REVERSED;
            sum += v->head[e] + cr_graph_edge_mode(v, e) + v->segment_length_cm[s];
            for (uint32_t k = v->segment_first_shape[s]; k < v->segment_first_shape[s + 1]; k++)
                sum += (uint64_t)v->shape_lon_e7[k] + (uint64_t)v->shape_lat_e7[k];
            const struct cr_way_attr *a = &v->ways[v->segment_way[s]];
            sum += strlen(cr_graph_string(v, a->name)) + strlen(cr_graph_string(v, a->ref));
        }
    }
    for (uint32_t i = 0; i < v->terminal_count; i++)
        sum += v->group[v->terminals[i].node] + strlen(cr_graph_string(v, v->terminals[i].name));
    for (uint32_t i = 0; i < v->restriction_count; i++)
        sum += v->ways[v->restrictions[i].from_way].mode + v->ways[v->restrictions[i].to_way].mode;
    return sum + strlen(v->meta);
}

static void
run(const unsigned char *buf, size_t size)
{
    static const struct {
        const char *name;
        uint32_t elem_size;
    } lookups[] = {
        { "node.lon_e7", 4 }, { "node.osm_id", 8 }, { "edge.head", 4 }, { "way.attr", 56 },
        { "strings", 1 },     { "meta", 1 },        { "meta", 4 },      { "a", 1 },
    };
    struct cr_netfile f;
    struct cr_error err;
    if (cr_netfile_init_mem(&f, buf, size, "fuzz", &err) == CR_OK) {
        volatile uint64_t sink = 0;
        for (size_t i = 0; i < sizeof lookups / sizeof lookups[0]; i++) {
            uint64_t count;
            const unsigned char *p =
                cr_netfile_section(&f, lookups[i].name, lookups[i].elem_size, &count, &err);
            if (p && count > 0)
                sink += p[0] + p[count * lookups[i].elem_size - 1];
        }
        (void)sink;
        cr_netfile_unmap(&f);
    }
    struct cr_graph *g = cr_graph_open_mem(buf, size, "fuzz", &err);
    if (g) {
        volatile uint64_t sink = walk(cr_graph_view(g));
        (void)sink;
        cr_graph_close(g);
    }
}

/* Recomputes the CRC of every section that lies inside BUF; 1 if anything changed. */
static int
fix_checksums(unsigned char *buf, size_t size)
{
    struct cr_netfile_header h;
    int changed = 0;
    if (size < sizeof h)
        return 0;
    memcpy(&h, buf, sizeof h);
    for (uint64_t i = 0; i < h.section_count && i < CR_NETFILE_MAX_SECTIONS; i++) {
        struct cr_netfile_section s;
        const size_t at = sizeof h + (size_t)i * sizeof s;
        if (at + sizeof s > size)
            break;
        memcpy(&s, buf + at, sizeof s);
        if (s.offset > size || s.size > size - s.offset)
            continue;
        const uint32_t crc = cr_crc32(0, buf + s.offset, (size_t)s.size);
        if (crc != s.crc32) {
            memcpy(buf + at + offsetof(struct cr_netfile_section, crc32), &crc, sizeof crc);
            changed = 1;
        }
    }
    /* format 1.1: the header and table CRC, over the section CRCs just made right */
    if (h.section_count <= CR_NETFILE_MAX_SECTIONS &&
        sizeof h + (size_t)h.section_count * sizeof(struct cr_netfile_section) <= size) {
        const uint32_t crc = cr_netfile_table_crc(buf, (uint32_t)h.section_count);
        if (crc != h.table_crc32) {
            memcpy(buf + offsetof(struct cr_netfile_header, table_crc32), &crc, sizeof crc);
            changed = 1;
        }
    }
    return changed;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* an exact-size, 8-byte aligned copy: ASan sees any read past the end */
    unsigned char *buf = calloc(size ? size : 1, 1);
    if (!buf)
        return 0;
    if (size)
        memcpy(buf, data, size);
    run(buf, size);
    if (fix_checksums(buf, size))
        run(buf, size);
    free(buf);
    return 0;
}
