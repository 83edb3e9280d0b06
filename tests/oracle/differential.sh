#!/bin/sh
# differential.sh -- TAP wrapper for differential.mjs (the scanner against
# parse5).  Why a wrapper: make check runs shell tests; this one finds node,
# installs parse5 from the committed package-lock.json into the BUILD tree
# (npm ci, only when it is not there yet), and skips with a message when node
# or the package cannot be had.
srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
builddir=${top_builddir:-.}
here=$builddir/tests/oracle
mark=$here/scan_mark

if ! command -v node >/dev/null 2>&1; then
    echo "1..0 # SKIP node not installed"; exit 0
fi
if [ ! -x "$mark" ]; then
    echo "1..0 # SKIP $mark not built"; exit 0
fi
mkdir -p "$here"
if [ ! -f "$here/node_modules/parse5/dist/index.js" ]; then
    cp "$srcdir/tests/oracle/package.json" "$srcdir/tests/oracle/package-lock.json" "$here/" &&
    (cd "$here" && npm ci --no-audit --no-fund --loglevel=error >npm-ci.log 2>&1)
    if [ ! -f "$here/node_modules/parse5/dist/index.js" ]; then
        echo "1..0 # SKIP parse5 unavailable (npm ci failed, see $here/npm-ci.log)"; exit 0
    fi
fi
exec node "$srcdir/tests/oracle/differential.mjs" \
    "$here/node_modules/parse5/dist/index.js" "$mark" "$srcdir" \
    "$srcdir/../shared/html5lib-tests/tree-construction" \
    /usr/share/doc/apache2-doc/manual
