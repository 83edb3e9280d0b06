#!/usr/bin/env bash
# tests/integration/encoded.sh -- no HTML page leaves unprotected because it
# was compressed before the filter (issue #11 item 7).  A real httpd in
# front (127.0.0.1) with SRIEngine On and no extra configuration, backends
# on 127.0.0.2 (gzip: one that honours Accept-Encoding, one that compresses
# regardless) and 127.0.0.3 (brotli), and static .html.gz files:
#  - the handler runs without Accept-Encoding (a CGI backend shows it);
#  - a gzip answer is decoded ahead of the filter (INFLATE) and rewritten;
#  - the client still gets gzip from mod_deflate when it asked for it;
#  - a brotli answer cannot be decoded: it leaves unrewritten, but with a
#    warning, the note sri-unprotected and the mod_status counter.
. "${top_srcdir:?run me through make check}/tests/lib.sh" || exit 1
[ -x "$HTTPD_BIN" ] || skip_all "no httpd binary (install apache2)"
[ -f "$SRI_MODULE" ] || skip_all "module not built: $SRI_MODULE"
[ -f "$HTTPD_MODULES/mod_deflate.so" ] || skip_all "mod_deflate not installed"
command -v perl >/dev/null || skip_all "perl is needed for the CGI"

make_tmp
root=$T/root
port=$(free_port 127.0.0.1)
cdn="https://cdn.example.org"
httpd_conf "$root" "127.0.0.1:$port" "127.0.0.2:$port" "127.0.0.3:$port"
site=$root/htdocs
TA="sha384-oqVuAfXRKap7fdgcCY5uykM6+R9GqQ8K/uxy9rx7HNQlGYl1kPzQho1wx4JwY8wC"
printf '%s\n' "$cdn/a.js" "    integrity $TA" > "$root/registry"
page="<html><head><script src=\"$cdn/a.js\"></script></head><body>$(head -c 3000 /dev/zero | tr '\0' x)</body></html>"
pinned="<script src=\"$cdn/a.js\" integrity=\"$TA\" crossorigin=\"anonymous\"></script>"

mkdir -p "$root/gz" "$root/br" "$root/cgi-bin" "$site/static" "$site/inflate" "$site/stored"
printf '%s\n' "$page" > "$root/gz/page.html"
printf '%s\n' "$page" > "$root/br/page.html"
printf '%s\n' "$page" | gzip -9 > "$site/static/page.html.gz"
printf '%s\n' "$page" | gzip -9 > "$site/inflate/page.html.gz"
# A backend CGI that shows the Accept-Encoding it was given.
{
    echo '#!/usr/bin/perl'
    echo 'print "Content-Type: text/html\r\n\r\n";'
    echo "print '<html><script src=\"$cdn/a.js\"></script>';"
    echo 'print "<p>AE=[", ($ENV{HTTP_ACCEPT_ENCODING} // ""), "]</p></html>\n";'
} > "$root/cgi-bin/ae.cgi"
chmod 755 "$root/cgi-bin/ae.cgi"

have_brotli=0
[ -f "$HTTPD_MODULES/mod_brotli.so" ] && have_brotli=1
{
    echo "LoadModule cgid_module $HTTPD_MODULES/mod_cgid.so"
    echo "LoadModule proxy_module $HTTPD_MODULES/mod_proxy.so"
    echo "LoadModule proxy_http_module $HTTPD_MODULES/mod_proxy_http.so"
    echo "LoadModule deflate_module $HTTPD_MODULES/mod_deflate.so"
    echo "LoadModule filter_module $HTTPD_MODULES/mod_filter.so"
    echo "LoadModule env_module $HTTPD_MODULES/mod_env.so"
    echo "LoadModule status_module $HTTPD_MODULES/mod_status.so"
    [ "$have_brotli" = 1 ] && echo "LoadModule brotli_module $HTTPD_MODULES/mod_brotli.so"
    echo "ScriptSock \"$root/run/cgisock\""
    echo "SRIRegistry \"$root/registry\""
    echo "LogFormat \"%r unprotected=%{sri-unprotected}n pinned=%{sri-pinned}n\" enc"
    echo "<VirtualHost 127.0.0.1:$port>"
    echo "    DocumentRoot \"$site\""
    echo "    SRIEngine On"
    echo "    CustomLog \"$root/logs/front.log\" enc"
    echo "    AddOutputFilterByType DEFLATE text/html"
    echo "    <Location /status>"
    echo "        SetHandler server-status"
    echo "        SRIEngine Off"
    echo "    </Location>"
    echo "    <Directory \"$site/static\">"
    echo "        RemoveType .gz"
    echo "        AddEncoding gzip .gz"
    echo "    </Directory>"
    echo "    <Directory \"$site/stored\">"
    echo "        AddEncoding br .br"
    echo "    </Directory>"
    echo "    <Directory \"$site/inflate\">"
    echo "        RemoveType .gz"
    echo "        AddEncoding gzip .gz"
    echo "        SetOutputFilter INFLATE"
    echo "    </Directory>"
    echo "    ProxyPass /honour/ http://127.0.0.2:$port/honour/"
    echo "    ProxyPass /force/ http://127.0.0.2:$port/force/"
    echo "    ProxyPass /cgi/ http://127.0.0.2:$port/cgi-bin/"
    echo "    ProxyPass /br/ http://127.0.0.3:$port/"
    echo "</VirtualHost>"
    echo "<VirtualHost 127.0.0.2:$port>"
    echo "    ServerName 127.0.0.2"
    echo "    DocumentRoot \"$root/gz\""
    echo "    Alias /honour/ \"$root/gz/\""
    echo "    Alias /force/ \"$root/gz/\""
    echo "    ScriptAlias /cgi-bin/ \"$root/cgi-bin/\""
    echo "    AddOutputFilterByType DEFLATE text/html"
    echo "    <Location /force/>"
    echo "        SetEnv force-gzip 1"
    echo "    </Location>"
    echo "</VirtualHost>"
    echo "<VirtualHost 127.0.0.3:$port>"
    echo "    ServerName 127.0.0.3"
    echo "    DocumentRoot \"$root/br\""
    [ "$have_brotli" = 1 ] && echo "    AddOutputFilterByType BROTLI_COMPRESS text/html"
    echo "</VirtualHost>"
} >> "$root/conf/httpd.conf"
httpd_start "$root" || bail "httpd did not start"
front="http://127.0.0.1:$port"

