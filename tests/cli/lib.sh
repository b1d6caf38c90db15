# shellcheck shell=bash
# Helpers shared by tests/cli/test_*.sh. Each script sets its own SRC, CORRIDOR and WORK (and
# whatever else it needs) and then sources this file: . "$(dirname "$0")/lib.sh"
# Not a test itself (ctest runs tests/cli/test_*.sh only).
#
# Counting: ok LABEL, bad LABEL [DETAIL...], finish (prints "N passed, M failed" and exits 0 when
# nothing failed, else 1; a script that must clean up first defines before_finish).
# Set-up: need_corridor, need_python WHY (sets PY), make_scratch [SUBDIR].
# Running corridor: run OUT ARGS... (sets rc); exits LABEL WANT CMD... and error LABEL WANT
# PATTERN CMD... (stdout and stderr in $WORK/stdout, $WORK/stderr); jcheck LABEL JSON EXPR...

passed=0
failed=0

ok() {
    passed=$((passed + 1))
    printf 'ok   %s\n' "$1"
}

bad() {
    failed=$((failed + 1))
    printf 'FAIL %s\n' "$1"
    shift
    for line in "$@"; do
        printf '       %s\n' "$line"
    done
}

finish() {
    if declare -F before_finish >/dev/null; then
        before_finish
    fi
    echo "$passed passed, $failed failed"
    [ "$failed" -eq 0 ]
    exit
}

# need_corridor: CORRIDOR is an executable file, else FAIL and finish.
need_corridor() {
    if [ ! -x "$CORRIDOR" ]; then
        bad "corridor binary: $CORRIDOR is not an executable file (set CORRIDOR)"
        finish
    fi
}

# need_python WHY: sets PY to python3's interpreter, resolved once (a pyenv shim costs ~1 s a
# call); without python3, FAIL with WHY and finish.
need_python() {
    PY=$(python3 -c 'import sys; print(sys.executable)' 2>/dev/null)
    if [ -z "$PY" ] || [ ! -x "$PY" ]; then
        bad "$1"
        finish
    fi
}

# make_scratch [SUBDIR]: empties WORK (refusing "", /, SRC and HOME) and makes WORK[/SUBDIR].
make_scratch() {
    case $WORK in
    "" | / | "$SRC" | "${HOME:-/}") bad "WORK=$WORK is not a scratch folder this script may empty"; finish ;;
    esac
    rm -rf "$WORK" && mkdir -p "$WORK${1:+/$1}" || { bad "cannot make scratch folder $WORK"; finish; }
}

# run OUT ARGS...: `corridor ARGS` with stdout to OUT and stderr to OUT.err; sets rc.
run() {
    local out=$1
    shift
    "$CORRIDOR" "$@" >"$out" 2>"$out.err"
    rc=$?
}

# exits LABEL WANT_EXIT CMD...: runs CMD, keeps stdout in $WORK/stdout and stderr in
# $WORK/stderr; returns 0 when the exit status is WANT_EXIT, else reports and returns 1.
exits() {
    local label=$1 want=$2 rc
    shift 2
    "$@" >"$WORK/stdout" 2>"$WORK/stderr"
    rc=$?
    if [ "$rc" -ne "$want" ]; then
        bad "$label" "exit $rc, want $want: $*" "stderr: $(head -c 400 "$WORK/stderr")"
        return 1
    fi
    return 0
}

# error LABEL WANT_EXIT PATTERN CMD...: fails with WANT_EXIT and one stderr line matching PATTERN.
error() {
    local label=$1 want=$2 pattern=$3
    shift 3
    exits "$label" "$want" "$@" || return
    local lines
    lines=$(wc -l <"$WORK/stderr")
    if [ "$lines" -ne 1 ] || ! grep -qE -- "$pattern" "$WORK/stderr"; then
        bad "$label" "want one stderr line matching /$pattern/, got $lines:" "$(head -c 400 "$WORK/stderr")"
        return
    fi
    ok "$label"
}

# jcheck LABEL JSON_FILE EXPR...: each Python expression over d (the parsed file) must be true.
# A failed comparison prints every operand's value. Runs $PY (python3 where PY is not set).
JCHECK='
import ast, json, sys
try:
    d = json.load(open(sys.argv[1]))
