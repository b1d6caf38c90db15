#!/usr/bin/env bash
# Files and functions short enough to read in one sitting: no library or command .c/.cpp file
# over 1000 lines and no function over 120 lines (from its opening brace at column 0 to its
# closing one), unless a comment with "size:" in the file (for a file) or in the ten lines
# above the function (for a function) says why.
# Usage: tests/size.sh ROOT   (exit 1 listing each offender)
set -u
root=${1:-.}
max_file=1000
max_fn=120
bad=0
for dir in core spatial importers routing planning render server cli; do
    [ -d "$root/$dir" ] || continue
    while IFS= read -r f; do
        lines=$(wc -l <"$f")
        if [ "$lines" -gt $max_file ] && ! grep -q 'size:' "$f"; then
            echo "size: ${f#"$root"/} has $lines lines (at most $max_file, or a \"size:\" comment saying why)"
            bad=1
        fi
        out=$(awk -v max=$max_fn -v file="${f#"$root"/}" '
            { hist[NR % 12] = $0 }
            /^\{/ && last ~ /^(class|struct|union|enum|namespace)[ \t]/ { last = $0; next } # a C++ class body
            /^\{/ { start = NR; name = prev; why = 0
                    for (i = 1; i <= 11; i++) if (hist[(NR - i + 12) % 12] ~ /size:/) why = 1 }
            /^\}/ && start { n = NR - start + 1
                    if (n > max && !why) printf "size: %s:%d: %s is %d lines (at most %d, or a \"size:\" comment above it saying why)\n", file, start, name, n, max
                    start = 0 }
            { if ($0 ~ /^[A-Za-z_][A-Za-z0-9_]*\(/) prev = $0; last = $0 }
        ' "$f")
        if [ -n "$out" ]; then
            echo "$out"
            bad=1
        fi
    done < <(find "$root/$dir" -name '*.c' -o -name '*.cpp' | sort)
done
if [ $bad -ne 0 ]; then
    echo "1 failed: size"
    exit 1
fi
echo "size: every file within $max_file lines and every function within $max_fn"
