#!/usr/bin/env bash
# tests/integration/registry.sh -- the registry's life in a running httpd:
# an invalid registry fails configtest and startup with file:line; a change
# is picked up without restart; a broken or deleted file keeps the last good
# version (logged once); ETags and a static page's Last-Modified follow the
# registry version so a cached page never pairs with new hashes and 304s
# stay right.
. "${top_srcdir:?run me through make check}/tests/lib.sh" || exit 1
[ -x "$HTTPD_BIN" ] || skip_all "no httpd binary (install apache2)"
[ -f "$SRI_MODULE" ] || skip_all "module not built: $SRI_MODULE"

make_tmp
root=$T/root
port=$(free_port 127.0.0.1)
cdn="https://cdn.example.org"
httpd_conf "$root" "127.0.0.1:$port"
site=$root/htdocs
TA="sha384-oqVuAfXRKap7fdgcCY5uykM6+R9GqQ8K/uxy9rx7HNQlGYl1kPzQho1wx4JwY8wC"
TB="sha384-H8BRh8j48O9oYatfu5AZzq6A9RINhZO5H16dQZngK7T62em8MUt1FLm52t+eX6xO"

put_registry() {   # atomically, as an editor or sri-registry would
    printf '%s\n' "$@" > "$root/registry.new"
    chmod 644 "$root/registry.new"
    mv "$root/registry.new" "$root/registry"
}
put_registry "$cdn/a.js" "    integrity $TA"
printf '<script src="%s/a.js"></script>\n' "$cdn" > "$site/index.html"
cat >> "$root/conf/httpd.conf" <<EOF
SRIEngine On
SRIRegistry "$root/registry"
SRIRegistryCheckInterval 1
EOF

# --- configtest and startup refuse a bad registry, naming file:line ---------
cp "$root/registry" "$T/good"
printf '%s\n' "$cdn/a.js" "    integrity $TA" "$cdn/b.js" "    integrity sha384-tooshort" > "$root/registry"
out=$(httpd_cmd -d "$root" -f "$root/conf/httpd.conf" -t 2>&1); rc=$?
is "$rc" 1 "configtest fails on an invalid registry"
like "$out" "$root/registry:4" "configtest names the registry file and line"
printf '%s\n' "$cdn/a.js" "    integrity $TA" "$cdn/a.js" "    integrity $TB" > "$root/registry"
out=$(httpd_cmd -d "$root" -f "$root/conf/httpd.conf" -t 2>&1)
like "$out" "$root/registry:3" "a duplicate URL is an error with its line"
rm -f "$root/registry"
out=$(httpd_cmd -d "$root" -f "$root/conf/httpd.conf" -t 2>&1)
like "$out" "SRIRegistry: .*$root/registry" "a missing registry fails configtest"
cp "$T/good" "$root/registry"
out=$(httpd_cmd -d "$root" -f "$root/conf/httpd.conf" -t 2>&1)
like "$out" "Syntax OK" "configtest passes with a valid registry"
echo "SRIUnknown sometimes" >> "$root/conf/httpd.conf"
out=$(httpd_cmd -d "$root" -f "$root/conf/httpd.conf" -t 2>&1)
like "$out" "SRIUnknown must be allow, log or block" "a bad directive value fails configtest"
sed -i '$d' "$root/conf/httpd.conf"

# the page older than the registry, as after a deploy of new hashes
echo 'console.log(1)' > "$site/app.js"
touch -d '2020-01-01 00:00:00 UTC' "$site/index.html" "$site/app.js"
touch -d '2024-01-01 00:00:00 UTC' "$root/registry"
httpd_start "$root" || bail "httpd did not start"
url="http://127.0.0.1:$port/index.html"
etag_of() { fetch "$url" -D - -o /dev/null | sed -n 's/^ETag: //p' | tr -d '\r'; }
lm_of() { fetch "$1" -D - -o /dev/null | sed -n 's/^Last-Modified: //p' | tr -d '\r'; }
ims_code() { fetch "$url" -o /dev/null -w '%{http_code}' -H "If-Modified-Since: $1"; }

body=$(fetch "$url")
has "$body" "integrity=\"$TA\"" "first registry version served"
etag1=$(etag_of)

# --- Last-Modified: the later of the page's and the registry's ---------------
http_date() { LC_ALL=C date -u -d "@$1" '+%a, %d %b %Y %H:%M:%S GMT'; }
lm1=$(lm_of "$url")
# the registry's install time: its ctime (touch -d set only the mtime back)
is "$lm1" "$(http_date "$(stat -c %Z "$root/registry")")" \
    "a static page's Last-Modified is the registry's install time when that is later"
