#!/bin/bash
# tests/tool/commands.sh -- sri-registry commands that need no network.
#
# Why: the tool is how people change the registry the server trusts; each
# command must do exactly its job, refuse bad input with a clear message
# and the documented exit code, and never lose what was there.
. "${top_srcdir:?run me through make check}/tests/lib.sh" || exit 1
[ -x "$SRI_TOOL" ] || skip_all "sri-registry not built"
make_tmp
cd "$T" || bail "no tmp"
unset SRI_REGISTRY SRI_REGISTRY_NOW
R="$SRI_TOOL"
SPEC=sha384-H8BRh8j48O9oYatfu5AZzq6A9RINhZO5H16dQZngK7T62em8MUt1FLm52t+eX6xO
ABC256=sha256-ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=
printf "alert('Hello, world.');" > hello.js
printf abc > abc.txt

# ---- hash -----------------------------------------------------------------
is "$("$R" hash hello.js)" "$SPEC" "hash: SRI spec example (default sha384)"
is "$("$R" hash --algo sha256 - < abc.txt)" "$ABC256" "hash: sha256 of stdin"
is "$("$R" hash abc.txt --algo sha512)" \
   "sha512-3a81oZNherrMQXNJriBBMRLm+k6JqX6iCp7u5ktV05ohkpkqJ0/BqDa6PCOj/uu9RU1EI2Q86A4qmslPpUyknw==" \
   "hash: option after the argument"
"$R" hash --algo md5 abc.txt 2>err; is "$?" 1 "hash: unknown algorithm exits 1"
like "$(cat err)" "unknown algorithm 'md5'" "hash: says which algorithm"
"$R" hash nosuch.js 2>err; is "$?" 1 "hash: missing file exits 1"
like "$(cat err)" "nosuch.js: No such file" "hash: names the file"

# ---- global options ---------------------------------------------------------
like "$("$R" --version)" "^sri-registry .*[0-9]" "--version"
like "$("$R" --help)" "refresh" "--help lists commands"
like "$("$R" add --help)" "--integrity TOKEN" "add --help shows options"
# --sign is offered where the registry is written, not where nothing is
like "$("$R" add --help)" "--sign KEY" "add --help offers --sign (it writes)"
like "$("$R" approve --help)" "--sign KEY" "approve --help offers --sign (it writes)"
unlike "$("$R" verify --help)" "--sign KEY" "verify --help does not offer --sign (read-only)"
unlike "$("$R" list --help)" "--sign KEY" "list --help does not offer --sign (read-only)"
"$R" frobnicate 2>err; is "$?" 1 "unknown command exits 1"
like "$(cat err)" "unknown command 'frobnicate'" "unknown command named"
"$R" list 2>err; is "$?" 1 "no registry exits 1"
like "$(cat err)" "give -r FILE or set SRI_REGISTRY" "no registry explained"
"$R" add https://cdn.example.org/x.js --bogus -r reg 2>err; is "$?" 1 "unknown option exits 1"
like "$(cat err)" "unknown option --bogus" "unknown option named"

# ---- add ------------------------------------------------------------------
out=$("$R" -r reg add https://CDN.Example.org:443/lib/hello-1.0.js --file hello.js \
      --why "greets the user" --by alice 2>err)
is "$?" 0 "add --file exits 0"
is "$out" "https://cdn.example.org/lib/hello-1.0.js $SPEC" "add prints normalised URL and token"
grep -q "^https://cdn.example.org/lib/hello-1.0.js$" reg && ok "add writes the normalised URL" \
    || not_ok "add writes the normalised URL" "$(cat reg)"
grep -q "^  approved-by alice$" reg && grep -q "^  why greets the user$" reg \
    && ok "add records why and approved-by" || not_ok "add records why and approved-by"
SRI_REGISTRY=reg "$R" add https://cdn.example.org/abc-2.js --integrity "$ABC256" >/dev/null 2>err
is "$?" 0 "add --integrity via SRI_REGISTRY"
like "$(cat err)" "no --why given" "add without --why gets a note"
cp reg before
"$R" -r reg add https://cdn.example.org/bad.js --integrity sha384-AAAA 2>err
is "$?" 1 "add with a bad token exits 1"
like "$(cat err)" "bad --integrity token" "bad token explained"
"$R" -r reg add ./rel.js --integrity "$ABC256" 2>err
is "$?" 1 "add with a relative URL exits 1"
"$R" -r reg add ftp://cdn.example.org/x.js --integrity "$ABC256" 2>err
is "$?" 1 "add with ftp URL exits 1"
"$R" -r reg add https://cdn.example.org/x.js --integrity "$ABC256" --file hello.js 2>err
is "$?" 1 "add with --integrity and --file exits 1"
"$R" -r reg add https://cdn.example.org/x.js --integrity "$ABC256" --why "$(printf 'a\nb')" 2>err
is "$?" 1 "add with a multi-line --why exits 1"
cmp -s reg before && ok "refused adds changed nothing" || not_ok "refused adds changed nothing"
"$R" -r reg add https://cdn.example.org/lib/hello-1.0.js --file hello.js >/dev/null 2>err
is "$?" 0 "adding the same token again is a no-op"
cmp -s reg before && ok "no-op add leaves the file identical" || not_ok "no-op add leaves the file identical"

