#!/usr/bin/env bash
# `corridor demand gravity`: a SYNTHETIC gravity demand on the bundled Krems extract, zones from
# its own OSM landuse areas (as tests/cli/test_skim.sh passes them). Checks: the CSV header, the
# trips add up to --total, no intrazonal rows, every zone id is one `corridor skim` names, rows
# only from zones that produce (by the default class weights) and to zones that attract,
# `corridor compare --demand` reads the file, --production area, --weight, a stderr line saying
# SYNTHETIC; and errors (exit 2 for usage, 1 for bad input, one stderr line, nothing written).
#
# Run by ctest with CORRIDOR, SRC and WORK. By hand:
#   CORRIDOR=build/dev/cli/corridor bash tests/cli/test_demand.sh
set -u

SRC=${SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
CORRIDOR=${CORRIDOR:-$SRC/build/dev/cli/corridor}
WORK=${WORK:-${TMPDIR:-/tmp}/corridor-test-demand}
PBF=$SRC/datasets/graphhopper-krems.osm.pbf
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

need_corridor
need_python "python3 is needed to read the tables"
make_scratch

NET=$WORK/krems.corr
exits "import Krems" 0 "$CORRIDOR" import "$PBF" -o "$NET" --quiet || finish

if exits "gravity" 0 "$CORRIDOR" demand gravity "$NET" --zones "$PBF" --profile car \
    --total 12345.5 --beta 0.08 -o "$WORK/od.csv"; then
    grep -q "SYNTHETIC gravity demand: 12345.5 trips between 53 zones" "$WORK/stderr" &&
        ok "stderr says the demand is SYNTHETIC" || bad "stderr says SYNTHETIC" "$(cat "$WORK/stderr")"
    exits "skim for the ids" 0 "$CORRIDOR" skim "$NET" --zones "$PBF" --profile car \
        -o "$WORK/skim.csv"
    msg=$("$PY" - "$WORK/od.csv" "$WORK/skim.csv" <<'PYEOF'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
ids = {r["from_zone"] for r in csv.DictReader(open(sys.argv[2]))}
assert list(rows[0].keys()) == ["from_zone", "to_zone", "trips"], rows[0].keys()
total = sum(float(r["trips"]) for r in rows)
assert abs(total - 12345.5) < 1e-4, "total %r" % total
assert all(r["from_zone"] != r["to_zone"] for r in rows), "intrazonal rows"
assert all(float(r["trips"]) > 0 for r in rows), "rows without trips"
bad = {r["from_zone"] for r in rows} | {r["to_zone"] for r in rows}
assert bad <= ids, "ids the skim does not name: %s" % sorted(bad - ids)[:5]
print("ok %d rows, %d zones, total %.4f" % (len(rows), len(bad), total))
PYEOF
    )
    case $msg in ok*) ok "od.csv: $msg" ;; *) bad "od.csv checks" "$msg" ;; esac
    if exits "compare reads it" 0 "$CORRIDOR" compare "$NET" "$NET" --zones "$PBF" --profile car \
        --demand "$WORK/od.csv" -o "$WORK/cmp.csv"; then
        ok "compare --demand reads the synthetic demand"
    fi
fi

if exits "production area" 0 "$CORRIDOR" demand gravity "$NET" --zones "$PBF" --profile car \
    --total 1000 --production area -o "$WORK/area.csv"; then
    n_area=$(($(wc -l <"$WORK/area.csv") - 1))
    n_class=$(($(wc -l <"$WORK/od.csv") - 1))
    [ "$n_area" -gt "$n_class" ] && ok "--production area: every zone sends trips ($n_area rows > $n_class)" ||
        bad "--production area: more pairs" "$n_area rows, by class $n_class"
fi
if exits "weight" 0 "$CORRIDOR" demand gravity "$NET" --zones "$PBF" --profile car \
    --total 500 --weight forest=1,0 -o "$WORK/forest.csv"; then
    total=$(awk -F, 'NR > 1 { s += $3 } END { printf "%.4f", s }' "$WORK/forest.csv")
    [ "$total" = "500.0000" ] && ok "--weight: forests produce, total $total" || bad "--weight total" "$total"
fi

error "no --total" 2 'want --total' "$CORRIDOR" demand gravity "$NET" --zones "$PBF" --profile car -o "$WORK/x.csv"
error "bad --beta" 2 '--beta' "$CORRIDOR" demand gravity "$NET" --zones "$PBF" --profile car --total 10 --beta -1 -o "$WORK/x.csv"
error "bad --weight" 2 '--weight' "$CORRIDOR" demand gravity "$NET" --zones "$PBF" --profile car --total 10 --weight forest -o "$WORK/x.csv"
error "unknown method" 2 'unknown method' "$CORRIDOR" demand entropy "$NET"
# zones without a class field: no default weight matches (SYNTHETIC squares near Krems)
cat >"$WORK/squares.geojson" <<'JSON'
{"type": "FeatureCollection", "features": [
 {"type": "Feature", "properties": {"name": "A"}, "geometry": {"type": "Polygon",
  "coordinates": [[[15.60, 48.40], [15.61, 48.40], [15.61, 48.41], [15.60, 48.41], [15.60, 48.40]]]}},
 {"type": "Feature", "properties": {"name": "B"}, "geometry": {"type": "Polygon",
  "coordinates": [[[15.63, 48.40], [15.64, 48.40], [15.64, 48.41], [15.63, 48.41], [15.63, 48.40]]]}}]}
JSON
error "no class weighs anything" 1 'no zone produces trips' "$CORRIDOR" demand gravity "$NET" \
    --zones "$WORK/squares.geojson" --name-field name --profile car --total 10 -o "$WORK/x.csv"
[ -e "$WORK/x.csv" ] && bad "nothing written on error" || ok "nothing written on error"
if exits "squares by area" 0 "$CORRIDOR" demand gravity "$NET" --zones "$WORK/squares.geojson" \
    --name-field name --profile car --total 10 --production area -o "$WORK/ab.csv"; then
    got=$(awk -F, 'NR > 1 { printf "%s%s>%s %.3f", (NR > 2 ? " " : ""), $1, $2, $3 }' "$WORK/ab.csv")
    [ "$got" = "A>B 5.000 B>A 5.000" ] &&
        ok "two equal zones by area: 5 trips each way" || bad "two equal zones by area" "$got"
fi

finish
