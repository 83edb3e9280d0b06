#!/bin/bash
# tests/tool/fetch.sh -- add/refresh/verify/approve against a real HTTPS origin.
#
# Why: what sri-registry pins must be what the browser will get, fetched
# safely.  This starts its own httpd (no mod_sri; mod_ssl with a CA and a
# certificate generated here; 127.0.0.1 only) serving scripts with and
# without Access-Control-Allow-Origin, a gzip-encoded one, a redirect to
# plain http, and a script whose bytes depend on the User-Agent; then it
# tampers with a served file and checks that drift is caught, recorded as
# pending, never approved silently, and reported with exit code 3.  An npm
# registry stand-in (metadata JSON and tarballs as static files) checks the
# second source: a good package, a doctored tarball, a tarball that does
# not match its metadata.
. "${top_srcdir:?run me through make check}/tests/lib.sh" || exit 1
[ -x "$SRI_TOOL" ] || skip_all "sri-registry not built"
[ -n "$HTTPD_BIN" ] || skip_all "no httpd binary"
for m in ssl headers alias rewrite; do
    [ -f "$HTTPD_MODULES/mod_$m.so" ] || skip_all "mod_$m not installed"
done
command -v openssl >/dev/null || skip_all "openssl not installed"
unset SRI_REGISTRY http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy
export NO_PROXY='*' no_proxy='*'
make_tmp
R="$SRI_TOOL"
S=$T/srv
mkdir -p "$S/ca" "$S/htdocs/cors" "$S/htdocs/nocors" "$S/htdocs/gz" "$S/htdocs/vary"

# ---- a CA and a server certificate for 127.0.0.1 ------------------------------
make_test_ca "$S/ca" 127.0.0.1 "sri-registry test CA" || bail "cannot generate certificates"
CA=$S/ca/ca.crt

# ---- content ------------------------------------------------------------------
printf 'console.log("lib 1.0");\n' > "$S/htdocs/cors/lib-1.0.js"
printf 'console.log("other 2.0");\n' > "$S/htdocs/cors/other-2.0.js"
mkdir -p "$S/htdocs/cors/latest"
printf 'console.log("latest");\n' > "$S/htdocs/cors/latest/lib.js"
printf 'console.log("no cors 1.0");\n' > "$S/htdocs/nocors/lib-1.0.js"
printf 'console.log("gzipped 1.0");\n' > "$T/plain-gz.js"
gzip -9c "$T/plain-gz.js" > "$S/htdocs/gz/lib-1.0.js"
printf 'console.log("vary A");\n' > "$S/htdocs/vary/lib-1.0.js"
printf 'console.log("vary B");\n' > "$S/htdocs/vary/other.js"
head -c 200000 /dev/urandom | base64 > "$S/htdocs/cors/big-1.0.js"
chmod -R a+rX "$S/htdocs"

# ---- httpd: HTTPS on one port, plain HTTP on another -------------------------------
PS=$(free_port) || bail "no free port"
PH=$(free_port) || bail "no free port"
httpd_conf "$S" "127.0.0.1:$PS" "127.0.0.1:$PH"
sed -i '/sri_module/d' "$S/conf/httpd.conf"        # no mod_sri: a plain origin
cat >> "$S/conf/httpd.conf" <<EOC
LoadModule ssl_module $HTTPD_MODULES/mod_ssl.so
LoadModule rewrite_module $HTTPD_MODULES/mod_rewrite.so
<Location /cors/>
    Header set Access-Control-Allow-Origin "*"
</Location>
<Location /gz/>
    Header set Access-Control-Allow-Origin "*"
    Header set Content-Encoding gzip
</Location>
<Location /npm/>
    Header set Access-Control-Allow-Origin "*"
</Location>
<Location /vary/>
    Header set Access-Control-Allow-Origin "*"
</Location>
<VirtualHost 127.0.0.1:$PS>
    SSLEngine on
    SSLCertificateFile "$S/ca/server.crt"
    SSLCertificateKeyFile "$S/ca/server.key"
    Redirect /to-http/lib-1.0.js http://127.0.0.1:$PH/cors/lib-1.0.js
    Redirect /moved/lib.js https://127.0.0.1:$PS/cors/lib-1.0.js
    RewriteEngine on
    RewriteCond %{HTTP_USER_AGENT} variant
    RewriteRule ^/vary/lib-1.0.js\$ /vary/other.js [L]
