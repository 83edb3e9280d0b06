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

# An edit replaces the file: the new one keeps the owner, group and mode
# of the old (a registry of root:www-data 0640 must stay readable by httpd).
if [ "$(id -u)" = 0 ] && getent passwd nobody >/dev/null && getent group nogroup >/dev/null; then
    mkdir -p "$T/owned"; chmod 755 "$T/owned"
    own=$T/owned/registry
    "$SRI_TOOL" -r "$own" add https://cdn.example.org/a.js --integrity "$TA" >/dev/null 2>&1
    chown nobody:nogroup "$own"; chmod 640 "$own"
    "$SRI_TOOL" -r "$own" add https://cdn.example.org/c.js --integrity "$TA" >/dev/null 2>&1
    check "the edit was made" grep -q c.js "$own"
    is "$(stat -c '%U:%G %a' "$own")" "nobody:nogroup 640" "an edit by root keeps owner, group and mode"
    chown root:nogroup "$own"
    "$SRI_TOOL" -r "$own" add https://cdn.example.org/d.js --integrity "$TA" >/dev/null 2>&1
    is "$(stat -c '%U:%G %a' "$own")" "root:nogroup 640" "root's own file keeps its group (the reader's)"
else
    ok "root's own file keeps its group # SKIP needs root"
    ok "owner and group kept on edit # SKIP needs root and the nobody user"
    ok "owner, group and mode # SKIP needs root"
fi

done_testing
