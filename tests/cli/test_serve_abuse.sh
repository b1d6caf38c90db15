#!/usr/bin/env bash
# `corridor serve` under abuse (docs/reliability.md, "The server under abuse"), on the bundled
# Monaco extract, in about 25 seconds:
#   - a malformed-request mix for ABUSE_SECONDS (10; bench/serve_abuse.py): no crash, no 5xx,
#     every malformed request answered with OSRM's code and a 4xx, resident memory after
#     warm-up within 16 MB of where it was (not checked under sanitizers: ASan's quarantine);
#   - 300 connections that send nothing and 50 that send a byte a second: valid requests are
#     still answered, each within a second;
#   - ten reloads in a row (the file replaced by rename, then SIGHUP) under 4 s of keep-alive
#     load: zero failed requests, /health counts the generations; a reload onto another network
#     answers from it; a reload onto a corrupt file keeps the old one;
#   - SIGTERM drains: a request whose headers end after the signal is answered, new connections
#     are refused meanwhile, exit 0.
#
# Run by ctest with CORRIDOR, SRC and WORK. By hand:
#   CORRIDOR=build/dev/cli/corridor bash tests/cli/test_serve_abuse.sh
set -u

SRC=${SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
CORRIDOR=${CORRIDOR:-$SRC/build/dev/cli/corridor}
WORK=${WORK:-${TMPDIR:-/tmp}/corridor-test-serve-abuse}
ABUSE_SECONDS=${ABUSE_SECONDS:-10}
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
. "$HERE/lib.sh"
trap stop_server EXIT

before_finish() {
    stop_server
}

need_corridor
if ! command -v curl >/dev/null; then
    echo "skip: curl is needed for the HTTP requests"
    exit 77
fi
need_python "python3 is needed for the load clients"
make_scratch

NET=$WORK/live.corr
if "$CORRIDOR" import "$SRC/datasets/osrm-monaco.osm.pbf" -o "$WORK/monaco.corr" --quiet \
    2>"$WORK/import.err" &&
    "$CORRIDOR" contract "$WORK/monaco.corr" --profiles car,truck --metrics time \
        >/dev/null 2>"$WORK/contract.err" &&
    "$CORRIDOR" import "$SRC/datasets/hcmc-district3-map.osm.pbf" -o "$WORK/hcmc.corr" --quiet \
        2>>"$WORK/import.err"; then
    ok "import and contract Monaco, import HCMC district 3"
else
    bad "import" "$(cat "$WORK/import.err" "$WORK/contract.err")"
    finish
fi
cp "$WORK/monaco.corr" "$NET"

if start_server "$WORK/serve.log" --threads 2 --quiet --timeout 10 --profiles car,truck; then
    ok "server listening on port $PORT"
else
    bad "server did not start" "$(cat "$WORK/serve.log")"
    finish
fi
BASE=http://127.0.0.1:$PORT

# /health
H=$(curl -s -w ' %{http_code}' "$BASE/health")
if "$PY" -c '
import json, sys
body, code = sys.argv[1].rsplit(" ", 1)
h = json.loads(body)
assert code == "200" and h["status"] == "ok" and h["generation"] == 1, h
assert h["network"].endswith("live.corr") and h["profiles"] == ["car", "truck"], h
' "$H" 2>"$WORK/health.err"; then
    ok "/health: 200, status ok, network, generation 1, profiles"
else
    bad "/health" "$H" "$(cat "$WORK/health.err")"
fi

# the malformed mix
# (under ASan freed memory sits in its quarantine, so resident memory grows by design: no bound)
RSS_BOUND=(--max-rss-growth-kb 16384)
[ "${SANITIZE:-0}" = 1 ] && RSS_BOUND=()
"$PY" "$SRC/bench/serve_abuse.py" --port "$PORT" --pid "$SERVER_PID" --seconds "$ABUSE_SECONDS" \
    --workers 4 "${RSS_BOUND[@]}" >"$WORK/abuse.json" 2>"$WORK/abuse.err"
rc=$?
SUMMARY=$("$PY" -c '
import json, sys
d = json.load(open(sys.argv[1]))
print("%d requests (%.0f/s), status %s, %d wrong, RSS growth %s kB" % (d["requests"],
      d["requests_per_s"], d["status"], d["wrong"], d.get("rss_growth_kb")))
' "$WORK/abuse.json" 2>&1)
if [ "$rc" -eq 0 ]; then
    ok "malformed mix: $SUMMARY"
else
    bad "malformed mix: $SUMMARY" "$(head -c 3000 "$WORK/abuse.json")" "$(cat "$WORK/abuse.err")"
fi

# idle and slow connections
R=$("$PY" "$HERE/serve_load.py" idle "$PORT" 300 50 3 2>&1)
if "$PY" -c '
import json, sys
d = json.loads(sys.argv[1])
assert d["requests"] > 0 and d["ok"] == d["requests"] and d["slowest_s"] < 1.0, d
' "$R" 2>/dev/null; then
    ok "300 idle and 50 byte-a-second connections: others answered ($R)"
else
    bad "300 idle and 50 byte-a-second connections" "$R"
fi

# ten reloads under load
"$PY" "$HERE/serve_load.py" load "$PORT" 4 4 >"$WORK/load.json" 2>&1 &
LOAD=$!
sleep 0.3
for i in $(seq 1 10); do
    cp "$WORK/monaco.corr" "$WORK/next.tmp" && mv "$WORK/next.tmp" "$NET"
    kill -HUP "$SERVER_PID"
    # the next signal only once this reload is done: two SIGHUPs sent while one reload runs
    # are one pending signal (a reload takes about 0.5 s under ASan on a busy machine)
    for _ in $(seq 1 400); do
        grep -qE "generation $((i + 1))\$" "$WORK/serve.log" && break
        sleep 0.05
    done
done
wait "$LOAD"
R=$(cat "$WORK/load.json")
if "$PY" -c '
import json, sys
d = json.loads(sys.argv[1])
assert d["requests"] > 0 and d["non_200"] == 0 and d["errors"] == 0, d
' "$R" 2>/dev/null; then
    ok "ten reloads under load: no failed request ($R)"
else
    bad "ten reloads under load" "$R"
fi
GEN=$(curl -s "$BASE/health" | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["generation"])')
[ "$GEN" = 11 ] && ok "/health: generation 11 after ten reloads" ||
    bad "/health after ten reloads: generation $GEN, want 11" "$(tail -5 "$WORK/serve.log")"

# a reload onto another network answers from it; a corrupt one is refused and the old kept
ROUTE="$BASE/route/v1/car/7.4200,43.7350;7.4250,43.7400"
cp "$WORK/hcmc.corr" "$WORK/next.tmp" && mv "$WORK/next.tmp" "$NET" && kill -HUP "$SERVER_PID"
for i in $(seq 1 100); do
    grep -q "generation 12" "$WORK/serve.log" && break
    sleep 0.05
done
CODE=$(curl -s "$ROUTE" | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["code"])')
[ "$CODE" = NoSegment ] && ok "reload onto HCMC: Monaco is NoSegment now" ||
    bad "reload onto HCMC: Monaco route gave $CODE, want NoSegment"
cp "$WORK/monaco.corr" "$WORK/next.tmp" && mv "$WORK/next.tmp" "$NET" && kill -HUP "$SERVER_PID"
for i in $(seq 1 100); do
    grep -q "generation 13" "$WORK/serve.log" && break
    sleep 0.05
done
head -c 100000 "$WORK/monaco.corr" >"$WORK/next.tmp" && mv "$WORK/next.tmp" "$NET" &&
    kill -HUP "$SERVER_PID"
for i in $(seq 1 100); do
    grep -q "reload failed" "$WORK/serve.log" && break
    sleep 0.05
done
CODE=$(curl -s "$ROUTE" | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["code"])')
if grep -q "reload failed, serving on" "$WORK/serve.log" && [ "$CODE" = Ok ]; then
    ok "reload onto a truncated file: refused, Monaco still served"
else
    bad "reload onto a truncated file: route $CODE" "$(tail -3 "$WORK/serve.log")"
fi

# SIGTERM drains
R=$("$PY" "$HERE/serve_load.py" drain "$PORT" "$SERVER_PID" 2>&1)
wait "$SERVER_PID"
rc=$?
SERVER_PID=
if "$PY" -c '
import json, sys
d = json.loads(sys.argv[1])
assert d["answer"].startswith("HTTP/1.1 200") and d["new_connections_refused"], d
' "$R" 2>/dev/null && [ "$rc" -eq 0 ]; then
    ok "SIGTERM: the request in flight answered, new connections refused, exit 0"
else
    bad "SIGTERM drain (exit $rc)" "$R" "$(tail -3 "$WORK/serve.log")"
fi
grep -q "SIGTERM, stopping" "$WORK/serve.log" && grep -q "corridor serve: stopped" "$WORK/serve.log" &&
    ok "SIGTERM: logged" || bad "SIGTERM: not logged" "$(tail -3 "$WORK/serve.log")"

finish