out=$(fetch "$front/cgi/ae.cgi" --compressed)
has "$out" "$pinned" "CGI behind ProxyPass: page rewritten"
has "$out" "AE=[]" "the backend was asked without Accept-Encoding (answers identity)"

out=$(fetch "$front/honour/page.html" --compressed)
has "$out" "$pinned" "gzip backend that honours Accept-Encoding: rewritten"
hdr=$(fetch "$front/honour/page.html" --compressed -D - -o "$T/honour.out")
like "$hdr" '[Cc]ontent-[Ee]ncoding: gzip' "the client still gets gzip from mod_deflate"
has "$(cat "$T/honour.out")" "$pinned" "... and the gzip it gets is the rewritten page"

out=$(fetch "$front/force/page.html")
has "$out" "$pinned" "backend that gzips regardless (force-gzip): decoded ahead and rewritten"
fetch "$front/force/page.html" --compressed -o "$T/force.out"
has "$(cat "$T/force.out")" "$pinned" "... also for a client that accepts gzip"

out=$(fetch "$front/static/page.html.gz")
has "$out" "$pinned" "static .html.gz (AddEncoding gzip): decoded and rewritten"
hdr=$(fetch "$front/static/page.html.gz" -D - -o /dev/null)
like "$hdr" '[Cc]ontent-[Tt]ype: text/html' "(the .html.gz is served as text/html)"
out=$(fetch "$front/inflate/page.html.gz")
has "$out" "$pinned" "static .html.gz with SetOutputFilter INFLATE: rewritten"

if [ "$have_brotli" = 1 ]; then
    out=$(fetch "$front/br/page.html" -H 'Accept-Encoding: br')
    has "$out" "$pinned" "brotli backend (mod_brotli) that honours Accept-Encoding: asked for identity, rewritten"
    hdr=$(fetch "$front/br/page.html" -H 'Accept-Encoding: br' -D - -o /dev/null)
    unlike "$hdr" '[Cc]ontent-[Ee]ncoding: br' "... and nothing brotli reaches the client that it cannot have"
fi

# A coding mod_sri cannot decode (a stored brotli body, served as such
# whatever the request says): it leaves unrewritten, byte for byte, but not
# in silence.
printf '%s\n' "$page" > "$site/stored/page.html.br"
out=$(fetch "$front/stored/page.html.br" -H 'Accept-Encoding: br')
is "$out" "$page" "a brotli body is passed through unchanged (never corrupted)"
log_count "$root/logs/front.log" 'page\.html\.br' 1 >/dev/null
like "$(cat "$root/logs/error.log")" 'SRI: HTML page /stored/page.html.br sent without integrity rewriting: Content-Encoding br' \
    "a warning names the page and the reason"
like "$(grep 'page.html.br' "$root/logs/front.log")" 'unprotected=Content-Encoding br' \
    "the request note sri-unprotected carries the reason"
status=$(fetch "$front/status?auto")
like "$status" 'SRIUnprotected: [1-9]' "mod_status counts unprotected pages"
like "$(grep 'honour/page.html' "$root/logs/front.log" | head -1)" 'unprotected=- ' \
    "a rewritten page has no sri-unprotected note"

# A byte range of a proxied page: the backend's 206 holds bytes of the
# page before rewriting; it goes out as it is, but not in silence.
n0=$(grep -c 'GET /honour/page.html' "$root/logs/front.log")
out=$(fetch "$front/honour/page.html" -r 0-9 -D "$T/range.h")
is "$out" "$(head -c 10 "$root/gz/page.html")" "a Range request on a proxied page gets the backend's bytes"
like "$(cat "$T/range.h")" '^HTTP/1.1 206' "... in its 206"
log_count "$root/logs/front.log" 'GET /honour/page.html' $((n0 + 1)) >/dev/null
like "$(grep 'GET /honour/page.html' "$root/logs/front.log" | tail -n 1)" 'unprotected=partial content \(206\)' \
    "... with the note sri-unprotected"

# Not HTML: a gzip JavaScript file is neither decoded nor counted.
printf 'var x = 1;\n' | gzip -9 > "$site/static/app.js.gz"
fetch "$front/static/app.js.gz" -o "$T/app.js.gz"
check "a gzip non-HTML file passes untouched (not decoded)" cmp -s "$T/app.js.gz" "$site/static/app.js.gz"
unlike "$(grep 'app.js.gz' "$root/logs/front.log")" 'unprotected=[^-]' "... and is not counted as unprotected"

done_testing
