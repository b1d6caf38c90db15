#!/usr/bin/env bash
# `corridor route --steps [--lang en|vi] [--format text]` and /route?steps=true on the drawn map
# tests/maps/guidance.osm (tests/maps/guidance.txt) and tests/maps/steps.osm (exits, lanes, a
# roundabout turn): numbered instructions in English and
# Vietnamese ("Rẽ trái vào Đường Pasteur", never "đường Đường"; "Tại vòng xuyến, đi lối ra thứ 2
# vào đường Nguyễn Huệ"), the steps array in JSON adding up to the route, OSRM's step objects on
# the server, and usage errors.
set -u
SRC=${SRC:?} CORRIDOR=${CORRIDOR:?} WORK=${WORK:?}
. "$(dirname "$0")/lib.sh"

need_corridor
need_python "python3 is needed to read the JSON answers"
make_scratch
cd "$WORK" || exit 1
NET=$WORK/guidance.corr
if "$CORRIDOR" import "$SRC/tests/maps/guidance.osm" -o "$NET" --quiet 2>import.err; then
    ok "import guidance.osm"
else
    bad "import guidance.osm" "$(cat import.err)"
    finish
fi

# text, en and vi
if exits "T junction, text en" 0 "$CORRIDOR" route "$NET" --profile car --from 106.0005,10 \
    --to 106.002,10.0025 --format text; then
    if grep -qx '2. Turn left onto Đường Pasteur (.*)' <(sed 's/ ([0-9.]* k*m)$/ (.*)/' stdout) &&
        grep -qx '3. You have arrived at your destination' stdout &&
        grep -q '^1. Head east on Võ Thị Sáu' stdout; then
        ok "en: numbered, a named left turn"
    else
        bad "en: numbered, a named left turn" "$(cat stdout)"
    fi
fi
if exits "T junction, text vi" 0 "$CORRIDOR" route "$NET" --profile car --from 106.002,10.0025 \
    --to 106.0005,10 --steps --format text --lang vi; then
    if grep -q '^2. Cuối đường, rẽ phải vào đường Võ Thị Sáu (' stdout &&
        grep -q '^1. Đi về hướng nam trên Đường Pasteur (' stdout && ! grep -q 'đường Đường' stdout; then
        ok "vi: end of road, no \"đường Đường\""
    else
        bad "vi: end of road, no \"đường Đường\"" "$(cat stdout)"
    fi
fi
if exits "roundabout, text vi" 0 "$CORRIDOR" route "$NET" --profile car --from 106.0095,10 \
    --to 106.0145,10 --format text --lang vi; then
    if grep -q '^2. Tại vòng xuyến, đi lối ra thứ 2 vào đường Nguyễn Huệ (' stdout; then
        ok "vi: the roundabout's 2nd exit"
    else
        bad "vi: the roundabout's 2nd exit" "$(cat stdout)"
    fi
fi

# a via point: each leg departs and arrives
if exits "via, text" 0 "$CORRIDOR" route "$NET" --profile car --from 106.0005,10 --via 106.0035,10 \
    --to 106.002,10.0025 --format text; then
    if grep -q '^2. You have arrived at your waypoint$' stdout && grep -q '^3. Head west on' stdout &&
        grep -q '^4. Turn right onto Đường Pasteur' stdout && grep -q '^5. You have arrived at your destination$' stdout; then
        ok "via: two legs"
    else
        bad "via: two legs" "$(cat stdout)"
    fi
fi

# multimodal: the transfers at terminals are steps of their own (Krems, freight by barge)
if "$CORRIDOR" import "$SRC/datasets/graphhopper-krems.osm.pbf" --modes road,rail,water \
    --terminals "$SRC/datasets/terminals-krems-example.csv" -o krems.corr --quiet 2>import.err &&
    exits "freight by barge, text" 0 "$CORRIDOR" route krems.corr --profile freight --metric co2 \
        --from 15.6049,48.4089 --to 15.6760,48.3795 --format text; then
    if grep -q '^[0-9]*. Transfer at Hafen Krems (' stdout && grep -q '^[0-9]*. Continue onto Donau (' stdout; then
        ok "freight: transfer and barge steps"
    else
        bad "freight: transfer and barge steps" "$(cat stdout)"
    fi
else
    bad "import Krems with terminals" "$(cat import.err)"
fi

# JSON: the route as without --steps, and a steps array
"$CORRIDOR" route "$NET" --profile car --from 106.0095,10 --to 106.012,10.0025 >plain.json 2>&1
if exits "roundabout, JSON steps" 0 "$CORRIDOR" route "$NET" --profile car --from 106.0095,10 \
    --to 106.012,10.0025 --steps -o steps.json; then
    jcheck "JSON steps" steps.json \
        "[s['type'] for s in d['steps']] == ['depart', 'roundabout', 'arrive']" \
        "d['steps'][1]['exit'] == 3 and d['steps'][1]['name'] == 'Hai Bà Trưng'" \
        "d['steps'][1]['instruction'] == 'At the roundabout, take the 3rd exit onto Hai Bà Trưng'" \
        "abs(sum(s['distance_m'] for s in d['steps']) - d['distance_m']) < 1e-6" \
        "abs(sum(s['duration_s'] for s in d['steps']) - d['duration_s']) < 1e-6" \
        "{k: v for k, v in d.items() if k != 'steps'} == __import__('json').load(open('plain.json'))"
fi

