#!/usr/bin/env bash
# tests/faults/registry.sh -- the registry file goes wrong while httpd runs:
# replaced by binary garbage, truncated in the middle of an entry or to zero
# bytes, deleted, made unreadable (and then readable again), replaced by a
# directory.
#
# Why: a broken registry must neither break pages nor silently stop
# protecting them.  After each fault the last good version must stay in
# use, the error must be logged once per change (not once per request), and
# the next good file must be picked up.  One child process
# (HTTPD_SERVERS=1), so "once" is exact.
. "${top_srcdir:?run me through make check}/tests/lib.sh" || exit 1
[ -x "$HTTPD_BIN" ] || skip_all "no httpd binary (install apache2)"
[ -f "$SRI_MODULE" ] || skip_all "module not built: $SRI_MODULE"

make_tmp
root=$T/root
port=$(free_port 127.0.0.1)
HTTPD_SERVERS=1 httpd_conf "$root" "127.0.0.1:$port"
site=$root/htdocs
cdn="https://cdn.example.org"
TA="sha384-oqVuAfXRKap7fdgcCY5uykM6+R9GqQ8K/uxy9rx7HNQlGYl1kPzQho1wx4JwY8wC"
TB="sha384-H8BRh8j48O9oYatfu5AZzq6A9RINhZO5H16dQZngK7T62em8MUt1FLm52t+eX6xO"
TC="sha384-Li9vy3DqF8tnTXuiaAJuML3ky+er10rcgNR/VqsVpcw+ThHmYcwiB1pbOxEbzJr7"
reg=$root/registry
for v in A B C; do
    eval "t=\$T$v"
    printf '%s\n' "# version $v" "$cdn/a.js" "    integrity $t" "$cdn/b.js" "    integrity $t" > "$T/reg.$v"
done
put() {   # put FILE [MODE]: atomically, as an editor or sri-registry would
    cp "$1" "$reg.new" && chmod "${2:-644}" "$reg.new" && mv -f "$reg.new" "$reg"
}
put "$T/reg.A"
printf '<script src="%s/a.js"></script><script src="%s/b.js"></script>\n' "$cdn" "$cdn" > "$site/index.html"
mkdir -p "$root/cgi-bin"
{
    echo '#!/usr/bin/perl'
    echo '# a page of 25 pinned tags: the first, then (once the test has'
    echo '# made the file slowgo, or after 60 s) the others, one every 0.1 s'
    echo '$| = 1;'
    echo 'print "Content-Type: text/html\r\n\r\n";'
    echo 'print "<script src=\"https://cdn.example.org/a.js\"></script>\n";'
    echo "for (1..1200) { last if -e '$root/slowgo'; select(undef, undef, undef, 0.05); }"
    echo 'for (2..25) { print "<script src=\"https://cdn.example.org/a.js\"></script>\n"; select(undef, undef, undef, 0.1); }'
} > "$root/cgi-bin/slow.cgi"
chmod 755 "$root/cgi-bin/slow.cgi"
{
    echo "LoadModule cgid_module $HTTPD_MODULES/mod_cgid.so"
    echo "ScriptSock \"$root/run/cgisock\""
    echo "ScriptAlias /cgi-bin/ \"$root/cgi-bin/\""
    echo "SRIEngine On"
    echo "SRIRegistry \"$reg\""
    echo "SRIRegistryCheckInterval 1"
} >> "$root/conf/httpd.conf"
httpd_start "$root" || bail "httpd did not start"
children() { ps --ppid "$HTTPD_PID" -o pid= | tr -d ' ' | sort -n | tr '\n' ' '; }
# httpd answers on its port before its children are up: one request (only
# a worker thread can answer it) first, so that all of them are counted
fetch "http://127.0.0.1:$port/" -o /dev/null
kids=$(children)
url="http://127.0.0.1:$port/index.html"

version() {   # which registry version the page carries: A, B, C, none or mixed
    local body n
    body=$(fetch "$url")
    for v in A B C; do
        eval "t=\$T$v"
        n=$(printf '%s' "$body" | grep -o "integrity=\"$t\"" | wc -l)
        [ "$n" = 2 ] && { echo $v; return; }
        [ "$n" = 0 ] || { echo mixed; return; }
    done
    echo none
}
errors() { grep -c 'SRI: registry' "$root/logs/error.log"; }
# after_change: the first request past the check interval loads the file;
# a second one past another interval checks it again (and must not log a
# bad file again)
after_change() { sleep 1.1; version > "$T/v1"; sleep 1.05; version; }
after_good() { sleep 1.1; version; }