</VirtualHost>
EOC
httpd_start "$S" || bail "httpd did not start"
H=https://127.0.0.1:$PS
cd "$T" || bail "no tmp"
hash_of() { "$R" hash "$1"; }

# ---- TLS: unknown CA refused, --cacert accepted --------------------------------------
"$R" -r reg add "$H/cors/lib-1.0.js" 2>err; is "$?" 2 "unknown CA: fetch error (exit 2)"
like "$(cat err)" "certificate" "unknown CA explained"
[ -f reg ] && not_ok "nothing written after a fetch error" || ok "nothing written after a fetch error"
out=$("$R" -r reg add "$H/cors/lib-1.0.js" --cacert "$CA" --why "test lib" --by tester 2>err)
is "$?" 0 "add over HTTPS with --cacert"
is "$out" "$H/cors/lib-1.0.js $(hash_of "$S/htdocs/cors/lib-1.0.js")" "add pins the served bytes (sha384)"
grep -q "^  cors ok$" reg && grep -q "^  verified " reg && ok "add records cors ok and verified" \
    || not_ok "add records cors ok and verified" "$(cat reg)"

# ---- http refused; http -> https only with --allow-http --------------------------------
"$R" -r reg add "http://127.0.0.1:$PH/cors/other-2.0.js" --cacert "$CA" 2>err
is "$?" 2 "plain http refused (exit 2)"
like "$(cat err)" "plain http refused" "plain http refusal explained"
"$R" -r reg add "http://127.0.0.1:$PH/cors/other-2.0.js" --allow-http >/dev/null 2>err
is "$?" 0 "plain http accepted with --allow-http"

# ---- https -> http redirect refused, even with --allow-http ----------------------------
"$R" -r reg add "$H/to-http/lib-1.0.js" --cacert "$CA" --allow-http 2>err
is "$?" 2 "https -> http redirect refused (exit 2)"
like "$(cat err)" "redirect" "redirect refusal explained"

# ---- CORS ------------------------------------------------------------------------
"$R" -r reg add "$H/nocors/lib-1.0.js" --cacert "$CA" 2>err
is "$?" 1 "no Access-Control-Allow-Origin: refused"
like "$(cat err)" "Access-Control-Allow-Origin.*crossorigin" "CORS refusal explains why"
grep -q nocors reg && not_ok "refused URL not recorded" || ok "refused URL not recorded"
"$R" -r reg add "$H/nocors/lib-1.0.js" --cacert "$CA" --no-cors-check >/dev/null 2>err
is "$?" 0 "--no-cors-check overrides"
is "$(sed -n '/nocors/,/^$/p' reg | grep -c '^  cors unchecked$')" 1 "recorded as cors unchecked"

# ---- compressed anyway: the decoded body is hashed --------------------------------------
out=$("$R" -r reg add "$H/gz/lib-1.0.js" --cacert "$CA" 2>err)
is "$?" 0 "add of a gzip-encoded response"
is "$out" "$H/gz/lib-1.0.js $(hash_of "$T/plain-gz.js")" "hash is of the decoded body"

# ---- bytes that vary by client; redirects; size cap ------------------------------------
"$R" -r reg add "$H/vary/lib-1.0.js" --cacert "$CA" 2>err
is "$?" 1 "bytes varying by User-Agent: refused"
like "$(cat err)" "different bytes to different clients" "unpinnable URL explained"
"$R" -r reg add "$H/moved/lib.js" --cacert "$CA" >/dev/null 2>err
is "$?" 0 "a redirecting URL can be added"
like "$(cat err)" "redirects to $H/cors/lib-1.0.js" "redirect flagged with the final URL"
"$R" -r reg add "$H/cors/latest/lib.js" --cacert "$CA" >/dev/null 2>err
is "$?" 0 "an unversioned URL can be added"
like "$(cat err)" "no version in its path" "unversioned path flagged"
"$R" -r reg remove "$H/cors/latest/lib.js" >/dev/null
"$R" -r reg add "$H/cors/big-1.0.js" --cacert "$CA" --max-size 1000 2>err
is "$?" 2 "size cap enforced (exit 2)"
like "$(cat err)" "larger than" "size cap explained"

