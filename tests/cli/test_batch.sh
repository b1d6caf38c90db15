#!/usr/bin/env bash
# `corridor batch` end to end: 1 and 2 threads give byte-identical output; shards 1/3, 2/3, 3/3
# concatenated equal the unsharded output (also with more shards than rows); sampled rows equal
# `corridor route` for the same pair; bad rows get a status of their own (bad_input, no_segment,
# unreachable) and the batch goes on; a missing file, missing columns, a bad --shard or --threads
# give one line on stderr and exit 1 or 2 and leave no output file (nor OUT.tmp) behind.
#
# Run by ctest with CORRIDOR (the binary), SRC (the repository) and WORK (a scratch folder this
# script empties). By hand: CORRIDOR=build/dev/cli/corridor bash tests/cli/test_batch.sh
#
# Data: datasets/pairs-hcmc-district3-example.csv (300 example pairs on District 3's roads) and
# 600 SYNTHETIC random pairs in Monaco made here by bench/gen_pairs.py (seeded). Places:
#   Monaco sea       7.4600,43.7300 is ~2.5 km off the coast (no way within 1000 m)
#   Krems unreachable  the rail profile from Krems station 15.6109699,48.4123478 to the line east
#                    of the town 15.6528349,48.4042017: the two pieces of track do not meet in
#                    this extract (see test_routing_cli.sh)
set -u

SRC=${SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
CORRIDOR=${CORRIDOR:-$SRC/build/dev/cli/corridor}
WORK=${WORK:-${TMPDIR:-/tmp}/corridor-test-batch}
DATA=$SRC/datasets
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

need_corridor
need_python "python3 is needed to generate pairs and read route answers"
make_scratch

# expect LABEL WANT_RC OUT
expect() {
    if [ "$rc" -eq "$2" ]; then
        ok "$1: exit $2"
    else
        bad "$1: exit $rc, want $2" "stderr: $(head -c 400 "$3.err")"
    fi
}

# one_line LABEL FILE [WORD...]: FILE is exactly one line "corridor batch: ..." holding each WORD.
one_line() {
    local label=$1 file=$2 first
    shift 2
    first=$(head -n 1 "$file")
    if [ "$(wc -l <"$file")" -eq 1 ] && [ "${first#corridor batch: }" != "$first" ]; then
        ok "$label: one line on stderr"
    else
        bad "$label: want one line \"corridor batch: ...\" on stderr, got $(wc -l <"$file")" \
            "$(head -c 600 "$file")"
    fi
    for word in "$@"; do
        case $first in
        *"$word"*) ok "$label: the message says \"$word\"" ;;
        *) bad "$label: the message does not say \"$word\"" "$first" ;;
        esac
    done
}

# same LABEL A B: files A and B are byte-identical.
same() {
    if cmp -s "$2" "$3"; then
        ok "$1"
    else
        bad "$1" "$(diff "$2" "$3" | head -n 6)"
    fi
}

# ---- networks and pairs ---------------------------------------------------------------------------
MONACO=$WORK/monaco.corr
KREMS=$WORK/krems.corr
HCMC=$WORK/hcmc.corr
HCMC_PAIRS=$DATA/pairs-hcmc-district3-example.csv
MONACO_PAIRS=$WORK/monaco-pairs.csv
for spec in "monaco osrm-monaco.osm.pbf" "krems graphhopper-krems.osm.pbf" \
    "hcmc hcmc-district3-map.osm.pbf"; do
    set -- $spec
    if "$CORRIDOR" import "$DATA/$2" -o "$WORK/$1.corr" --quiet 2>"$WORK/import.err"; then
        ok "import $1"
    else
        bad "import $1" "$(head -c 400 "$WORK/import.err")"
    fi
done
"$CORRIDOR" contract "$MONACO" --profiles car --metrics time >/dev/null 2>&1 ||
    bad "contract monaco"
"$PY" "$SRC/bench/gen_pairs.py" --bbox 7.409,43.725,7.439,43.752 --count 600 --seed 7 \
    -o "$MONACO_PAIRS" || bad "bench/gen_pairs.py"
if [ ! -s "$MONACO" ] || [ ! -s "$KREMS" ] || [ ! -s "$HCMC" ] || [ ! -s "$MONACO_PAIRS" ]; then
    bad "set-up failed; the batch tests cannot run"
    finish
fi

