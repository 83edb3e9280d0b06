#!/usr/bin/env bash
# tests/integration/rewrite.sh -- the module in a real httpd: the rewrite
# itself, byte-exact pass-through, headers, HEAD, non-HTML, per-directory
# configuration, the directives that change what a tag gets, and
# international hosts (Unicode, punycode and percent-encoded spellings).
. "${top_srcdir:?run me through make check}/tests/lib.sh" || exit 1
[ -x "$HTTPD_BIN" ] || skip_all "no httpd binary (install apache2)"
[ -f "$SRI_MODULE" ] || skip_all "module not built: $SRI_MODULE"

make_tmp
root=$T/root
port=$(free_port 127.0.0.1)
cdn="http://127.0.0.2:$port"
httpd_conf "$root" "127.0.0.1:$port"
site=$root/htdocs

sri384() { printf 'sha384-%s' "$(openssl dgst -sha384 -binary "$1" | openssl base64 -A)"; }
printf 'console.log("lib");\n' > "$T/lib.js"
printf 'body{}\n' > "$T/theme.css"
lib_tok=$(sri384 "$T/lib.js")
css_tok=$(sri384 "$T/theme.css")

# An international host, registered in three spellings of one name
# (bücher.example): punycode, UTF-8 and percent-encoded UTF-8.
u=$'\xc3\xbc'
idn=https://xn--bcher-kva.example
cat > "$root/registry" <<EOF
# test registry
$cdn/lib.js
    integrity $lib_tok
$cdn/theme.css
    integrity $css_tok
https://xn--bcher-kva.example/x.js
    integrity $lib_tok
https://b${u}cher.example/y.js
    integrity $css_tok
https://b%C3%BCcher.example/z.js
    integrity $lib_tok
EOF

cat > "$site/page.html" <<EOF
<!DOCTYPE html>
<html><head>
<link rel=stylesheet href="$cdn/theme.css">
<script src="$cdn/lib.js"></script>
<script src="/local.js"></script>
<script SRC='//127.0.0.2:$port/lib.js' CrossOrigin="use-credentials" async></script>
<script src="$cdn/unknown.js"></script>
</head><body>
<!-- <script src="$cdn/lib.js"></script> in a comment -->
<script>var x = '<script src="$cdn/lib.js">';</script>
<svg><script href="$cdn/lib.js"></script></svg>
<img src="data:image/png;base64,AAAA">
</body></html>
EOF
cp "$site/page.html" "$site/off.html"
mkdir -p "$site/off" "$site/block" "$site/replace"
cp "$site/page.html" "$site/off/page.html"
printf '<script src="%s/unknown.js"></script>\n<link rel="stylesheet" href="%s/other.css">\n' "$cdn" "$cdn" > "$site/block/page.html"
cat >> "$site/block/page.html" <<EOF
<svg><script xlink:href="$cdn/lib.js"></script></svg>
<iframe srcdoc="<script src='$cdn/unknown.js'></script><script src='$cdn/lib.js'></script>"></iframe>
EOF
many="<script src=\"$cdn/unknown.js\"$(printf ' a%d' $(seq 300))></script>"
echo "$many" >> "$site/block/page.html"
printf '<script src="%s/lib.js" integrity="sha256-bogus"></script>\n' "$cdn" > "$site/replace/page.html"
# a usable integrity that is not the approved one: kept (and logged)
other_tok=sha256-ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=
printf '<script src="%s/lib.js" integrity="%s"></script>\n' "$cdn" "$other_tok" > "$site/keep.html"
# integrity no browser can use (fail-open): treated as absent
printf '<base href="%s/"><script src=lib.js integrity="sha1-x md5-y" async></script>\n<link rel=stylesheet href="%s/theme.css" integrity="sha256-bogus">\n<script src="%s/unknown.js" integrity="sha1-x"></script>\n' \
    "$cdn" "$cdn" "$cdn" > "$site/failopen.html"
printf 'console.log("<script src=%s/lib.js></script>");\n' "$cdn" > "$site/app.js"
printf '<script type="importmap">\n{ "imports": { "lib": "%s/lib.js", "x": "%s/other.js" } }\n</script>\n<script type="module">import "lib";</script>\n' "$cdn" "$cdn" > "$site/importmap.html"