is "$(lm_of "http://127.0.0.1:$port/")" "$lm1" "... also through DirectoryIndex"
is "$(ims_code "$lm1")" 304 "If-Modified-Since with that date gets 304"
is "$(ims_code "Wed, 01 Jan 2020 00:00:00 GMT")" 200 \
    "If-Modified-Since with the page file's own date gets the page"
is "$(lm_of "http://127.0.0.1:$port/app.js")" "Wed, 01 Jan 2020 00:00:00 GMT" \
    "a file mod_sri does not rewrite keeps its own Last-Modified"

# --- live reload -------------------------------------------------------------
# (a second after the first install: HTTP dates have whole seconds, and two
# versions installed within one share a Last-Modified, as two edits of any
# file within one second do)
sleep 1
put_registry "$cdn/a.js" "    integrity $TB"
sleep 1.3
body=$(fetch "$url")
has "$body" "integrity=\"$TB\"" "a changed registry is used without restart"
etag2=$(etag_of)
[ -n "$etag1" ] && [ "$etag1" != "$etag2" ] && ok "the ETag changes with the registry" \
    || not_ok "the ETag changes with the registry" "$etag1 vs $etag2"
code=$(fetch "$url" -o /dev/null -w '%{http_code}' -H "If-None-Match: $etag1")
is "$code" 200 "a validator from the old registry version gets the new page"
code=$(fetch "$url" -o /dev/null -w '%{http_code}' -H "If-None-Match: $etag2")
is "$code" 304 "the current validator gets 304"
code=$(ims_code "$lm1")
is "$code" 200 "If-Modified-Since from before the registry changed gets the new page"
lm2=$(lm_of "$url")
[ -n "$lm2" ] && [ "$lm2" != "$lm1" ] && ok "Last-Modified moves with the registry ($lm2)" \
    || not_ok "Last-Modified moves with the registry" "$lm1 vs $lm2"
is "$(ims_code "$lm2")" 304 "If-Modified-Since with the new date gets 304"
# a roll-back that brings an older file back (mv of a kept copy, its old
# mtime with it) is still a newer version: dated by its install
sleep 1
cp "$T/good" "$root/registry.old" && chmod 644 "$root/registry.old"
touch -d '2024-01-01 00:00:00 UTC' "$root/registry.old"
mv "$root/registry.old" "$root/registry"
sleep 1.3
has "$(fetch "$url")" "integrity=\"$TA\"" "the rolled-back registry is served"
is "$(ims_code "$lm2")" 200 "If-Modified-Since from before a roll-back gets the rolled-back page"
put_registry "$cdn/a.js" "    integrity $TB"     # B again, for what follows
sleep 1.3
has "$(fetch "$url")" "integrity=\"$TB\"" "... and B again after it"

# --- a broken registry at runtime: last good stays, logged once -------------
put_registry "$cdn/a.js" "    integrity sha999-nope"
sleep 1.3
body=$(fetch "$url"); sleep 1.2; fetch "$url" >/dev/null; fetch "$url" >/dev/null
has "$body" "integrity=\"$TB\"" "a broken registry keeps the last good version"
n=$(grep -c "keeping the last good version" "$root/logs/error.log")
is "$n" 1 "the broken file is reported once"
like "$(cat "$root/logs/error.log")" "$root/registry:2" "the report names file:line"

rm -f "$root/registry"
sleep 1.3
body=$(fetch "$url")
has "$body" "integrity=\"$TB\"" "a deleted registry keeps the last good version"
put_registry "$cdn/a.js" "    integrity $TA"
sleep 1.3
body=$(fetch "$url")
has "$body" "integrity=\"$TA\"" "a good registry after a bad one is picked up"

# --- graceful restart re-reads it ----------------------------------------------
sed -i 's/^SRIRegistryCheckInterval 1$/SRIRegistryCheckInterval 0/' "$root/conf/httpd.conf"
httpd_graceful "$root"
put_registry "$cdn/a.js" "    integrity $TB"
sleep 1.3
body=$(fetch "$url")
has "$body" "integrity=\"$TA\"" "SRIRegistryCheckInterval 0: no check at runtime"
httpd_graceful "$root"
body=$(fetch "$url")
has "$body" "integrity=\"$TB\"" "a graceful restart loads the new registry"

done_testing
