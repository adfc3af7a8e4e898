#!/usr/bin/env bash
# two_bundles_nm.sh - generated bundles can share one program: no global
# symbol is defined by two of them, and each defines only names of its own
# (`prefix_...` or `PREFIX_...`), so it cannot clash with the next bundle
# either.
#
#   tests/two_bundles_nm.sh LIBDIR/libcorehr.a LIBDIR/libfeat.a ...
#
# The prefix of libNAME.a is NAME. Weak definitions (inline functions in
# headers, merged by the linker) and compiler names (`__...`, e.g. the
# sanitizers') are left out. Prints the number of symbols per library;
# exits 1 listing every duplicate or foreign name.
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: $0 LIB.a LIB.a..." >&2; exit 2; }
all=$(mktemp)
trap 'rm -f "$all"' EXIT
bad=0
for lib in "$@"; do
    prefix=$(basename "$lib" .a)
    prefix=${prefix#lib}
    upper=$(printf '%s' "$prefix" | tr '[:lower:]' '[:upper:]')
    # posix format: NAME TYPE [VALUE SIZE]; member headers end with ':'
    syms=$(nm -g --defined-only --format=posix "$lib" |
        awk 'NF >= 2 && $1 !~ /:$/ && $2 ~ /^[A-Z]$/ && $2 !~ /^[WVU]$/ && $1 !~ /^__/ {print $1}' |
        sort -u)
    n=$(printf '%s\n' "$syms" | grep -c . || true)
    if [ "$n" -eq 0 ]; then
        echo "two_bundles_nm: $lib defines no global symbol (not a bundle library?)" >&2
        bad=1
        continue
    fi
    foreign=$(printf '%s\n' "$syms" | grep -v -e "^${prefix}_" -e "^${upper}_" || true)
    if [ -n "$foreign" ]; then
        echo "two_bundles_nm: $lib defines names without its prefix ${prefix}_:" >&2
        printf '%s\n' "$foreign" | sed 's/^/  /' >&2
        bad=1
    fi
    printf '%s\n' "$syms" | sed "s|\$| $prefix|" >> "$all"
    printf 'two_bundles_nm: %-12s %5d global symbols\n' "$prefix" "$n"
done
dups=$(awk '{print $1}' "$all" | sort | uniq -d)
if [ -n "$dups" ]; then
    echo "two_bundles_nm: defined by more than one bundle:" >&2
    for s in $dups; do
        echo "  $s: $(awk -v s="$s" '$1 == s {printf "%s ", $2}' "$all")" >&2
    done
    bad=1
fi
[ "$bad" -eq 0 ] && echo "two_bundles_nm: $# bundles, $(wc -l < "$all") symbols, no duplicate"
exit "$bad"