# ---- threads: same bytes ------------------------------------------------------------------------
for net in monaco hcmc; do
    if [ $net = monaco ]; then pairs=$MONACO_PAIRS; prof=car; else pairs=$HCMC_PAIRS; prof=motorcycle; fi
    run "$WORK/$net-t1.out" batch "$WORK/$net.corr" --profile $prof --pairs "$pairs" \
        --threads 1 -o "$WORK/$net-t1.csv"
    expect "$net threads 1" 0 "$WORK/$net-t1.out"
    run "$WORK/$net-t2.out" batch "$WORK/$net.corr" --profile $prof --pairs "$pairs" \
        --threads 2 -o "$WORK/$net-t2.csv" --quiet
    expect "$net threads 2" 0 "$WORK/$net-t2.out"
    same "$net: threads 1 and 2 give the same bytes" "$WORK/$net-t1.csv" "$WORK/$net-t2.csv"
    rows=$(($(wc -l <"$pairs") - 1))
    if [ "$(wc -l <"$WORK/$net-t1.csv")" -eq $((rows + 1)) ]; then
        ok "$net: one row per pair and a header"
    else
        bad "$net: $(wc -l <"$WORK/$net-t1.csv") lines for $rows pairs"
    fi
    if [ "$(head -n 1 "$WORK/$net-t1.csv")" = "id,distance_m,duration_s,cost,co2_kg,status" ]; then
        ok "$net: header"
    else
        bad "$net: header" "$(head -n 1 "$WORK/$net-t1.csv")"
    fi
    if cut -d, -f1 "$pairs" | tail -n +2 | cmp -s - <(cut -d, -f1 "$WORK/$net-t1.csv" | tail -n +2); then
        ok "$net: ids in input order"
    else
        bad "$net: ids not in input order"
    fi
    case $(grep -c ',ok$' "$WORK/$net-t1.csv") in
    0) bad "$net: no ok rows" ;;
    *) ok "$net: $(grep -c ',ok$' "$WORK/$net-t1.csv") ok rows" ;;
    esac
    if grep -q 'pairs (.* ok,.*) in .* pairs/s on 1 thread' "$WORK/$net-t1.out.err"; then
        ok "$net: summary line"
    else
        bad "$net: no summary line on stderr" "$(tail -n 2 "$WORK/$net-t1.out.err")"
    fi
    if [ ! -s "$WORK/$net-t2.out.err" ]; then
        ok "$net: --quiet prints nothing"
    else
        bad "$net: --quiet printed" "$(head -c 300 "$WORK/$net-t2.out.err")"
    fi
done
if grep -q ',no_segment$' "$WORK/monaco-t1.csv"; then
    ok "monaco: random points in the sea are no_segment rows"
else
    bad "monaco: no no_segment row among random points (some lie in the sea)"
fi
if grep -q '^syn-[0-9]*,,,,,no_segment$' "$WORK/monaco-t1.csv" &&
    grep -Eq '^syn-[0-9]+,[0-9]+\.[0-9],[0-9]+\.[0-9],[0-9]+,[0-9]+\.[0-9]{3},ok$' \
        "$WORK/monaco-t1.csv" &&
    ! grep -Ev '^syn-[0-9]+,([0-9]+\.[0-9],[0-9]+\.[0-9],[0-9]+,[0-9]+\.[0-9]{3},ok|,,,,[a-z_]+)$' \
        "$WORK/monaco-t1.csv" | grep -qv '^id,'; then
    ok "row format: 0.1 m, 0.1 s, whole dong (VND), 0.001 kg; empty numbers unless ok"
else
    bad "row format" "$(head -n 3 "$WORK/monaco-t1.csv")"
fi
run "$WORK/stdout.csv" batch "$HCMC" --profile motorcycle --pairs "$HCMC_PAIRS" -o - --quiet
expect "-o -" 0 "$WORK/stdout.csv"
same "-o - writes the same to stdout" "$WORK/hcmc-t1.csv" "$WORK/stdout.csv"

# ---- shards ---------------------------------------------------------------------------------------
for i in 1 2 3; do
    run "$WORK/shard$i.out" batch "$MONACO" --profile car --pairs "$MONACO_PAIRS" --shard $i/3 \
        --threads 2 -o "$WORK/shard$i.csv"
    expect "shard $i/3" 0 "$WORK/shard$i.out"
done
cat "$WORK/shard1.csv" "$WORK/shard2.csv" "$WORK/shard3.csv" >"$WORK/shards.csv"
same "shards 1/3+2/3+3/3 concatenated = unsharded" "$WORK/monaco-t1.csv" "$WORK/shards.csv"
if grep -q 'shard 2/3, rows 201-400 of 600' "$WORK/shard2.out.err"; then
    ok "shard 2/3 says its rows"
