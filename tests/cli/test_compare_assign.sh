#!/usr/bin/env bash
# `corridor compare --assign`: the same SYNTHETIC gravity demand (`corridor demand gravity`)
# assigned on the bundled Krems extract and on the demo's example bypass (drawn for the demo, not
# a real plan: datasets/scenario-krems-*-example.geojson), compared edge by edge. Checks: exit 0,
# totals printed, the GeoPackage's columns and statuses (new edges for the bypass, flow on them,
# d_flow_pce = after - before), the CSV form, the map PNG; a network compared with itself
# changes nothing; errors: an unknown algorithm (exit 2), demand naming an unknown zone (exit 1,
# one stderr line with file and line, nothing written).
#
# Run by ctest with CORRIDOR, SRC and WORK. By hand:
#   CORRIDOR=build/dev/cli/corridor bash tests/cli/test_compare_assign.sh
set -u

SRC=${SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
CORRIDOR=${CORRIDOR:-$SRC/build/dev/cli/corridor}
WORK=${WORK:-${TMPDIR:-/tmp}/corridor-test-compare-assign}
PBF=$SRC/datasets/graphhopper-krems.osm.pbf
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

need_corridor
need_python "python3 is needed to read the tables"
make_scratch

NET=$WORK/krems.corr
BYP=$WORK/krems-bypass.corr
exits "import Krems" 0 "$CORRIDOR" import "$PBF" -o "$NET" --quiet || finish
exits "scenario" 0 "$CORRIDOR" scenario "$NET" -o "$BYP" \
    --add "$SRC/datasets/scenario-krems-bypass-example.geojson" \
    --interchanges "$SRC/datasets/scenario-krems-interchanges-example.geojson" \
    --name "Example bypass for Krems (not a real plan)" || finish
exits "gravity (synthetic)" 0 "$CORRIDOR" demand gravity "$NET" --zones "$PBF" --profile car \
    --total 3000 -o "$WORK/od.csv" || finish

ASSIGN=(--zones "$PBF" --profile car --demand "$WORK/od.csv" --gap 1e-3 --max-iter 100)
if exits "compare --assign bfw" 0 "$CORRIDOR" compare "$NET" "$BYP" "${ASSIGN[@]}" --assign bfw \
    --flows-out "$WORK/change.gpkg" --map "$WORK/change.png"; then
    grep -q "VKT before" "$WORK/stdout" && grep -qE "^car +[0-9.]+ +[0-9.]+ +[-+][0-9.]+" \
        "$WORK/stdout" && ok "totals printed" || bad "totals" "$(cat "$WORK/stdout")"
    grep -qE "^edges: [0-9]+ same .*, [1-9][0-9]* new, 0 closed" "$WORK/stdout" &&
        ok "new edges counted" || bad "edge counts" "$(cat "$WORK/stdout")"
    grep -q "relative gap" "$WORK/stderr" && ok "progress on stderr" ||
        bad "progress" "$(head -c 300 "$WORK/stderr")"
    [ -s "$WORK/change.png" ] && ok "map PNG written" || bad "map PNG missing"
    msg=$("$PY" - "$WORK/change.gpkg" <<'PYEOF'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
cols = [r[1] for r in db.execute("PRAGMA table_info(change)")]
want = ["base_edge", "edge_after", "osm_way", "name", "road_class", "status", "length_m",
        "pieces_after", "volume_before_pce", "volume_after_pce", "flow_pce", "d_flow_pce",
        "voc_before", "voc", "dir", "time_before_s_car", "time_after_s_car", "d_time_s_car"]
missing = [c for c in want if c not in cols]
assert not missing, "missing columns %s" % missing
rows = db.execute("SELECT status, base_edge, volume_before_pce, volume_after_pce, d_flow_pce "
                  "FROM change").fetchall()
new = [r for r in rows if r[0] == "new"]
assert new and all(r[1] is None and r[2] == 0 for r in new), "new rows"
assert max(r[3] for r in new) > 0, "no flow on the bypass"
assert all(abs(r[4] - (r[3] - r[2])) < 1e-6 for r in rows), "d_flow_pce != after - before"
print("ok %d rows, %d new, %.0f PCE/h on the busiest new edge" %
      (len(rows), len(new), max(r[3] for r in new)))
PYEOF
    )
    case $msg in ok*) ok "change.gpkg: $msg" ;; *) bad "change.gpkg checks" "$msg" ;; esac
fi

if exits "compare with itself (csv)" 0 "$CORRIDOR" compare "$NET" "$NET" "${ASSIGN[@]}" \
    --assign aon --flows-out "$WORK/same.csv"; then
    msg=$("$PY" - "$WORK/same.csv" <<'PYEOF'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
assert rows and all(r["status"] == "same" for r in rows), "statuses"
assert all(float(r["d_flow_pce"]) == 0 for r in rows), "a change"
print("ok %d rows unchanged" % len(rows))
PYEOF
    )
    case $msg in ok*) ok "itself: $msg" ;; *) bad "itself" "$msg" ;; esac
fi

error "unknown algorithm" 2 "--assign" "$CORRIDOR" compare "$NET" "$BYP" "${ASSIGN[@]}" \
    --assign nope --flows-out "$WORK/x.gpkg"
printf 'from_zone,to_zone,trips\nnowhere,also-nowhere,5\n' >"$WORK/bad.csv"
error "demand with an unknown zone" 1 "bad.csv.*(line )?2" "$CORRIDOR" compare "$NET" "$BYP" \
    --zones "$PBF" --profile car --demand "$WORK/bad.csv" --assign fw \
    --flows-out "$WORK/bad.gpkg" --map "$WORK/bad.png"
[ ! -e "$WORK/bad.gpkg" ] && [ ! -e "$WORK/bad.png" ] && ok "nothing written on bad demand" ||
    bad "files written on bad demand"

finish
