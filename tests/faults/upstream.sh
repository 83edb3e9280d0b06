#!/usr/bin/env bash
# tests/faults/upstream.sh -- broken upstreams and clients through a real
# httpd: a backend that resets the connection mid-response behind
# mod_proxy; clients that go away mid-stream (slow proxied page, large
# static page); a 200 MB page streamed from a backend with the memory of
# the child process flat.
#
# Why: in production the filter sees truncated bodies, aborted connections
# and pages far larger than any buffer.  None of that may crash a child,
# leak the rest of the process's life, disguise a truncated page as a
# complete one, or make the filter buffer a whole response.
. "${top_srcdir:?run me through make check}/tests/lib.sh" || exit 1
[ -x "$HTTPD_BIN" ] || skip_all "no httpd binary (install apache2)"
[ -f "$SRI_MODULE" ] || skip_all "module not built: $SRI_MODULE"
PY=/usr/bin/python3; [ -x "$PY" ] || PY=$(command -v python3) || skip_all "python3 is needed for the backend"
command -v perl >/dev/null || skip_all "perl is needed"
[ -f "$HTTPD_MODULES/mod_proxy_http.so" ] || skip_all "mod_proxy_http is not installed"

make_tmp
root=$T/root
port=$(free_port 127.0.0.1)
bport=$(free_port 127.0.0.3)
HTTPD_SERVERS=1 httpd_conf "$root" "127.0.0.1:$port"
site=$root/htdocs
cdn="https://cdn.example.org"
TA="sha384-oqVuAfXRKap7fdgcCY5uykM6+R9GqQ8K/uxy9rx7HNQlGYl1kPzQho1wx4JwY8wC"
PIN=" integrity=\"$TA\" crossorigin=\"anonymous\""
printf '%s\n' "$cdn/a.js" "    integrity $TA" > "$root/registry"
chmod 644 "$root/registry"
printf '<p>index</p><script src="%s/a.js"></script>\n' "$cdn" > "$site/index.html"
# 20 MB static page for a client that leaves half-way
perl -e 'my $b = "<script src=\"https://cdn.example.org/a.js\"></script>" . ("y" x 99_900) . "\n"; print $b for 1..200' > "$site/big.html"

mkdir -p "$root/cgi-bin"
{
    echo '#!/usr/bin/perl'
    echo '# a page that takes 10 s: a pinned tag every 0.1 s'
    echo '$| = 1;'
    echo 'print "Content-Type: text/html\r\n\r\n";'
    echo 'for (1..100) { print "<p>$_</p><script src=\"https://cdn.example.org/a.js\"></script>\n"; select(undef, undef, undef, 0.1); }'
} > "$root/cgi-bin/slow.cgi"
chmod 755 "$root/cgi-bin/slow.cgi"

"$PY" "$top_srcdir/tests/faults/backend.py" 127.0.0.3 "$bport" 2>"$T/backend.err" &
backend=$!
at_exit "kill $backend 2>/dev/null; wait $backend 2>/dev/null"
for _ in $(seq 1 300); do (exec 3<>"/dev/tcp/127.0.0.3/$bport") 2>/dev/null && break; sleep 0.1; done
(exec 3<>"/dev/tcp/127.0.0.3/$bport") 2>/dev/null || bail "the test backend did not listen in 30 s"

{
    echo "LoadModule proxy_module $HTTPD_MODULES/mod_proxy.so"
    echo "LoadModule proxy_http_module $HTTPD_MODULES/mod_proxy_http.so"
    echo "LoadModule cgid_module $HTTPD_MODULES/mod_cgid.so"
    echo "ScriptSock \"$root/run/cgisock\""
    echo "ScriptAlias /cgi-bin/ \"$root/cgi-bin/\""
    echo "SRIEngine On"
    echo "SRIRegistry \"$root/registry\""
    echo "ProxyPass /up/ http://127.0.0.3:$bport/"
} >> "$root/conf/httpd.conf"
httpd_start "$root" || bail "httpd did not start"
children() { ps --ppid "$HTTPD_PID" -o pid= | tr -d ' ' | sort -n | tr '\n' ' '; }
# httpd answers on its port before its children are up: one request (only
# a worker thread can answer it) first, so that all of them are counted
fetch "http://127.0.0.1:$port/" -o /dev/null
kids=$(children)
worker() {   # the child that serves requests (cgid's daemon has one thread)
    local k
    for k in $kids; do
        [ "$(sed -n 's/^Threads:[[:space:]]*//p' "/proc/$k/status")" -gt 1 ] && echo "$k"
    done
}
kid=$(worker)
is "$(echo $kid | wc -w)" 1 "one child process serves requests"
hwm_kb() { sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\).*/\1/p' "/proc/$1/status" 2>/dev/null; }
index_ok() {   # the server still answers, and rewrites
    has "$(fetch "http://127.0.0.1:$port/index.html")" "<script src=\"$cdn/a.js\"$PIN></script>" "$1"
}
index_ok "the server answers before the faults"

