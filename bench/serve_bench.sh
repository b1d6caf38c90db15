#!/usr/bin/env bash
# HTTP benchmark of `corridor serve`: requests per second and p50/p99 latency for /route and for a
# 100 x 100 /table, measured with wrk (Debian package `wrk`) on 2 server threads.
#
#   bench/serve_bench.sh CORRIDOR WORKDIR [NETWORK.corr]
#
# Without NETWORK it imports and contracts the bundled Monaco extract into WORKDIR. Coordinates:
# SEED picks POINTS random points in the network's bounding box; each is snapped once through
# /nearest (points with no road near, or no route to and from the centre, are dropped) and the
# snapped list is written into a wrk Lua
# script, whose threads draw random pairs (or 100 points for a table) from it with fixed seeds.
# The server and wrk share the machine: on 2 cores they compete for CPU, so the figures are a
# floor for a server with cores of its own.
#
# Environment: DURATION (s per run, default 10), CONNECTIONS (wrk -c for /route, default 2),
# TABLE_CONNECTIONS (default 2), THREADS (server threads, default 2), SEED (42), POINTS (400),
# QUIET (--quiet: no access log; by default it is kept and gives the server-side times).
# Targets: /route p99 under 2 ms and over 2,000 requests/s on 2 cores.
set -u

CORRIDOR=${1:-}
WORKDIR=${2:-}
NETWORK=${3:-}
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-2}
TABLE_CONNECTIONS=${TABLE_CONNECTIONS:-2}
THREADS=${THREADS:-2}
SEED=${SEED:-42}
POINTS=${POINTS:-400}
QUIET=${QUIET:-} # QUIET=--quiet: no access log (else written to WORKDIR/serve.log)
SRC=$(cd "$(dirname "$0")/.." && pwd)
SERVER_PID=

die() {
    echo "serve_bench: $*" >&2
    exit 1
}

stop_server() {
    if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID"
        wait "$SERVER_PID" 2>/dev/null
    fi
    SERVER_PID=
}
trap stop_server EXIT

[ -n "$CORRIDOR" ] && [ -n "$WORKDIR" ] || die "usage: bench/serve_bench.sh CORRIDOR WORKDIR [NETWORK]"
[ -x "$CORRIDOR" ] || die "$CORRIDOR is not an executable file"
command -v wrk >/dev/null || die "wrk is not installed (Debian package wrk)"
command -v curl >/dev/null || die "curl is not installed"
PY=$(python3 -c 'import sys; print(sys.executable)' 2>/dev/null) || die "python3 is needed"
mkdir -p "$WORKDIR" || die "cannot make $WORKDIR"

if [ -z "$NETWORK" ]; then
    NETWORK=$WORKDIR/monaco.corr
    "$CORRIDOR" import "$SRC/datasets/osrm-monaco.osm.pbf" -o "$NETWORK" --quiet ||
        die "import of Monaco failed"
    "$CORRIDOR" contract "$NETWORK" --profiles car --metrics time >/dev/null ||
        die "contract failed"
fi
[ -f "$NETWORK" ] || die "$NETWORK: no such file"

LOG=$WORKDIR/serve.log
"$CORRIDOR" serve "$NETWORK" --port 0 --threads "$THREADS" --profiles car --max-table-size 100 \
    $QUIET 2>"$LOG" &
SERVER_PID=$!
PORT=
for _ in $(seq 1 600); do
    PORT=$(sed -n 's/.*listening on http:\/\/127\.0\.0\.1:\([0-9][0-9]*\).*/\1/p' "$LOG")
    [ -n "$PORT" ] && break
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.05
done
[ -n "$PORT" ] || die "the server did not start: $(cat "$LOG")"
BASE=http://127.0.0.1:$PORT

# seeded points in the bounding box, snapped once; written as a Lua table
"$CORRIDOR" info "$NETWORK" --json >"$WORKDIR/info.json" || die "corridor info failed"
"$PY" - "$WORKDIR/info.json" "$BASE" "$SEED" "$POINTS" >"$WORKDIR/points.lua" <<'EOF' ||
import json, random, sys, urllib.request, urllib.error
info, base, seed, n = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
w, s, e, nn = json.load(open(info))["bbox"]
rng = random.Random(seed)
def get(path):
    try:
        with urllib.request.urlopen(base + path) as r:
            return json.load(r)
    except urllib.error.HTTPError:
        return None
def snap(lon, lat):
    d = get("/nearest/v1/car/%.7f,%.7f" % (lon, lat))
    return "%.7f,%.7f" % tuple(d["waypoints"][0]["location"]) if d else None
