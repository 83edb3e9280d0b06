#!/bin/sh
# tests/fuzz/check.sh -- `make check` runs every fuzz target briefly
# (FUZZ_SECONDS, default 3 s each); `make fuzz` runs them long.
exec "$(dirname "$0")/run.sh" "${FUZZ_SECONDS:-3}"
