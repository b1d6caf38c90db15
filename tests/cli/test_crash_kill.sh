#!/usr/bin/env bash
# Crash-safe writes, proven by SIGKILL. Every command that writes a file (import, contract, which
# rewrites a network file, scenario, batch, matrix, render to PNG, PDF and SVG, landtake with its
# GeoPackage, skim, demand gravity, assign with its GeoPackage, OMX and JSON) runs on the small
# extracts under datasets/ (Krems, Monaco) and is killed with SIGKILL after a random delay between
# 0 and 1.5 times its own run time, until CRASH_KILLS runs were killed (default 5; 2 under the
# sanitizer build; 50 for docs/reliability.md; the runs that end before their delay are checked
# as well). Before each kill a known file sits under every output name (its
# sha256 recorded); after the kill each output name holds either that file, byte for byte, or a
# complete new output (the same bytes as a finished run where the command is deterministic, else
# a whole file of its format: the network loads with its checksums, the GeoPackage passes SQLite's
# integrity check, the PNG ends with IEND, the PDF with %%EOF, the SVG with </svg>, the HDF5 file
# is as long as its superblock says). The temporaries the killed runs leave (core/atomic.h: hidden
# ".STEM.HOST-PID.XXXXXX.EXT" beside the output) are removed by the next successful run of the
# same command: after it the folder holds exactly the outputs.
#
# Run by ctest with CORRIDOR, SRC, WORK (and SANITIZE). By hand, the long run of the docs:
#   CRASH_KILLS=50 CORRIDOR=build/dev/cli/corridor bash tests/cli/test_crash_kill.sh
# CRASH_KILL_SEED fixes the random delays (default: a fixed seed, printed); CRASH_KILL_ONLY=NAME
# runs one command's kills (import, contract, scenario, batch, matrix, render_png, render_pdf,
# render_svg, landtake, skim, demand, assign).
set -u

SRC=${SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
CORRIDOR=${CORRIDOR:-$SRC/build/dev/cli/corridor}
WORK=${WORK:-${TMPDIR:-/tmp}/corridor-test-crash-kill}
D=$SRC/datasets
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

need_corridor
need_python "python3 is needed to check the outputs' formats"
make_scratch in
case ${SANITIZE:-0} in 1 | ON | TRUE | true) default_kills=2 ;; *) default_kills=5 ;; esac
KILLS=${CRASH_KILLS:-$default_kills}
SEED=${CRASH_KILL_SEED:-14}
RANDOM=$SEED
echo "# $KILLS kills per command, seed $SEED"

KREMS=$D/graphhopper-krems.osm.pbf
for f in "$KREMS" "$D/osrm-monaco.osm.pbf" "$D/scenario-krems-bypass-example.geojson" \
    "$D/scenario-krems-interchanges-example.geojson"; do
    [ -f "$f" ] || {
        bad "fixture missing: $f"
        finish
    }
done

IN=$WORK/in
exits "import Krems (the input of the others)" 0 "$CORRIDOR" import "$KREMS" -o "$IN/krems.corr" || finish
exits "import Monaco (a network to overwrite)" 0 "$CORRIDOR" import "$D/osrm-monaco.osm.pbf" -o "$IN/monaco.corr" || finish
exits "demand gravity (assign's input)" 0 "$CORRIDOR" demand gravity "$IN/krems.corr" --zones "$KREMS" \
    --profile car --total 10000 -o "$IN/demand.csv" || finish
printf 'lon,lat\n15.5940,48.4206\n15.6645,48.4085\n15.61,48.41\n15.60,48.42\n' >"$IN/points.csv"
printf 'from_lon,from_lat,to_lon,to_lat\n15.5940,48.4206,15.6645,48.4085\n15.61,48.41,15.60,48.42\n' >"$IN/pairs.csv"

# whole FILE: exit 0 when FILE is a complete file of its format (by its extension).
WHOLE='
import sqlite3, struct, sys
path = sys.argv[1]
data = open(path, "rb").read()
ext = path.rsplit(".", 1)[-1]
if ext == "gpkg":
    c = sqlite3.connect("file:%s?mode=ro" % path, uri=True)
    assert c.execute("PRAGMA integrity_check").fetchone()[0] == "ok", "integrity_check"
    assert c.execute("SELECT count(*) FROM gpkg_contents").fetchone()[0] > 0, "no layer"