except Exception as e:
    for expr in sys.argv[2:]:
        print("FAIL\t%s\tno JSON: %s" % (expr, e))
    sys.exit(0)
env = {"d": d}
def value(node):
    return eval(compile(ast.Expression(node), "<check>", "eval"), env)
for expr in sys.argv[2:]:
    detail = ""
    try:
        good = bool(eval(expr, env))
        if not good:
            node = ast.parse(expr, mode="eval").body
            if isinstance(node, ast.Compare):
                detail = "; ".join("%s = %r" % (ast.unparse(p), value(p))
                                   for p in [node.left] + node.comparators)
    except Exception as e:
        good, detail = False, "%s: %s" % (type(e).__name__, e)
    print("%s\t%s\t%s" % ("ok" if good else "FAIL", expr, detail[:600]))
'

jcheck() {
    local label=$1 json=$2 status expr detail seen=0 hint=
    shift 2
    [ -n "${PY:-}" ] || hint=" (is python3 there?)"
    while IFS=$'\t' read -r status expr detail; do
        seen=$((seen + 1))
        if [ "$status" = ok ]; then
            ok "$label: $expr"
        else
            bad "$label: $expr" "$detail"
        fi
    done < <("${PY:-python3}" -c "$JCHECK" "$json" "$@")
    if [ "$seen" -ne $# ]; then
        bad "$label: the JSON checker ran $seen of $# checks$hint"
    fi
}

# Serving. start_server LOG ARGS...: `corridor serve $NET --host 127.0.0.1 --port 0 ARGS` in the
# background (the kernel picks a free port; the server prints it), polled until it prints the
# port (no fixed sleeps), then asked once (curl, any answer); sets SERVER_PID and PORT, returns
# non-zero when it did not come up.
# stop_server: SIGTERM and wait; safe to call twice (use it in a trap and in before_finish).
SERVER_PID=
start_server() {
    local log=$1 i
    shift
    PORT=
    : >"$log"
    "$CORRIDOR" serve "$NET" --host 127.0.0.1 --port 0 "$@" 2>>"$log" &
    SERVER_PID=$!
    for i in $(seq 1 400); do # up to 20 s, in 50 ms steps
        PORT=$(sed -n 's/.*listening on http:\/\/127\.0\.0\.1:\([0-9][0-9]*\).*/\1/p' "$log")
        [ -n "$PORT" ] && break
        kill -0 "$SERVER_PID" 2>/dev/null || break
        sleep 0.05
    done
    [ -n "$PORT" ] || return 1
    ! command -v curl >/dev/null || curl -s -o /dev/null "http://127.0.0.1:$PORT/nearest/v1/car/0,0"
}

stop_server() {
    if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID" 2>/dev/null
        wait "$SERVER_PID" 2>/dev/null
    fi
    SERVER_PID=
}

# npm_ci FOLDER CACHE PACKAGE WHAT: the npm packages of tests/FOLDER's package-lock.json,
# installed with npm ci into $BUILD/tests/CACHE and kept there while the lock file is the same
# (PACKAGE in node_modules says they are there); NPM_DIR names that folder. When npm cannot
# install them (offline), the test is skipped (exit 77) naming WHAT.
npm_ci() {
    local lock=$SRC/tests/$1/package-lock.json
    NPM_DIR=$BUILD/tests/$2
    mkdir -p "$NPM_DIR"
    if cmp -s "$lock" "$NPM_DIR/package-lock.json" && [ -d "$NPM_DIR/node_modules/$3" ]; then
        return 0
    fi
    cp "$SRC/tests/$1/package.json" "$lock" "$NPM_DIR/"
    if ! (cd "$NPM_DIR" && npm ci --ignore-scripts --no-audit --no-fund >"$WORK/npm.log" 2>&1); then
        echo "skip: npm ci could not install $4 (offline?): $(tail -3 "$WORK/npm.log")"
        rm -f "$NPM_DIR/package-lock.json"
        exit 77
    fi
}
