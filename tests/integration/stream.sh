#!/usr/bin/env bash
# tests/integration/stream.sh -- streamed and proxied HTML: a CGI that
# writes one byte per flush must come out exactly as the static file does;
# a gzip-compressing backend behind mod_proxy works through
# SetOutputFilter INFLATE;SRI;DEFLATE and without it; a large page streams
# through, served and proxied (the filter keeps proxied output across
# brigades until it has 64 KB: what it keeps must survive mod_proxy's next
# read, and what a backend writes before a pause must still go out at once,
# whether mod_proxy announces the pause with a FLUSH, as mod_proxy_http
# does, or not, as mod_proxy_fcgi does by default: only mod_proxy_http's
# output is kept).
. "${top_srcdir:?run me through make check}/tests/lib.sh" || exit 1
[ -x "$HTTPD_BIN" ] || skip_all "no httpd binary (install apache2)"
[ -f "$SRI_MODULE" ] || skip_all "module not built: $SRI_MODULE"
command -v perl >/dev/null || skip_all "perl is needed for the CGI"
PY=/usr/bin/python3; [ -x "$PY" ] || PY=$(command -v python3) || skip_all "python3 is needed for the FastCGI backend"

make_tmp
root=$T/root
port=$(free_port 127.0.0.1)
fport=$(free_port 127.0.0.4)        # the FastCGI backend
cdn="https://cdn.example.org"
httpd_conf "$root" "127.0.0.1:$port" "127.0.0.2:$port" "127.0.0.3:$port"
site=$root/htdocs
TA="sha384-oqVuAfXRKap7fdgcCY5uykM6+R9GqQ8K/uxy9rx7HNQlGYl1kPzQho1wx4JwY8wC"
printf '%s\n' "$cdn/a.js" "    integrity $TA" "$cdn/b.css" "    integrity $TA" > "$root/registry"

# A page with tags in every position a one-byte split can hit.
{
    echo "<!DOCTYPE html><html><head><title>a <script src=$cdn/a.js> in a title</title>"
    echo "<link rel=\"stylesheet\" href=\"$cdn/b.css\"><script"
    echo "  src = \"$cdn/a.js\""
    echo "  defer></script><!-- <script src=$cdn/a.js> -->"
    echo "<script>if (a < b && \"</scr\" + \"ipt>\") {}</script><script src='$cdn/a.js'/></script>"
    echo "</head><body><textarea><script src=$cdn/a.js></textarea>"
    echo "<p>ok</p><script src=$cdn/a.js></script></body></html>"
} > "$site/page.html"
mkdir -p "$root/cgi-bin" "$root/backend"
cp "$site/page.html" "$root/page.src"
{
    echo '#!/usr/bin/perl'
    echo '$| = 1;'
    echo 'print "Content-Type: text/html\r\n\r\n";'
    echo "open(my \$f, '<', '$root/page.src') or die;"
    echo 'local $/; my $s = <$f>;'
    echo 'for my $c (split //, $s) { print $c; select(undef, undef, undef, 0.001); }'
} > "$root/cgi-bin/bytes.cgi"
chmod 755 "$root/cgi-bin/bytes.cgi"
# A CGI that sends half a page, ending inside a <script> tag, and waits
# for the test to say "go": if the filter buffered, the test would not see
# the first half before saying go.
{
    echo '#!/usr/bin/perl'
    echo '$| = 1;'
    echo 'print "Content-Type: text/html\r\n\r\n";'
    echo 'print "<html><p>part1</p><script src=\"https://cdn.example.org/a";'
    echo "for (1..600) { last if -e '$root/go'; select(undef, undef, undef, 0.1); }"
    echo 'print ".js\"></script><p>part2</p></html>\n";'
} > "$root/cgi-bin/wait.cgi"
chmod 755 "$root/cgi-bin/wait.cgi"
# A CGI that sends the head of a page (a complete pinned tag included) and
# then pauses: no added time to first byte means the client gets that head,
# rewritten, while the CGI still waits.
{
    echo '#!/usr/bin/perl'
    echo '$| = 1;'
    echo 'print "Content-Type: text/html\r\n\r\n";'
    echo 'print "<html><head><script src=\"https://cdn.example.org/a.js\"></script></head>\n";'
    echo "for (1..600) { last if -e '$root/pgo1'; select(undef, undef, undef, 0.1); }"
    echo 'print "<body>part2</body></html>\n";'
} > "$root/cgi-bin/pause.cgi"
chmod 755 "$root/cgi-bin/pause.cgi"
cp "$site/page.html" "$root/backend/page.html"
mkdir -p "$root/backend3/nt"
cp "$site/page.html" "$root/backend3/page.html"
cp "$site/page.html" "$root/backend3/nt/page.html"

