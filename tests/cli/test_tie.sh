#!/usr/bin/env bash
# The tie rule (routing/tie.h, docs/routing.md "One number for one trip"): on the drawn map
# tests/maps/tie.osm (what it holds: tests/maps/tie.txt) the North lane and the South road are
# exactly as long as each other, so by distance the two paths between West and East street
# weigh the same; by the rule (distance, then time) every search takes the faster South road:
# `corridor route`, `batch` and `matrix`, with the CH and with --no-ch, both ways, print the
# same four measures, and the geometry runs south of the equator.
#
# Run by ctest with CORRIDOR, SRC and WORK. By hand:
#   CORRIDOR=build/dev/cli/corridor bash tests/cli/test_tie.sh
set -u

SRC=${SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
CORRIDOR=${CORRIDOR:-$SRC/build/dev/cli/corridor}
WORK=${WORK:-${TMPDIR:-/tmp}/corridor-test-tie}
MAP=$SRC/tests/maps/tie.osm
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

need_corridor
need_python "python3 is needed to read the answers"
make_scratch

NET=$WORK/tie.corr
W=106.0005,0 # on West street
E=106.0135,0 # on East street
if "$CORRIDOR" import "$MAP" -o "$NET" --quiet 2>"$WORK/import.err" &&
    "$CORRIDOR" contract "$NET" --profiles car --metrics time,distance --quiet 2>"$WORK/c.err"; then
    ok "import and contract car by time and distance"
else
    bad "import and contract" "$(cat "$WORK/import.err" "$WORK/c.err")"
    finish
fi

printf 'id,lon,lat\nw,%s,0\ne,%s,0\n' "${W%,*}" "${E%,*}" >"$WORK/points.csv"
printf 'id,from_lon,from_lat,to_lon,to_lat\nwe,%s,%s,%s,%s\new,%s,%s,%s,%s\n' \
    "${W%,*}" 0 "${E%,*}" 0 "${E%,*}" 0 "${W%,*}" 0 >"$WORK/pairs.csv"
for ch in ch no-ch; do
    x=()
    [ "$ch" = no-ch ] && x=(--no-ch)
    for m in distance time; do
        "$CORRIDOR" route "$NET" --from "$W" --to "$E" --metric "$m" "${x[@]}" --format json \
            >"$WORK/route-we-$m-$ch.json" 2>>"$WORK/run.err"
        "$CORRIDOR" route "$NET" --from "$E" --to "$W" --metric "$m" "${x[@]}" --format json \
            >"$WORK/route-ew-$m-$ch.json" 2>>"$WORK/run.err"
        "$CORRIDOR" batch "$NET" --pairs "$WORK/pairs.csv" --metric "$m" "${x[@]}" --quiet \
            -o "$WORK/batch-$m-$ch.csv" 2>>"$WORK/run.err"
        "$CORRIDOR" matrix "$NET" --sources "$WORK/points.csv" --targets "$WORK/points.csv" \
            --metric "$m" "${x[@]}" --annotations duration,distance,cost,co2 \
            -o "$WORK/matrix-$m-$ch.csv" 2>>"$WORK/run.err"
    done
done
# the North lane's length: a route through its middle (the same distance, a longer time)
"$CORRIDOR" route "$NET" --from "$W" --to "$E" --via 106.007,0.0015 --metric distance --no-ch \
    --format json >"$WORK/north.json" 2>>"$WORK/run.err"

while IFS=$'\t' read -r verdict label detail; do
    if [ "$verdict" = ok ]; then ok "$label"; else bad "$label" "$detail"; fi
done < <("$PY" - "$WORK" <<'PYEOF'
import csv, json, sys
work = sys.argv[1]
K = ("distance_m", "duration_s", "cost", "co2_kg")
def out(good, label, detail=""):
    print("%s\t%s\t%s" % ("ok" if good else "FAIL", label, detail))
def route(name):
    with open("%s/%s.json" % (work, name)) as f:
        j = json.load(f)
    return tuple(round(float(j[k]), 6) for k in K), min(c[1] for c in j["geometry"]["coordinates"])
north, _ = route("north")
for m in ("distance", "time"):
    want = {}
    for d in ("we", "ew"):
        got = {ch: route("route-%s-%s-%s" % (d, m, ch)) for ch in ("ch", "no-ch")}
        want[d] = got["ch"][0]
        out(got["ch"] == got["no-ch"], "%s %s: route, CH = --no-ch" % (m, d), got)
        out(got["ch"][1] < 0, "%s %s: route takes the South road" % (m, d), got)
        if m == "distance" and d == "we":
            out(north[0] == want[d][0] and north[1] > want[d][1],
                "distance: a tie, the North lane as long and slower", (north, want[d]))
    for ch in ("ch", "no-ch"):
        with open("%s/batch-%s-%s.csv" % (work, m, ch)) as f:
            b = {r["id"]: tuple(round(float(r[k]), 6) for k in K) for r in csv.DictReader(f)}
        out(b == want, "%s: batch (%s) = route" % (m, ch), (b, want))
        with open("%s/matrix-%s-%s.csv" % (work, m, ch)) as f:
            mx = {r["source"] + r["target"]: tuple(round(float(r[k]), 6) for k in K)
                  for r in csv.DictReader(f) if r["source"] != r["target"]}
        out(mx == want, "%s: matrix (%s) = route" % (m, ch), (mx, want))
PYEOF
)
if [ -s "$WORK/run.err" ]; then
    bad "no command wrote to stderr" "$(head -5 "$WORK/run.err")"
fi

finish
