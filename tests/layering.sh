#!/usr/bin/env bash
# Checks DESIGN.md's arrows: each folder includes headers only from the folders it may use.
set -u
root=$1
declare -A allowed=(
    [core]="core corridor"
    [importers]="core importers corridor"
    [routing]="core routing corridor"
    [planning]="core importers routing planning corridor"
    [render]="core importers render corridor"
    [server]="core importers routing planning render server corridor"
    [cli]="core importers routing planning render server cli corridor"
)
bad=0
for dir in "${!allowed[@]}"; do
    [ -d "$root/$dir" ] || continue
    while IFS= read -r line; do
        file=${line%%:*}
        inc=$(sed -E 's/.*#include "([a-z_]+)\/.*/\1/' <<<"$line")
        case " ${allowed[$dir]} " in
        *" $inc "*) ;;
        *) echo "layering: $file includes $inc/ (allowed: ${allowed[$dir]})"; bad=1 ;;
        esac
    done < <(grep -rHE '^#include "[a-z_]+/' "$root/$dir" --include='*.c' --include='*.h' --include='*.cpp' | sed -E 's/^([^:]+):[0-9]*:?/\1:/')
done
if [ $bad -ne 0 ]; then
    echo "1 failed: layering"
    exit 1
fi
echo "layering: all includes follow DESIGN.md's arrows"