elif ext == "png":
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[-8:-4] == b"IEND", "no IEND"
elif ext == "pdf":
    assert data[:5] == b"%PDF-" and b"%%EOF" in data[-32:], "no %%EOF"
elif ext == "svg":
    assert data.rstrip().endswith(b"</svg>"), "no </svg>"
elif ext == "omx":
    assert data[:8] == b"\x89HDF\r\n\x1a\n", "no HDF5 signature"
    eof = struct.unpack_from("<Q", data, 40 if data[8] in (0, 1) else 28)[0]
    assert eof == len(data), "superblock says %d bytes, file has %d" % (eof, len(data))
elif ext == "json":
    import json; json.loads(data)
else:
    assert False, "no check for ." + ext
'

sha() { sha256sum "$1" | cut -c1-64; }

# The jobs: NAME, the outputs (space separated, in the job folder), the command (in the job
# folder; "@" stands for the job folder's path). CONTRACT rewrites its input in place.
declare -a NAMES OUTS CMDS
job() {
    NAMES+=("$1")
    OUTS+=("$2")
    CMDS+=("$3")
}
job import "krems.corr" "import $KREMS -o @/krems.corr"
job contract "krems.corr" "contract @/krems.corr --profile car"
job scenario "bypass.corr" "scenario $IN/krems.corr -o @/bypass.corr \
--add $D/scenario-krems-bypass-example.geojson --interchanges $D/scenario-krems-interchanges-example.geojson"
job batch "batch.csv" "batch $IN/krems.corr --profile car --pairs $IN/pairs.csv -o @/batch.csv --quiet --threads 2"
job matrix "matrix.csv" "matrix $IN/krems.corr --profile car --sources $IN/points.csv -o @/matrix.csv"
for fmt in png pdf svg; do
    job render_$fmt "map.$fmt" "render --network $IN/krems.corr --zones $KREMS --class-field landuse \
--date 2024-01-01 -o @/map.$fmt"
done
job landtake "lt.json lt.gpkg" "landtake --zones $KREMS --class-field landuse \
--alignment $D/scenario-krems-bypass-example.geojson --width 60 -o @/lt.json --pieces @/lt.gpkg"
job skim "skim.csv" "skim $IN/krems.corr --zones $KREMS --profile car -o @/skim.csv"
job demand "demand.csv" "demand gravity $IN/krems.corr --zones $KREMS --profile car --total 10000 -o @/demand.csv"
job assign "flows.gpkg skims.omx summary.json" "assign $IN/krems.corr --zones $KREMS \
--demand $IN/demand.csv --profile car --max-iter 20 --threads 2 --quiet -o @/flows.gpkg --skims @/skims.omx \
--summary @/summary.json"

# put_known DIR NAME OUTS: a known file under every output name (contract: the network before).
put_known() {
    local dir=$1 name=$2 out
    for out in $3; do
        if [ "$name" = contract ]; then
            cp "$IN/krems.corr" "$dir/$out"
        elif [ "${out##*.}" = corr ]; then
            cp "$IN/monaco.corr" "$dir/$out"
        else
            printf 'the file that was here before %s ran (%s)\n' "$name" "$out" >"$dir/$out"
        fi
    done
}

# run_job DIR CMD: runs corridor with CMD (@ replaced by DIR) in the foreground; sets rc.
run_job() {
    local -a argv
    read -r -a argv <<<"${2//@/$1}"
    "$CORRIDOR" "${argv[@]}" >"$1.stdout" 2>"$1.stderr"
    rc=$?
}

# the folder's entries other than the outputs, one a line
extras() {
    local dir=$1 outs=" $2 " e
    for e in "$dir"/* "$dir"/.[!.]*; do
        [ -e "$e" ] || continue
        case $outs in *" ${e##*/} "*) ;; *) echo "${e##*/}" ;; esac
    done
}

