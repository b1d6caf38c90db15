#!/usr/bin/env bash
# gen_zones.sh N SEED OUT.gpkg|OUT.fgb: writes a SYNTHETIC zoning layer of N parcels.
#
# SYNTHETIC: nothing in it is real. No survey, no plan, no place: a made-up grid of parcels
# for measuring how `corridor zones` and `corridor landtake` scale, never for saying anything
# about a city. It lies in WGS 84 / UTM zone 48N (EPSG:32648), south-west corner at
# E 680000, N 1210000 (around Binh Duong, so the CRS is the one real layers there use).
#
# The parcels: a grid of 50 m x 40 m cells, as many columns as needed for a layer about twice
# as wide as tall (N = 100 000: 448 columns x 224 rows, 22.4 km x 9 km, the last row partly
# filled); every grid corner moved up to 10 m at random (shared by the four cells around it,
# so the cells tile the plane), then each parcel shrunk by 5 % around its centre, which leaves
# street-like gaps between parcels. Classes come in blocks of 8 x 8 parcels: each block draws a
# class by planning-like weights (residential most), and each parcel keeps its block's class
# with probability 0.7, else draws its own. Fields: parcel_id (integer), landuse (the class),
# name ("P000001"...).
#
# The random numbers are Park-Miller's minimal standard generator (16807 x mod 2^31 - 1,
# exact in awk's doubles), so the same N and SEED give the same layer with any awk.
# Needs awk and ogr2ogr (gdal-bin).
set -u

die() {
    echo "gen_zones.sh: $*" >&2
    exit 1
}

[ $# -eq 3 ] || die "usage: gen_zones.sh N SEED OUT.gpkg|OUT.fgb"
n=$1 seed=$2 out=$3
case $n in '' | *[!0-9]*) die "N \"$n\": want a whole number of parcels > 0" ;; esac
case $seed in '' | *[!0-9]*) die "SEED \"$seed\": want a whole number" ;; esac
[ "$n" -gt 0 ] || die "N must be > 0"
case $out in
*.gpkg) driver=GPKG ;;
*.fgb) driver=FlatGeobuf ;;
*) die "$out: want a .gpkg or .fgb name" ;;
esac
command -v ogr2ogr >/dev/null || die "ogr2ogr (package gdal-bin) is not installed"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/gen_zones.XXXXXX") || die "cannot make a scratch folder"
trap 'rm -rf "$tmp"' EXIT

awk -v n="$n" -v seed="$seed" '
function rnd() { # Park-Miller minimal standard: uniform in (0, 1)
    state = (16807 * state) % 2147483647
    return state / 2147483647
}
function pick(   r, k) {
    r = rnd() * total
    for (k = 1; k <= nclass; k++) {
        r -= weight[k]
        if (r < 0) return cls[k]
    }
    return cls[nclass]
}
BEGIN {
    state = (seed % 2147483646) + 1
    for (k = 0; k < 10; k++) rnd()
    nclass = split("Residential|Existing residential|Industrial|Commercial|Mixed-use|" \
                   "Public facility|Education|Park and greenery|Water surface|Agriculture|" \
                   "Transportation|Vegetative buffer", cls, "|")
    split("30 15 12 8 6 5 3 6 4 6 2 3", weight, " ")
    total = 0
    for (k = 1; k <= nclass; k++) total += weight[k]
    dx = 50; dy = 40; jitter = 10; shrink = 0.95; x0 = 680000; y0 = 1210000
    cols = 2
    while (cols * int(cols / 2) < n) cols += 2
    rows = int((n + cols - 1) / cols)
    # the corners, row by row: (rows + 1) x (cols + 1)
    for (j = 0; j <= rows; j++)
        for (i = 0; i <= cols; i++) {
            cx[j, i] = x0 + i * dx + (2 * rnd() - 1) * jitter
            cy[j, i] = y0 + j * dy + (2 * rnd() - 1) * jitter
        }
    for (bj = 0; bj * 8 < rows; bj++)
        for (bi = 0; bi * 8 < cols; bi++)
            block[bj, bi] = pick()
    print "parcel_id,landuse,name,WKT"
    id = 0
    for (j = 0; j < rows && id < n; j++)
        for (i = 0; i < cols && id < n; i++) {
            id++
            c = rnd() < 0.7 ? block[int(j / 8), int(i / 8)] : pick()
            xs[1] = cx[j, i];         ys[1] = cy[j, i]
            xs[2] = cx[j, i + 1];     ys[2] = cy[j, i + 1]
            xs[3] = cx[j + 1, i + 1]; ys[3] = cy[j + 1, i + 1]
            xs[4] = cx[j + 1, i];     ys[4] = cy[j + 1, i]
            mx = (xs[1] + xs[2] + xs[3] + xs[4]) / 4
            my = (ys[1] + ys[2] + ys[3] + ys[4]) / 4
            wkt = "POLYGON(("
            for (k = 1; k <= 5; k++) {
                q = k <= 4 ? k : 1
                wkt = wkt sprintf("%s%.2f %.2f", k > 1 ? "," : "", mx + (xs[q] - mx) * shrink,
                                  my + (ys[q] - my) * shrink)
            }
            printf "%d,%s,P%06d,\"%s))\"\n", id, c, id, wkt
        }
}' >"$tmp/zones.csv" || die "awk failed"

rm -f "$out"
ogr2ogr -f "$driver" "$out" "$tmp/zones.csv" -a_srs EPSG:32648 -nln parcels -nlt POLYGON \
    -oo GEOM_POSSIBLE_NAMES=WKT -oo KEEP_GEOM_COLUMNS=NO -oo AUTODETECT_TYPE=YES \
    -gt 65536 2>"$tmp/stderr" || die "ogr2ogr failed: $(head -c 400 "$tmp/stderr")"
echo "gen_zones.sh: wrote $out: $n SYNTHETIC parcels (seed $seed), EPSG:32648" >&2
