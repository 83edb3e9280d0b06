#!/usr/bin/env bash
# tests/tool/permissions.sh -- sri-registry refuses a registry that every
# local user could change (world-writable file, or world-writable directory
# without the sticky bit), and loses nothing when it refuses.
. "${top_srcdir:?run me through make check}/tests/lib.sh" || exit 1
[ -x "$SRI_TOOL" ] || skip_all "tool not built: $SRI_TOOL"

make_tmp
TA="sha384-oqVuAfXRKap7fdgcCY5uykM6+R9GqQ8K/uxy9rx7HNQlGYl1kPzQho1wx4JwY8wC"
mkdir -p "$T/safe"; chmod 755 "$T/safe"
reg=$T/safe/registry
"$SRI_TOOL" -r "$reg" add https://cdn.example.org/a.js --integrity "$TA" >/dev/null 2>&1
check "a registry in a safe place is written" test -s "$reg"
cp "$reg" "$T/before"

chmod 666 "$reg"
out=$("$SRI_TOOL" -r "$reg" list 2>&1); rc=$?
is "$rc" 1 "a world-writable registry is refused (exit 1)"
has "$out" "world-writable" "the refusal says why"
"$SRI_TOOL" -r "$reg" add https://cdn.example.org/b.js --integrity "$TA" >/dev/null 2>&1
check "a refused add changes nothing" cmp -s "$reg" "$T/before"
chmod 644 "$reg"

mkdir -p "$T/open"; chmod 777 "$T/open"
out=$("$SRI_TOOL" -r "$T/open/registry" add https://cdn.example.org/a.js --integrity "$TA" 2>&1); rc=$?
is "$rc" 1 "a registry in a world-writable directory is refused"
check "nothing was created there" test ! -e "$T/open/registry"
chmod 1777 "$T/open"
"$SRI_TOOL" -r "$T/open/registry" add https://cdn.example.org/a.js --integrity "$TA" >/dev/null 2>&1
check "a sticky world-writable directory (like /tmp) is accepted" test -s "$T/open/registry"

done_testing