# ---- refresh / verify: unchanged ---------------------------------------------------
"$R" -r reg remove "$H/moved/lib.js" >/dev/null
cp reg reg.before
out=$(SRI_REGISTRY_NOW=2030-01-01T00:00:00Z "$R" -r reg refresh --cacert "$CA" --allow-http 2>err)
is "$?" 0 "refresh with nothing changed exits 0"
is "$(grep -c '^  verified 2030-01-01T00:00:00Z$' reg)" 4 "refresh updates verified on every entry"
"$R" -r reg verify --cacert "$CA" --allow-http >/dev/null 2>&1; is "$?" 0 "verify exits 0"

# ---- tampering ----------------------------------------------------------------------
old=$(hash_of "$S/htdocs/cors/lib-1.0.js")
printf 'console.log("lib 1.0"); stealCards();\n' > "$S/htdocs/cors/lib-1.0.js"
new=$(hash_of "$S/htdocs/cors/lib-1.0.js")
cp reg reg.pre-verify
out=$("$R" -r reg verify --cacert "$CA" --allow-http 2>err)
is "$?" 3 "verify detects tampering (exit 3)"
like "$out" "CHANGED +$H/cors/lib-1.0.js" "verify names the changed URL"
cmp -s reg reg.pre-verify && ok "verify is read-only" || not_ok "verify is read-only"
out=$(SRI_REGISTRY_NOW=2030-01-02T00:00:00Z "$R" -r reg refresh --cacert "$CA" --allow-http --json 2>err)
is "$?" 3 "refresh detects tampering (exit 3)"
printf '%s' "$out" | /usr/bin/python3 -c '
import json, sys
d = json.load(sys.stdin)
ch = [r for r in d["results"] if r["status"] == "changed"]
sys.exit(0 if d["changed"] == 1 and len(ch) == 1 and ch[0]["token"] == sys.argv[1] else 1)' "$new"
is "$?" 0 "refresh --json reports the change and the new token"
is "$(sed -n "\#^$H/cors/lib-1.0.js\$#,/^\$/p" reg | grep '^  integrity')" "  integrity $old" \
    "the approved token is not replaced"
like "$(sed -n "\#^$H/cors/lib-1.0.js\$#,/^\$/p" reg)" "pending ${new//+/\\+} 2030-01-02T00:00:00Z" \
    "the new token is recorded as pending with its first-seen time"
page='<script src="'$H'/cors/lib-1.0.js"></script>'
like "$(printf '%s' "$page" | "$R" -r reg apply --url https://www.example.org/)" "integrity=\"${old//+/\\+}\"" \
    "pages keep the approved token while the change is pending"
SRI_REGISTRY_NOW=2030-01-03T00:00:00Z "$R" -r reg refresh --cacert "$CA" --allow-http >/dev/null 2>&1
is "$?" 3 "still drift on the next refresh"
like "$(sed -n "\#^$H/cors/lib-1.0.js\$#,/^\$/p" reg)" "pending ${new//+/\\+} 2030-01-02T00:00:00Z" \
    "first-seen time kept"

# ---- a fetch error alongside drift: 3 wins; error alone: 2 -------------------------------
rm "$S/htdocs/cors/other-2.0.js" 2>/dev/null
mv "$S/htdocs/gz/lib-1.0.js" "$S/htdocs/gz/gone.js"
"$R" -r reg verify --cacert "$CA" --allow-http >out 2>&1; is "$?" 3 "drift and errors: exit 3"
like "$(cat out)" "ERROR +$H/gz/lib-1.0.js: HTTP status 404" "the error names URL and reason"
mv "$S/htdocs/gz/gone.js" "$S/htdocs/gz/lib-1.0.js"

