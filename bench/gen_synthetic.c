/*
 * gen_synthetic: writes a SYNTHETIC road network as OSM XML, for benchmarks at sizes the bundled
 * extracts do not reach. The data is made up: no real place, no real road; nothing here comes
 * from OpenStreetMap (so no ODbL attribution applies, and no result on it says anything about
 * a real city).
 *
 *   gen_synthetic N SEED OUTPUT.osm       # e.g. 1000000 1 /tmp/synthetic.osm (about 1 s)
 *   osmium cat OUTPUT.osm -o OUTPUT.osm.pbf
 *   gen_synthetic --grid N SEED OUTPUT.osm  # the older, denser network: every node a junction
 *
 * Exactly N nodes. Their shape follows what real extracts show (bench/README.md has the
 * figures measured on 13 of them): most OSM nodes of a road are shape points between junctions,
 * and residential streets form trees with some loops rather than a full grid. So:
 *
 * - junctions: a jittered grid of about N / JUNCTION_SHARE nodes (ids 1..J, row by row; the last
 *   row may be short), about 100 m apart (each moved up to 15 m at random), centred on lon 106.6,
 *   lat 10.8; the remaining N - J nodes (ids J+1..N) are shape points along the street segments
 *   between junctions (0 to about 4 per segment, each up to 8 m off the straight line);
 * - every 32nd row and column: highway=primary, maxspeed=60; every other 8th: highway=secondary;
 *   all of those segments are kept;
 * - the rest: highway=residential (about 10% of their ways one-way, oneway=yes or -1), of whose
 *   segments, taken in a random order, those joining two not yet connected parts are kept (a
 *   spanning forest: everything stays connected) and of the others LOOP_PERMILLE per mille
 *   (closing blocks); the rest are left out, giving dead ends and T-junctions;
 * - rows and columns 60 and 61 of every 128 a motorway pair, two one-way carriageways
 *   (highway=motorway, maxspeed=100), grade-separated: the streets they cross bridge over them
 *   (the street's segment steps from the junction before the pair to the one after it) and join
 *   them only at interchanges, where a primary crosses: four one-way motorway_link ramps (off and
 *   on, each direction). Where two motorway pairs cross, they share nodes (a plain junction); at
 *   the edge of the grid a link joins one carriageway to the other, so none ends in a dead end;
 * - turn restrictions: restriction=no_left_turn relations at about 0.1% of the junctions, at
 *   ordinary crossings (from way, via node, to way on the left, the first such pair of arms
 *   that is kept from a random start; the ways are split there).
 *
 * Street ways are split every 8 segments (motorways every 64 junctions) and where a segment is
 * left out. With --grid (the generator before the shape points; a hard case for contraction
 * hierarchies, far denser than real roads), every node is a junction, every segment kept and 5%
 * of the residential ways one-way. The same N, SEED and mode give the same file.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SPACING_LAT_E7 8983 /* 100 m of latitude */
#define SPACING_LON_E7 9145 /* 100 m of longitude at 10.8 degrees north */
#define JITTER_E7 1350      /* up to about 15 m either way */
#define CENTRE_LON_E7 1066000000
#define CENTRE_LAT_E7 108000000
#define STREET_PIECE 8            /* steps per street way */
#define MOTORWAY_PIECE 64         /* steps per motorway way */
#define ONEWAY_PERMILLE 100       /* residential ways made one-way (--grid: 50) */
#define RESTRICT_PER_MILLION 1000 /* junctions made the via of a no_left_turn */
#define JUNCTION_SHARE 3.4        /* N / junctions (bench/README.md: why) */
#define LOOP_PERMILLE 300         /* residential segments kept beyond the spanning forest */
#define SHAPE_JITTER_E7 700       /* shape points up to about 8 m off the straight line */
#define DROPPED 0xFF              /* a street segment left out */

/* ---- output buffer: a few hand-written formatters, much faster than fprintf ---------------- */

static FILE *out_file;
static char out_buf[1 << 20];
static size_t out_len;
static int out_failed;

static void
flush_out(void)
{
    if (out_len && fwrite(out_buf, 1, out_len, out_file) != out_len)
        out_failed = 1;
    out_len = 0;
}

static void
put_str(const char *s)
{
    size_t n = strlen(s);
    if (out_len + n > sizeof out_buf)
        flush_out();
    memcpy(out_buf + out_len, s, n);
    out_len += n;
}

