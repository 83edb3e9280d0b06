#!/usr/bin/env bash
# tests/integration/scan_agrees.sh -- `sri-registry scan` lists exactly the
# URLs the module pins on the same page.
#
# Why: scan reads pages with libxml2, the module with its own streaming
# scanner; both ask the core's one rule (sri_subresource) which tags take
# integrity.  If they drifted apart, the inventory would miss what the
# module pins (or list what it never pins).  Every URL on the page is
# registered with a token of its own, the page goes through a real httpd
# with the built module, and the tokens in the served page name the URLs
# the module pinned; scan of the same file must report that set, no more,
# no less -- preload as=script/style, modulepreload and the module URLs of
# an import map and the pages of iframe srcdoc attributes (nested ones,
# with their own <base>) included; an SVG <script>, which no integrity can
# pin, is listed apart by both.
. "${top_srcdir:?run me through make check}/tests/lib.sh" || exit 1
[ -x "$HTTPD_BIN" ] || skip_all "no httpd binary (install apache2)"
[ -f "$SRI_MODULE" ] || skip_all "module not built: $SRI_MODULE"
[ -x "$SRI_TOOL" ] || skip_all "sri-registry not built"

make_tmp
root=$T/root
port=$(free_port 127.0.0.1)
doc="http://127.0.0.1:$port/page.html"
httpd_conf "$root" "127.0.0.1:$port"
site=$root/htdocs
C=https://cdn.example.org

cat > "$site/page.html" <<EOF
<!DOCTYPE html>
<html><head>
<script src="$C/classic.js"></script>
<script type=module src=$C/module.js></script>
<script type=" text/JavaScript " src="$C/typed.js"></script>
<script language=javascript1.2 src="$C/language.js"></script>
<script type="text/template" src="$C/template.js"></script>
<script language=vbscript src="$C/vbscript.js"></script>
<script type=importmap src="$C/importmap-src.js"></script>
<script src="$C/first.js" src="$C/second.js"></script>
<script src="https://cdn&#46;example.org/entity.js"></script>
<script src="data:text/javascript,1"></script>
<script src=""></script>
<script src="/local.js"></script>
<link rel=stylesheet href="$C/style.css">
<LINK REL="Alternate StyleSheet" HREF="$C/alternate.css">
<link rel=icon href="$C/favicon.ico">
<link rel=preload as=script href="$C/preload.js">
<link rel="Preload" as="STYLE" href="$C/preload.css">
<link rel=preload as=font href="$C/font.woff2">
<link rel=preload href="$C/preload-no-as.js">
<link rel=modulepreload href="//cdn.example.org/modulepreload.js">
<link rel=prefetch href="$C/prefetch.js">
<script type="importmap">{"imports":{"m":"$C/map.js","p/":"$C/pkg/","own":"/own.js"},"scopes":{"/x/":{"n":"$C/scoped.js"}}}</script>
<template><base href="https://ignored.example/"></template>
<base href="https://assets.example.com/v3/">
<base href="https://ignored.example/">
</head><body>
<!-- <script src="$C/commented.js"></script> -->
<script>document.write('<script src="$C/inline.js"><\/script>')</script>
<script src="app.js"></script>
<link rel=preload as=style href="theme.css">
<svg><script href="$C/svg.js"></script></svg>
<iframe srcdoc="<script src=&quot;$C/srcdoc.js&quot;></script><iframe srcdoc='<base href=&quot;$C/sub/&quot;><link rel=stylesheet href=nested.css>'></iframe><script src=relative.js></script>"></iframe>
</body></html>
EOF

# Every URL the page names, each registered with a token of its own.
urls="classic.js module.js typed.js language.js template.js vbscript.js
importmap-src.js first.js second.js entity.js style.css alternate.css
favicon.ico preload.js preload.css font.woff2 preload-no-as.js prefetch.js
commented.js inline.js svg.js map.js pkg/a.js pkg/b.js scoped.js srcdoc.js
sub/nested.css"
n=0
: > "$root/registry"
: > "$T/tokens"
add() {     # add URL: register URL with a fresh token, remember the pair
    n=$((n + 1))
    tok="sha384-$(printf 'resource %s' "$n" | openssl dgst -sha384 -binary | openssl base64 -A)"
    printf '%s\n    integrity %s\n' "$1" "$tok" >> "$root/registry"
    printf '%s %s\n' "$tok" "$1" >> "$T/tokens"
}
for u in $urls; do add "$C/$u"; done
add "http://cdn.example.org/modulepreload.js"
add "https://assets.example.com/v3/app.js"
add "https://assets.example.com/v3/theme.css"
add "https://assets.example.com/v3/relative.js"
add "https://ignored.example/app.js"
"$SRI_TOOL" -r "$root/registry" check >/dev/null 2>&1 || bail "test registry invalid"

cat >> "$root/conf/httpd.conf" <<EOF
SRIRegistry "$root/registry"
SRIEngine On
EOF
httpd_start "$root" || bail "httpd did not start"