# the anchor: the snapped centre of the box; a point is kept when routes to and from it exist,
# so every pair drawn has a route (no NoRoute answers in the measurement)
anchor = snap((w + e) / 2, (s + nn) / 2)
pts = []
for _ in range(n):
    p = snap(rng.uniform(w, e), rng.uniform(s, nn))
    if p and get("/route/v1/car/%s;%s?overview=false" % (anchor, p)) and \
            get("/route/v1/car/%s;%s?overview=false" % (p, anchor)):
        pts.append(p)
if len(pts) < 100:
    sys.exit("only %d of %d points snapped and routable" % (len(pts), n))
print("-- %d points" % len(pts))
print("points = {" + ",".join('"%s"' % p for p in pts) + "}")
EOF
    die "could not make the coordinate list"

cat >"$WORKDIR/route.lua" <<EOF
dofile("$WORKDIR/points.lua")
local counter = 0
setup = function(thread) counter = counter + 1; thread:set("id", counter) end
init = function(args) math.randomseed($SEED + id) end
request = function()
    local a = points[math.random(#points)]
    local b = points[math.random(#points)]
    return wrk.format("GET", "/route/v1/driving/" .. a .. ";" .. b .. "?overview=full")
end
EOF
cat >"$WORKDIR/table.lua" <<EOF
dofile("$WORKDIR/points.lua")
local counter = 0
setup = function(thread) counter = counter + 1; thread:set("id", counter) end
init = function(args) math.randomseed($SEED + 100 + id) end
request = function()
    local t = {}
    for i = 1, 100 do t[i] = points[math.random(#points)] end
    return wrk.format("GET", "/table/v1/driving/" .. table.concat(t, ";"))
end
EOF

# run NAME SCRIPT CONNECTIONS: wrk with 2 threads, --latency; prints one table row
run() {
    local name=$1 script=$2 conns=$3 out rps p50 p99 bad
    out=$WORKDIR/wrk-$name.txt
    wrk -t2 -c"$conns" -d"${DURATION}s" --latency -s "$script" "$BASE" >"$out" 2>&1 ||
        die "wrk failed: $(cat "$out")"
    rps=$(awk '/^Requests\/sec:/ {print $2}' "$out")
    p50=$(awk '$1 == "50%" {print $2}' "$out")
    p99=$(awk '$1 == "99%" {print $2}' "$out")
    bad=$(awk '/Non-2xx or 3xx responses:/ {print $5}' "$out")
    bad=${bad:-0}
    errs=$(awk '/Socket errors:/ {print $0}' "$out")
    printf '| %-16s | %5s | %10s | %9s | %9s | %6s |\n' "$name" "$conns" "$rps" "$p50" "$p99" "$bad"
    [ -z "$errs" ] || echo "  $errs"
    eval "${name//[^a-z]/_}_rps=\$rps; ${name//[^a-z]/_}_p99=\$p99"
}

echo "corridor serve on $(basename "$NETWORK"), $THREADS server threads, wrk -t2 for ${DURATION}s each"
npts=$(sed -n '1s/^-- \([0-9]*\) points$/\1/p' "$WORKDIR/points.lua")
echo "($npts snapped points, seed $SEED; $(nproc) CPUs shared by the server and wrk; load average"
echo " before: $(cut -d' ' -f1-3 /proc/loadavg): other work on the machine makes p99 worse)"
echo
echo "| endpoint         | conns |      req/s |       p50 |       p99 | non-2xx |"
echo "| ---------------- | ----: | ---------: | --------: | --------: | ------: |"
run route "$WORKDIR/route.lua" "$CONNECTIONS"
run "table 100x100" "$WORKDIR/table.lua" "$TABLE_CONNECTIONS"
echo
if [ -z "$QUIET" ]; then
    sleep 0.2 # the log is written every 50 ms
    # server-side time of each request (access log: from its first line read to its answer sent)
    for kind in route table; do
        grep -E "^GET /$kind/v1/.* 200 [0-9]+us$" "$LOG" | awk '{ sub(/us$/, "", $NF); print $NF }' |
            sort -n | awk -v k="$kind" '{ a[NR] = $1 } END { if (NR) printf "server-side %s: %d requests, p50 %d us, p99 %d us\n", k, NR, a[int(NR * 0.50) + 1], a[int(NR * 0.99) + 1] }'
    done
    echo
fi
# targets: /route p99 < 2 ms and > 2000 req/s
"$PY" - "$route_rps" "$route_p99" <<'EOF'
import re, sys
rps, p99 = float(sys.argv[1]), sys.argv[2]
m = re.match(r"([\d.]+)(us|ms|s)", p99)
ms = float(m.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[m.group(2)] if m else float("inf")
print("target /route p99 < 2 ms: %.3f ms, %s" % (ms, "met" if ms < 2 else "MISSED"))
print("target /route > 2000 req/s: %.0f, %s" % (rps, "met" if rps > 2000 else "MISSED"))
EOF
stop_server
