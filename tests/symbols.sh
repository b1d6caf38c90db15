#!/usr/bin/env bash
# libcorridor.so exports exactly the functions the public headers declare with CR_API: a
# function declared in include/corridor/*.h (or version.h.in) without CR_API is missing from the
# library, and a symbol exported but declared nowhere public is an internal that leaked.
# Usage: tests/symbols.sh LIBCORRIDOR_SO INCLUDE_DIR   (a ctest; exit 1 listing each difference)
set -u
lib=$1
inc=$2
bad=0
for tool in nm perl; do
    command -v $tool >/dev/null || { echo "symbols: $tool is missing"; exit 1; }
done
[ -f "$lib" ] || { echo "symbols: no library at $lib"; exit 1; }

# Declared: every "CR_API ... name(" outside comments and #define lines.
declared=$(perl -0777 -ne '
    s{/\*.*?\*/}{ }gs; s{//[^\n]*}{}g; s{^[ \t]*#[^\n]*(\\\n[^\n]*)*}{}gm;
    print "$1\n" while /\bCR_API\b[^;{}]*?\b([A-Za-z_]\w*)\s*\(/gs;
' "$inc"/*.h "$inc"/*.h.in | sort -u)
exported=$(nm -D --defined-only "$lib" | awk '{ print $NF }' | sort -u)

while IFS= read -r s; do
    [ -n "$s" ] || continue
    echo "symbols: $s is declared CR_API in $inc but libcorridor does not export it"
    bad=1
done < <(comm -23 <(echo "$declared") <(echo "$exported"))
while IFS= read -r s; do
    [ -n "$s" ] || continue
    echo "symbols: libcorridor exports $s, which no public header declares CR_API (a leaked internal, or a CR_API in an internal header)"
    bad=1
done < <(comm -13 <(echo "$declared") <(echo "$exported"))

n=$(echo "$declared" | grep -c .)
if [ $bad -ne 0 ]; then
    echo "1 failed: symbols"
    exit 1
fi
echo "symbols: libcorridor exports exactly the $n CR_API functions of include/corridor"