# a large page: 20 MB of text with a tag every 100 KB
big=$site/big.html
perl -e 'my $blk = ("x" x 99_900) . "\n"; for (1..200) { print "<script src=https://cdn.example.org/a.js></script>$blk" }' > "$big"
# a page of 1 MB whose every 8 KB differ (a tag each 500 bytes, numbered),
# served by the backend: pieces kept from one of mod_proxy's 8 KB reads to
# the next would show another read's bytes if they were not set aside
perl -e 'for my $i (1..2000) { printf "<p id=\"p%05d\">%s</p><script src=https://cdn.example.org/a.js></script>\n", $i, ("abcdefghij" x 40) . $i }' > "$root/backend3/mixed.html"
cp "$root/backend3/mixed.html" "$site/mixed.html"

{
    echo "LoadModule cgid_module $HTTPD_MODULES/mod_cgid.so"
    echo "LoadModule proxy_module $HTTPD_MODULES/mod_proxy.so"
    echo "LoadModule proxy_http_module $HTTPD_MODULES/mod_proxy_http.so"
    echo "LoadModule proxy_fcgi_module $HTTPD_MODULES/mod_proxy_fcgi.so"
    echo "LoadModule proxy_balancer_module $HTTPD_MODULES/mod_proxy_balancer.so"
    echo "LoadModule slotmem_shm_module $HTTPD_MODULES/mod_slotmem_shm.so"
    echo "LoadModule lbmethod_byrequests_module $HTTPD_MODULES/mod_lbmethod_byrequests.so"
    echo "LoadModule deflate_module $HTTPD_MODULES/mod_deflate.so"
    echo "LoadModule filter_module $HTTPD_MODULES/mod_filter.so"
    echo "LoadModule env_module $HTTPD_MODULES/mod_env.so"
    echo "ScriptSock \"$root/run/cgisock\""
    echo "SRIRegistry \"$root/registry\""
    echo "<VirtualHost 127.0.0.1:$port>"
    echo "    DocumentRoot \"$site\""
    echo "    SRIEngine On"
    echo "    ScriptAlias /cgi-bin/ \"$root/cgi-bin/\""
    echo "    <Location /app/>"
    echo "        ProxyPass http://127.0.0.2:$port/"
    echo "        SetOutputFilter INFLATE;SRI;DEFLATE"
    echo "    </Location>"
    echo "    <Proxy balancer://pool>"
    echo "        BalancerMember http://127.0.0.3:$port"
    echo "    </Proxy>"
    echo "    <Proxy balancer://fpool>"
    echo "        BalancerMember fcgi://127.0.0.4:$fport"
    echo "    </Proxy>"
    echo "    <Location /fbalancer/>"
    echo "        ProxyPass balancer://fpool/"
    echo "    </Location>"
    echo "    <Location /balproxy/>"
    echo "        ProxyPass balancer://pool/"
    echo "    </Location>"
    echo "    <Location /okproxy/>"
    echo "        ProxyPass http://127.0.0.3:$port/"
    echo "    </Location>"
    echo "    <Location /ntproxy/>"
    echo "        ProxyPass http://127.0.0.3:$port/nt/"
    echo "    </Location>"
    echo "    <Location /fcgi/>"
    echo "        ProxyPass fcgi://127.0.0.4:$fport/"
    echo "    </Location>"
    echo "    <Location /fcgiplain/>"
    echo "        ProxyPass fcgi://127.0.0.4:$fport/"
    echo "        SRIEngine Off"
    echo "    </Location>"
    echo "    <Location /cgiproxy/>"
    echo "        ProxyPass http://127.0.0.3:$port/cgi-bin/"
    echo "    </Location>"
    echo "    <Location /plainproxy/>"
    echo "        ProxyPass http://127.0.0.2:$port/"
    echo "    </Location>"
    echo "</VirtualHost>"
    echo "<VirtualHost 127.0.0.2:$port>"
    echo "    DocumentRoot \"$root/backend\""
    echo "    SetOutputFilter DEFLATE"
    echo "    SetEnv force-gzip 1"
    echo "</VirtualHost>"
    echo "<VirtualHost 127.0.0.3:$port>"
    echo "    ServerName 127.0.0.3"
    echo "    DocumentRoot \"$root/backend3\""
    echo "    ScriptAlias /cgi-bin/ \"$root/cgi-bin/\""
    echo "    <Location /nt/>"
    echo "        Header set Cache-Control no-transform"
    echo "    </Location>"
    echo "</VirtualHost>"
} >> "$root/conf/httpd.conf"
"$PY" "$top_srcdir/tests/integration/fcgi_backend.py" 127.0.0.4 "$fport" "$root" 2>"$T/fcgi.err" &
fcgi_pid=$!
at_exit "kill $fcgi_pid 2>/dev/null; wait $fcgi_pid 2>/dev/null"
for _ in $(seq 1 300); do (exec 3<>"/dev/tcp/127.0.0.4/$fport") 2>/dev/null && break; sleep 0.1; done
(exec 3<>"/dev/tcp/127.0.0.4/$fport") 2>/dev/null || bail "the FastCGI backend did not listen in 30 s"
httpd_start "$root" || bail "httpd did not start"