# ---- approve, then verify is clean again ------------------------------------------------
"$R" -r reg approve "$H/cors/lib-1.0.js" --by reviewer --why "vendor release 1.0.1" >/dev/null 2>&1
is "$?" 0 "approve the pending token"
"$R" -r reg verify --cacert "$CA" "$H/cors/lib-1.0.js" >/dev/null 2>&1; is "$?" 0 "verify of that URL clean after approval"
"$R" -r reg retire "$H/cors/lib-1.0.js" "$old" >/dev/null 2>&1; is "$?" 0 "retire the old token"
"$R" -r reg verify --cacert "$CA" "$H/cors/lib-1.0.js" >/dev/null 2>&1; is "$?" 0 "verify still clean"
"$R" -r reg verify --cacert "$CA" "http://127.0.0.1:$PH/cors/other-2.0.js" >/dev/null 2>&1
is "$?" 2 "fetch errors only: exit 2 (plain http not allowed)"
"$R" -r reg check 2>/dev/null; is "$?" 0 "registry valid after it all"

# ---- scan a fetched page; --add records unknown resources as pending ---------------
printf '<html><script src="%s"></script><link rel=stylesheet href="%s"><script src="/own.js"></script></html>' \
    "$H/cors/lib-1.0.js" "$H/cors/style-1.0.css" > "$S/htdocs/page.html"
printf 'body{}' > "$S/htdocs/cors/style-1.0.css"
chmod a+r "$S/htdocs/page.html" "$S/htdocs/cors/style-1.0.css"
out=$(SRI_REGISTRY_NOW=2030-02-01T00:00:00Z "$R" -r reg scan "http://127.0.0.1:$PH/page.html" --allow-http --cacert "$CA" --add 2>err)
is "$?" 0 "scan URL --add exits 0"
like "$out" "registered +script +$H/cors/lib-1.0.js" "scan of a fetched page finds the registered script"
like "$out" "added-pending $H/cors/style-1.0.css $(hash_of "$S/htdocs/cors/style-1.0.css" | sed 's/+/\\+/g')" \
    "scan --add records the unknown stylesheet as pending"
unlike "$out" "own.js" "same-origin script of a fetched page skipped"
like "$(sed -n "\#^$H/cors/style-1.0.css\$#,/^\$/p" reg)" "pending .* 2030-02-01T00:00:00Z" "pending with first-seen time"
like "$("$R" -r reg list)" "$H/cors/style-1.0.css - pending:" "list shows it as pending, not approved"
out=$("$R" -r reg verify --cacert "$CA" "$H/cors/style-1.0.css" 2>/dev/null)
is "$?" 0 "verify: a pending-only entry serving its pending token is not drift"
like "$out" "^unapproved $H/cors/style-1.0.css" "verify: it is listed as unapproved"

# ---- second source: an npm registry stand-in --------------------------------------
mkpkg() {   # mkpkg NAME VERSION CONTENT-FILE -> builds $S/htdocs/tarballs/NAME-VERSION.tgz
    rm -rf "$T/pkg" && mkdir -p "$T/pkg/package/dist" &&
    cp "$3" "$T/pkg/package/dist/index.js" &&
    printf '{"name":"%s","version":"%s"}' "$1" "$2" > "$T/pkg/package/package.json" &&
    tar -C "$T/pkg" -czf "$S/htdocs/tarballs/$1-$2.tgz" package
}
sri512() { printf 'sha512-%s' "$(openssl dgst -sha512 -binary "$1" | base64 -w0)"; }
meta() {    # meta NAME VERSION INTEGRITY
    printf '{"name":"%s","dist-tags":{"latest":"%s"},"versions":{"0.0.1":{"dist":{"tarball":"nowhere"}},"%s":{"name":"%s","dist":{"integrity":"%s","shasum":"x","tarball":"%s/tarballs/%s-%s.tgz"}}}}' \
        "$1" "$2" "$2" "$1" "$3" "$H" "$1" "$2" > "$S/htdocs/registry/$1"
}
mkdir -p "$S/htdocs/registry" "$S/htdocs/tarballs" "$S/htdocs/npm"
for p in good-1.0.0 doctored-2.0.0 badtar-3.0.0 missing-4.0.0; do
    mkdir -p "$S/htdocs/npm/${p%-*}@${p##*-}/dist"
    printf 'export const %s = 1;\n' "${p%-*}" > "$S/htdocs/npm/${p%-*}@${p##*-}/dist/index.js"
