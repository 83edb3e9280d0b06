#!/bin/sh
# bench/scan.sh -- build and run the scanner benchmark (bench/scan_bench.c)
# over the Apache manual (Debian apache2-doc), single core, in memory.
# Why a script: it is not part of make check (timings are not tests); it
# builds with -O2 into a temporary directory, never into the source tree.
# Usage: bench/scan.sh [DIR]   (default /usr/share/doc/apache2-doc/manual)
set -e
src=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:-/usr/share/doc/apache2-doc/manual}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
${CC:-cc} -O2 -I"$src/mod_sri" -o "$tmp/scan_bench" "$src/bench/scan_bench.c" \
    "$src/mod_sri/sri_scan.c" "$src/mod_sri/sri_scan_text.c" \
    "$src/mod_sri/sri_scan_report.c" "$src/mod_sri/sri_scan_tree.c"
# One thread; the figures are its CPU time, so other load matters little
# (but a busy sibling hyperthread does: run on a quiet machine).
find "$dir" -type f -name '*.html*' | sort | "$tmp/scan_bench" -