else
    bad "shard 2/3 summary" "$(tail -n 1 "$WORK/shard2.out.err")"
fi
head -n 4 "$HCMC_PAIRS" >"$WORK/three.csv"
run "$WORK/three.out" batch "$HCMC" --profile car --pairs "$WORK/three.csv" -o "$WORK/three-all.csv" --quiet
: >"$WORK/three-shards.csv"
for i in 1 2 3 4 5; do
    run "$WORK/three$i.out" batch "$HCMC" --profile car --pairs "$WORK/three.csv" --shard $i/5 \
        -o "$WORK/three$i.csv" --quiet
    cat "$WORK/three$i.csv" >>"$WORK/three-shards.csv"
done
same "5 shards of 3 rows (some empty) concatenated = unsharded" "$WORK/three-all.csv" \
    "$WORK/three-shards.csv"
run "$WORK/nohdr.out" batch "$HCMC" --profile car --pairs "$WORK/three.csv" -o "$WORK/nohdr.csv" \
    --no-header --quiet
same "--no-header drops the header only" <(tail -n +2 "$WORK/three-all.csv") "$WORK/nohdr.csv"

# ---- rows = corridor route ------------------------------------------------------------------------
# every 97th pair of the Monaco file (about 6), by CH, and 5 HCMC pairs by Dijkstra
check_routes() {
    local label=$1 net=$2 prof=$3 pairs=$4 out=$5 step=$6 line id from to row want
    local n=0 good=0
    while IFS=, read -r id flon flat tlon tlat; do
        n=$((n + 1))
        [ $((n % step)) -eq 1 ] || continue
        row=$(grep -m 1 "^$id," "$out")
        "$CORRIDOR" route "$net" --profile "$prof" --from "$flon,$flat" --to "$tlon,$tlat" \
            >"$WORK/r.json" 2>/dev/null
        want=$("$PY" -c '
import json, sys
d = json.load(open(sys.argv[1]))
if d["status"] != "ok":
    print("%s,,,,,%s" % (sys.argv[2], d["status"]))
else:
    # the route JSON values are already rounded by the one rule (VND: whole dong)
    print("%s,%.1f,%.1f,%.0f,%.3f,ok" % (sys.argv[2], d["distance_m"], d["duration_s"], d["cost"], d["co2_kg"]))
' "$WORK/r.json" "$id")
        # the row's text is exactly what corridor route says, cost included
        if [ "$row" = "$want" ]; then
            good=$((good + 1))
        else
            bad "$label: pair $id: batch \"$row\", route \"$want\""
        fi
    done < <(tail -n +2 "$pairs")
    if [ "$good" -gt 0 ]; then
        ok "$label: $good sampled rows equal corridor route"
    fi
}
check_routes monaco "$MONACO" car "$MONACO_PAIRS" "$WORK/monaco-t1.csv" 97
check_routes hcmc "$HCMC" motorcycle "$HCMC_PAIRS" "$WORK/hcmc-t1.csv" 61

# ---- bad rows: a status each, the batch goes on ----------------------------------------------------
cat >"$WORK/bad-rows.csv" <<'EOF'
pair_id,dest_lat,dest_lon,orig_lat,orig_lon
station,48.4042017,15.6528349,48.4123478,15.6109699
malformed,48.40,15.65,48.41,east
outside,48.2,16.2,48.4123478,15.6109699
range,148.4,15.65,48.41,15.61
EOF
run "$WORK/bad-rows.out" batch "$KREMS" --profile rail --pairs "$WORK/bad-rows.csv" \
    -o "$WORK/bad-rows-out.csv"
expect "bad rows" 0 "$WORK/bad-rows.out"
printf '%s\n' "id,distance_m,duration_s,cost,co2_kg,status" "station,,,,,unreachable" \
    "malformed,,,,,bad_input" "outside,,,,,no_segment" "range,,,,,bad_input" >"$WORK/bad-rows-want.csv"
same "bad rows: unreachable, bad_input, no_segment, bad_input (aliases in any order)" \
    "$WORK/bad-rows-want.csv" "$WORK/bad-rows-out.csv"
for word in 'bad_input: '"$WORK"'/bad-rows.csv: line 3: from_lon "east" is not a number' \
    'line 5: to_lat 148.4 out of range' 'no_segment: line 4 (id outside): to more than' \
    'unreachable: line 2 (id station)'; do
    if grep -qF "$word" "$WORK/bad-rows.out.err"; then
        ok "bad rows: stderr says \"$word\""
    else
        bad "bad rows: stderr does not say \"$word\"" "$(cat "$WORK/bad-rows.out.err")"
    fi
done

# ---- errors: one line, exit 1 or 2, nothing left behind -------------------------------------------
OUT=$WORK/err-out.csv
printf 'id,from_lon,from_lat,to_lon\n1,2,3,4\n' >"$WORK/nocol.csv"
printf 'id,from_lon,from_lat,to_lon,to_lat\n' >"$WORK/header-only.csv"
# label|want rc|words|args...
while IFS='|' read -r label want words args; do
    rm -f "$OUT" "$OUT.tmp"
    eval "set -- $args"
    run "$WORK/err.out" batch "$@"
    expect "$label" "$want" "$WORK/err.out"
    eval "one_line \"\$label\" \"\$WORK/err.out.err\" $words"
    if [ ! -e "$OUT" ] && [ ! -e "$OUT.tmp" ]; then
        ok "$label: no output file left"
    else
        bad "$label: $OUT or $OUT.tmp exists"
    fi
done <<EOF
missing pairs file|1|missing.csv|"$HCMC" --profile car --pairs "$WORK/missing.csv" -o "$OUT"
missing column|1|nocol.csv "no to_lat column"|"$HCMC" --profile car --pairs "$WORK/nocol.csv" -o "$OUT"
no rows|1|"no pairs"|"$HCMC" --profile car --pairs "$WORK/header-only.csv" -o "$OUT"
not csv|1|"must be a .csv"|"$HCMC" --profile car --pairs "$HCMC" -o "$OUT"
missing network|1|nothere.corr|"$WORK/nothere.corr" --profile car --pairs "$HCMC_PAIRS" -o "$OUT"
unknown profile|1|plane|"$HCMC" --profile plane --pairs "$HCMC_PAIRS" -o "$OUT"
shard 0/3|2|--shard "0/3"|"$HCMC" --profile car --pairs "$HCMC_PAIRS" --shard 0/3 -o "$OUT"
shard 4/3|2|--shard "4/3"|"$HCMC" --profile car --pairs "$HCMC_PAIRS" --shard 4/3 -o "$OUT"
shard 2|2|--shard|"$HCMC" --profile car --pairs "$HCMC_PAIRS" --shard 2 -o "$OUT"
shard a/b|2|--shard|"$HCMC" --profile car --pairs "$HCMC_PAIRS" --shard a/b -o "$OUT"
shard -1/3|2|--shard|"$HCMC" --profile car --pairs "$HCMC_PAIRS" --shard -1/3 -o "$OUT"
threads -2|2|--threads|"$HCMC" --profile car --pairs "$HCMC_PAIRS" --threads -2 -o "$OUT"
threads 999|2|--threads|"$HCMC" --profile car --pairs "$HCMC_PAIRS" --threads 999 -o "$OUT"
no -o|2|"-o OUT.csv"|"$HCMC" --profile car --pairs "$HCMC_PAIRS"
no --pairs|2|--pairs|"$HCMC" --profile car -o "$OUT"
bad metric|2|--metric|"$HCMC" --profile car --pairs "$HCMC_PAIRS" --metric speed -o "$OUT"
output folder missing|1|"$WORK/no/such/dir/out.csv"|"$HCMC" --profile car --pairs "$HCMC_PAIRS" -o "$WORK/no/such/dir/out.csv"
EOF

# a failed batch leaves an existing output as it was
printf 'keep me\n' >"$OUT"
run "$WORK/keep.out" batch "$HCMC" --profile car --pairs "$WORK/nocol.csv" -o "$OUT"
if [ "$rc" -eq 1 ] && [ "$(cat "$OUT")" = "keep me" ] && [ ! -e "$OUT.tmp" ]; then
    ok "a failed batch leaves an existing output file unchanged"
else
    bad "failed batch: exit $rc, output now \"$(head -c 80 "$OUT")\""
fi

run "$WORK/help.out" batch --help
if [ "$rc" -eq 0 ] && grep -q -- '--shard I/N' "$WORK/help.out" && grep -q 'header' "$WORK/help.out"; then
    ok "--help describes --shard and the header"
else
    bad "--help" "$(head -c 300 "$WORK/help.out")"
fi

finish