# --- backend resets the connection mid-response ---------------------------------
curl -sS --noproxy '*' --max-time 20 -o "$T/abort.got" "http://127.0.0.1:$port/up/abort" 2>"$T/abort.err"
rc=$?
like "$rc" '^(18|52|56)$' "a backend reset mid-response reaches the client as a truncated response (curl exit $rc)"
want="<html><p>before</p><script src=\"$cdn/a.js\"$PIN></script><p>middle</p>"
got=$(cat "$T/abort.got")
is "${got:0:${#want}}" "$want" "the part before the reset is rewritten as usual"
index_ok "the server answers after a backend reset"

# --- clients that leave mid-stream -----------------------------------------------
for i in 1 2 3 4 5; do
    curl -sS --noproxy '*' --max-time 0.5 -o /dev/null "http://127.0.0.1:$port/up/slow" 2>/dev/null
    rc=$?
    [ "$rc" = 28 ] || break
done
is "$rc" 28 "clients leaving a slow proxied page mid-stream (5 times)"
for i in 1 2 3 4 5; do
    curl -sS --noproxy '*' --max-time 0.5 -o "$T/cgi.out" "http://127.0.0.1:$port/cgi-bin/slow.cgi" 2>/dev/null
    rc=$?
    [ "$rc" = 28 ] || break
done
is "$rc" 28 "clients leaving a slow CGI page mid-stream (5 times)"
# what was streamed before the client left: from a client that stays 3 s
# (the page takes 10), since a loaded machine may take more than the 0.5 s
# above to start the CGI
curl -sS --noproxy '*' --max-time 3 -o "$T/cgi.out" "http://127.0.0.1:$port/cgi-bin/slow.cgi" 2>/dev/null
is "$?" 28 "a client leaving the slow CGI page after 3 s"
has "$(cat "$T/cgi.out")" "<p>1</p><script src=\"$cdn/a.js\"$PIN></script>" "the slow CGI page was streamed, pinned, until the client left"
for i in 1 2 3 4 5; do
    curl -sS --noproxy '*' --max-time 0.3 --limit-rate 2M -o /dev/null "http://127.0.0.1:$port/big.html" 2>/dev/null
    rc=$?
    [ "$rc" = 28 ] || break
done
is "$rc" 28 "clients leaving a 20 MB static page mid-stream (5 times)"
index_ok "the server answers after the clients left"
fetch "http://127.0.0.1:$port/big.html" -o "$T/big.got"
add=${#PIN}
is "$(stat -c %s "$T/big.got")" "$(( $(stat -c %s "$site/big.html") + 200 * add ))" \
    "the 20 MB page is served whole to a client that stays"

# --- 200 MB streamed from a backend: memory flat ------------------------------------
fetch "http://127.0.0.1:$port/up/big?2" -o /dev/null    # warm up
before=$(hwm_kb "$kid")
res=$(fetch "http://127.0.0.1:$port/up/big?200" --max-time 120 | perl -ne '$n += () = /integrity="/g; $b += length; END { print "$b $n" }')
after=$(hwm_kb "$kid")
echo "# child $kid VmHWM: $before kB before the 200 MB page, $after kB after"
is "$res" "$(( 200 * 1048576 + 3200 * add )) 3200" "200 MB streamed page: every tag pinned, size exact"
if [ -n "$before" ] && [ -n "$after" ] && [ $((after - before)) -le 16384 ]; then
    ok "200 MB streamed page: peak memory of the child grew $((after - before)) kB (limit 16 MB)"
else
    not_ok "200 MB streamed page: peak memory of the child grew $((${after:-0} - ${before:-0})) kB (limit 16 MB)"
fi

is "$(children)" "$kids" "the same child process is alive at the end (none crashed)"
check "httpd is alive" kill -0 "$HTTPD_PID"
unlike "$(cat "$root/logs/error.log")" 'Segmentation fault|exit signal|AH00052|AH00060' "no child crashed"

done_testing