is "$(version)" A "version A served at start"

# a response that is being written when the registry changes keeps the
# version it started with, while a request in the middle gets the new one
sleep 1.1
fetch "http://127.0.0.1:$port/cgi-bin/slow.cgi" --no-buffer > "$T/slow.out" &   # unbuffered: polled below
slow=$!
for _ in $(seq 1 400); do grep -q integrity "$T/slow.out" && break; sleep 0.05; done
grep -q integrity "$T/slow.out" || bail "the slow CGI sent nothing in 20 s"
put "$T/reg.B"
sleep 1.2
mid=$(version)
touch "$root/slowgo"            # the rest of the long response
wait "$slow"
is "$mid" B "a request during a long response sees the new registry"
is "$(grep -c "integrity=\"$TA\"" "$T/slow.out")" 25 "the long response carries the version it started with, to its end"

# fault FILE-ACTION DESCRIPTION: the fault keeps the last good version and
# logs exactly one error
fault() {
    local before=$1 what=$2 e0 got
    e0=$(errors)
    got=$(after_change)
    is "$got" "$before" "$what: the last good version stays"
    is "$(( $(errors) - e0 ))" 1 "$what: one error logged for the change"
}
recover() {   # recover V: a good file for version V is picked up
    put "$T/reg.$1"
    is "$(after_good)" "$1" "a good file after that is picked up (version $1)"
}

# binary garbage
put "$T/reg.A"; after_good >/dev/null
perl -e 'my $s = 42; for (1..4096) { $s = ($s * 1103515245 + 12345) % 2147483648; print chr($s >> 16 & 255) }' > "$T/garbage"
put "$T/garbage"
fault A "binary garbage"
tail -n 1 "$root/logs/error.log" | grep -q "$reg" && ok "the error names the file" \
    || not_ok "the error names the file" "$(tail -n 1 "$root/logs/error.log")"
recover B

# truncated in the middle of a token (a copy that stopped half-way)
head -c $(( $(stat -c %s "$T/reg.A") - 30 )) "$T/reg.A" > "$T/truncated"
put "$T/truncated"
fault B "truncated in the middle of an entry"
recover A

# deleted
rm -f "$reg"
fault A "deleted"
recover B

# a directory where the file was
mkdir "$reg.dir" && mv "$reg" "$T/saved" && mv "$reg.dir" "$reg"
fault B "replaced by a directory"
rmdir "$reg"
recover A

# unreadable: the children read the file as the user httpd runs as
worker_uid() {   # the user of the child that serves requests (the one with threads)
    local k
    for k in $kids; do
        [ "$(sed -n 's/^Threads:[[:space:]]*//p' "/proc/$k/status")" -gt 1 ] && stat -c %u "/proc/$k"
    done | head -n 1
}
if [ "$(worker_uid)" = 0 ]; then
    ok "# SKIP unreadable registry: the child runs as root, which reads any file"
    ok "# SKIP unreadable registry: logged once"
    ok "# SKIP unreadable registry: readable again"
else
    put "$T/reg.C" 000
    fault A "unreadable (mode 000)"
    chmod 644 "$reg"
    is "$(after_good)" C "the same file made readable again (chmod 644) is picked up"
fi

# truncated to zero bytes (an editor or a full disk that wrote nothing):
# an empty file is not a registry anyone meant to deploy; pins must not
# silently vanish
recover B
: > "$T/empty"
e0=$(errors)
put "$T/empty"
is "$(after_change)" B "truncated to zero bytes: the last good version stays"
is "$(( $(errors) - e0 ))" 1 "truncated to zero bytes: one error logged"

is "$(children)" "$kids" "the same child process is alive at the end (none crashed)"
check "httpd is alive" kill -0 "$HTTPD_PID"
unlike "$(cat "$root/logs/error.log")" 'Segmentation fault|exit signal|AH00052|AH00060' "no child crashed"

done_testing