total_kills=0
total_done=0
for i in "${!NAMES[@]}"; do
    name=${NAMES[$i]} outs=${OUTS[$i]} cmd=${CMDS[$i]}
    [ -n "${CRASH_KILL_ONLY:-}" ] && [ "$CRASH_KILL_ONLY" != "$name" ] && continue
    dir=$WORK/$name
    mkdir -p "$dir"
    # finished runs first (two in long runs, one in ctest's): the longest time sets the delays
    # (the machine's load varies), the outputs of the last are the reference
    ms=0
    for ((r = 0; r < (KILLS >= 20 ? 2 : 1); r++)); do
        put_known "$dir" "$name" "$outs"
        t0=$(date +%s%N)
        run_job "$dir" "$cmd"
        t=$((($(date +%s%N) - t0) / 1000000))
        [ "$t" -gt "$ms" ] && ms=$t
        [ "$rc" -eq 0 ] || break
    done
    if [ "$rc" -ne 0 ]; then
        bad "$name: the reference run exits $rc" "$(head -c 400 "$dir.stderr")"
        continue
    fi
    declare -A ref=()
    for out in $outs; do ref[$out]=$(sha "$dir/$out"); done
    declare -A known=()
    put_known "$dir" "$name" "$outs"
    for out in $outs; do known[$out]=$(sha "$dir/$out"); done

    killed=0 finished=0 old=0 new=0 broken=0
    declare -A seen=()
    # until KILLS runs were killed (a run that ends before its delay is checked too, not counted)
    for ((k = 0; killed < KILLS && k < 4 * KILLS; k++)); do
        put_known "$dir" "$name" "$outs"
        delay_ms=$((RANDOM % (ms * 15 / 10 + 1)))
        read -r -a argv <<<"${cmd//@/$dir}"
        "$CORRIDOR" "${argv[@]}" >/dev/null 2>&1 &
        pid=$!
        sleep "$((delay_ms / 1000)).$(printf '%03d' $((delay_ms % 1000)))"
        kill -KILL "$pid" 2>/dev/null
        { wait "$pid"; } 2>/dev/null
        rc=$?
        if [ "$rc" -eq 137 ]; then killed=$((killed + 1)); else finished=$((finished + 1)); fi
        while read -r e; do [ -n "$e" ] && seen[$e]=1; done < <(extras "$dir" "$outs")
        for out in $outs; do
            f=$dir/$out
            if [ ! -f "$f" ]; then
                broken=$((broken + 1))
                bad "$name: kill at ${delay_ms} ms: $out vanished"
                continue
            fi
            s=$(sha "$f") msg=
            if [ "$s" = "${known[$out]}" ]; then
                old=$((old + 1))
            elif [ "$s" = "${ref[$out]}" ]; then
                new=$((new + 1))
            elif [ "${out##*.}" = corr ] && "$CORRIDOR" info "$f" >/dev/null 2>&1; then
                new=$((new + 1))
            elif [ "${out##*.}" != corr ] && msg=$("$PY" -c "$WHOLE" "$f" 2>&1); then
                new=$((new + 1))
            else
                broken=$((broken + 1))
                bad "$name: kill at ${delay_ms} ms (exit $rc): $out is neither the old file nor a whole new one" \
                    "$(printf '%s\n' "${msg:-corridor info refuses it}" | tail -n 1)"
            fi
        done
    done
    left=${#seen[@]}
    run_job "$dir" "$cmd"
    if [ "$rc" -ne 0 ]; then
        bad "$name: the run after the kills exits $rc" "$(head -c 400 "$dir.stderr")"
    fi
    stale=$(extras "$dir" "$outs")
    if [ -z "$stale" ]; then
        ok "$name: SIGKILL at 0-$((ms * 15 / 10)) ms (${ms} ms a run): $killed runs killed, $finished finished first; outputs old $old, whole new $new, partial $broken; $left temporaries left by killed runs, none after the next successful run"
    else
        bad "$name: files left beside the outputs after a successful run" "$stale"
    fi
    [ "$broken" -eq 0 ] || bad "$name: $broken outputs partial or gone after a kill"
    total_kills=$((total_kills + killed))
    total_done=$((total_done + finished))
    unset ref known seen
done
echo "# $total_kills runs killed, $total_done finished before the kill"
finish
