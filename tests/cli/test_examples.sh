#!/usr/bin/env bash
# Proof for library users: installs the build into a scratch prefix, compiles every examples/*.c
# against the installed library through pkg-config, shared and then static, and runs them.
#   shared: cc -std=c17 -Wall -Wextra -Werror EX.c $(pkg-config --cflags --libs corridor)
#   static: the same against a copy of the prefix without libcorridor.so, with
#           $(pkg-config --static --cflags --libs corridor); ldd must not list libcorridor.so and
#           the binary must define cr_version itself
# Also: only include/corridor/*.h is installed, and each public header compiles on its own (C17,
# -pedantic; and as C++17 when a C++ compiler is there).
# Runs: version (no arguments, exit 0: the library and the headers agree); import (Monaco, which
# must give the same bytes as the installed `corridor import`); route, when examples/route.c
# exists (the Monaco network and two points in Monaco, 7.4189,43.7318 and 7.4302,43.7429).
#
# Run by ctest with BUILD (the build folder), CORRIDOR, SRC, WORK (a scratch folder this script
# empties) and SANITIZE. Under the sanitizer build it is skipped (exit 77): libcorridor's
# objects there need -fsanitize at every link and the ASan runtime first in a program, so a plain
# `cc $(pkg-config ...)` cannot link them; the dev build runs it. LINK_FLAGS (the build's
# CMAKE_EXE_LINKER_FLAGS: --coverage in the coverage build) are added to every link.
set -u

SRC=${SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
BUILD=${BUILD:-$SRC/build/dev}
WORK=${WORK:-${TMPDIR:-/tmp}/corridor-test-examples}
CC=${CC:-cc}
CXX=${CXX:-c++}
LINK_FLAGS=${LINK_FLAGS:-}
MONACO=$SRC/datasets/osrm-monaco.osm.pbf
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

case ${SANITIZE:-0} in
1 | ON | on | TRUE | true)
    echo "skipped: a sanitizer build (its objects need -fsanitize at link); the dev build runs this"
    exit 77
    ;;
esac
for tool in cmake pkg-config ldd nm "$CC"; do
    command -v "$tool" >/dev/null || { bad "$tool is missing"; finish; }
done
make_scratch

prefix=$WORK/prefix
static=$WORK/prefix-static
if ! cmake --install "$BUILD" --prefix "$prefix" >"$WORK/install.log" 2>&1; then
    bad "cmake --install $BUILD --prefix $prefix" "$(tail -n 5 "$WORK/install.log")"
    finish
fi
ok "installed into $prefix"