cat > "$site/idn.html" <<EOF
<script src="https://b${u}cher.example/x.js"></script>
<script src="https://xn--bcher-kva.example/y.js"></script>
<script src="https://b%c3%bccher.example/x.js"></script>
<script src="https://B&#xDC;CHER.Example/z.js"></script>
<script src="https://b${u}cher.example/unknown.js"></script>
<script type="importmap">{ "imports": { "x": "https://b${u}cher.example/x.js" } }</script>
EOF

# A UTF-16 page (a byte order mark): mod_sri cannot read it.
perl -e 'print "\xff\xfe", join("", map { "$_\0" } split //, $ARGV[0])' \
    "<script src=\"$cdn/lib.js\"></script>" > "$site/u16.html"

# older than a second, so httpd gives strong ETags
find "$site" -type f -exec touch -d '1 hour ago' {} +

cat >> "$root/conf/httpd.conf" <<EOF
LoadModule status_module $HTTPD_MODULES/mod_status.so
<Location /status>
    SetHandler server-status
</Location>
LogFormat "%r kept=%{sri-kept}n mismatch=%{sri-mismatch}n pinned=%{sri-pinned}n repaired=%{sri-repaired}n unprot=%{sri-unprotected}n" notes
CustomLog "$root/logs/notes.log" notes
SRIRegistry "$root/registry"
SRIEngine On
SRIUnknown log
<Directory "$site/off">
    SRIEngine Off
</Directory>
<Directory "$site/block">
    SRIUnknown block
</Directory>
<Directory "$site/replace">
    SRIExisting replace
</Directory>
EOF
httpd_start "$root" || bail "httpd did not start"

# --- a page mod_sri cannot read goes out unchanged, never in silence -------
# (first, so that no other warning uses up the log's rate limit)  The
# second request is served by the static page cache.
for i in 1 2; do fetch "http://127.0.0.1:$port/u16.html" -o "$T/u16.$i"; done
check "a UTF-16 page is passed through unchanged" cmp -s "$T/u16.1" "$site/u16.html"
check "... also when the page cache serves it" cmp -s "$T/u16.2" "$site/u16.html"
is "$(log_count "$root/logs/notes.log" 'GET /u16.html .*unprot=UTF-16/32 byte order mark' 2)" 2 \
    "... each time with the note sri-unprotected"
like "$(cat "$root/logs/error.log")" 'SRI: HTML page /u16.html sent without integrity rewriting: UTF-16/32 byte order mark' \
    "... and a warning"

# --- the rewrite ---------------------------------------------------------
body=$(fetch "http://127.0.0.1:$port/page.html")
has "$body" "<script src=\"$cdn/lib.js\" integrity=\"$lib_tok\" crossorigin=\"anonymous\"></script>" \
    "registered third-party script gets integrity and crossorigin"
has "$body" "<link rel=stylesheet href=\"$cdn/theme.css\" integrity=\"$css_tok\" crossorigin=\"anonymous\">" \
    "registered stylesheet gets integrity"
has "$body" "<script SRC='//127.0.0.2:$port/lib.js' CrossOrigin=\"use-credentials\" async integrity=\"$lib_tok\"></script>" \
    "scheme-relative upper-case src resolved; existing crossorigin kept, not duplicated"
has "$body" '<script src="/local.js"></script>' "same-origin script untouched"
has "$body" "<script src=\"$cdn/unknown.js\"></script>" "unregistered script untouched under SRIUnknown log"
has "$body" "<!-- <script src=\"$cdn/lib.js\"></script> in a comment -->" "comment untouched"
has "$body" "<script>var x = '<script src=\"$cdn/lib.js\">';</script>" "inline script body untouched"
has "$body" "<svg><script href=\"$cdn/lib.js\"></script></svg>" "SVG script untouched (no integrity applies there)"

# every byte but the inserted attributes is the file's
fetch "http://127.0.0.1:$port/page.html" > "$T/served.html"
sed -e "s# integrity=\"$lib_tok\" crossorigin=\"anonymous\"##g" \
    -e "s# integrity=\"$css_tok\" crossorigin=\"anonymous\"##g" \
    -e "s# integrity=\"$lib_tok\"##g" "$T/served.html" > "$T/stripped.html"
