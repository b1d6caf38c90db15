/*
 * gen_synthetic: writes a SYNTHETIC road network as OSM XML, for benchmarks at sizes the bundled
 * extracts do not reach. The data is made up: no real place, no real road; nothing here comes
 * from OpenStreetMap (so no ODbL attribution applies, and no result on it says anything about
 * a real city).
 *
 *   gen_synthetic N SEED OUTPUT.osm       # e.g. 1000000 1 /tmp/synthetic.osm (about 1.5 s)
 *   osmium cat OUTPUT.osm -o OUTPUT.osm.pbf
 *
 * The network is a jittered grid of exactly N nodes (ids 1..N, row by row; the last row may be
 * short), about 100 m apart (each node moved up to 15 m at random), centred on lon 106.6,
 * lat 10.8, with a road hierarchy so that contraction hierarchies have something to find:
 *
 * - every 32nd row and column: highway=primary, maxspeed=60;
 * - every other 8th row and column: highway=secondary;
 * - the rest: highway=residential, about 5% of their ways one-way (oneway=yes or -1);
 * - rows and columns 60 and 61 of every 128: a motorway pair, two one-way carriageways
 *   (highway=motorway, maxspeed=100), grade-separated: the streets they cross bridge over them
 *   (the street's way steps from the node before the pair to the node after it) and join them
 *   only at interchanges, where a primary crosses: four one-way motorway_link ramps (off and on,
 *   each direction). Where two motorway pairs cross, they share nodes (a plain junction); at the
 *   edge of the grid a link joins one carriageway to the other, so none ends in a dead end;
 * - turn restrictions: restriction=no_left_turn relations at about 0.1% of the nodes, at
 *   ordinary crossings (from way, via node, to way on the left; the ways are split there).
 *
 * Ways are split every 8 steps (64 on motorways). Output is about 130 bytes a node; one million
 * nodes take about 1.5 s. The same N and SEED give the same file.
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
#define ONEWAY_PERMILLE 50        /* residential ways made one-way */
#define RESTRICT_PER_MILLION 1000 /* nodes made the via of a no_left_turn */

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
static uint32_t cols, rows; /* rows * cols >= N; the last row may be short */
static uint64_t next_way_id = 1;

/* per restriction: the via node's index and the ways of its four arms (0 = none yet) */
enum { ARM_WEST, ARM_EAST, ARM_SOUTH, ARM_NORTH };
struct restriction {
    uint64_t via;
    uint64_t arm[4];
};
static struct restriction *restr;
static uint32_t restr_count;
static int32_t *restr_slot; /* [N] restriction index of a via node, or -1 */

