#!/bin/sh
# bench/scan.sh -- build and run the scanner benchmark (bench/scan_bench.c)
# over the Apache manual (Debian apache2-doc), single core, in memory.
# Why a script: it is not part of make check (timings are not tests); it
# builds with -O2 into a temporary directory, never into the source tree.
# Usage: bench/scan.sh [DIR]   (default /usr/share/doc/apache2-doc/manual),
# then the synthetic page of bench/run (bench/gen_page.py).
set -e
src=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:-/usr/share/doc/apache2-doc/manual}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# The scanner: the sri_scan* files of the core's html folder (no APR).
${CC:-cc} -O2 -I"$src/mod_sri/core" -o "$tmp/scan_bench" "$src/bench/scan_bench.c" \
    "$src"/mod_sri/core/html/sri_scan*.c
# One thread; the figures are its CPU time, so other load matters little
# (but a busy sibling hyperthread does: run on a quiet machine).
echo "== $dir"
find "$dir" -type f -name '*.html*' | sort | "$tmp/scan_bench" -
# The link-dense synthetic page that bench/run serves (and proxies): its
# 65-byte links are the kind of tag the manual has few of.
if command -v python3 >/dev/null 2>&1; then
    python3 "$src/bench/gen_page.py" "$tmp/page.html" "$tmp/urls.txt"
    echo "== synthetic page (bench/gen_page.py)"
    "$tmp/scan_bench" "$tmp/page.html"
fi