check "bytes outside the inserted attributes are identical" cmp -s "$T/stripped.html" "$site/page.html"

# --- headers ---------------------------------------------------------------
hdrs=$(fetch "http://127.0.0.1:$port/page.html" -D - -o /dev/null)
cl=$(printf '%s' "$hdrs" | sed -n 's/^Content-Length: //p' | tr -d '\r')
is "${cl:-$(wc -c < "$T/served.html")}" "$(wc -c < "$T/served.html")" \
    "Content-Length, if any, is the rewritten body's length"
like "$hdrs" '^ETag: ".*-sri[A-Za-z0-9_]{12}[0-9]{4}"' "ETag carries the registry version"
etag=$(printf '%s' "$hdrs" | sed -n 's/^ETag: //p' | tr -d '\r')

head_hdrs=$(fetch "http://127.0.0.1:$port/page.html" -I)
head_etag=$(printf '%s' "$head_hdrs" | sed -n 's/^ETag: //p' | tr -d '\r')
is "$head_etag" "$etag" "HEAD gives the same ETag as GET"
unlike "$head_hdrs" "^Content-Length: $(wc -c < "$site/page.html")" "HEAD has no stale Content-Length"

code=$(fetch "http://127.0.0.1:$port/page.html" -o /dev/null -w '%{http_code}' -H "If-None-Match: $etag")
is "$code" 304 "If-None-Match with our ETag gives 304"
h304=$(fetch "http://127.0.0.1:$port/page.html" -D - -o /dev/null -H "If-None-Match: $etag")
is "$(printf '%s' "$h304" | sed -n 's/^ETag: //p' | tr -d '\r')" "$etag" "the 304 carries the same ETag"
range=$(fetch "http://127.0.0.1:$port/page.html" -r 0-99 -H "If-Range: $etag")
is "$range" "$(head -c 100 "$T/served.html")" "a Range request gets bytes of the rewritten page"

# --- what is not rewritten --------------------------------------------------
js=$(fetch "http://127.0.0.1:$port/app.js")
is "$js" "$(cat "$site/app.js")" "non-HTML response untouched"
js_hdrs=$(fetch "http://127.0.0.1:$port/app.js" -D - -o /dev/null)
like "$js_hdrs" '^Content-Length: ' "non-HTML keeps Content-Length"
js_etag=$(printf '%s' "$js_hdrs" | sed -n 's/^ETag: //p' | tr -d '\r')
unlike "$js_etag" "-sri" "non-HTML keeps the handler's ETag"
h304=$(fetch "http://127.0.0.1:$port/app.js" -D - -o /dev/null -H "If-None-Match: $js_etag")
like "$h304" '^HTTP/1.1 304' "its own ETag gets a 304"
is "$(printf '%s' "$h304" | sed -n 's/^ETag: //p' | tr -d '\r')" "$js_etag" \
    "... carrying that ETag, not ours (a cache could not freshen its copy)"
check "SRIEngine Off in a <Directory> leaves the page alone" \
    cmp -s <(fetch "http://127.0.0.1:$port/off/page.html") "$site/off/page.html"

# --- policies -----------------------------------------------------------------
blocked=$(fetch "http://127.0.0.1:$port/block/page.html")
has "$blocked" "<script data-sri-blocked-src=\"$cdn/unknown.js\"></script>" "SRIUnknown block renames src"
has "$blocked" "<link rel=\"stylesheet\" data-sri-blocked-href=\"$cdn/other.css\">" "SRIUnknown block renames href"
has "$blocked" "<svg><script data-sri-blocked-xlink:href=\"$cdn/lib.js\"></script></svg>" \
    "SRIUnknown block takes an SVG script's xlink:href away, even for a registered URL (no integrity applies there)"
has "$blocked" "<iframe srcdoc=\"<script data-sri-blocked-src='$cdn/unknown.js'></script><script src='$cdn/lib.js' integrity=&quot;$lib_tok&quot; crossorigin=&quot;anonymous&quot;></script>\"></iframe>" \
    "an iframe's srcdoc page is rewritten too: unknown blocked, registered pinned"