static int
exists(uint32_t r, uint32_t c)
{
    return r < rows && c < cols && (uint64_t)r * cols + c < node_total;
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

static void
tag(const char *k, const char *v)
{
    put_str("\n    <tag k=\"");
    put_str(k);
    put_str("\" v=\"");
    put_str(v);
    put_str("\"/>");
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

/* A street along row (HORIZONTAL) or column LINE: its nodes in order, motorway nodes skipped
 * (bridged), cut into ways of STREET_PIECE steps and at every restriction's via node. */
static void
write_street(const uint64_t *refs, size_t n, uint32_t line, int horizontal)
{
    const char *klass = street_class(line);
    const char *maxspeed = line % 32 == 0 ? "60" : NULL;
    const char *name = horizontal ? "Synthetic Row" : "Synthetic Column";
    size_t start = 0;

    while (start + 1 < n) {
        size_t end = start + 1;
        const char *oneway = NULL;
        uint64_t id;
        while (end + 1 < n && end - start < STREET_PIECE && restr_slot[refs[end]] < 0)
            end++;
        if (klass[0] == 'r' && random_below(1000) < ONEWAY_PERMILLE)
            oneway = random_below(2) ? "yes" : "-1";
        id = write_way(refs + start, end - start + 1, klass, oneway, maxspeed, "name", name, line);
        if (restr_slot[refs[start]] >= 0)
            restr[restr_slot[refs[start]]].arm[horizontal ? ARM_EAST : ARM_NORTH] = id;
        if (restr_slot[refs[end]] >= 0)
            restr[restr_slot[refs[end]]].arm[horizontal ? ARM_WEST : ARM_SOUTH] = id;
        start = end;
    }
}

static void
write_motorway(const uint64_t *refs, size_t n, uint32_t number)
{
    for (size_t start = 0; start + 1 < n; start += MOTORWAY_PIECE) {
        size_t end = start + MOTORWAY_PIECE < n - 1 ? start + MOTORWAY_PIECE : n - 1;
        write_way(refs + start, end - start + 1, "motorway", "yes", "100", "ref", "CT", number);
    }
}

static void
write_ramp(uint32_t r0, uint32_t c0, uint32_t r1, uint32_t c1)
{
    uint64_t refs[2];
    if (!exists(r0, c0) || !exists(r1, c1))
        return;
    refs[0] = node_index(r0, c0);
    refs[1] = node_index(r1, c1);
    write_way(refs, 2, "motorway_link", "yes", NULL, NULL, NULL, 0);
}

static int
restriction_site(uint32_t r, uint32_t c)
{
    return r >= 1 && c >= 1 && exists(r + 1, c) && exists(r, c + 1) && !mw_row(r) && !mw_col(c) &&
           !mw_row(r - 1) && !mw_row(r + 1) && !mw_col(c - 1) && !mw_col(c + 1);
}

static int
usage(void)
{
    fputs("usage: gen_synthetic N SEED OUTPUT.osm\n"
          "Writes a SYNTHETIC road network of N nodes (a jittered grid with a road hierarchy,\n"
          "motorways, one-ways and turn restrictions) as OSM XML. See bench/README.md.\n",
          stderr);
    return 2;
}

int
main(int argc, char **argv)
{
    char *end;
    uint64_t *refs;
    uint32_t line_cap;
    size_t n;
    uint64_t relation_count = 0, ways_before;
    int32_t min_lat = INT32_MAX, max_lat = INT32_MIN, min_lon = INT32_MAX, max_lon = INT32_MIN;
    int32_t lat0, lon0;

    if (argc != 4)
        return usage();
    errno = 0;
    node_total = strtoull(argv[1], &end, 10);
    if (errno || *end || node_total < 4 || node_total > 100000000) {
        fprintf(stderr, "gen_synthetic: N \"%s\": want 4 .. 100000000\n", argv[1]);
        return 2;
    }
    rng_state = strtoull(argv[2], &end, 10);
    if (*end) {
        fprintf(stderr, "gen_synthetic: SEED \"%s\": want a number\n", argv[2]);
        return 2;
    }
    cols = (uint32_t)ceil(sqrt((double)node_total));
    rows = (uint32_t)((node_total + cols - 1) / cols);
    line_cap = rows > cols ? rows : cols;
    lat0 = CENTRE_LAT_E7 - (int32_t)(rows / 2) * SPACING_LAT_E7;
    lon0 = CENTRE_LON_E7 - (int32_t)(cols / 2) * SPACING_LON_E7;

    refs = malloc(line_cap * sizeof *refs);
    restr_slot = malloc(node_total * sizeof *restr_slot);
    restr = calloc(node_total / 500 + 16, sizeof *restr);
    if (!refs || !restr_slot || !restr) {
        fprintf(stderr, "gen_synthetic: out of memory\n");
        return 1;
    }
    out_file = fopen(argv[3], "wb");
    if (!out_file) {
        fprintf(stderr, "gen_synthetic: %s: %s\n", argv[3], strerror(errno));
        return 1;
    }

    /* turn restriction sites first, so the ways can be split there */
    for (uint64_t i = 0; i < node_total; i++) {
        uint32_t r = (uint32_t)(i / cols), c = (uint32_t)(i % cols);
        restr_slot[i] = -1;
        if (random_below(1000000) < RESTRICT_PER_MILLION && restriction_site(r, c) &&
            restr_count < node_total / 500 + 16) {
            restr_slot[i] = (int32_t)restr_count;
            restr[restr_count++].via = i;
        }
    }

    put_str("<?xml version='1.0' encoding='UTF-8'?>\n"
            "<osm version=\"0.6\" generator=\"corridor bench/gen_synthetic (SYNTHETIC data, "
            "not a real place)\">\n");
    for (int pass = 0; pass < 2; pass++) {
        /* pass 0 only finds the bounds, pass 1 writes; both draw the same jitter */
        uint64_t saved = rng_state;
        if (pass == 1) {
            put_str("  <bounds minlat=\"");
            put_e7(min_lat);
            put_str("\" minlon=\"");
            put_e7(min_lon);
            put_str("\" maxlat=\"");
            put_e7(max_lat);
            put_str("\" maxlon=\"");
            put_e7(max_lon);
            put_str("\"/>\n");
        }
        for (uint64_t i = 0; i < node_total; i++) {
            uint32_t r = (uint32_t)(i / cols), c = (uint32_t)(i % cols);
            int32_t lat = lat0 + (int32_t)r * SPACING_LAT_E7 +
                          (int32_t)random_below(2 * JITTER_E7 + 1) - JITTER_E7;
            int32_t lon = lon0 + (int32_t)c * SPACING_LON_E7 +
                          (int32_t)random_below(2 * JITTER_E7 + 1) - JITTER_E7;
            if (pass == 0) {
                min_lat = lat < min_lat ? lat : min_lat;
                max_lat = lat > max_lat ? lat : max_lat;
                min_lon = lon < min_lon ? lon : min_lon;
                max_lon = lon > max_lon ? lon : max_lon;
                continue;
            }
            put_str("  <node id=\"");
            put_u64(i + 1);
            put_str("\" version=\"1\" lat=\"");
            put_e7(lat);
            put_str("\" lon=\"");
            put_e7(lon);
            put_str("\"/>\n");
        }
        if (pass == 0)
            rng_state = saved;
    }

    /* streets: rows west to east, then columns south to north */
    for (uint32_t r = 0; r < rows; r++) {
        if (mw_row(r))
            continue;
        n = 0;
        for (uint32_t c = 0; c < cols; c++)
            if (exists(r, c) && !mw_col(c))
                refs[n++] = node_index(r, c);
        write_street(refs, n, r, 1);
    }
    for (uint32_t c = 0; c < cols; c++) {
        if (mw_col(c))
            continue;
        n = 0;
        for (uint32_t r = 0; r < rows; r++)
            if (exists(r, c) && !mw_row(r))
                refs[n++] = node_index(r, c);
        write_street(refs, n, c, 0);
    }

    /* motorways: row m eastbound, m + 1 westbound; column m southbound, m + 1 northbound */
    ways_before = next_way_id;
    for (uint32_t r = 0; r < rows; r++) {
        if (!mw_row(r))
            continue;
        n = 0;
        for (uint32_t k = 0; k < cols; k++) {
            uint32_t c = r % 128 == 60 ? k : cols - 1 - k;
            if (exists(r, c))
                refs[n++] = node_index(r, c);
        }
        write_motorway(refs, n, 1 + 2 * (r / 128));
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
        write_motorway(refs, n, 2 + 2 * (c / 128));
    }
    /* at the edges of the grid, a link joins each carriageway's end to the other's start, so
     * no stretch of motorway is a dead end (or unreachable) */
    for (uint32_t r = 0; r < rows; r++) {
        if (mw_row(r) && r % 128 == 60) {
            write_ramp(r, cols - 1, r + 1, cols - 1);
            write_ramp(r + 1, 0, r, 0);
        }
    }
    for (uint32_t c = 0; c < cols; c++) {
        if (mw_col(c) && c % 128 == 60) {
            uint32_t top0 = exists(rows - 1, c) ? rows - 1 : rows - 2;
            uint32_t top1 = exists(rows - 1, c + 1) ? rows - 1 : rows - 2;
            write_ramp(0, c, 0, c + 1);
            write_ramp(top1, c + 1, top0, c);
        }
    }
    /* interchanges where a primary column crosses a motorway row pair (m, m + 1) ... */
    for (uint32_t r = 0; r < rows; r++) {
        if (!mw_row(r) || r % 128 != 60)
            continue;
        for (uint32_t c = 32; c + 1 < cols; c += 32) {
            write_ramp(r, c - 1, r - 1, c);     /* eastbound off */
            write_ramp(r - 1, c, r, c + 1);     /* eastbound on */
            write_ramp(r + 1, c + 1, r + 2, c); /* westbound off */
            write_ramp(r + 2, c, r + 1, c - 1); /* westbound on */
        }
    }
    /* ... and where a primary row crosses a motorway column pair */
    for (uint32_t c = 0; c < cols; c++) {
        if (!mw_col(c) || c % 128 != 60)
            continue;
        for (uint32_t r = 32; r + 1 < rows; r += 32) {
            write_ramp(r + 1, c, r, c - 1);     /* southbound off */
            write_ramp(r, c - 1, r - 1, c);     /* southbound on */
            write_ramp(r - 1, c + 1, r, c + 2); /* northbound off */
            write_ramp(r, c + 2, r + 1, c + 1); /* northbound on */
        }
    }

    /* no_left_turn: heading east (from the west arm) left is north, and so on */
    for (uint32_t k = 0; k < restr_count; k++) {
        static const int left_of[4] = { ARM_NORTH, ARM_SOUTH, ARM_WEST, ARM_EAST };
        int from = (int)random_below(4), to = left_of[from];
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
        fprintf(stderr, "gen_synthetic: %s: write failed: %s\n", argv[3], strerror(errno));
        remove(argv[3]);
        return 1;
    }
    fprintf(stderr,
            "gen_synthetic: %s: SYNTHETIC grid %" PRIu32 " x %" PRIu32 ", %" PRIu64
            " nodes, %" PRIu64 " ways (%" PRIu64 " motorway and ramp), %" PRIu64
            " turn restrictions\n",
            argv[3], cols, rows, node_total, next_way_id - 1, next_way_id - ways_before,
            relation_count);
    free(refs);
    free(restr_slot);
    free(restr);
    return 0;
}
