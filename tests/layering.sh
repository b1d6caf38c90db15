#!/usr/bin/env bash
# Checks docs/ARCHITECTURE.md's arrows: each folder includes headers only from the folders it
# may use, and every folder may include the public headers, "corridor/x.h" (include/corridor/).
# The build enforces the same arrows at link time (cr_link_check in CMakeLists.txt).
set -u
root=$1
declare -A allowed=(
    [core]="core"
    [spatial]="core spatial"
    [importers]="core spatial importers"
    [routing]="core routing"
    [planning]="core spatial importers routing planning"
    [render]="core spatial render"
    [server]="core spatial importers routing planning render server"
    [cli]="core spatial importers routing planning render server cli"
)
bad=0
for dir in "${!allowed[@]}"; do
    [ -d "$root/$dir" ] || continue
    while IFS= read -r line; do
        file=${line%%:*}
        inc=$(sed -E 's/.*#include "([a-z_]+)\/.*/\1/' <<<"$line")
        case " ${allowed[$dir]} corridor " in
        *" $inc "*) ;;
        *) echo "layering: $file includes $inc/ (allowed: ${allowed[$dir]}, corridor)"; bad=1 ;;
        esac
    done < <(grep -rHE '^#include "[a-z_]+/' "$root/$dir" --include='*.c' --include='*.h' --include='*.cpp' | sed -E 's/^([^:]+):[0-9]*:?/\1:/')
done
# The public headers include only each other and the C library: no internal header, and no
# GEOS, GDAL, PROJ, Cairo, jansson or libmicrohttpd header (a user sees opaque types).
std='assert|errno|float|inttypes|limits|math|stdarg|stdbool|stddef|stdint|stdio|stdlib|string|time'
while IFS= read -r line; do
    echo "layering: ${line%%:*} is public and includes ${line#*:}"
    bad=1
done < <(grep -rHE '^#[[:space:]]*include' "$root/include/corridor" |
    grep -vE "#include (\"corridor/[a-z_]+\.h\"|<($std)\.h>)")
# examples/ are programs of a library user: the public headers and the C library only.
while IFS= read -r line; do
    echo "layering: ${line%%:*} is an example and includes ${line#*:}"
    bad=1
done < <(grep -rHE '^#[[:space:]]*include' "$root/examples" --include='*.c' |
    grep -vE "#include ([\"<]corridor/[a-z_]+\.h[\">]|<($std)\.h>)")
if [ $bad -ne 0 ]; then
    echo "1 failed: layering"
    exit 1
fi
echo "layering: all includes follow docs/ARCHITECTURE.md's arrows"