# Only the public headers: include/corridor/*.h and the generated version.h.
want=$( (cd "$SRC/include" && ls corridor/*.h; echo corridor/version.h) | sort -u)
got=$(cd "$prefix/include" && find . -type f | sed 's|^\./||' | sort)
if [ "$want" = "$got" ]; then
    ok "installed headers: include/corridor only ($(echo "$got" | wc -l) files)"
else
    bad "installed headers differ from include/corridor" "$(diff <(echo "$want") <(echo "$got") | head -n 10)"
fi
for h in "$prefix"/include/corridor/*.h; do
    name=corridor/$(basename "$h")
    printf '#include <%s>\nint header_test;\n' "$name" >"$WORK/header.c"
    if $CC -std=c17 -pedantic -Wall -Wextra -Werror -I"$prefix/include" -fsyntax-only \
        "$WORK/header.c" 2>"$WORK/header.err"; then
        ok "$name compiles alone (C17)"
    else
        bad "$name compiles alone (C17)" "$(head -n 5 "$WORK/header.err")"
    fi
    if command -v "$CXX" >/dev/null; then
        cp "$WORK/header.c" "$WORK/header.cpp"
        if $CXX -std=c++17 -pedantic -Wall -Wextra -Werror -I"$prefix/include" -fsyntax-only \
            "$WORK/header.cpp" 2>"$WORK/header.err"; then
            ok "$name compiles alone (C++17)"
        else
            bad "$name compiles alone (C++17)" "$(head -n 5 "$WORK/header.err")"
        fi
    fi
done

# The static prefix: the same files without the shared library, so -lcorridor can only be
# libcorridor.a.
cp -a "$prefix" "$static" && rm -f "$static"/lib*/libcorridor.so* "$static"/lib/*/libcorridor.so*
pc_shared=$(find "$prefix" -name corridor.pc -printf '%h\n' | head -n 1)
pc_static=$(find "$static" -name corridor.pc -printf '%h\n' | head -n 1)
libdir=$(cd "$(PKG_CONFIG_PATH=$pc_shared pkg-config --variable=libdir corridor)" 2>/dev/null && pwd -P)
if [ -z "$pc_shared" ] || ! PKG_CONFIG_PATH=$pc_shared pkg-config --exists corridor; then
    bad "pkg-config finds corridor.pc in $prefix"
    finish
fi
ok "pkg-config finds corridor $(PKG_CONFIG_PATH=$pc_shared pkg-config --modversion corridor)"

# build NAME: examples/NAME.c into $WORK/NAME-shared and $WORK/NAME-static, each checked.
build() {
    local name=$1 src=$SRC/examples/$1.c flags
    flags=$(PKG_CONFIG_PATH=$pc_shared pkg-config --cflags --libs corridor)
    # shellcheck disable=SC2086 # pkg-config's output is a list of words
    if $CC -std=c17 -Wall -Wextra -Werror "$src" -o "$WORK/$name-shared" $flags $LINK_FLAGS \
        -Wl,-rpath,"$libdir" 2>"$WORK/cc.err"; then
        if ldd "$WORK/$name-shared" | grep -q "libcorridor\.so.* => $libdir/libcorridor"; then
            ok "$name: shared build, linked to $libdir/libcorridor.so"
        else
            bad "$name: shared build does not load the installed libcorridor.so" "$(ldd "$WORK/$name-shared" | grep corridor)"
        fi
    else
        bad "$name: shared build" "$(head -n 5 "$WORK/cc.err")"
    fi
    flags=$(PKG_CONFIG_PATH=$pc_static pkg-config --static --cflags --libs corridor)
    # shellcheck disable=SC2086
    if $CC -std=c17 -Wall -Wextra -Werror "$src" -o "$WORK/$name-static" $flags $LINK_FLAGS \
        2>"$WORK/cc.err"; then
        if ldd "$WORK/$name-static" | grep -q libcorridor; then
            bad "$name: static build still loads libcorridor.so" "$(ldd "$WORK/$name-static" | grep corridor)"
        elif ! nm "$WORK/$name-static" | grep -q ' T cr_version$\| T cr_osm_import$\| T cr_'; then
            bad "$name: static build defines no cr_ function (libcorridor.a not linked in?)"
        else
            ok "$name: static build, libcorridor.a linked in ($(nm "$WORK/$name-static" | grep -c ' [Tt] cr_') cr_ functions, no libcorridor.so)"
        fi
    else
        bad "$name: static build" "$(grep -v 'warning' "$WORK/cc.err" | head -n 5)"
    fi
}

# runs LABEL CMD...: CMD exits 0 (stdout in $WORK/stdout, stderr in $WORK/stderr).
runs() {
    local label=$1
    shift
    if exits "$label" 0 "$@"; then
        ok "$label"
        return 0
    fi
    return 1
}

n=0
for src in "$SRC"/examples/*.c; do
    build "$(basename "$src" .c)"
    n=$((n + 1))
done
[ "$n" -gt 0 ] || bad "no examples/*.c"

# version: the library linked and the headers agree, shared and static.
want="corridor $("$prefix/bin/corridor" --version | sed 's/^corridor //') (headers "
for kind in shared static; do
    if runs "version ($kind)" "$WORK/version-$kind"; then
        grep -qF "$want" "$WORK/stdout" && ok "version ($kind): $(cat "$WORK/stdout")" ||
            bad "version ($kind): want '$want...'" "$(cat "$WORK/stdout")"
    fi
done

# The network the route example reads, made by the installed command.
net=$WORK/monaco.corr
if ! exits "installed corridor import" 0 "$prefix/bin/corridor" import "$MONACO" -o "$net" --quiet; then
    finish
fi
ok "installed corridor import: $net"

# import: the library call gives the same network as the command.
if [ -f "$SRC/examples/import.c" ]; then
    for kind in shared static; do
        runs "import ($kind)" "$WORK/import-$kind" "$MONACO" "$WORK/import-$kind.corr" &&
            { cmp -s "$net" "$WORK/import-$kind.corr" && ok "import ($kind): same bytes as corridor import" ||
                bad "import ($kind): differs from corridor import's $net"; }
    done
fi

# route: two points in Monaco must route.
if [ -f "$SRC/examples/route.c" ]; then
    for kind in shared static; do
        if runs "route ($kind)" "$WORK/route-$kind" "$net" 7.4189,43.7318 7.4302,43.7429; then
            [ -s "$WORK/stdout" ] && ok "route ($kind): $(head -c 200 "$WORK/stdout" | tr '\n' ' ')" ||
                bad "route ($kind): printed nothing"
        fi
    done
    cmp -s <("$WORK/route-shared" "$net" 7.4189,43.7318 7.4302,43.7429 2>&1) \
        <("$WORK/route-static" "$net" 7.4189,43.7318 7.4302,43.7429 2>&1) &&
        ok "route: shared and static print the same" || bad "route: shared and static differ"
else
    echo "note: no examples/route.c yet (the session branch adds it)"
fi
finish