done
mkpkg good 1.0.0 "$S/htdocs/npm/good@1.0.0/dist/index.js"
meta good 1.0.0 "$(sri512 "$S/htdocs/tarballs/good-1.0.0.tgz")"
printf 'export const doctored = 1; exfiltrate();\n' > "$T/doctored.js"
mkpkg doctored 2.0.0 "$T/doctored.js"        # the package differs from the CDN
meta doctored 2.0.0 "$(sri512 "$S/htdocs/tarballs/doctored-2.0.0.tgz")"
mkpkg badtar 3.0.0 "$S/htdocs/npm/badtar@3.0.0/dist/index.js"
meta badtar 3.0.0 "$(sri512 "$S/htdocs/tarballs/good-1.0.0.tgz")"   # wrong integrity
meta missing 9.9.9 "$(sri512 "$S/htdocs/tarballs/good-1.0.0.tgz")"  # no 4.0.0
chmod -R a+rX "$S/htdocs"
NPM=(--cacert "$CA" --npm-registry "$H/registry" --npm-cdn "127.0.0.1:$PS=jsdelivr")

out=$("$R" -r npmreg add "$H/npm/good@1.0.0/dist/index.js" "${NPM[@]}" 2>err)
is "$?" 0 "npm: a file identical to the package is added"
like "$(cat err)" "cross-checked: identical to good@1.0.0/dist/index.js" "npm: says it was cross-checked"
grep -q "^  source npm-ok$" npmreg && ok "npm: source npm-ok recorded" || not_ok "npm: source npm-ok recorded" "$(cat npmreg)"
"$R" -r npmreg add "$H/npm/doctored@2.0.0/dist/index.js" "${NPM[@]}" 2>err
is "$?" 3 "npm: CDN bytes differing from the package are tampering (exit 3)"
like "$(cat err)" "second source disagrees \(npm-MISMATCH\)" "npm: mismatch explained"
grep -q doctored npmreg && not_ok "npm: tampered file not recorded" || ok "npm: tampered file not recorded"
"$R" -r npmreg add "$H/npm/badtar@3.0.0/dist/index.js" "${NPM[@]}" 2>err
is "$?" 3 "npm: a tarball not matching dist.integrity is tampering (exit 3)"
like "$(cat err)" "npm-BAD-TARBALL.*does not match the registry's dist.integrity" "npm: bad tarball explained"
"$R" -r npmreg add "$H/npm/missing@4.0.0/dist/index.js" "${NPM[@]}" >/dev/null 2>err
is "$?" 0 "npm: a version missing from the registry is added, not cross-checked"
like "$(cat err)" "not cross-checked: missing@4.0.0 is not in the npm registry" "npm: says why not cross-checked"
grep -q "^  source npm-no-file$" npmreg && ok "npm: source npm-no-file recorded" || not_ok "npm: source npm-no-file recorded"
# npm metadata is JSON read by a JSON reader: escaped '/' (\/ and \u002f)
# in the tarball URL and in dist.integrity decode to '/'.
mkdir -p "$S/htdocs/npm/escaped@1.0.0/dist"
printf 'export const escaped = 1;\n' > "$S/htdocs/npm/escaped@1.0.0/dist/index.js"
mkpkg escaped 1.0.0 "$S/htdocs/npm/escaped@1.0.0/dist/index.js"
esc_tar=$(printf '%s/tarballs/escaped-1.0.0.tgz' "$H" | sed 's#/#\\u002f#g')
esc_int=$(sri512 "$S/htdocs/tarballs/escaped-1.0.0.tgz" | sed 's#/#\\/#g')
printf '{"name":"escaped","versions":{"1.0.0":{"dist":{"integrity":"%s","tarball":"%s"}}}}' \
    "$esc_int" "$esc_tar" > "$S/htdocs/registry/escaped"