sleep 0.2
has "$(cat "$root/logs/error.log")" "SRI: blocked SVG script resource $cdn/lib.js on page http://127.0.0.1:$port/block/page.html" \
    "the blocked SVG script is logged"
has "$blocked" "$many" "a tag with more than 256 attributes is not decided on (not on its first 256 either): passed as written"
has "$(cat "$root/logs/error.log")" "SRI: a <script>/<link>/<iframe> tag with more than 256 attributes in http://127.0.0.1:$port/block/page.html passed unmodified" \
    "... and logged"
replaced=$(fetch "http://127.0.0.1:$port/replace/page.html")
has "$replaced" "<script src=\"$cdn/lib.js\" integrity=\"$lib_tok\" crossorigin=\"anonymous\"></script>" \
    "SRIExisting replace swaps the author's integrity"
kept=$(fetch "http://127.0.0.1:$port/keep.html")
is "$kept" "$(cat "$site/keep.html")" "SRIExisting keep (default) leaves the author's integrity"
repaired=$(fetch "http://127.0.0.1:$port/failopen.html")
has "$repaired" "<script src=lib.js integrity=\"$lib_tok\" async crossorigin=\"anonymous\"></script>" \
    "an integrity without a usable token (sha1, md5) is replaced, crossorigin added, other attributes kept"
has "$repaired" "<link rel=stylesheet href=\"$cdn/theme.css\" integrity=\"$css_tok\" crossorigin=\"anonymous\">" \
    "a digest of the wrong length is no usable token either"
has "$repaired" "<script src=\"$cdn/unknown.js\" integrity=\"sha1-x\"></script>" \
    "an unregistered URL's integrity is left alone"

# --- the static page cache: same bytes on a hit, never stale -----------------
a=$(fetch "http://127.0.0.1:$port/page.html"); b=$(fetch "http://127.0.0.1:$port/page.html")
is "$b" "$a" "a page served again (from the cache) has the same bytes"
sed -i 's/<script src="\/local.js"><\/script>/<script src="\/local2.js"><\/script>/' "$site/page.html"
touch -d '30 minutes ago' "$site/page.html"
has "$(fetch "http://127.0.0.1:$port/page.html")" '<script src="/local2.js"></script>' \
    "a changed file is rewritten again, not served from the cache"
has "$(fetch "http://127.0.0.1:$port/page.html")" "$cdn/lib.js\" integrity=\"$lib_tok\"" \
    "and it is still pinned"

# --- import maps -------------------------------------------------------------
im=$(fetch "http://127.0.0.1:$port/importmap.html")
has "$im" "{ \"imports\": { \"lib\": \"$cdn/lib.js\", \"x\": \"$cdn/other.js\" } ,\"integrity\":{\"$cdn/lib.js\":\"$lib_tok\"}}" \
    "an import map gets an integrity section for its registered module URL"
check "the import map is still valid JSON" python3 -c 'import json,sys,re; json.loads(re.search(r"<script type=\"importmap\">(.*?)</script>", sys.argv[1], re.S).group(1))' "$im"

# --- international hosts: one entry whatever the spelling ---------------------
body=$(fetch "http://127.0.0.1:$port/idn.html")
has "$body" "<script src=\"https://b${u}cher.example/x.js\" integrity=\"$lib_tok\" crossorigin=\"anonymous\"></script>" \
    "a UTF-8 host in the page is pinned by its punycode registry entry"
has "$body" "<script src=\"$idn/y.js\" integrity=\"$css_tok\" crossorigin=\"anonymous\"></script>" \
    "a punycode host in the page is pinned by its UTF-8 registry entry"
has "$body" "<script src=\"https://b%c3%bccher.example/x.js\" integrity=\"$lib_tok\" crossorigin=\"anonymous\"></script>" \
    "a percent-encoded host in the page is pinned"
has "$body" "<script src=\"https://B&#xDC;CHER.Example/z.js\" integrity=\"$lib_tok\" crossorigin=\"anonymous\"></script>" \
    "an upper-case host written with a character reference is pinned by its percent-encoded entry"
has "$body" "<script src=\"https://b${u}cher.example/unknown.js\"></script>" \
    "an unregistered URL on the international host is left alone"
