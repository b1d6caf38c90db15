#!/usr/bin/env bash
# Bad input to `corridor import` and `corridor info`: each must exit 1 with exactly one line on
# stderr, "corridor import: <the offending file as given>..." (or "corridor info: ..."), and leave
# no output file and no *.tmp behind; a good network file already at the output path must survive
# a failed import byte for byte. Usage errors exit 2.
#
# Run by ctest with CORRIDOR (the binary), SRC (the repository) and WORK (a scratch folder this
# script empties). Fixed bad files are in tests/bad/; the others are made here under WORK:
#   x.osm.pbf            0 bytes
#   monaco-half.osm.pbf  the first half of datasets/osrm-monaco.osm.pbf (head -c)
#   picture.osm.pbf      a real 1x1 PNG (signature, IHDR, IDAT, IEND) with an OSM name
#   damaged.corr         a good network with one byte flipped inside a section's payload
#   truncated.corr       the first half of a good network file
set -u

SRC=${SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
CORRIDOR=${CORRIDOR:-$SRC/build/dev/cli/corridor}
WORK=${WORK:-${TMPDIR:-/tmp}/corridor-test-bad-input}
BAD=$SRC/tests/bad
MONACO=$SRC/datasets/osrm-monaco.osm.pbf
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

need_corridor
for f in "$BAD/no_ways.osm" "$BAD/not_a_network.txt" "$MONACO"; do
    [ -f "$f" ] || bad "fixture missing: $f"
done
make_scratch out

# expect_fail LABEL CMD OFFENDER [EXTRA_WORD] -- ARGS...: `corridor CMD ARGS` exits 1 with one
# stderr line starting "corridor CMD: OFFENDER" (and containing EXTRA_WORD, if given).
expect_fail() {
    local label=$1 cmd=$2 offender=$3 word=$4 rc lines first
    shift 5
    "$CORRIDOR" "$cmd" "$@" >"$WORK/stdout" 2>"$WORK/stderr"
    rc=$?
    lines=$(wc -l <"$WORK/stderr")
    first=$(head -n 1 "$WORK/stderr")
    if [ "$rc" -eq 1 ]; then
        ok "$label: exit 1"
    else
        bad "$label: exit $rc, want 1" "$(head -c 400 "$WORK/stderr")"
    fi
    if [ "$lines" -eq 1 ] && [ "$(wc -c <"$WORK/stderr")" -eq $((${#first} + 1)) ]; then
        ok "$label: one line on stderr"
    else
        bad "$label: $lines lines on stderr, want 1" "$(head -c 600 "$WORK/stderr")"
    fi
    case $first in
    "corridor $cmd: $offender"*) ok "$label: the message starts \"corridor $cmd: $offender\"" ;;
    *) bad "$label: the message does not start \"corridor $cmd: $offender\"" "$first" ;;
    esac
    if [ -n "$word" ]; then
        case $first in
        *"$word"*) ok "$label: the message says \"$word\"" ;;
        *) bad "$label: the message does not say \"$word\"" "$first" ;;
        esac
    fi
}

# no_output LABEL PATH: neither PATH nor any *.tmp is in PATH's folder (nor in WORK/out).
no_output() {
    local label=$1 path=$2 dir
    dir=$(dirname "$path")
    if [ -e "$path" ]; then
        bad "$label: $path was left behind"
    else
        ok "$label: no output file"
    fi
    if compgen -G "$dir/*.tmp" >/dev/null || compgen -G "$WORK/out/*" >/dev/null; then
        bad "$label: files left: $(ls "$dir"/*.tmp "$WORK"/out/* 2>/dev/null | tr '\n' ' ')"
    else
        ok "$label: no temporary file left"
    fi
}

# import_fails LABEL INPUT [EXTRA_WORD]: import INPUT into WORK/out fails, naming INPUT.
import_fails() {
    local label=$1 input=$2 word=${3:-} out=$WORK/out/net.corr
    expect_fail "$label" import "$input" "$word" -- "$input" -o "$out"
    no_output "$label" "$out"
}

# ---- bad OSM input ----------------------------------------------------------------------------
import_fails "missing input" "$WORK/no-such-file.osm.pbf"

: >"$WORK/x.osm.pbf"
import_fails "empty file" "$WORK/x.osm.pbf"

head -c $(($(wc -c <"$MONACO") / 2)) "$MONACO" >"$WORK/monaco-half.osm.pbf"
import_fails "pbf cut in half" "$WORK/monaco-half.osm.pbf"

python3 - "$WORK/picture.osm.pbf" <<'EOF'
import struct, sys, zlib
def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
       + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b""))