static void
put_u64(uint64_t x)
{
    char tmp[24];
    int n = 0;
    if (out_len + 24 > sizeof out_buf)
        flush_out();
    do {
        tmp[n++] = (char)('0' + x % 10);
        x /= 10;
    } while (x);
    while (n)
        out_buf[out_len++] = tmp[--n];
}

/* 1e-7 degrees as a decimal with 7 digits: -12.3456789 */
static void
put_e7(int32_t v)
{
    uint32_t a = v < 0 ? (uint32_t)(-(int64_t)v) : (uint32_t)v, frac = a % 10000000;
    if (out_len + 24 > sizeof out_buf)
        flush_out();
    if (v < 0)
        out_buf[out_len++] = '-';
    put_u64(a / 10000000);
    out_buf[out_len++] = '.';
    for (int i = 6; i >= 0; i--) {
        out_buf[out_len + (size_t)i] = (char)('0' + frac % 10);
        frac /= 10;
    }
    out_len += 7;
}

/* ---- random numbers: splitmix64 --------------------------------------------------------- */

static uint64_t rng_state;

static uint64_t
next_random(void)
{
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static uint32_t
random_below(uint32_t n)
{
    return (uint32_t)((next_random() >> 32) * n >> 32);
}

/* ---- the grid ---------------------------------------------------------------------------- */

static uint64_t node_total; /* N */
static uint64_t junctions;  /* J: ids 1..J; shape points J+1..N */
static uint32_t cols, rows; /* rows * cols >= J; the last row may be short */
static int grid_mode;       /* --grid: every node a junction, every segment kept */
static uint64_t next_way_id = 1;
static uint64_t seed_value;
static int32_t lat0, lon0;

/* per restriction: the via node's index and the ways of its four arms (0 = none yet) */
enum { ARM_WEST, ARM_EAST, ARM_SOUTH, ARM_NORTH };
struct restriction {
    uint64_t via;
    uint64_t arm[4];
};
static struct restriction *restr;
static uint32_t restr_count;
static int32_t *restr_slot; /* [J] restriction index of a via node, or -1 */

/* per junction: the street segment to the next street junction east (seg_h) and north (seg_v):
 * DROPPED, or its number of shape points */
static uint8_t *seg_h, *seg_v;
static uint64_t shape_next; /* the next shape point's index (J, J+1, ...) */

static int
exists(uint32_t r, uint32_t c)
{
    return r < rows && c < cols && (uint64_t)r * cols + c < junctions;
}

static uint64_t
node_index(uint32_t r, uint32_t c)
{
    return (uint64_t)r * cols + c;
}

/* Rows (and columns) 60 and 61 of every 128 carry a motorway pair, when both fit in full. */
static int
is_motorway_line(uint32_t i, uint32_t count)
{
    uint32_t base = i - i % 128;
    return (i % 128 == 60 || i % 128 == 61) && base + 61 + 1 < count;
}

static int
mw_row(uint32_t r)
{
    return is_motorway_line(r, rows);
}

static int
mw_col(uint32_t c)
{
    return is_motorway_line(c, cols);
}

static const char *
street_class(uint32_t line)
{
    return line % 32 == 0 ? "primary" : line % 8 == 0 ? "secondary" : "residential";
}

/* A stateless random number for KEY (coordinates are needed in more than one place). */
static uint64_t
hash64(uint64_t key)
{
    uint64_t z = key * 0x9E3779B97F4A7C15ull + seed_value;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static int32_t
jitter(uint64_t key, int32_t amplitude)
{
    return (int32_t)((hash64(key) >> 32) % (uint64_t)(2 * amplitude + 1)) - amplitude;
}

static int32_t
junction_lat(uint64_t i)
{
    return lat0 + (int32_t)(i / cols) * SPACING_LAT_E7 + jitter(2 * i, JITTER_E7);
}

static int32_t
junction_lon(uint64_t i)
{
    return lon0 + (int32_t)(i % cols) * SPACING_LON_E7 + jitter(2 * i + 1, JITTER_E7);
}

/* ---- union-find over the junctions, for the residential spanning forest ------------------ */

static uint32_t *uf_parent;

static uint32_t
uf_find(uint32_t x)
{
    while (uf_parent[x] != x) {
        uf_parent[x] = uf_parent[uf_parent[x]];
        x = uf_parent[x];
    }
    return x;
}

/* Joins the parts of A and B; returns 1 when they were apart. */
static int
uf_union(uint64_t a, uint64_t b)
{
    uint32_t x = uf_find((uint32_t)a), y = uf_find((uint32_t)b);
    if (x == y)
        return 0;
    uf_parent[x] = y;
    return 1;
}

/* ---- output of nodes and ways ------------------------------------------------------------ */

static void
tag(const char *k, const char *v)
{
    put_str("\n    <tag k=\"");
    put_str(k);
    put_str("\" v=\"");
    put_str(v);
    put_str("\"/>");
}

static void
write_node(uint64_t index, int32_t lat, int32_t lon)
{
    put_str("  <node id=\"");
    put_u64(index + 1);
    put_str("\" version=\"1\" lat=\"");
    put_e7(lat);
    put_str("\" lon=\"");
    put_e7(lon);
    put_str("\"/>\n");
}

/* Writes one way over node indices REFS[0..n-1]; returns its id. */
static uint64_t
write_way(const uint64_t *refs, size_t n, const char *highway, const char *oneway,
          const char *maxspeed, const char *name_key, const char *name, uint32_t number)
{
    uint64_t id = next_way_id++;
    char nm[64];

    put_str("  <way id=\"");
    put_u64(id);
    put_str("\" version=\"1\">");
    for (size_t i = 0; i < n; i++) {
        put_str("\n    <nd ref=\"");
        put_u64(refs[i] + 1);
        put_str("\"/>");
    }
    tag("highway", highway);
    if (oneway)
        tag("oneway", oneway);
    if (maxspeed)
        tag("maxspeed", maxspeed);
    if (name) {
        snprintf(nm, sizeof nm, "%s %" PRIu32, name, number);
        tag(name_key, nm);
    }
    put_str("\n  </way>\n");
    return id;
}

/* ---- the streets ------------------------------------------------------------------------- */

enum street_pass { PASS_UNION, PASS_CHOOSE, PASS_NODES, PASS_WAYS };

static uint64_t *way_refs; /* a way's node indices, junctions and shape points */
static size_t way_cap;
static uint64_t *choice; /* PASS_CHOOSE: residential segments as junction * 2 + vertical */
static uint64_t choice_count;

/* Writes the way along LINE over way_refs[0..n-1] from junction A to junction B. */
static void
emit_street_way(size_t n, uint32_t line, int horizontal, uint64_t a, uint64_t b)
{
    const char *klass = street_class(line);
    const char *maxspeed = line % 32 == 0 ? "60" : NULL;
    const char *name = horizontal ? "Synthetic Row" : "Synthetic Column";
    const char *oneway = NULL;
    uint64_t id;

    if (klass[0] == 'r' && random_below(1000) < (grid_mode ? ONEWAY_PERMILLE / 2 : ONEWAY_PERMILLE))
        oneway = random_below(2) ? "yes" : "-1";
    id = write_way(way_refs, n, klass, oneway, maxspeed, "name", name, line);
    if (restr_slot[a] >= 0)
        restr[restr_slot[a]].arm[horizontal ? ARM_EAST : ARM_NORTH] = id;
    if (restr_slot[b] >= 0)
        restr[restr_slot[b]].arm[horizontal ? ARM_WEST : ARM_SOUTH] = id;
}

/* One street along row (HORIZONTAL) or column LINE over its junctions REFS[0..n-1] (motorway
 * junctions skipped: bridged), in the given pass:
 * - PASS_UNION: joins the junctions of primary and secondary segments;
 * - PASS_CHOOSE: lists the residential segments for the random choice;
 * - PASS_NODES: writes the shape points of every kept segment;
 * - PASS_WAYS: writes the ways, cut every STREET_PIECE segments, where a segment is left out
 *   and at every restriction's via node.
 * The shape points are numbered in the order of PASS_NODES, which PASS_WAYS repeats. */
static void
street(enum street_pass pass, const uint64_t *refs, size_t n, uint32_t line, int horizontal)
{
    uint8_t *seg = horizontal ? seg_h : seg_v;
    int frame = street_class(line)[0] != 'r';
    size_t way_n = 0, pieces = 0;
    uint64_t way_start = 0;

    for (size_t i = 0; i + 1 < n; i++) {
        uint64_t a = refs[i], b = refs[i + 1];
        uint32_t shapes = seg[a];
        if (pass == PASS_UNION) {
            if (frame)
                uf_union(a, b);
            continue;
        }
        if (pass == PASS_CHOOSE) {
            if (frame)
                seg[a] = 0; /* kept */
            else
                choice[choice_count++] = a * 2 + (horizontal ? 0 : 1);
            continue;
        }
        if (shapes == DROPPED) {
            if (pass == PASS_WAYS && way_n > 1)
                emit_street_way(way_n, line, horizontal, way_start, a);
            way_n = 0;
            continue;
        }
        if (pass == PASS_NODES) {
            int32_t alat = junction_lat(a), alon = junction_lon(a);
            int32_t blat = junction_lat(b), blon = junction_lon(b);
            for (uint32_t k = 0; k < shapes; k++) {
                double t = (double)(k + 1) / (shapes + 1);
                uint64_t id = shape_next++;
                write_node(id,
                           alat + (int32_t)(t * (blat - alat)) +
                               (horizontal ? jitter(2 * id, SHAPE_JITTER_E7) : 0),
                           alon + (int32_t)(t * (blon - alon)) +
                               (horizontal ? 0 : jitter(2 * id + 1, SHAPE_JITTER_E7)));
            }
            continue;
        }
        /* PASS_WAYS */
        if (way_n == 0) {
            way_refs[way_n++] = a;
            way_start = a;
            pieces = 0;
        }
        for (uint32_t k = 0; k < shapes; k++)
            way_refs[way_n++] = shape_next++;
        way_refs[way_n++] = b;
        pieces++;
        if (pieces == STREET_PIECE || restr_slot[b] >= 0 || i + 2 == n) {
            emit_street_way(way_n, line, horizontal, way_start, b);
            way_n = 0;
        }
    }
}

/* Runs PASS over every street: rows west to east, then columns south to north. */
static void
all_streets(enum street_pass pass, uint64_t *refs)
{
    size_t n;

    for (uint32_t r = 0; r < rows; r++) {
        if (mw_row(r))
            continue;
        n = 0;
        for (uint32_t c = 0; c < cols; c++)
            if (exists(r, c) && !mw_col(c))
                refs[n++] = node_index(r, c);
        street(pass, refs, n, r, 1);
    }
    for (uint32_t c = 0; c < cols; c++) {
        if (mw_col(c))
            continue;
        n = 0;
        for (uint32_t r = 0; r < rows; r++)
            if (exists(r, c) && !mw_row(r))
                refs[n++] = node_index(r, c);
        street(pass, refs, n, c, 0);
    }
}

/* ---- motorways and ramps ----------------------------------------------------------------- */

static void
write_motorway(const uint64_t *refs, size_t n, uint32_t number, int writing)
{
    for (size_t start = 0; start + 1 < n; start += MOTORWAY_PIECE) {
        size_t end = start + MOTORWAY_PIECE < n - 1 ? start + MOTORWAY_PIECE : n - 1;
        if (!writing) {
            for (size_t i = start; i < end; i++)
                uf_union(refs[i], refs[i + 1]);
            continue;
        }
        write_way(refs + start, end - start + 1, "motorway", "yes", "100", "ref", "CT", number);
    }
}

static void
write_ramp(uint32_t r0, uint32_t c0, uint32_t r1, uint32_t c1, int writing)
{
    uint64_t refs[2];
    if (!exists(r0, c0) || !exists(r1, c1))
        return;
    refs[0] = node_index(r0, c0);
    refs[1] = node_index(r1, c1);
    if (!writing)
        uf_union(refs[0], refs[1]);
    else
        write_way(refs, 2, "motorway_link", "yes", NULL, NULL, NULL, 0);
}

/* The motorways and their ramps: written, or (WRITING 0) only joined in the union-find. */
static void
motorways(uint64_t *refs, int writing)
{
    size_t n;

    /* motorways: row m eastbound, m + 1 westbound; column m southbound, m + 1 northbound */
    for (uint32_t r = 0; r < rows; r++) {
        if (!mw_row(r))
            continue;
        n = 0;
        for (uint32_t k = 0; k < cols; k++) {
            uint32_t c = r % 128 == 60 ? k : cols - 1 - k;
            if (exists(r, c))
                refs[n++] = node_index(r, c);
        }
        write_motorway(refs, n, 1 + 2 * (r / 128), writing);
    }
    for (uint32_t c = 0; c < cols; c++) {
        if (!mw_col(c))
            continue;
        n = 0;
        for (uint32_t k = 0; k < rows; k++) {
            uint32_t r = c % 128 == 60 ? rows - 1 - k : k;
            if (exists(r, c))
                refs[n++] = node_index(r, c);
        }
        write_motorway(refs, n, 2 + 2 * (c / 128), writing);
    }
    /* at the edges of the grid, a link joins each carriageway's end to the other's start, so
     * no stretch of motorway is a dead end (or unreachable) */
    for (uint32_t r = 0; r < rows; r++) {
        if (mw_row(r) && r % 128 == 60) {
            write_ramp(r, cols - 1, r + 1, cols - 1, writing);
            write_ramp(r + 1, 0, r, 0, writing);
        }
    }
    for (uint32_t c = 0; c < cols; c++) {
        if (mw_col(c) && c % 128 == 60) {
            uint32_t top0 = exists(rows - 1, c) ? rows - 1 : rows - 2;
            uint32_t top1 = exists(rows - 1, c + 1) ? rows - 1 : rows - 2;
            write_ramp(0, c, 0, c + 1, writing);
            write_ramp(top1, c + 1, top0, c, writing);
        }
    }
    /* interchanges where a primary column crosses a motorway row pair (m, m + 1) ... */
    for (uint32_t r = 0; r < rows; r++) {
        if (!mw_row(r) || r % 128 != 60)
            continue;
        for (uint32_t c = 32; c + 1 < cols; c += 32) {
            write_ramp(r, c - 1, r - 1, c, writing);     /* eastbound off */
            write_ramp(r - 1, c, r, c + 1, writing);     /* eastbound on */
            write_ramp(r + 1, c + 1, r + 2, c, writing); /* westbound off */
            write_ramp(r + 2, c, r + 1, c - 1, writing); /* westbound on */
        }
    }
    /* ... and where a primary row crosses a motorway column pair */
    for (uint32_t c = 0; c < cols; c++) {
        if (!mw_col(c) || c % 128 != 60)
            continue;
        for (uint32_t r = 32; r + 1 < rows; r += 32) {
            write_ramp(r + 1, c, r, c - 1, writing);     /* southbound off */
            write_ramp(r, c - 1, r - 1, c, writing);     /* southbound on */
            write_ramp(r - 1, c + 1, r, c + 2, writing); /* northbound off */
            write_ramp(r, c + 2, r + 1, c + 1, writing); /* northbound on */
        }
    }
}

static int
restriction_site(uint32_t r, uint32_t c)
{
    return r >= 1 && c >= 1 && exists(r + 1, c) && exists(r, c + 1) && !mw_row(r) && !mw_col(c) &&
           !mw_row(r - 1) && !mw_row(r + 1) && !mw_col(c - 1) && !mw_col(c + 1);
}

/* Chooses the residential segments to keep (a random spanning forest over what the frame,
 * the motorways and the ramps already join, plus LOOP_PERMILLE of the rest) and spreads the
 * N - J shape points over all kept segments. Returns -1 when out of memory. */
static int
choose_segments(uint64_t *refs)
{
    uint64_t kept = 0, shapes = node_total - junctions, given = 0;
    double total_w = 0, cum = 0;

    uf_parent = malloc(junctions * sizeof *uf_parent);
    choice = malloc(2 * junctions * sizeof *choice);
    if (!uf_parent || !choice)
        return -1;
    for (uint64_t i = 0; i < junctions; i++)
        uf_parent[i] = (uint32_t)i;
    memset(seg_h, DROPPED, junctions); /* PASS_CHOOSE and the choice mark what is kept */
    memset(seg_v, DROPPED, junctions);
    all_streets(PASS_UNION, refs);
    motorways(refs, 0);
    choice_count = 0;
    all_streets(PASS_CHOOSE, refs);
    for (uint64_t i = choice_count; i > 1; i--) { /* Fisher-Yates */
        uint64_t j = (uint64_t)random_below((uint32_t)i), t = choice[i - 1];
        choice[i - 1] = choice[j];
        choice[j] = t;
    }
    for (uint64_t k = 0; k < choice_count; k++) {
        uint64_t a = choice[k] / 2, b;
        int vertical = (int)(choice[k] % 2);
        uint32_t r = (uint32_t)(a / cols), c = (uint32_t)(a % cols);
        /* the next street junction: past a motorway pair when one is in the way */
        if (vertical) {
            do
                r++;
            while (mw_row(r));
        } else {
            do
                c++;
            while (mw_col(c));
        }
        b = node_index(r, c);
        if (uf_union(a, b) || random_below(1000) < LOOP_PERMILLE)
            (vertical ? seg_v : seg_h)[a] = 0; /* kept */
    }
    free(choice);
    free(uf_parent);
    choice = NULL;
    uf_parent = NULL;

    /* shape points: each kept segment a random share, in all exactly N - J */
    for (uint64_t i = 0; i < 2 * junctions; i++) {
        uint8_t *s = i % 2 ? &seg_v[i / 2] : &seg_h[i / 2];
        if (*s != DROPPED) {
            *s = (uint8_t)(1 + random_below(7)); /* a weight 1..7 for now */
            total_w += *s;
            kept++;
        }
    }
    for (uint64_t i = 0; i < 2 * junctions && kept; i++) {
        uint8_t *s = i % 2 ? &seg_v[i / 2] : &seg_h[i / 2];
        uint64_t upto;
        if (*s == DROPPED)
            continue;
        cum += *s;
        upto = (uint64_t)((double)shapes * cum / total_w);
        if (upto > shapes)
            upto = shapes;
        if (upto - given > 250)
            return -1; /* cannot happen with JUNCTION_SHARE; guards the uint8 */
        *s = (uint8_t)(upto - given);
        given = upto;
    }
    return given == shapes ? 0 : -1;
}

static int
usage(void)
{
    fputs("usage: gen_synthetic [--grid] N SEED OUTPUT.osm\n"
          "Writes a SYNTHETIC road network of N nodes (junctions on a jittered grid with a road\n"
          "hierarchy, shape points between them, residential streets as trees with loops,\n"
          "motorways, one-ways and turn restrictions) as OSM XML. --grid: every node a junction\n"
          "of a full grid (denser than real roads). See bench/README.md.\n",
          stderr);
    return 2;
}

int
main(int argc, char **argv)
{
    char *end;
    uint64_t *refs;
    uint32_t line_cap;
    uint64_t relation_count = 0, ways_before;
    int32_t min_lat = INT32_MAX, max_lat = INT32_MIN, min_lon = INT32_MAX, max_lon = INT32_MIN;
    int arg = 1;

    if (argc == 5 && !strcmp(argv[1], "--grid")) {
        grid_mode = 1;
        arg = 2;
    } else if (argc != 4) {
        return usage();
    }
    errno = 0;
    node_total = strtoull(argv[arg], &end, 10);
    if (errno || *end || node_total < 4 || node_total > 100000000) {
        fprintf(stderr, "gen_synthetic: N \"%s\": want 4 .. 100000000\n", argv[arg]);
        return 2;
    }
    rng_state = strtoull(argv[arg + 1], &end, 10);
    if (*end) {
        fprintf(stderr, "gen_synthetic: SEED \"%s\": want a number\n", argv[arg + 1]);
        return 2;
    }
    seed_value = hash64(rng_state) ^ rng_state;
    /* small networks (under 400 nodes) are all junctions, like --grid */
    junctions = grid_mode || node_total < 400 ? node_total
                                              : (uint64_t)((double)node_total / JUNCTION_SHARE);
    cols = (uint32_t)ceil(sqrt((double)junctions));
    rows = (uint32_t)((junctions + cols - 1) / cols);
    line_cap = rows > cols ? rows : cols;
    lat0 = CENTRE_LAT_E7 - (int32_t)(rows / 2) * SPACING_LAT_E7;
    lon0 = CENTRE_LON_E7 - (int32_t)(cols / 2) * SPACING_LON_E7;

    way_cap = (size_t)(STREET_PIECE + 1) * 256;
    refs = malloc(line_cap * sizeof *refs);
    way_refs = malloc(way_cap * sizeof *way_refs);
    restr_slot = malloc(junctions * sizeof *restr_slot);
    restr = calloc(junctions / 500 + 16, sizeof *restr);
    seg_h = calloc(junctions, 1);
    seg_v = calloc(junctions, 1);
    if (!refs || !way_refs || !restr_slot || !restr || !seg_h || !seg_v) {
        fprintf(stderr, "gen_synthetic: out of memory\n");
        return 1;
    }
    if (junctions < node_total && choose_segments(refs)) {
        fprintf(stderr, "gen_synthetic: out of memory\n");
        return 1;
    }
    out_file = fopen(argv[arg + 2], "wb");
    if (!out_file) {
        fprintf(stderr, "gen_synthetic: %s: %s\n", argv[arg + 2], strerror(errno));
        return 1;
    }

    /* turn restriction sites first, so the ways can be split there: ordinary crossings whose
     * four arms are all kept */
    for (uint64_t i = 0; i < junctions; i++) {
        uint32_t r = (uint32_t)(i / cols), c = (uint32_t)(i % cols);
        restr_slot[i] = -1;
        if (random_below(1000000) < RESTRICT_PER_MILLION && restriction_site(r, c) &&
            restr_count < junctions / 500 + 16) {
            restr_slot[i] = (int32_t)restr_count;
            restr[restr_count++].via = i;
        }
    }

    for (uint64_t i = 0; i < junctions; i++) {
        int32_t lat = junction_lat(i), lon = junction_lon(i);
        min_lat = lat < min_lat ? lat : min_lat;
        max_lat = lat > max_lat ? lat : max_lat;
        min_lon = lon < min_lon ? lon : min_lon;
        max_lon = lon > max_lon ? lon : max_lon;
    }
    put_str("<?xml version='1.0' encoding='UTF-8'?>\n"
            "<osm version=\"0.6\" generator=\"corridor bench/gen_synthetic (SYNTHETIC data, "
            "not a real place)\">\n");
    put_str("  <bounds minlat=\"");
    put_e7(min_lat - SHAPE_JITTER_E7);
    put_str("\" minlon=\"");
    put_e7(min_lon - SHAPE_JITTER_E7);
    put_str("\" maxlat=\"");
    put_e7(max_lat + SHAPE_JITTER_E7);
    put_str("\" maxlon=\"");
    put_e7(max_lon + SHAPE_JITTER_E7);
    put_str("\"/>\n");
    for (uint64_t i = 0; i < junctions; i++)
        write_node(i, junction_lat(i), junction_lon(i));
    shape_next = junctions;
    all_streets(PASS_NODES, refs);

    shape_next = junctions;
    all_streets(PASS_WAYS, refs);
    ways_before = next_way_id;
    motorways(refs, 1);

    /* no_left_turn: heading east (from the west arm) left is north, and so on */
    for (uint32_t k = 0; k < restr_count; k++) {
        static const int left_of[4] = { ARM_NORTH, ARM_SOUTH, ARM_WEST, ARM_EAST };
        int from = (int)random_below(4), to = left_of[from];
        for (int turn = 0; turn < 4 && !(restr[k].arm[from] && restr[k].arm[to]); turn++) {
            from = (from + 1) % 4; /* an arm may be left out: the next that has both */
            to = left_of[from];
        }
        if (!restr[k].arm[from] || !restr[k].arm[to])
            continue;
        put_str("  <relation id=\"");
        put_u64(++relation_count);
        put_str("\" version=\"1\">\n    <member type=\"way\" ref=\"");
        put_u64(restr[k].arm[from]);
        put_str("\" role=\"from\"/>\n    <member type=\"node\" ref=\"");
        put_u64(restr[k].via + 1);
        put_str("\" role=\"via\"/>\n    <member type=\"way\" ref=\"");
        put_u64(restr[k].arm[to]);
        put_str("\" role=\"to\"/>");
        tag("type", "restriction");
        tag("restriction", "no_left_turn");
        put_str("\n  </relation>\n");
    }
    put_str("</osm>\n");
    flush_out();
    if (out_failed || fflush(out_file) || fclose(out_file)) {
        fprintf(stderr, "gen_synthetic: %s: write failed: %s\n", argv[arg + 2], strerror(errno));
        remove(argv[arg + 2]);
        return 1;
    }
    fprintf(stderr,
            "gen_synthetic: %s: SYNTHETIC %s %" PRIu32 " x %" PRIu32 ", %" PRIu64 " nodes (%" PRIu64
            " junctions, %" PRIu64 " shape points), %" PRIu64 " ways (%" PRIu64
            " motorway and ramp), %" PRIu64 " turn restrictions\n",
            argv[arg + 2], grid_mode ? "grid" : "junction grid", cols, rows, node_total, junctions,
            node_total - junctions, next_way_id - 1, next_way_id - ways_before, relation_count);
    free(refs);
    free(way_refs);
    free(restr_slot);
    free(restr);
    free(seg_h);
    free(seg_v);
    return 0;
}