served=$(fetch "$doc")
[ -n "$served" ] || bail "no page served"
# What the module pinned: the URL behind every token in the served page
# (integrity attributes, and the import map's integrity section).
pinned=$(printf '%s' "$served" | grep -o 'sha384-[A-Za-z0-9+/=]*' |
         while read -r tok; do awk -v t="$tok" '$1 == t { print $2 }' "$T/tokens"; done | sort)
# What scan lists for the same file, served at the same URL.
scanned=$("$SRI_TOOL" -r "$root/registry" scan "$site/page.html" --url "$doc" 2>"$T/scan.err" |
          awk '$1 != "unpinnable" { print $3 }' | sort)

expected=$(printf '%s\n' "$C/classic.js" "$C/module.js" "$C/typed.js" "$C/language.js" \
    "$C/first.js" "$C/entity.js" "$C/style.css" "$C/alternate.css" "$C/preload.js" \
    "$C/preload.css" "http://cdn.example.org/modulepreload.js" \
    "https://assets.example.com/v3/app.js" "https://assets.example.com/v3/theme.css" \
    "$C/map.js" "$C/pkg/a.js" "$C/pkg/b.js" "$C/scoped.js" "$C/srcdoc.js" \
    "$C/sub/nested.css" "https://assets.example.com/v3/relative.js" | sort)

is "$pinned" "$expected" "the module pins the tags that take integrity (preload as=script/style, modulepreload, import maps, iframe srcdoc pages included)"
is "$scanned" "$pinned" "scan lists exactly the URLs the module pinned"
like "$("$SRI_TOOL" -r "$root/registry" scan "$site/page.html" --url "$doc" 2>/dev/null)" \
    "^registered +preload +$C/preload.js" "scan names <link rel=preload> as kind preload"
like "$("$SRI_TOOL" -r "$root/registry" scan "$site/page.html" --url "$doc" 2>/dev/null)" \
    "^registered +importmap +$C/pkg/b.js" "scan names URLs an import map maps (prefixes too) as kind importmap"
like "$(cat "$T/scan.err")" "20 registered, 0 pending, 0 unknown, 0 fail-open, 0 mismatch, 1 unpinnable" \
    "scan counts them all as registered, and the SVG script apart"
# An SVG <script href> takes no integrity: the module cannot pin it and
# says so (its URL is registered), and scan lists it as unpinnable.
like "$("$SRI_TOOL" -r "$root/registry" scan "$site/page.html" --url "$doc" 2>/dev/null)" \
    "^unpinnable +svg-script +$C/svg.js " "scan lists the SVG script as unpinnable"
has "$(cat "$root/logs/error.log")" "SRI: unpinnable SVG script resource $C/svg.js on page $doc" \
    "the module logs the registered URL an SVG script loads"

# The author's own entries in an import map's integrity section: the module
# and scan judge them alike -- one without a usable token is outdone
# (repaired), one that pins other bytes is kept (mismatch), one that
# matches is kept.
other="sha384-$(printf 'not approved' | openssl dgst -sha384 -binary | openssl base64 -A)"
tok_of() { awk -v u="$1" '$2 == u { print $1 }' "$T/tokens"; }
cat > "$site/authors.html" <<EOF
<script type="importmap">{"imports":{"a":"$C/map.js","b":"$C/scoped.js","c":"$C/pkg/a.js","d":"$C/pkg/b.js#v2"},"integrity":{"$C/map.js":"sha1-x","$C/scoped.js":"$other","$C/pkg/a.js":"$(tok_of "$C/pkg/a.js")"}}</script>
EOF
served=$(fetch "http://127.0.0.1:$port/authors.html")
has "$served" "\"$C/pkg/a.js\":\"$(tok_of "$C/pkg/a.js")\",\"$C/./map.js\":\"$(tok_of "$C/map.js")\",\"$C/pkg/b.js#v2\":\"$(tok_of "$C/pkg/b.js")\"}}" \
    "the module adds the approved token after the map's fail-open entry, and for the URL mapped with a fragment, under it"
scan=$("$SRI_TOOL" -r "$root/registry" scan "$site/authors.html" --url "http://127.0.0.1:$port/authors.html" 2>/dev/null)
like "$scan" "^fail-open +importmap +$C/map.js" "scan reports the map's fail-open entry as fail-open"
like "$scan" "^mismatch +importmap +$C/scoped.js" "scan reports the map's entry for other bytes as mismatch"
like "$scan" "^registered +importmap +$C/pkg/a.js" "scan reports the map's matching entry as registered"
like "$scan" "^registered +importmap +$C/pkg/b.js " "scan reports a URL mapped with a fragment as the registered URL"
unlike "$scan" "^unknown" "scan finds nothing unknown in that map"
log=$(cat "$root/logs/error.log")
has "$log" "fail-open integrity attribute (no usable token) replaced for registered resource $C/map.js on page http://127.0.0.1:$port/authors.html" \
    "the module logs the repaired map entry"
has "$log" "integrity mismatch (the author's integrity holds none of the approved tokens) for registered resource $C/scoped.js" \
    "the module logs the mismatching map entry"

done_testing
