#!/usr/bin/env bash
# Damaged network files, one case each, through `corridor info` and `corridor route`: truncated
# (inside the header, the section table, a payload, by one byte), a bit flipped in the header
# (file size, section count, byte-order mark), in the section table (a section's offset, size,
# element size, checksum, name, the padding after a name), one section fewer in the count (the
# header and table checksum of format 1.1 finds it where all payloads still agree), a payload, trailing data, and a file of another major
# format version. Each is refused with exit 1 and exactly one line on stderr naming the file.
# Then `corridor serve` with its network replaced by rename (mv) keeps answering from the file it
# mapped, byte for byte, and stays up; and what a truncation in place does to a running server
# is recorded (docs/reliability.md, "Crash-safe writes": SIGBUS, so replace files by rename).
#
# Run by ctest with CORRIDOR, SRC and WORK. By hand:
#   CORRIDOR=build/dev/cli/corridor bash tests/cli/test_netfile_damage.sh
set -u

SRC=${SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
CORRIDOR=${CORRIDOR:-$SRC/build/dev/cli/corridor}
WORK=${WORK:-${TMPDIR:-/tmp}/corridor-test-netfile-damage}
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

need_corridor
need_python "python3 is needed to damage the files"
make_scratch
SERVER_PID=
before_finish() { stop_server; }
trap stop_server EXIT

GOOD=$WORK/good.corr
exits "import Monaco" 0 "$CORRIDOR" import "$SRC/datasets/osrm-monaco.osm.pbf" -o "$GOOD" --quiet || finish
exits "contract Monaco (car)" 0 "$CORRIDOR" contract "$GOOD" --profile car || finish

# damage NAME HOW: $WORK/NAME.corr is GOOD damaged as HOW says (see the Python below).
damage() {
    "$PY" - "$GOOD" "$WORK/$1.corr" "$2" <<'EOF'
import struct, sys
data = bytearray(open(sys.argv[1], "rb").read())
out, how = sys.argv[2], sys.argv[3]
count = struct.unpack_from("<I", data, 16)[0]
table = lambda i, field: 32 + 48 * i + {"name": 0, "offset": 24, "size": 32, "elem": 40, "crc": 44}[field]
def largest():
    best = max(range(count), key=lambda i: struct.unpack_from("<Q", data, table(i, "size"))[0])
    return best, struct.unpack_from("<QQ", data, table(best, "offset"))
def flip(pos, bit):
    data[pos] ^= 1 << bit
if how == "cut-header":
    data = data[:20]
elif how == "cut-table":
    data = data[:32 + 48 * count // 2]
elif how == "cut-payload":
    i, (off, size) = largest(); data = data[:off + size // 2]
elif how == "cut-last-byte":
    data = data[:-1]
elif how == "trailing":
    data += b"\0" * 64
elif how == "header-file-size":
    flip(24 + 2, 3)
elif how == "header-section-count":
    flip(16, 1)
elif how == "header-section-count-less":  # the last section (ch.index) dropped, all else whole
    struct.pack_into("<I", data, 16, count - 1)
elif how == "table-name-padding":  # past the NUL of the first name: no reader looks there
    flip(table(0, "name") + 20, 0)
elif how == "header-endian":
    flip(12, 0)
elif how == "major":
    struct.pack_into("<HH", data, 8, 2, 0)
elif how == "table-offset":
    i, _ = largest(); flip(table(i, "offset") + 1, 2)  # +512 bytes: aligned, inside the file
elif how == "table-size":
    i, _ = largest(); flip(table(i, "size"), 2)  # 4 bytes fewer: still whole elements
elif how == "table-elem":
    i, _ = largest(); flip(table(i, "elem"), 1)
elif how == "table-crc":
    flip(table(count // 2, "crc") + 3, 7)
elif how == "table-name":
    flip(table(0, "name"), 0)
elif how == "payload":
    i, (off, size) = largest(); flip(off + size // 2, 4)
else:
    sys.exit("unknown damage " + how)
open(out, "wb").write(data)
EOF
}

# refused LABEL FILE WORD: info and route on FILE exit 1 with one stderr line naming FILE (and
# containing WORD, when given).
refused() {
    local label=$1 file=$2 word=$3 cmd first
    for cmd in info route; do
        if [ "$cmd" = info ]; then
            "$CORRIDOR" info "$file" >"$WORK/stdout" 2>"$WORK/stderr"
        else
            "$CORRIDOR" route "$file" --profile car --from 7.4200,43.7350 --to 7.4250,43.7400 \
                >"$WORK/stdout" 2>"$WORK/stderr"
        fi
        rc=$?
        first=$(head -n 1 "$WORK/stderr")
        if [ "$rc" -eq 1 ] && [ "$(wc -l <"$WORK/stderr")" -eq 1 ] &&
            [[ $first == "corridor $cmd: $file"* ]] && [[ $first == *"$word"* ]]; then
            ok "$label: $cmd refuses it: ${first#corridor "$cmd": "$WORK"/}"
        else
            bad "$label: $cmd exits $rc, want 1 with one line naming the file${word:+ and saying \"$word\"}" \
                "$(head -c 600 "$WORK/stderr")"
        fi
    done
}

for case in "cut-header:truncated" "cut-table:truncated" "cut-payload:truncated" \
    "cut-last-byte:truncated" "trailing:trailing data" "header-file-size:" \
    "header-section-count:" "header-section-count-less:section table" \
    "table-name-padding:section table" "header-endian:byte-order" "major:version 2.0" \
    "table-offset:" "table-size:" "table-elem:" "table-crc:checksum" "table-name:" \
    "payload:checksum"; do
    name=${case%%:*}
    if damage "$name" "${name}"; then
        refused "$name" "$WORK/$name.corr" "${case#*:}"
    else
        bad "$name: could not make the damaged file"
    fi
done

# ---- a server whose network file is replaced while mapped -------------------------------------
if ! command -v curl >/dev/null; then
    echo "skip: curl is needed for the server part"
    finish
fi
NET=$WORK/served.corr
cp "$GOOD" "$NET"
URL_PATH="/route/v1/car/7.4200,43.7350;7.4250,43.7400?overview=full"
if start_server "$WORK/serve.log" --threads 2; then
    curl -s "http://127.0.0.1:$PORT$URL_PATH" >"$WORK/before.json"
    # another network (Monaco without its hierarchy, then a damaged one) moved over the name
    exits "import the replacement" 0 "$CORRIDOR" import "$SRC/datasets/osrm-monaco.osm.pbf" \
        -o "$WORK/replacement.corr" --quiet
    mv "$WORK/replacement.corr" "$NET"
    curl -s "http://127.0.0.1:$PORT$URL_PATH" >"$WORK/after-mv.json"
    cp "$WORK/payload.corr" "$WORK/damaged-copy.corr" && mv "$WORK/damaged-copy.corr" "$NET"
    for _ in 1 2 3 4 5; do curl -s "http://127.0.0.1:$PORT$URL_PATH" >"$WORK/after-mv2.json"; done
    if grep -q '"code":"Ok"' "$WORK/before.json" && cmp -s "$WORK/before.json" "$WORK/after-mv.json" &&
        cmp -s "$WORK/before.json" "$WORK/after-mv2.json" && kill -0 "$SERVER_PID" 2>/dev/null; then
        ok "serve: network replaced by rename (twice, the second a damaged file): same answers from its mapping, still up"
    else
        bad "serve: network replaced by rename changed the answers or stopped the server" \
            "$(head -c 300 "$WORK/before.json")" "$(head -c 300 "$WORK/after-mv.json")" "$(tail -n 3 "$WORK/serve.log")"
    fi
    stop_server
else
    bad "serve: did not start" "$(cat "$WORK/serve.log")"
fi

# truncation in place (what `cp new.corr served.corr` or `truncate` does) under a running server:
# the pages it mapped are gone, the next read of them is SIGBUS. Recorded, not wished away.
cp "$GOOD" "$NET"
if start_server "$WORK/serve2.log" --threads 2; then
    curl -s "http://127.0.0.1:$PORT$URL_PATH" >/dev/null
    : >"$NET"
    curl -s -m 5 "http://127.0.0.1:$PORT$URL_PATH" >"$WORK/after-trunc.json"
    sleep 0.2
    if kill -0 "$SERVER_PID" 2>/dev/null; then
        ok "serve: network truncated in place: still up (this request read no page past the new end)"
        stop_server
    else
        { wait "$SERVER_PID"; } 2>/dev/null
        rc=$?
        SERVER_PID=
        if [ "$rc" -eq 135 ]; then
            ok "serve: network truncated in place: killed by SIGBUS, as docs/reliability.md says (replace by rename)"
        elif [ "$rc" -eq 134 ] && grep -q "Sanitizer: BUS" "$WORK/serve2.log"; then
            ok "serve: network truncated in place: SIGBUS, reported by the sanitizer (replace by rename)"
        else
            bad "serve: network truncated in place: exit $rc, neither up nor SIGBUS" "$(tail -n 3 "$WORK/serve2.log")"
        fi
    fi
else
    bad "serve: did not start" "$(cat "$WORK/serve2.log")"
fi
finish