# ---- list / check -----------------------------------------------------------
is "$("$R" -r reg list)" "https://cdn.example.org/abc-2.js $ABC256
https://cdn.example.org/lib/hello-1.0.js $SPEC" "list: sorted, one line each"
"$R" -r reg check 2>err; is "$?" 0 "check: valid registry"
printf 'https://cdn.example.org/a.js\n  integrity %s\n  colour blue\n' "$ABC256" > broken
"$R" -r broken check 2>err; is "$?" 1 "check: broken registry exits 1"
like "$(cat err)" "broken:3: unknown key 'colour'" "check: FILE:LINE: message"
"$R" -r broken add https://cdn.example.org/b.js --integrity "$ABC256" 2>/dev/null
is "$?" 1 "add refuses to touch an unreadable registry"
grep -q colour broken && ok "broken registry left as it was" || not_ok "broken registry left as it was"

# ---- comments survive and writes are stable -----------------------------------
{ echo "# header kept"; echo; echo "# about hello"; cat reg | sed 1,3d; } > reg2
sed -i 's/^https:\/\/cdn.example.org\/lib\/hello-1.0.js$/&\n  # pinned for the demo/' reg2
"$R" -r reg2 add https://cdn.example.org/zzz.js --integrity "$ABC256" 2>/dev/null >/dev/null
grep -q "^# header kept" reg2 && grep -q "^# about hello" reg2 && grep -q "^  # pinned for the demo" reg2 \
    && ok "comments survive a write" || not_ok "comments survive a write" "$(cat reg2)"
[ -f reg2.bak ] && ! grep -q zzz reg2.bak && ok "previous version kept as .bak" || not_ok "previous version kept as .bak"
cp reg2 reg2.copy
"$R" -r reg2 add https://cdn.example.org/tmp-1.0.js --integrity "$ABC256" 2>/dev/null >/dev/null &&
"$R" -r reg2 remove https://cdn.example.org/tmp-1.0.js >/dev/null
cmp -s reg2 reg2.copy && ok "round trip: add then remove gives the identical file" \
    || not_ok "round trip: add then remove gives the identical file" "$(diff reg2.copy reg2)"

# ---- apply ------------------------------------------------------------------
html='<html><script src="https://cdn.example.org/lib/hello-1.0.js"></script><script src="/local.js"></script></html>'
out=$(printf '%s' "$html" | "$R" -r reg apply --url https://www.example.org/)
is "$?" 0 "apply exits 0"
like "$out" "hello-1.0.js\" integrity=\"${SPEC//+/\\+}\" crossorigin=\"anonymous\"" "apply pins the registered script"
like "$out" '<script src="/local.js"></script>' "apply leaves first-party scripts alone"
printf '%s' "$html" > page.html
is "$("$R" apply page.html -r reg --url https://www.example.org/)" "$out" "apply FILE equals stdin"
"$R" -r reg apply page.html 2>/dev/null; is "$?" 1 "apply without --url exits 1"

# ---- approve / retire / remove -------------------------------------------------
cat > pend <<EOR
https://cdn.example.org/lib/hello-1.0.js
  integrity $SPEC
  pending $ABC256 2026-11-01T00:00:00Z
  why greets the user
EOR
"$R" -r pend approve https://cdn.example.org/lib/hello-1.0.js 2>err; is "$?" 1 "approve without --by exits 1"
out=$(SRI_REGISTRY_NOW=2026-11-02T00:00:00Z "$R" -r pend approve https://cdn.example.org/lib/hello-1.0.js --by carol 2>err)
is "$?" 0 "approve moves the pending token"
like "$(cat err)" "warning: .* mixes algorithms" "approve warns about mixed algorithms"
is "$(grep -c '^  integrity' pend)" 2 "old token kept approved during rollover"
grep -q "^  pending" pend && not_ok "pending token gone" || ok "pending token gone"
grep -q "^  approved-at 2026-11-02T00:00:00Z$" pend && ok "approved-at recorded" || not_ok "approved-at recorded"
"$R" -r pend approve https://cdn.example.org/lib/hello-1.0.js --by carol 2>err; is "$?" 1 "approve with nothing pending exits 1"
"$R" -r pend retire https://cdn.example.org/lib/hello-1.0.js "$SPEC" >/dev/null; is "$?" 0 "retire the old token"
is "$(grep '^  integrity' pend)" "  integrity $ABC256" "only the new token is left"
"$R" -r pend retire https://cdn.example.org/lib/hello-1.0.js "$ABC256" 2>err; is "$?" 1 "retiring the last approved token is refused"
"$R" -r pend remove https://cdn.example.org/nope.js 2>err; is "$?" 1 "remove of an unknown URL exits 1"
"$R" -r pend remove https://cdn.example.org/lib/hello-1.0.js >/dev/null; is "$?" 0 "remove"
is "$("$R" -r pend list)" "" "registry empty after remove"

# ---- inventory ----------------------------------------------------------------
like "$("$R" -r reg inventory)" "2 scripts, 1 without justification" "inventory text counts gaps"
like "$("$R" -r reg inventory --format csv | head -1)" "^url,status,integrity,why" "inventory csv header"
is "$("$R" -r reg inventory --format csv | wc -l)" 3 "inventory csv rows"
"$R" -r reg inventory --format json | /usr/bin/python3 -c 'import json,sys; d=json.load(sys.stdin); sys.exit(0 if d["count"]==2 and d["entries"][1]["why"]=="greets the user" else 1)'
is "$?" 0 "inventory json parses and holds the entries"
"$R" -r reg inventory --format xml 2>/dev/null; is "$?" 1 "inventory bad format exits 1"

done_testing
