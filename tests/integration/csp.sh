#!/usr/bin/env bash
# tests/integration/csp.sh -- import maps under a Content-Security-Policy
# that allows inline scripts by hash are left as written.
#
# Why: an import map is an inline script.  When the policy lists the hash
# of the map as the author wrote it, adding an "integrity" section changes
# the map's bytes and the browser blocks it, and with it every module it
# maps.  The module must see the policy whoever sets it -- mod_headers
# (`Header set`, whose filter runs after ours; `Header always add`), or
# the handler itself (an .asis file stands in for an application) -- and
# follow CSP3's directive fallback.  Tags outside the map are pinned as
# usual; the log says why the map was left alone.
. "${top_srcdir:?run me through make check}/tests/lib.sh" || exit 1
[ -x "$HTTPD_BIN" ] || skip_all "no httpd binary (install apache2)"
[ -f "$SRI_MODULE" ] || skip_all "module not built: $SRI_MODULE"

make_tmp
root=$T/root
port=$(free_port 127.0.0.1)
httpd_conf "$root" "127.0.0.1:$port"
site=$root/htdocs
C=https://cdn.example.org
TA=sha384-oqVuAfXRKap7fdgcCY5uykM6+R9GqQ8K/uxy9rx7HNQlGYl1kPzQho1wx4JwY8wC
printf '%s/a.js\n    integrity %s\n' "$C" "$TA" > "$root/registry"

map='{"imports":{"a":"https://cdn.example.org/a.js"}}'
maphash="sha256-$(printf '%s' "$map" | openssl dgst -sha256 -binary | openssl base64 -A)"
page="<script type=\"importmap\">$map</script>
<script src=\"$C/a.js\"></script>"
edited="<script type=\"importmap\">{\"imports\":{\"a\":\"https://cdn.example.org/a.js\"},\"integrity\":{\"$C/a.js\":\"$TA\"}}</script>"
kept="<script type=\"importmap\">$map</script>"
pinned="<script src=\"$C/a.js\" integrity=\"$TA\" crossorigin=\"anonymous\"></script>"

for d in plain hash default fallback elem always toggle asis; do
    mkdir -p "$site/$d"
    printf '%s\n' "$page" > "$site/$d/page.html"
done
rm "$site/asis/page.html"
{ printf 'Status: 200 OK\nContent-Type: text/html\n'
  printf "Content-Security-Policy: script-src 'self' '%s'\n\n" "$maphash"
  printf '%s\n' "$page"; } > "$site/asis/page.asis"
# older than a second: strong ETags, the static page cache in play
find "$site" -type f -exec touch -d '1 hour ago' {} +

cat >> "$root/conf/httpd.conf" <<EOF
LoadModule asis_module $HTTPD_MODULES/mod_asis.so
AddHandler send-as-is .asis
SRIRegistry "$root/registry"
SRIEngine On
<Directory "$site/hash">
    Header set Content-Security-Policy "script-src 'self' '$maphash'"
</Directory>
<Directory "$site/default">
    Header set Content-Security-Policy "default-src 'self' 'SHA384-$(printf x | openssl dgst -sha384 -binary | openssl base64 -A)'"
</Directory>
<Directory "$site/fallback">
    Header set Content-Security-Policy "default-src '$maphash'; script-src 'self' 'unsafe-inline'"
</Directory>
<Directory "$site/elem">
    Header set Content-Security-Policy "script-src 'unsafe-inline'; script-src-elem 'self' '$maphash'"
</Directory>
<Directory "$site/always">
    Header always add Content-Security-Policy "img-src 'self', script-src '$maphash'"
</Directory>
<Directory "$site/toggle">
    Header set Content-Security-Policy "script-src '$maphash'" "expr=%{HTTP:X-CSP} == 'on'"
</Directory>
EOF
httpd_start "$root" || bail "httpd did not start"
u="http://127.0.0.1:$port"

body=$(fetch "$u/plain/page.html")
has "$body" "$edited" "no CSP: the import map gets its integrity section"
has "$body" "$pinned" "no CSP: the script is pinned"

body=$(fetch "$u/hash/page.html")
has "$body" "$kept" "Header set CSP with the map's hash in script-src: map left as written"
has "$body" "$pinned" "the script tag is still pinned"
hdrs=$(fetch "$u/hash/page.html" -D - -o /dev/null)
is "$(printf '%s' "$hdrs" | grep -ci '^Content-Security-Policy:')" 1 "the policy header is sent once"

has "$(fetch "$u/default/page.html")" "$kept" "a hash in default-src (no script-src), algorithm in upper case: map left alone"
has "$(fetch "$u/fallback/page.html")" "$edited" "script-src without hashes governs, not default-src: map edited"
has "$(fetch "$u/elem/page.html")" "$kept" "script-src-elem with a hash governs inline scripts: map left alone"
body=$(fetch "$u/always/page.html")
has "$body" "$kept" "Header always add, second of two policies in one value: map left alone"
is "$(fetch "$u/always/page.html" -D - -o /dev/null | grep -ci '^Content-Security-Policy:')" 1 \
    "Header add applied once, not twice"
has "$(fetch "$u/asis/page.asis")" "$kept" "a policy set by the handler (send-as-is): map left alone"

# The same static file with and without the policy: never the other's page
# from the static page cache.
has "$(fetch "$u/toggle/page.html" -H 'X-CSP: on')" "$kept" "conditional policy on: map left alone"
has "$(fetch "$u/toggle/page.html")" "$edited" "conditional policy off: map edited"
has "$(fetch "$u/toggle/page.html" -H 'X-CSP: on')" "$kept" "and on again: not the cached edited page"

sleep 0.2
has "$(cat "$root/logs/error.log")" "SRI: import map on page $u/hash/page.html left unedited: the Content-Security-Policy allows inline scripts by hash" \
    "the log says why the map was left alone"
unlike "$(cat "$root/logs/error.log")" "left unedited.*(plain|fallback)/page.html" "no such line where the map was edited"

done_testing