static=$(fetch "http://127.0.0.1:$port/page.html")
has "$static" "integrity=\"$TA\"" "static page rewritten"
n=$(printf '%s' "$static" | grep -o "integrity=\"$TA\"" | wc -l)
is "$n" 4 "four real tags pinned (title, comment, inline script, textarea untouched)"

fetch "http://127.0.0.1:$port/page.html" > "$T/static.out"
fetch "http://127.0.0.1:$port/cgi-bin/bytes.cgi" > "$T/cgi.out"
check "CGI writing one byte per flush gives the same bytes as the static file" \
    cmp -s "$T/static.out" "$T/cgi.out"

# streaming: what can be sent is sent before the CGI finishes
fetch "http://127.0.0.1:$port/cgi-bin/wait.cgi" -N > "$T/wait.out" &
curl_pid=$!
for _ in $(seq 1 300); do grep -q part1 "$T/wait.out" && break; sleep 0.1; done
first=$(cat "$T/wait.out")
touch "$root/go"
wait "$curl_pid"
has "$first" "<p>part1</p>" "bytes before a held tag reach the client while the CGI still runs"
unlike "$first" "<script" "the unfinished tag is held, not sent"
has "$(cat "$T/wait.out")" "<script src=\"https://cdn.example.org/a.js\" integrity=\"$TA\" crossorigin=\"anonymous\"></script><p>part2</p>" \
    "the held tag is completed and pinned when the rest arrives"

# fetch_in_pauses PATH NAME GATE MARK... -- fetch PATH while its source
# pauses: for each MARK, wait up to 30 s for it to arrive, keep what has
# arrived as $T/NAME.1, .2, ..., then end that pause (touch $root/GATE1,
# GATE2, ...); the whole response ends in $T/NAME.out
fetch_in_pauses() {
    local path=$1 name=$2 gate=$3 i=1 mark pid
    shift 3
    rm -f "$root/$gate"[0-9]
    fetch "http://127.0.0.1:$port$path" -N > "$T/$name.out" &
    pid=$!
    for mark in "$@"; do
        for _ in $(seq 1 300); do grep -q "$mark" "$T/$name.out" && break; sleep 0.1; done
        cp "$T/$name.out" "$T/$name.$i"
        touch "$root/$gate$i"
        i=$((i + 1))
    done
    wait "$pid"
}
pinned="<script src=\"https://cdn.example.org/a.js\" integrity=\"$TA\" crossorigin=\"anonymous\"></script>"

# no added time to first byte: the head arrives rewritten during the pause
# (the CGI waits up to 60 s; the test looks for 30 s at most)
fetch_in_pauses /cgi-bin/pause.cgi pause pgo '</head>'
has "$(cat "$T/pause.1")" "$pinned</head>" \
    "a head sent before a pause reaches the client rewritten while the CGI still waits"
unlike "$(cat "$T/pause.1")" "part2" "(the pause was real: the rest had not been sent)"
has "$(cat "$T/pause.out")" "<body>part2</body>" "the rest follows after the pause"