# usage errors: exit 2
error "--lang fr" 2 'want en or vi' "$CORRIDOR" route "$NET" --profile car --from 106.0005,10 \
    --to 106.002,10.0025 --steps --lang fr
error "--steps with gpx" 2 'want --format json or text' "$CORRIDOR" route "$NET" --profile car \
    --from 106.0005,10 --to 106.002,10.0025 --steps --format gpx

# the server: OSRM's step objects
if command -v curl >/dev/null && start_server serve.log; then
    curl -s "http://127.0.0.1:$PORT/route/v1/car/106.0095,10;106.0145,10?steps=true" >osrm.json
    jcheck "steps=true" osrm.json \
        "d['code'] == 'Ok'" \
        "[s['maneuver']['type'] for s in d['routes'][0]['legs'][0]['steps']] == ['depart', 'roundabout', 'arrive']" \
        "d['routes'][0]['legs'][0]['steps'][1]['maneuver']['exit'] == 2" \
        "d['routes'][0]['legs'][0]['steps'][1]['name'] == 'Nguyễn Huệ'" \
        "d['routes'][0]['legs'][0]['steps'][1]['mode'] == 'driving' and d['routes'][0]['legs'][0]['steps'][1]['driving_side'] == 'right'" \
        "all(set(['geometry', 'maneuver', 'intersections', 'distance', 'duration', 'weight', 'name']) <= set(s) for s in d['routes'][0]['legs'][0]['steps'])" \
        "d['routes'][0]['legs'][0]['steps'][0]['intersections'][0] == {'out': 0, 'entry': [True], 'bearings': [90], 'location': [106.0095, 10.0]}" \
        "round(sum(s['distance'] for s in d['routes'][0]['legs'][0]['steps']), 1) == d['routes'][0]['legs'][0]['distance']" \
        "round(sum(s['duration'] for s in d['routes'][0]['legs'][0]['steps']), 1) == d['routes'][0]['legs'][0]['duration']"
    curl -s "http://127.0.0.1:$PORT/route/v1/car/106.021,10;106.027,9.998?steps=true" >ramp.json
    jcheck "off ramp" ramp.json \
        "[s['maneuver']['type'] for s in d['routes'][0]['legs'][0]['steps']] == ['depart', 'off ramp', 'new name', 'arrive']" \
        "d['routes'][0]['legs'][0]['steps'][1]['destinations'] == 'QL51: Vũng Tàu'" \
        "d['routes'][0]['legs'][0]['steps'][0]['ref'] == 'CT01'" \
        "d['routes'][0]['legs'][0]['steps'][1]['maneuver']['modifier'] == 'slight right'"
    curl -s "http://127.0.0.1:$PORT/route/v1/car/106.0095,10;106.0145,10?steps=false" >nosteps.json
    jcheck "steps=false" nosteps.json "d['routes'][0]['legs'][0]['steps'] == []"
    stop_server
else
    bad "server with steps" "$(cat serve.log 2>/dev/null)"
fi

# exits, lanes and a roundabout turn (tests/maps/steps.osm, tests/maps/steps.txt)
NET=$WORK/steps.corr
if "$CORRIDOR" import "$SRC/tests/maps/steps.osm" -o "$NET" --quiet 2>import.err; then
    if exits "exit, text vi" 0 "$CORRIDOR" route "$NET" --profile car --from 106.5102,10.5 \
        --to 106.5138,10.4994 --steps --format text --lang vi; then
        if grep -q '^2. Đi vào lối ra 5A bên phải hướng Tân Tạo (' stdout; then
            ok "vi: the exit number, exit_to"
        else
            bad "vi: the exit number, exit_to" "$(cat stdout)"
        fi
    fi
    if exits "exit, json" 0 "$CORRIDOR" route "$NET" --profile car --from 106.5102,10.5 \
        --to 106.5138,10.4994 --steps --format json; then
        cp stdout exit.json
        jcheck "json: exits" exit.json "d['steps'][1]['exits'] == '5A'" \
            "d['steps'][1]['instruction'] == 'Take exit 5A on the right towards Tân Tạo'"
    fi
    if command -v curl >/dev/null && start_server serve-steps.log; then
        curl -s "http://127.0.0.1:$PORT/route/v1/car/106.5162,10.5;106.517,10.5008?steps=true" >lanes.json
        jcheck "/route lanes" lanes.json \
            "d['routes'][0]['legs'][0]['steps'][1]['intersections'][0]['lanes'] == [{'indications': ['left'], 'valid': True}, {'indications': ['straight'], 'valid': False}, {'indications': ['straight', 'right'], 'valid': False}]"
        curl -s "http://127.0.0.1:$PORT/route/v1/car/106.5196,10.5;106.5205,10.5009?steps=true" >round.json
        jcheck "/route roundabout turn" round.json \
            "d['routes'][0]['legs'][0]['steps'][1]['maneuver']['type'] == 'roundabout turn'" \
            "d['routes'][0]['legs'][0]['steps'][1]['maneuver']['modifier'] == 'left'"
        curl -s "http://127.0.0.1:$PORT/route/v1/car/106.5102,10.5;106.5138,10.4994?steps=true" >exit.json
        jcheck "/route exits" exit.json "d['routes'][0]['legs'][0]['steps'][1]['exits'] == '5A'" \
            "'exits' not in d['routes'][0]['legs'][0]['steps'][0]"
        stop_server
    else
        bad "server on steps.osm" "$(cat serve-steps.log 2>/dev/null)"
    fi
else
    bad "import steps.osm" "$(cat import.err)"
fi
finish
