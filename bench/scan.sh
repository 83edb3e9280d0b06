#!/bin/sh
# bench/scan.sh -- build and run the scanner benchmark (bench/scan_bench.c)
# over the Apache manual (Debian apache2-doc), single core, in memory.
# Why a script: it is not part of make check (timings are not tests); it
# builds with -O2 into a temporary directory, never into the source tree.
# Usage: bench/scan.sh [DIR]   (default /usr/share/doc/apache2-doc/manual),
# then the synthetic page of bench/run (bench/gen_page.py).
#        bench/scan.sh -a REV [-n ROUNDS] [DIR]
# compares this tree's scanner with the one of git revision REV: the two
# builds take turns ROUNDS times (default 7) over the same corpus, and each
# pair is printed with its ratio, then the median ratio.  Why: on a shared
# machine the figures move by a third from minute to minute, so only runs
# taken side by side say whether a change helps.
set -e
src=$(cd "$(dirname "$0")/.." && pwd)
rev= rounds=7
while getopts a:n: opt; do
    case $opt in
    a) rev=$OPTARG ;;
    n) rounds=$OPTARG ;;
    *) echo "usage: bench/scan.sh [-a REV [-n ROUNDS]] [DIR]" >&2; exit 2 ;;
    esac
done
shift $((OPTIND - 1))
dir=${1:-/usr/share/doc/apache2-doc/manual}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# The scanner: the sri_scan* files of the core's html folder (no APR).
${CC:-cc} -O2 -I"$src/mod_sri/core" -o "$tmp/scan_bench" "$src/bench/scan_bench.c" \
    "$src"/mod_sri/core/html/sri_scan*.c
find "$dir" -type f -name '*.html*' | sort > "$tmp/files"

if [ -n "$rev" ]; then
    # REV's scanner, with this tree's harness (its API is unchanged).
    mkdir "$tmp/rev"
    git -C "$src" archive "$rev" mod_sri/core | tar -x -C "$tmp/rev"
    ${CC:-cc} -O2 -I"$tmp/rev/mod_sri/core" -o "$tmp/scan_rev" \
        "$src/bench/scan_bench.c" "$tmp/rev"/mod_sri/core/html/sri_scan*.c
    echo "== $dir: one buffer, MB/s, $rev and this tree taking turns"
    echo "$(printf '%-12s' "$rev") this tree   ratio"
    i=0
    while [ "$i" -lt "$rounds" ]; do
        a=$("$tmp/scan_rev" - < "$tmp/files" | awk '/one buffer/ {print $4}')
        b=$("$tmp/scan_bench" - < "$tmp/files" | awk '/one buffer/ {print $4}')
        echo "$a $b" | awk '{printf "%-12s %-12s %.3f\n", $1, $2, $2 / $1}'
        i=$((i + 1))
    done > "$tmp/pairs"
    cat "$tmp/pairs"
    sort -n -k3 "$tmp/pairs" | awk '{r[NR] = $3} END {
        printf "median ratio (this tree / %s): %.3f over %d pairs\n",
               rev, (NR % 2) ? r[(NR + 1) / 2] : (r[NR / 2] + r[NR / 2 + 1]) / 2, NR
    }' rev="$rev"
    exit 0
fi

# One thread; the figures are its CPU time, so other load matters little
# (but a busy sibling hyperthread does: run on a quiet machine).
echo "== $dir"
"$tmp/scan_bench" - < "$tmp/files"
# The link-dense synthetic page that bench/run serves (and proxies): its
# 65-byte links are the kind of tag the manual has few of.
if command -v python3 >/dev/null 2>&1; then
    python3 "$src/bench/gen_page.py" "$tmp/page.html" "$tmp/urls.txt"
    echo "== synthetic page (bench/gen_page.py)"
    "$tmp/scan_bench" "$tmp/page.html"
fi