chmod -R a+rX "$S/htdocs"
"$R" -r npmreg add "$H/npm/escaped@1.0.0/dist/index.js" "${NPM[@]}" >/dev/null 2>err
is "$?" 0 "npm: metadata with \\u002f and \\/ escapes is read"
like "$(cat err)" "cross-checked: identical to escaped@1.0.0/dist/index.js" "npm: the escaped tarball URL was fetched and checked"
# cdnjs layout: /ajax/libs/NAME/VERSION/FILE maps to the package's FILE or dist/FILE
mkdir -p "$S/htdocs/ajax/libs/good/1.0.0"
cp "$S/htdocs/npm/good@1.0.0/dist/index.js" "$S/htdocs/ajax/libs/good/1.0.0/index.js"
chmod -R a+rX "$S/htdocs"
"$R" -r npmreg add "http://127.0.0.1:$PH/ajax/libs/good/1.0.0/index.js" --allow-http --no-cors-check \
    --cacert "$CA" --npm-registry "$H/registry" --npm-cdn "127.0.0.1:$PH=cdnjs" >/dev/null 2>err
is "$?" 0 "npm: a cdnjs-style URL is added"
like "$(cat err)" "cross-checked: identical to good@1.0.0/dist/index.js" "npm: cdnjs URL mapped to the package (dist/ fallback)"

# a long path (pax extended header in the tarball), as node-tar writes them
LONG=dist/$(printf 'very-long-directory-name-%s/' 1 2 3 4 5 6 7 8 9 10)index.js
mkdir -p "$S/htdocs/npm/longpath@1.2.3/$(dirname "$LONG")" "$T/lp/package/$(dirname "$LONG")"
printf 'export const deep = 1;\n' > "$S/htdocs/npm/longpath@1.2.3/$LONG"
cp "$S/htdocs/npm/longpath@1.2.3/$LONG" "$T/lp/package/$LONG"
tar --format=pax -C "$T/lp" -czf "$S/htdocs/tarballs/longpath-1.2.3.tgz" package
meta longpath 1.2.3 "$(sri512 "$S/htdocs/tarballs/longpath-1.2.3.tgz")"
chmod -R a+rX "$S/htdocs"
"$R" -r npmreg add "$H/npm/longpath@1.2.3/$LONG" "${NPM[@]}" >/dev/null 2>err
is "$?" 0 "npm: a file with a ${#LONG}-byte path (pax header) is found"
like "$(cat err)" "cross-checked" "npm: long path cross-checked"
"$R" -r npmreg add "$H/npm/doctored@2.0.0/dist/index.js" "${NPM[@]}" --no-npm-check >/dev/null 2>&1
is "$?" 0 "npm: --no-npm-check skips the second source"
"$R" -r npmreg verify "${NPM[@]}" "$H/npm/good@1.0.0/dist/index.js" >/dev/null 2>&1
is "$?" 0 "npm: verify of the good package is clean"
out=$("$R" -r npmreg verify "${NPM[@]}" "$H/npm/doctored@2.0.0/dist/index.js" 2>&1)
is "$?" 3 "npm: verify reports the doctored package (exit 3)"
like "$out" "TAMPERED +$H/npm/doctored@2.0.0/dist/index.js" "npm: verify names it TAMPERED"
printf 'export const good = 2; // changed on the CDN only\n' > "$S/htdocs/npm/good@1.0.0/dist/index.js"
out=$("$R" -r npmreg refresh "${NPM[@]}" --json "$H/npm/good@1.0.0/dist/index.js" 2>/dev/null)
is "$?" 3 "npm: CDN file changed under a fixed version: refresh exit 3"
printf '%s' "$out" | /usr/bin/python3 -c 'import json,sys; d=json.load(sys.stdin); sys.exit(0 if d["tampered"]==1 and d["results"][0]["source"]=="npm-MISMATCH" else 1)'
is "$?" 0 "npm: refresh --json reports tampered with source npm-MISMATCH"
grep -q "^  source npm-MISMATCH$" npmreg && ok "npm: refresh records the mismatch" || not_ok "npm: refresh records the mismatch"
grep -A3 "good@1.0.0" npmreg | grep -q "^  pending" && not_ok "npm: tampered bytes never become pending" \
    || ok "npm: tampered bytes never become pending"

done_testing
