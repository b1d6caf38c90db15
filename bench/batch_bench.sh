#!/usr/bin/env bash
# Batch routing benchmark: `corridor batch` pairs per second on Monaco at 1 and 2 threads, by
# contraction hierarchy and by plain Dijkstra (car, fastest route).
#
#   bash bench/batch_bench.sh CORRIDOR WORKDIR
#
# The pairs are SYNTHETIC: PAIRS (default 20,000) uniform random points, seeded, drawn by
# bench/gen_pairs.py in Monaco's own box (7.409,43.725 - 7.439,43.752; some fall in the sea and
# are no_segment rows, which the table counts). They are a load, not trips anyone made.
# Each figure is the best of RUNS (default 3) runs of the routing phase as `corridor batch`
# reports it (reading the pairs and opening the network are not in it; "wall" is the whole
# command; "cpu s" the user + system CPU time of that run, which shows whether a missing speed-up is
# the code's or a busy machine's). Also checks that every thread count wrote the same bytes.
set -u
cd "$(dirname "$0")/.." || exit 1

CORRIDOR=${1:-}
WORKDIR=${2:-}
PAIRS=${PAIRS:-20000}
RUNS=${RUNS:-3}
THREADS=${THREADS:-"1 2"}
SEED=${SEED:-1}
BBOX=7.409,43.725,7.439,43.752

die() {
    echo "batch_bench.sh: $*" >&2
    exit 1
}

[ -n "$CORRIDOR" ] && [ -n "$WORKDIR" ] || die "usage: bash bench/batch_bench.sh CORRIDOR WORKDIR"
[ -x "$CORRIDOR" ] || die "$CORRIDOR is not an executable file"
[ -x /usr/bin/time ] || die "/usr/bin/time (GNU time, package 'time') is not installed"
PY=$(python3 -c 'import sys; print(sys.executable)' 2>/dev/null) || die "python3 is needed"
mkdir -p "$WORKDIR" || die "cannot make $WORKDIR"

net=$WORKDIR/monaco.corr
pairs=$WORKDIR/monaco-pairs-$PAIRS-seed$SEED.csv
"$CORRIDOR" import datasets/osrm-monaco.osm.pbf -o "$net" --quiet || die "import failed"
"$CORRIDOR" contract "$net" --profiles car --metrics time >/dev/null 2>&1 || die "contract failed"
"$PY" bench/gen_pairs.py --bbox $BBOX --count "$PAIRS" --seed "$SEED" -o "$pairs" ||
    die "bench/gen_pairs.py failed"

now_ns() {
    date +%s%N
}

echo "corridor batch on Monaco (osrm-monaco.osm.pbf), car by time, $PAIRS SYNTHETIC random pairs"
echo "(seed $SEED, box $BBOX), best of $RUNS; $(nproc) CPUs online"
echo
printf '| %-10s | %7s | %9s | %9s | %9s | %10s | %8s | %-31s |\n' algorithm threads "route s" \
    "wall s" "cpu s" "pairs/s" speed-up "rows ok / no_segment / unreach."
printf '|%s|%s|%s|%s|%s|%s|%s|%s|\n' ------------ --------- ----------- ----------- ----------- \
    ------------ ---------- ---------------------------------
status=0
for algo in ch dijkstra; do
    extra=()
    [ $algo = dijkstra ] && extra=(--no-ch)
    base_rate=
    first_out=
    for t in $THREADS; do
        best=
        best_wall=
        for _ in $(seq "$RUNS"); do
            out=$WORKDIR/out-$algo-$t.csv
            start=$(now_ns)
            /usr/bin/time -f '%U %S' -o "$WORKDIR/cpu" "$CORRIDOR" batch "$net" --profile car \
                --pairs "$pairs" --threads "$t" "${extra[@]}" -o "$out" 2>"$WORKDIR/err" ||
                die "batch failed: $(tail -n 1 "$WORKDIR/err")"
            cpu=$(awk '{ printf "%.2f", $1 + $2 }' "$WORKDIR/cpu")
            wall=$((($(now_ns) - start) / 1000000))
            line=$(tail -n 1 "$WORKDIR/err")
            secs=$(echo "$line" | sed -n 's/.* in \([0-9.]*\) s,.*/\1/p')
            [ -n "$secs" ] || die "no summary line: $line"
            if [ -z "$best" ] || awk -v a="$secs" -v b="$best" 'BEGIN { exit !(a < b) }'; then
                best=$secs
                best_cpu=$cpu
            fi
            if [ -z "$best_wall" ] || [ "$wall" -lt "$best_wall" ]; then
                best_wall=$wall
            fi
        done
        counts=$(echo "$line" | sed -n 's/.*(\([0-9]*\) ok, \([0-9]*\) unreachable, \([0-9]*\) no_segment.*/\1 \/ \3 \/ \2/p')
        rate=$(awk -v n="$PAIRS" -v s="$best" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }')
        [ -n "$base_rate" ] || base_rate=$rate
        speedup=$(awk -v r="$rate" -v b="$base_rate" 'BEGIN { printf "%.2fx", (b > 0 ? r / b : 0) }')
        printf '| %-10s | %7s | %9.2f | %9.2f | %9s | %10s | %8s | %-31s |\n' $algo "$t" "$best" \
            "$(awk -v w="$best_wall" 'BEGIN { print w / 1000 }')" "$best_cpu" "$rate" "$speedup" \
            "$counts"
        if [ -z "$first_out" ]; then
            first_out=$out.first
            cp "$out" "$first_out"
        elif ! cmp -s "$first_out" "$out"; then
            echo "MISMATCH: $algo output at $t threads differs from the first thread count" >&2
            status=1
        fi
    done
done
exit $status
