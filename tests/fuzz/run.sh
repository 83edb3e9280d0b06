#!/bin/sh
# tests/fuzz/run.sh -- build and run every libFuzzer target tests/fuzz/fuzz_*.c.
#
# Why: one script for all fuzz targets (the scanner's, the URL parser's, the
# registry's, ...) so `make check` can run each briefly and `make fuzz` long,
# with the same build.  Prints TAP, one line per target.
#
# Usage: tests/fuzz/run.sh [SECONDS]     (default 10 per target)
#   FUZZ_RUNS=N      stop each target after N executions (SECONDS stays the
#                    time cap), e.g. FUZZ_RUNS=10000000 tests/fuzz/run.sh 7200
#   FUZZ_ONLY="fuzz_url fuzz_scan"   run only these targets
#   FUZZ_CFLAGS=...  more compiler flags, e.g. -DSRI_SCAN_NO_AVX2 to fuzz the
#                    scanner's SSE2 lane on a CPU that would take the AVX2
#                    one (use a FUZZ_BUILDDIR of its own)
#
# Each target is built with clang -fsanitize=fuzzer,address,undefined into a
# build directory (FUZZ_BUILDDIR, else $top_builddir/tests/fuzz, else a
# temporary one) -- never into the source tree.  Every target links the
# whole core library, compiled once here from its folder (mod_sri/core, no
# httpd header) with the same instrumentation.  APR, OpenSSL and libidn2
# flags come from apr-1-config / pkg-config when available.  Seeds:
# tests/fuzz/corpus/fuzz_NAME/ or tests/fuzz/corpus/NAME/, and for
# fuzz_scan tests/oracle/cases/ too (read only; new inputs go to a scratch
# corpus in the build directory).
secs=${1:-10}
src=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
CLANG=${CLANG:-clang}

targets=$(ls "$src"/tests/fuzz/fuzz_*.c 2>/dev/null)
if ! command -v "$CLANG" >/dev/null 2>&1; then
    echo "1..0 # SKIP clang not found (needed for libFuzzer)"; exit 0
fi
if [ -z "$targets" ]; then
    echo "1..0 # SKIP no fuzz targets"; exit 0
fi

if [ -n "$FUZZ_BUILDDIR" ]; then out=$FUZZ_BUILDDIR
elif [ -n "$top_builddir" ]; then out=$top_builddir/tests/fuzz
else out=$(mktemp -d); trap 'rm -rf "$out"' EXIT
fi
mkdir -p "$out"

cflags="-g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -I$src/mod_sri/core $FUZZ_CFLAGS"
libs=""
if command -v apr-1-config >/dev/null 2>&1; then
    cflags="$cflags $(apr-1-config --cppflags --includes)"
    libs="$libs $(apr-1-config --link-ld)"
fi
if command -v apu-1-config >/dev/null 2>&1; then
    cflags="$cflags $(apu-1-config --includes)"
    libs="$(apu-1-config --link-ld) $libs"
fi
if pkg-config --exists libcrypto 2>/dev/null; then
    cflags="$cflags $(pkg-config --cflags libcrypto)"
    libs="$libs $(pkg-config --libs libcrypto)"
fi
if pkg-config --exists libidn2 2>/dev/null; then
    cflags="$cflags $(pkg-config --cflags libidn2)"
    libs="$libs $(pkg-config --libs libidn2)"
else
    libs="$libs -lidn2"
fi

# The core library, instrumented: one object per core source, rebuilt when
# the source or any core header is newer.
core=$out/core
mkdir -p "$core"
newest_h=$(ls -t "$src"/mod_sri/core/*.h "$src"/mod_sri/core/*/*.h | head -1)
core_ok=1
objs=""
for c in "$src"/mod_sri/core/*/*.c; do
    o=$core/$(basename "$c" .c).o
    objs="$objs $o"
    if [ ! -f "$o" ] || [ "$c" -nt "$o" ] || [ "$newest_h" -nt "$o" ]; then
        # shellcheck disable=SC2086
        "$CLANG" $cflags -c -o "$o" "$c" >>"$core/build.log" 2>&1 || { core_ok=0; rm -f "$o"; }
    fi
done

n=0
set -- $targets
echo "1..$#"
for t in $targets; do
    n=$((n + 1))
    name=$(basename "$t" .c)
    if [ -n "${FUZZ_ONLY:-}" ] && ! printf ' %s ' "$FUZZ_ONLY" | grep -q " $name "; then
        echo "ok $n - $name # SKIP not in FUZZ_ONLY"
        continue
    fi
    if [ "$core_ok" != 1 ]; then
        echo "not ok $n - $name: core library build failed"
        sed 's/^/# /' "$core/build.log" | tail -20
        continue
    fi
    # Relink only when the target or a core object changed.
    stale=1
    if [ -x "$out/$name" ]; then
        stale=0
        for f in "$t" $objs; do
            [ "$f" -nt "$out/$name" ] && stale=1
        done
    fi
    # shellcheck disable=SC2086
    if [ "$stale" = 1 ] &&
       ! "$CLANG" $cflags -o "$out/$name" "$t" $objs $libs >"$out/$name.build.log" 2>&1; then
        rm -f "$out/$name"
        echo "not ok $n - $name: build failed"
        sed 's/^/# /' "$out/$name.build.log" | head -20
        continue
    fi
    work=$out/$name.corpus
    mkdir -p "$work"
    seeds=$src/tests/fuzz/corpus/$name                  # corpus/fuzz_x/
    [ -d "$seeds" ] || seeds=$src/tests/fuzz/corpus/${name#fuzz_}   # corpus/x/
    [ -d "$seeds" ] || seeds=
    # the scanner also starts from the pages parse5 checks it against
    [ "$name" = fuzz_scan ] && seeds="$seeds $src/tests/oracle/cases"
    if "$out/$name" -max_total_time="$secs" ${FUZZ_RUNS:+-runs=$FUZZ_RUNS} \
            -timeout=10 -rss_limit_mb=2048 \
            -print_final_stats=1 -artifact_prefix="$out/$name-" \
            "$work" $seeds >"$out/$name.log" 2>&1; then
        runs=$(sed -n 's/^stat::number_of_executed_units:[[:space:]]*//p' "$out/$name.log")
        echo "ok $n - $name: ${runs:-?} runs (cap ${secs} s${FUZZ_RUNS:+, ${FUZZ_RUNS} runs})"
    else
        echo "not ok $n - $name: see $out/$name.log"
        grep -E 'ERROR|SUMMARY|==[0-9]+==|artifact' "$out/$name.log" | head -20 | sed 's/^/# /'
    fi
done
exit 0
