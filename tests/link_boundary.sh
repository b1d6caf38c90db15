#!/usr/bin/env bash
# Proves that the build enforces the arrows of docs/ARCHITECTURE.md: in a scratch copy of the
# tree, a call against an arrow must fail to link (the folder's corridor_<folder>_linkcheck
# shared object, linked with --no-undefined against only the folders it may use; see
# cr_link_check in CMakeLists.txt), and a call along an arrow must link.
#
# Run by ctest with SRC (the repository) and WORK (a scratch folder this script empties). The
# calls go to functions this script adds itself (zz_*.c), so renames elsewhere cannot break it:
#   core -> routing      must fail (core links libc and PROJ only)
#   routing -> planning  must fail (routing links core only)
#   routing -> core      must link
# Builds only core and routing, without optimisation: about a minute on 2 cores.
set -u

SRC=${SRC:-$(cd "$(dirname "$0")/.." && pwd)}
WORK=${WORK:-${TMPDIR:-/tmp}/corridor-test-link-boundary}
# shellcheck source=cli/lib.sh
. "$(dirname "$0")/cli/lib.sh"

make_scratch tree
tar -C "$SRC" --exclude=./build --exclude=./.git --exclude=./datasets --exclude=./out -cf - . |
    tar -C "$WORK/tree" -xf - || { bad "copy $SRC to $WORK/tree"; finish; }
if ! cmake -S "$WORK/tree" -B "$WORK/build" -DBUILD_TESTING=OFF -DCMAKE_BUILD_TYPE= \
    -DCORRIDOR_SANITIZE=OFF >"$WORK/configure.log" 2>&1; then
    bad "configure the scratch copy" "$(tail -n 5 "$WORK/configure.log")"
    finish
fi

# target FOLDER NAME: FOLDER/zz_target.c defines NAME.
target() {
    printf 'void %s(void);\nvoid\n%s(void)\n{\n}\n' "$2" "$2" >"$WORK/tree/$1/zz_target_$2.c"
}
# caller FOLDER NAME: FOLDER/zz_caller.c calls NAME.
caller() {
    printf 'void %s(void);\nvoid cr_zz_caller(void);\nvoid\ncr_zz_caller(void)\n{\n    %s();\n}\n' \
        "$2" "$2" >"$WORK/tree/$1/zz_caller.c"
}
# build FOLDER: builds corridor_FOLDER_linkcheck; output in $WORK/build.log.
build() {
    cmake --build "$WORK/build" --target "corridor_$1_linkcheck" -j 2 >"$WORK/build.log" 2>&1
}

target routing cr_zz_in_routing
target planning cr_zz_in_planning
target core cr_zz_in_core

caller core cr_zz_in_routing
if build core; then
    bad "core -> routing: linked, want an undefined reference"
elif grep -q "undefined reference to .cr_zz_in_routing" "$WORK/build.log"; then
    ok "core -> routing: undefined reference, the build fails"
else
    bad "core -> routing: failed for another reason" "$(grep -m 3 -i error "$WORK/build.log")"
fi
rm -f "$WORK/tree/core/zz_caller.c"

caller routing cr_zz_in_planning
if build routing; then
    bad "routing -> planning: linked, want an undefined reference"
elif grep -q "undefined reference to .cr_zz_in_planning" "$WORK/build.log"; then
    ok "routing -> planning: undefined reference, the build fails"
else
    bad "routing -> planning: failed for another reason" "$(grep -m 3 -i error "$WORK/build.log")"
fi

caller routing cr_zz_in_core
if build routing; then
    ok "routing -> core: links"
else
    bad "routing -> core: does not link" "$(grep -m 3 -i error "$WORK/build.log")"
fi
finish