# the same through mod_proxy: the backend (another vhost, no SRI) runs the
# CGI; mod_proxy's FLUSH on the pause sends what the filter keeps
fetch_in_pauses /cgiproxy/pause.cgi ppause pgo '</head>'
has "$(cat "$T/ppause.1")" "$pinned</head>" \
    "proxied: a head sent before a pause reaches the client rewritten while the backend still waits"
unlike "$(cat "$T/ppause.1")" "part2" "(proxied: the pause was real)"
has "$(cat "$T/ppause.out")" "<body>part2</body>" "proxied: the rest follows after the pause"

# proxied, compressed upstream
fetch "http://127.0.0.1:$port/app/page.html" --compressed -D "$T/app.hdr" > "$T/app.out"
check "gzip upstream through INFLATE;SRI;DEFLATE is rewritten like the static file" \
    cmp -s "$T/static.out" "$T/app.out"
like "$(cat "$T/app.hdr")" '[Cc]ontent-[Ee]ncoding: gzip' "the client still gets gzip"
fetch "http://127.0.0.1:$port/plainproxy/page.html" --compressed > "$T/plain.out"
# (issue #11: an encoded page is no longer passed through unrewritten; it
# is decoded ahead of the filter, see tests/integration/encoded.sh)
check "a gzip response without INFLATE configured is decoded and rewritten like the static file" \
    cmp -s "$T/static.out" "$T/plain.out"

fetch "http://127.0.0.1:$port/okproxy/page.html" > "$T/ok.out"
check "a proxied identity page is rewritten like the static file" cmp -s "$T/static.out" "$T/ok.out"
fetch "http://127.0.0.1:$port/ntproxy/page.html" > "$T/nt.out"
check "a proxied page with Cache-Control: no-transform passes untouched" \
    cmp -s "$T/nt.out" "$root/backend3/nt/page.html"

# FastCGI (mod_proxy_fcgi, no FLUSH on a pause): what httpd alone sends
# before each of the backend's pauses, it sends with mod_sri too
fetch_in_pauses /fcgiplain/page fplain fgo '</head>' part1
has "$(cat "$T/fplain.1")" "</head>" "FastCGI without mod_sri: httpd sends the head during the first pause"
has "$(cat "$T/fplain.2")" "<p>part1</p>" "FastCGI without mod_sri: and the next part during the second"
fetch_in_pauses /fcgi/page fcgi fgo '</head>' part1
has "$(cat "$T/fcgi.1")" "$pinned</head>" "FastCGI: the head reaches the client rewritten during the first pause"
has "$(cat "$T/fcgi.2")" "<p>part1</p>$pinned" \
    "FastCGI: the next part reaches the client rewritten during the second pause"
unlike "$(cat "$T/fcgi.2")" "part2" "(FastCGI: the second pause was real)"
has "$(cat "$T/fcgi.out")" "<p>part2</p></body>" "FastCGI: the rest follows"
fetch_in_pauses /fbalancer/page fbal fgo '</head>' part1
has "$(cat "$T/fbal.2")" "<p>part1</p>$pinned" \
    "FastCGI behind a balancer: the next part reaches the client during the second pause"

# 1 MB proxied in mod_proxy's 8 KB reads, kept and passed in 64 KB pieces:
# the same bytes as the page served directly
fetch "http://127.0.0.1:$port/mixed.html" > "$T/mixed.static"
fetch "http://127.0.0.1:$port/okproxy/mixed.html" > "$T/mixed.proxied"
is "$(grep -o "integrity=\"$TA\"" "$T/mixed.static" | wc -l)" 2000 \
    "1 MB page: every tag pinned"
check "1 MB proxied page: byte for byte the page served directly" \
    cmp -s "$T/mixed.static" "$T/mixed.proxied"
fetch "http://127.0.0.1:$port/balproxy/mixed.html" > "$T/mixed.balanced"
check "1 MB page proxied through a balancer: byte for byte the page served directly" \
    cmp -s "$T/mixed.static" "$T/mixed.balanced"

# large page: streamed, all tags pinned, byte count exact
fetch "http://127.0.0.1:$port/big.html" > "$T/big.out"
n=$(grep -o "integrity=\"$TA\"" "$T/big.out" | wc -l)
is "$n" 200 "20 MB page: every tag pinned"
add=$(printf ' integrity="%s" crossorigin="anonymous"' "$TA" | wc -c)
is "$(stat -c %s "$T/big.out")" "$(( $(stat -c %s "$big") + 200 * add ))" \
    "20 MB page: size is the file plus the attributes"

done_testing
