#!/usr/bin/env bash
# Map tiles end to end on the bundled HCMC District 3 extract: `corridor tiles` writes an MBTiles
# file that GDAL opens (gdalinfo), with the metadata and the tile count of the zooms asked, TMS
# rows, --bbox, usage errors (exit 2) and bad input (exit 1) leaving no file; then `corridor
# serve` answers /tiles: 200 image/png with ETag and Cache-Control, 304 for If-None-Match, 512
# pixels for @2x, 400 with a JSON error for a bad z/x/y, and a background tile (200) outside the
# data; the tile over the network equals the MBTiles file's.
#
# Run by ctest with CORRIDOR, SRC and WORK. By hand:
#   CORRIDOR=build/dev/cli/corridor bash tests/cli/test_tiles.sh
set -u

SRC=${SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
CORRIDOR=${CORRIDOR:-$SRC/build/dev/cli/corridor}
WORK=${WORK:-${TMPDIR:-/tmp}/corridor-test-tiles}
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
trap stop_server EXIT

before_finish() {
    stop_server
}

need_corridor
need_python "python3 is needed to read the MBTiles file and the PNG headers"
make_scratch

NET=$WORK/d3.corr
if "$CORRIDOR" import "$SRC/datasets/hcmc-district3-map.osm.pbf" -o "$NET" --quiet \
    2>"$WORK/import.err"; then
    ok "import District 3"
else
    bad "import District 3" "$(cat "$WORK/import.err")"
    finish
fi

# ---- corridor tiles ------------------------------------------------------------------------
MB=$WORK/d3.mbtiles
if exits "tiles --zoom 13-16" 0 "$CORRIDOR" tiles "$NET" --zoom 13-16 --threads 2 -o "$MB"; then
    ok "tiles --zoom 13-16"
fi
if [ -s "$MB" ] && ! ls "$WORK"/.d3.* >/dev/null 2>&1; then
    ok "the MBTiles file is there, no temporary file left"
else
    bad "the MBTiles file is there, no temporary file left" "$(ls -la "$WORK")"
fi
if command -v gdalinfo >/dev/null; then
    if gdalinfo "$MB" >"$WORK/gdalinfo.txt" 2>&1 && grep -q "Driver: MBTiles" "$WORK/gdalinfo.txt" &&
        grep -q "Pseudo-Mercator" "$WORK/gdalinfo.txt"; then
        ok "gdalinfo opens it (MBTiles driver, Web Mercator)"
    else
        bad "gdalinfo opens it" "$(head -c 600 "$WORK/gdalinfo.txt")"
    fi
else
    echo "note: gdalinfo not installed; the GDAL check is skipped"
fi

# the metadata, the tile count per zoom (from the bounds, as the library counts) and TMS rows
MBCHECK='
import json, math, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
meta = dict(db.execute("SELECT name, value FROM metadata"))
w, s, e, n = map(float, meta["bounds"].split(","))
def tile(lon, lat, z):
    k = 2 ** z
    phi = math.radians(lat)
    x = int((lon + 180) / 360 * k)
    y = int((1 - math.log(math.tan(phi) + 1 / math.cos(phi)) / math.pi) / 2 * k)
    return min(x, k - 1), min(y, k - 1)
counts, want, rows_ok = {}, {}, True
for z in range(int(meta["minzoom"]), int(meta["maxzoom"]) + 1):
    x0, y0 = tile(w, n, z)
    x1, y1 = tile(e, s, z)
    want[str(z)] = (x1 - x0 + 1) * (y1 - y0 + 1)
    for (x, r) in db.execute("SELECT tile_column, tile_row FROM tiles WHERE zoom_level = ?", (z,)):
        y = 2 ** z - 1 - r
        rows_ok = rows_ok and x0 <= x <= x1 and y0 <= y <= y1
for z, c in db.execute("SELECT zoom_level, count(*) FROM tiles GROUP BY zoom_level"):
    counts[str(z)] = c
png = db.execute("SELECT tile_data FROM tiles LIMIT 1").fetchone()[0]
json.dump({"meta": meta, "counts": counts, "want": want, "rows_ok": rows_ok,
           "png": png[:8].hex()}, open(sys.argv[2], "w"))
'
if "$PY" -c "$MBCHECK" "$MB" "$WORK/mb.json" 2>"$WORK/mb.err"; then
    jcheck "MBTiles" "$WORK/mb.json" \
        'd["meta"]["format"] == "png"' \
        'd["meta"]["minzoom"] == "13" and d["meta"]["maxzoom"] == "16"' \
        'd["meta"]["attribution"] == "© OpenStreetMap contributors"' \
        'd["meta"]["name"] == "d3" and d["meta"]["type"] == "baselayer"' \
        'len(d["meta"]["center"].split(",")) == 3 and len(d["meta"]["bounds"].split(",")) == 4' \
        'd["counts"] == d["want"]' \
        'd["rows_ok"]' \
        'd["png"] == "89504e470d0a1a0a"'
else
    bad "read the MBTiles file" "$(cat "$WORK/mb.err")"
fi

# --bbox: a smaller area, fewer tiles
if exits "tiles --bbox" 0 "$CORRIDOR" tiles "$NET" --zoom 16 --bbox 106.690,10.785,106.692,10.787 \
    --quiet -o "$WORK/small.mbtiles" && [ ! -s "$WORK/stderr" ]; then
    n=$("$PY" -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM tiles").fetchone()[0])' "$WORK/small.mbtiles")
    if [ "$n" -ge 1 ] && [ "$n" -le 4 ]; then
        ok "tiles --bbox: $n tiles at zoom 16, --quiet prints nothing"
    else
        bad "tiles --bbox" "$n tiles at zoom 16, want 1..4"
    fi
fi

# usage errors (2) and bad input (1), no file written either way
error "no --zoom" 2 "corridor tiles: --zoom" "$CORRIDOR" tiles "$NET" -o "$WORK/x.mbtiles"
error "--zoom 16-10" 2 "corridor tiles: --zoom \"16-10\"" "$CORRIDOR" tiles "$NET" --zoom 16-10 -o "$WORK/x.mbtiles"
error "--zoom 23" 2 "corridor tiles: --zoom" "$CORRIDOR" tiles "$NET" --zoom 23 -o "$WORK/x.mbtiles"
error "--bbox reversed" 2 "corridor tiles: --bbox" "$CORRIDOR" tiles "$NET" --zoom 14 --bbox 107,10,106,11 -o "$WORK/x.mbtiles"
error "no -o" 2 "corridor tiles: -o" "$CORRIDOR" tiles "$NET" --zoom 14
error "missing network" 1 "corridor tiles: .*nowhere.corr" "$CORRIDOR" tiles "$WORK/nowhere.corr" --zoom 14 -o "$WORK/x.mbtiles"
error "missing style" 1 "corridor tiles: .*nostyle.json" "$CORRIDOR" tiles "$NET" --zoom 14 --style "$WORK/nostyle.json" -o "$WORK/x.mbtiles"
if [ ! -e "$WORK/x.mbtiles" ]; then
    ok "no file after the failures"
else
    bad "no file after the failures" "$WORK/x.mbtiles exists"
fi

# ---- corridor serve: /tiles -----------------------------------------------------------------
if ! command -v curl >/dev/null; then
    echo "note: curl not installed; the /tiles checks are skipped"
    finish
fi
if start_server "$WORK/serve.log" --threads 2 --profiles car --tile-cache-mb 8; then
    ok "server listening on port $PORT"
else
    bad "server did not start" "$(cat "$WORK/serve.log")"
    finish
fi
BASE=http://127.0.0.1:$PORT
# a tile over the network (the middle of the MBTiles file's bounds at zoom 16)
read -r Z X Y < <("$PY" -c '
import json, math, sys
m = json.load(open(sys.argv[1]))["meta"]
w, s, e, n = map(float, m["bounds"].split(","))
lon, lat, z = (w + e) / 2, (s + n) / 2, 16
k = 2 ** z
phi = math.radians(lat)
print(z, int((lon + 180) / 360 * k), int((1 - math.log(math.tan(phi) + 1 / math.cos(phi)) / math.pi) / 2 * k))
' "$WORK/mb.json")
code=$(curl -s -D "$WORK/h1" -o "$WORK/t1.png" -w '%{http_code}' "$BASE/tiles/$Z/$X/$Y.png")
etag=$(sed -n 's/^[Ee][Tt]ag: *\([^\r]*\).*/\1/p' "$WORK/h1")
if [ "$code" = 200 ] && grep -qi '^content-type: image/png' "$WORK/h1" &&
    grep -qi '^cache-control: .*max-age' "$WORK/h1" && [ -n "$etag" ] &&
    [ "$(head -c 8 "$WORK/t1.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ]; then
    ok "/tiles/$Z/$X/$Y.png: 200 image/png, ETag $etag, Cache-Control"
else
    bad "/tiles/$Z/$X/$Y.png" "status $code" "$(cat "$WORK/h1")"
fi
TMS=$((2 ** Z - 1 - Y))
"$PY" -c '
import sqlite3, sys
row = sqlite3.connect(sys.argv[1]).execute("SELECT tile_data FROM tiles WHERE zoom_level=? AND tile_column=? AND tile_row=?", (int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]))).fetchone()
open(sys.argv[5], "wb").write(row[0] if row else b"")
' "$MB" "$Z" "$X" "$TMS" "$WORK/t1.mb.png"
if cmp -s "$WORK/t1.png" "$WORK/t1.mb.png"; then
    ok "the served tile equals the MBTiles file's (TMS row $TMS)"
else
    bad "the served tile equals the MBTiles file's" "$(wc -c <"$WORK/t1.png") vs $(wc -c <"$WORK/t1.mb.png") bytes"
fi
code=$(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $etag" "$BASE/tiles/$Z/$X/$Y.png")
if [ "$code" = 304 ]; then ok "If-None-Match: 304"; else bad "If-None-Match" "status $code, want 304"; fi
code=$(curl -s -o "$WORK/t2.png" -w '%{http_code}' "$BASE/tiles/$Z/$X/$Y@2x.png")
size=$("$PY" -c 'import struct, sys; d = open(sys.argv[1], "rb").read(24); print(*struct.unpack(">II", d[16:24]))' "$WORK/t2.png" 2>/dev/null)
if [ "$code" = 200 ] && [ "$size" = "512 512" ]; then ok "@2x: 512 x 512"; else bad "@2x" "status $code, size $size"; fi
code=$(curl -s -o "$WORK/t3.png" -w '%{http_code}' "$BASE/tiles/16/0/0.png")
size=$("$PY" -c 'import struct, sys; d = open(sys.argv[1], "rb").read(24); print(*struct.unpack(">II", d[16:24]))' "$WORK/t3.png" 2>/dev/null)
if [ "$code" = 200 ] && [ "$size" = "256 256" ]; then ok "outside the data: 200, a 256 x 256 PNG"; else bad "outside the data" "status $code, size $size"; fi
for url in /tiles/23/0/0.png /tiles/2/4/0.png /tiles/a/b/c.png /tiles/2/0/0.jpg; do
    code=$(curl -s -o "$WORK/err.json" -w '%{http_code}' "$BASE$url")
    if [ "$code" = 400 ] && grep -q '"code":"InvalidUrl"' "$WORK/err.json"; then
        ok "$url: 400 InvalidUrl"
    else
        bad "$url" "status $code: $(cat "$WORK/err.json")"
    fi
done
# SIGHUP: a new generation; the tile is drawn again (same network, same bytes, same ETag)
kill -HUP "$SERVER_PID"
for _ in $(seq 1 100); do
    grep -q "generation 2" "$WORK/serve.log" && break
    sleep 0.05
done
code=$(curl -s -D "$WORK/h4" -o /dev/null -w '%{http_code}' "$BASE/tiles/$Z/$X/$Y.png")
if [ "$code" = 200 ] && grep -qF "$etag" "$WORK/h4" && grep -q "generation 2" "$WORK/serve.log"; then
    ok "after SIGHUP: drawn again, the same ETag"
else
    bad "after SIGHUP" "status $code" "$(tail -3 "$WORK/serve.log")"
fi
finish