has "$body" ",\"integrity\":{\"$idn/x.js\":\"$lib_tok\"}}" \
    "an import map gets the integrity key in the ASCII form the browser resolves to"
check "the international import map is still valid JSON" python3 -c 'import json,sys,re; json.loads(re.search(r"<script type=\"importmap\">(.*?)</script>", sys.argv[1], re.S).group(1))' "$body"

# --- an iframe srcdoc nested deeper than mod_sri rewrites: logged -------------
python3 - "$cdn" > "$site/deep.html" <<'PY'
import sys
page = '<script src="%s/lib.js"></script>' % sys.argv[1]
for _ in range(5):
    page = '<iframe srcdoc="%s"></iframe>' % page.replace('&', '&amp;').replace('"', '&quot;')
print(page)
PY
deep=$(fetch "http://127.0.0.1:$port/deep.html")
is "$deep" "$(cat "$site/deep.html")" "a srcdoc nested five deep is left as written"
sleep 0.2
has "$(cat "$root/logs/error.log")" "SRI: iframe srcdoc on page http://127.0.0.1:$port/deep.html left as written" \
    "... and logged"
[ -x "$SRI_TOOL" ] && like "$("$SRI_TOOL" reports "$root/logs/error.log" 2>/dev/null)" \
    "srcdoc-deep +\(iframe srcdoc\)" "sri-registry reports counts that log line"

# --- logs and notes -----------------------------------------------------------
sleep 0.2
has "$(cat "$root/logs/error.log")" "unregistered third-party resource $cdn/unknown.js on page http://127.0.0.1:$port/page.html" \
    "SRIUnknown log names the URL and the page"
has "$(grep 'GET /page.html' "$root/logs/access.log" | tail -n 1)" "GET /page.html HTTP/1.1 200 pinned=3 unknown=2 blocked=0" \
    "request notes count pinned and unknown tags (the SVG script's registered URL among the unknown: it cannot be pinned)"
has "$(cat "$root/logs/error.log")" "SRI: unpinnable SVG script resource $cdn/lib.js on page http://127.0.0.1:$port/page.html" \
    "the registered URL an SVG script loads is logged as unpinnable"
has "$(cat "$root/logs/error.log")" "SRI: fail-open integrity attribute (no usable token) replaced for registered resource $cdn/lib.js on page http://127.0.0.1:$port/failopen.html" \
    "a repaired integrity is logged with URL and page"
has "$(cat "$root/logs/error.log")" "SRI: integrity mismatch (the author's integrity holds none of the approved tokens) for registered resource $cdn/lib.js on page http://127.0.0.1:$port/keep.html" \
    "a kept integrity holding none of the approved tokens is logged as a mismatch"
has "$(grep 'GET /failopen.html' "$root/logs/notes.log" | tail -n 1)" "kept=0 mismatch=0 pinned=2 repaired=2" \
    "request notes count repaired tags (within pinned)"
has "$(grep 'GET /keep.html' "$root/logs/notes.log" | tail -n 1)" "kept=1 mismatch=1 pinned=0 repaired=0" \
    "request notes count mismatches (within kept)"
# the counters are per process; the test server has one child
status=$(fetch "http://127.0.0.1:$port/status?auto")
like "$status" 'SRIRepaired: [1-9]' "mod_status counts repaired fail-open integrities"
like "$status" 'SRIMismatch: [1-9]' "mod_status counts mismatching author integrities"
like "$status" 'SRIResponses: [1-9]' "mod_status ?auto has the pages rewritten"
for key in SRIPinned SRIKept SRIUnknown SRIBlocked SRIOverflows SRIUnprotected; do
    like "$status" "$key: [0-9]+" "mod_status ?auto has $key"
done
# the HTML page says the same counters in words, in the same order
html=$(fetch "http://127.0.0.1:$port/status")
like "$html" '<dt>This process</dt><dd>[1-9][0-9]* pages rewritten, [0-9]+ tags pinned, [0-9]+ kept, [0-9]+ unknown, [0-9]+ blocked, [0-9]+ oversized, [0-9]+ HTML pages sent unprotected, [1-9][0-9]* fail-open author integrities repaired, [1-9][0-9]* author integrities not approved \(mismatch\)</dd>' \
    "the mod_status page lists this process's counters"

done_testing