open(sys.argv[1], "wb").write(png)
EOF
if [ "$(head -c 8 "$WORK/picture.osm.pbf" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ]; then
    ok "the PNG fixture starts with the PNG signature"
else
    bad "could not make the PNG fixture (python3?)"
fi
import_fails "PNG named .osm.pbf" "$WORK/picture.osm.pbf"

import_fails "OSM XML without a usable way" "$BAD/no_ways.osm" "no usable way"

# ---- an output that cannot be written ------------------------------------------------------------
out=$WORK/no-such-folder/net.corr
expect_fail "output in a missing folder" import "$out" "" -- "$MONACO" -o "$out"
no_output "output in a missing folder" "$out"

: >"$WORK/a-file"
out=$WORK/a-file/net.corr
expect_fail "output under a file used as a folder" import "$out" "" -- "$MONACO" -o "$out"
no_output "output under a file used as a folder" "$out"

# The tests run as root, where a chmod'ed folder is still writable; /proc takes no new files.
out=/proc/corridor-test-net.corr
expect_fail "output in /proc (read-only for everyone)" import "$out" "" -- "$MONACO" -o "$out"
no_output "output in /proc (read-only for everyone)" "$out"

# ---- a good network survives a failed import to the same path -----------------------------------
good=$WORK/good/out.corr
mkdir -p "$WORK/good"
if "$CORRIDOR" import "$MONACO" -o "$good" --quiet 2>"$WORK/stderr" && [ -s "$good" ]; then
    ok "good network: monaco imports"
    cp "$good" "$WORK/good.copy"
    expect_fail "import over a good network" import "$WORK/monaco-half.osm.pbf" "" -- \
        "$WORK/monaco-half.osm.pbf" -o "$good"
    if cmp -s "$good" "$WORK/good.copy"; then
        ok "import over a good network: the old file is unchanged"
    else
        bad "import over a good network: the old file changed or vanished"
    fi
    if compgen -G "$WORK/good/*.tmp" >/dev/null; then
        bad "import over a good network: temporary file left: $(ls "$WORK"/good/*.tmp)"
    else
        ok "import over a good network: no temporary file left"
    fi

    # ---- bad network files given to info ----------------------------------------------------
    # Flip one byte in the middle of the file; when the middle falls in the header, section
    # table or the zero padding between sections (not covered by a checksum), flip the middle
    # byte of the largest section instead. Sections: 32-byte header (section_count at 16), then
    # 48-byte entries {char name[24]; u64 offset, size; u32 elem_size, crc32}.
    where=$(python3 - "$good" "$WORK/damaged.corr" <<'EOF'
import struct, sys
data = bytearray(open(sys.argv[1], "rb").read())
count = struct.unpack_from("<I", data, 16)[0]
sections = []
for i in range(count):
    name, off, size = struct.unpack_from("<24sQQ", data, 32 + 48 * i)
    sections.append((name.rstrip(b"\0").decode(), off, size))
pos = len(data) // 2
hit = [s for s in sections if s[1] <= pos < s[1] + s[2]]
if not hit:
    s = max(sections, key=lambda s: s[2])
    pos, hit = s[1] + s[2] // 2, [s]
data[pos] ^= 0xFF
open(sys.argv[2], "wb").write(data)
print("byte %d of %d, in section %s" % (pos, len(data), hit[0][0]))
EOF
)
    if [ -s "$WORK/damaged.corr" ]; then
        ok "damaged network made: $where"
    else
        bad "could not make the damaged network (python3?)"
    fi
    expect_fail "info on a damaged network" info "$WORK/damaged.corr" checksum -- "$WORK/damaged.corr"
    expect_fail "info --json on a damaged network" info "$WORK/damaged.corr" checksum -- \
        "$WORK/damaged.corr" --json
    if [ ! -s "$WORK/stdout" ]; then
        ok "info --json on a damaged network: nothing on stdout"
    else
        bad "info --json on a damaged network: printed to stdout" "$(head -c 200 "$WORK/stdout")"
    fi

    head -c $(($(wc -c <"$good") / 2)) "$good" >"$WORK/truncated.corr"
    expect_fail "info on a truncated network" info "$WORK/truncated.corr" "" -- "$WORK/truncated.corr"
else
    bad "good network: monaco does not import; the survive and info tests cannot run" \
        "$(head -c 400 "$WORK/stderr")"
fi

expect_fail "info on a text file" info "$BAD/not_a_network.txt" "" -- "$BAD/not_a_network.txt"
expect_fail "info on a missing file" info "$WORK/no-such.corr" "" -- "$WORK/no-such.corr"
expect_fail "info on a PNG" info "$WORK/picture.osm.pbf" "" -- "$WORK/picture.osm.pbf"

# ---- usage errors: exit 2 ------------------------------------------------------------------------
usage() {
    local label=$1 rc
    shift
    "$CORRIDOR" "$@" >"$WORK/stdout" 2>"$WORK/stderr"
    rc=$?
    if [ "$rc" -eq 2 ] && [ -s "$WORK/stderr" ]; then
        ok "usage: $label: exit 2 with a message"
    else
        bad "usage: $label: exit $rc, want 2 and a message on stderr" "$(head -c 300 "$WORK/stderr")"
    fi
}
usage "no arguments"
usage "unknown command" frobnicate
usage "import, unknown option" import --no-such-option "$MONACO" -o "$WORK/out/net.corr"
usage "import, missing -o" import "$MONACO"
usage "import, no input" import -o "$WORK/out/net.corr"
usage "import, bad --modes" import "$MONACO" -o "$WORK/out/net.corr" --modes road,air
usage "info, no file" info
usage "info, unknown option" info --no-such-option "$WORK/good/out.corr"
no_output "usage errors" "$WORK/out/net.corr"

finish
