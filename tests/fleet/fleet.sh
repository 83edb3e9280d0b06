#!/bin/bash
# tests/fleet/fleet.sh -- one signed registry, many servers (issue #14).
#
# Why: a fleet is only as safe as its weakest puller.  This starts a
# "control" origin (httpd + mod_ssl on 127.0.0.2, a CA generated here) that
# publishes the signer's registry and REGISTRY.sig, and three mod_sri
# servers (127.0.0.3-5, each its own httpd with SRIRegistryKey and a 1 s
# SRIRegistryCheckInterval) that take it with `sri-registry pull`.  Then:
# (a) approve + sign + publish: every server serves the new pins after one
# pull, and a pull that finds nothing new costs a 304; (b) a registry
# changed on the origin without re-signing (or signed by another key, or
# without .sig) is refused by every puller with exit 3 and the servers keep
# their pins; (c) an old validly signed registry replayed by the origin is
# refused, and so is one copied straight onto a server (the module's own
# rollback check); (d) the origin down: pulls exit 2, servers keep
# serving.  Also: configtest refuses an unsigned, altered or foreign-signed
# registry when SRIRegistryKey is set.  The signer's key comes from
# `sri-registry keygen`, a rogue one from `openssl genpkey -algorithm
# ed25519` (the same PKCS#8 PEM).
. "${top_srcdir:?run me through make check}/tests/lib.sh" || exit 1
[ -x "$SRI_TOOL" ] || skip_all "sri-registry not built"
[ -n "$HTTPD_BIN" ] || skip_all "no httpd binary"
[ -f "$SRI_MODULE" ] || skip_all "module not built: $SRI_MODULE"
for m in ssl status; do
    [ -f "$HTTPD_MODULES/mod_$m.so" ] || skip_all "mod_$m not installed"
done
command -v openssl >/dev/null || skip_all "openssl not installed"
unset SRI_REGISTRY SRI_REGISTRY_SIGN_KEY SRI_REGISTRY_NOW
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy
export NO_PROXY='*' no_proxy='*'
make_tmp
R="$SRI_TOOL"
cdn="https://cdn.example.org"
TA="sha384-oqVuAfXRKap7fdgcCY5uykM6+R9GqQ8K/uxy9rx7HNQlGYl1kPzQho1wx4JwY8wC"
TB="sha384-H8BRh8j48O9oYatfu5AZzq6A9RINhZO5H16dQZngK7T62em8MUt1FLm52t+eX6xO"
TC="sha256-ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0="

# ---- keys: the signer's (private key stays in $T/signer; sri-registry keygen),
# a rogue one (openssl genpkey: the same PKCS#8 PEM) ------------------------------
mkdir -p "$T/signer" "$T/keys"
"$R" keygen "$T/signer/signer.pem" >/dev/null || bail "keygen failed"
mv "$T/signer/signer.pem.pub" "$T/keys/signer.pub"
openssl genpkey -algorithm ed25519 -out "$T/signer/rogue.pem" >/dev/null 2>&1 \
    || bail "cannot generate an Ed25519 key with openssl"
PUB=$T/keys/signer.pub

# ---- the signer's registry, signed on every write ------------------------------
CTRL=$T/signer/registry
signer() { SRI_REGISTRY_SIGN_KEY=$T/signer/signer.pem "$R" -q -r "$CTRL" "$@"; }
signer add "$cdn/a.js" --integrity "$TA" --why "fleet widget" --by alice >/dev/null \
    || bail "signer cannot add"
[ -f "$CTRL.sig" ] && ok "a signed write leaves REGISTRY.sig" \
    || not_ok "a signed write leaves REGISTRY.sig"
like "$(head -n1 "$CTRL.sig")" "^format sri-registry-signature 1$" ".sig names its format"
is "$(sed -n 's/^registry-sha256 //p' "$CTRL.sig")" "$(sha256sum < "$CTRL" | cut -d' ' -f1)" \
    ".sig carries the SHA-256 of the registry bytes"
# the documented format, checked with stock OpenSSL: the signature covers the
# first four lines exactly
head -n 4 "$CTRL.sig" > "$T/signed-part"
sed -n 's/^signature //p' "$CTRL.sig" | base64 -d > "$T/signature.bin"
out=$(openssl pkeyutl -verify -pubin -inkey "$PUB" -rawin -in "$T/signed-part" \
      -sigfile "$T/signature.bin" 2>&1)
like "$out" "Signature Verified Successfully" "openssl verifies the .sig over its first four lines"

# ---- the control origin: HTTPS on 127.0.0.2, a CA made here ------------------
O=$T/origin
mkdir -p "$O/ca" "$O/htdocs/fleet"
make_test_ca "$O/ca" 127.0.0.2 "mod_sri fleet test CA" || bail "cannot generate certificates"
CA=$O/ca/ca.crt
OP=$(free_port 127.0.0.2) || bail "no free port"
httpd_conf "$O" "127.0.0.2:$OP"
sed -i '/sri_module/d' "$O/conf/httpd.conf"          # a plain origin
cat >> "$O/conf/httpd.conf" <<EOC
LoadModule ssl_module $HTTPD_MODULES/mod_ssl.so
SSLEngine on
SSLCertificateFile "$O/ca/server.crt"
SSLCertificateKeyFile "$O/ca/server.key"
EOC
httpd_start "$O" || bail "origin did not start"
ORIGIN_PID=$HTTPD_PID
URL=https://127.0.0.2:$OP/fleet/registry

# publish: what a CI job does after signing -- registry first, .sig last,
# each renamed into place
publish() {   # publish REGISTRY SIG
    cp "$1" "$O/htdocs/fleet/.registry.new" && mv "$O/htdocs/fleet/.registry.new" "$O/htdocs/fleet/registry"
    cp "$2" "$O/htdocs/fleet/.sig.new" && mv "$O/htdocs/fleet/.sig.new" "$O/htdocs/fleet/registry.sig"
    chmod -R a+rX "$O/htdocs"
}
publish "$CTRL" "$CTRL.sig"

# ---- three web servers: mod_sri with SRIRegistryKey, nothing else from the signer
SERVERS="1 2 3"
for i in $SERVERS; do
    S=$T/s$i
    port=$(free_port "127.0.0.$((i + 2))") || bail "no free port"
    echo "$port" > "$T/port$i"
    httpd_conf "$S" "127.0.0.$((i + 2)):$port"
    mkdir -p "$S/sri"
    printf '<script src="%s/a.js"></script>\n<script src="%s/b.js"></script>\n' \
        "$cdn" "$cdn" > "$S/htdocs/index.html"
    cat >> "$S/conf/httpd.conf" <<EOC
SRIEngine On
SRIRegistry "$S/sri/registry"
SRIRegistryKey "$PUB"
SRIRegistryCheckInterval 1
LoadModule status_module $HTTPD_MODULES/mod_status.so
<Location /server-status>
    SetHandler server-status
</Location>
EOC
done
pull() {      # pull N [ARGS...]: server N pulls from the origin
    local n=$1; shift
    "$R" -r "$T/s$n/sri/registry" pull "$URL" --key "$PUB" --cacert "$CA" --timeout 10 "$@"
}
page() { fetch "http://127.0.0.$(( $1 + 2 )):$(cat "$T/port$1")/index.html"; }
conftest() { httpd_cmd -d "$T/s$1" -f "$T/s$1/conf/httpd.conf" -t 2>&1; }

# ---- configtest with SRIRegistryKey refuses what is not signed by the key -------
S1REG=$T/s1/sri/registry
cp "$CTRL" "$S1REG"
out=$(conftest 1); rc=$?
is "$rc" 1 "configtest fails on an unsigned registry when SRIRegistryKey is set"
like "$out" "$S1REG: no signature" "configtest names the file and says: no signature"
cp "$CTRL.sig" "$S1REG.sig"
echo "# edited after signing" >> "$S1REG"
out=$(conftest 1); rc=$?
is "$rc" 1 "configtest fails on a registry changed after signing"
like "$out" "$S1REG: the registry does not match its signature" "... and says so"
cp "$CTRL" "$T/foreign"
"$R" -q -r "$T/foreign" sign-registry --key "$T/signer/rogue.pem" >/dev/null
cp "$T/foreign" "$S1REG"; cp "$T/foreign.sig" "$S1REG.sig"
out=$(conftest 1); rc=$?
is "$rc" 1 "configtest fails on a registry signed by another key"
like "$out" "signed by a key that is not trusted" "... and says so"
rm -f "$S1REG" "$S1REG.sig"
sed -i "s#^SRIRegistryKey .*#SRIRegistryKey \"$T/signer/signer.pem\"#" "$T/s1/conf/httpd.conf"
cp "$CTRL" "$S1REG"; cp "$CTRL.sig" "$S1REG.sig"
out=$(conftest 1)
like "$out" "holds a private key" "SRIRegistryKey refuses a private key file"
sed -i "s#^SRIRegistryKey .*#SRIRegistryKey \"$PUB\"#" "$T/s1/conf/httpd.conf"
rm -f "$S1REG" "$S1REG.sig"

# ---- first pull, then the servers start on the signed registry ------------------
for i in $SERVERS; do
    out=$(pull "$i" 2>&1); rc=$?
    is "$rc" 0 "server $i: first pull installs (exit 0)"
    like "$out" "installed from $URL" "server $i: first pull says installed"
    cmp -s "$CTRL" "$T/s$i/sri/registry" && cmp -s "$CTRL.sig" "$T/s$i/sri/registry.sig" \
        && ok "server $i: registry and .sig are the signer's bytes" \
        || not_ok "server $i: registry and .sig are the signer's bytes"
done
like "$(conftest 1)" "Syntax OK" "configtest passes on the pulled, signed registry"
for i in $SERVERS; do
    httpd_start "$T/s$i" || bail "server $i did not start"
    echo "$HTTPD_PID" > "$T/pid$i"
done
for i in $SERVERS; do
    has "$(page "$i")" "src=\"$cdn/a.js\" integrity=\"$TA\"" "server $i serves the first pin"
done

# keep the first signed pair: the replay of (c)
cp "$CTRL" "$T/old-registry"; cp "$CTRL.sig" "$T/old-registry.sig"

# ---- (a) approve + sign + publish: all three serve the new pins after one pull ------
signer add "$cdn/a.js" --integrity "$TC" --by bob --why "widget 2.0, reviewed" >/dev/null \
    || not_ok "signer: rollover"
signer retire "$cdn/a.js" "$TA" >/dev/null || not_ok "signer: retire"
# the global option instead of the environment
"$R" -q -r "$CTRL" --sign "$T/signer/signer.pem" add "$cdn/b.js" --integrity "$TB" \
    --why "fleet analytics" --by bob >/dev/null || not_ok "signer: add b.js"
old_at=$(sed -n 's/^signed-at //p' "$T/old-registry.sig")
new_at=$(sed -n 's/^signed-at //p' "$CTRL.sig")
[[ "$new_at" > "$old_at" ]] && ok "each signed write is later than the last ($old_at < $new_at)" \
    || not_ok "each signed write is later than the last" "$old_at" "$new_at"
publish "$CTRL" "$CTRL.sig"
for i in $SERVERS; do
    out=$(pull "$i" 2>&1); rc=$?
    is "$rc" 0 "(a) server $i: pull of the new signed registry exits 0"
    like "$out" "installed .*signed-at $new_at" "(a) server $i: installed, with its signing time"
done
sleep 1.2
for i in $SERVERS; do
    body=$(page "$i")
    has "$body" "src=\"$cdn/a.js\" integrity=\"$TC\"" "(a) server $i serves the rolled-over pin of a.js"
    has "$body" "src=\"$cdn/b.js\" integrity=\"$TB\"" "(a) server $i serves the new pin of b.js"
    unlike "$body" "$TA" "(a) server $i no longer serves the retired token"
done
status=$(fetch "http://127.0.0.5:$(cat "$T/port3")/server-status?auto")
like "$status" "SRIRegistry: $T/s3/sri/registry .*signed-at=$new_at" \
    "(a) mod_status shows the signing time of the registry in use"

# nothing new: conditional GETs of the .sig and the registry, both answered
# 304: no body travels
alog=$O/logs/access.log
count() { grep -c "GET /fleet/$1 HTTP/1.1 $2" "$alog"; }
sig304=$(count registry.sig 304); reg304=$(count registry 304)
sig200=$(count registry.sig 200); reg200=$(count registry 200)
for i in $SERVERS; do
    out=$(pull "$i" 2>&1); rc=$?
    is "$rc" 0 "(a) server $i: a pull that finds nothing new exits 0"
    like "$out" "nothing new" "(a) server $i: ... and says nothing new"
done
# httpd logs a request after its response has gone: the last line may
# come a moment after the pull that got the answer
for _ in $(seq 1 100); do
    [ $(( $(count registry.sig 304) - sig304 )) -ge 3 ] &&
        [ $(( $(count registry 304) - reg304 )) -ge 3 ] && break
    sleep 0.1
done
is "$(( $(count registry.sig 304) - sig304 )) $(( $(count registry 304) - reg304 ))" "3 3" \
    "(a) each nothing-new pull cost a 304 for the .sig and one for the registry"
is "$(count registry.sig 200) $(count registry 200)" "$sig200 $reg200" \
    "(a) ... and no body was sent"
grep -q "^sig-etag " "$T/s1/sri/registry.pull" && grep -q "^etag " "$T/s1/sri/registry.pull" \
    && ok "(a) the ETags are remembered beside the registry" \
    || not_ok "(a) the ETags are remembered beside the registry" "$(cat "$T/s1/sri/registry.pull")"

# ---- a pull that cannot write the registry leaves the installed pair alone ----------
# (the .sig is written first: were it renamed before the registry could be
# written, the server would hold a .sig of one version beside the registry
# of another, and configtest -- the next restart -- would fail)
signer add "$cdn/e.js" --integrity "$TB" --by bob --why "for the failed install" >/dev/null \
    || not_ok "signer: add e.js"
publish "$CTRL" "$CTRL.sig"
cp "$T/s3/sri/registry" "$T/s3-before"; cp "$T/s3/sri/registry.sig" "$T/s3-before.sig"
rm -f "$T/s3/sri/registry.bak"; mkdir "$T/s3/sri/registry.bak"   # the backup cannot be made
out=$(pull 3 2>&1); rc=$?
is "$rc" 1 "a pull that cannot write the registry exits 1"
like "$out" "cannot replace backup" "... and says why"
cmp -s "$T/s3/sri/registry" "$T/s3-before" && cmp -s "$T/s3/sri/registry.sig" "$T/s3-before.sig" \
    && ok "... the installed registry and .sig are both as they were" \
    || not_ok "... the installed registry and .sig are both as they were" "$(diff "$T/s3-before.sig" "$T/s3/sri/registry.sig")"
is "$(ls -A "$T/s3/sri" | grep -c '\.tmp\.')" 0 "... and no temporary file is left"
is "$(conftest 3 >/dev/null 2>&1; echo $?)" 0 "... and configtest still passes"
rmdir "$T/s3/sri/registry.bak"
out=$(pull 3 2>&1); rc=$?
is "$rc" 0 "the next pull installs it (exit 0)"
cmp -s "$T/s3/sri/registry.sig.bak" "$T/s3-before.sig" && ok "... keeping the previous .sig as registry.sig.bak" \
    || not_ok "... keeping the previous .sig as registry.sig.bak"
for i in 1 2; do
    pull "$i" >/dev/null 2>&1 || not_ok "server $i: pull of the registry with e.js"
done

# ---- (b) changed on the origin without re-signing: refused by every puller ----------
cp "$O/htdocs/fleet/registry" "$T/published"
sed -i "s#$TC#$TA#" "$O/htdocs/fleet/registry"
for i in $SERVERS; do
    out=$(pull "$i" 2>&1); rc=$?
    is "$rc" 3 "(b) server $i: an altered registry is refused (exit 3)"
    like "$out" "does not match its signature" "(b) server $i: ... as changed after signing"
    cmp -s "$CTRL" "$T/s$i/sri/registry" && ok "(b) server $i: its registry is untouched" \
        || not_ok "(b) server $i: its registry is untouched"
done
# signed, but by a key the servers do not trust
cp "$T/published" "$T/rogue"
"$R" -q -r "$T/rogue" sign-registry --key "$T/signer/rogue.pem" >/dev/null
sed -i "s#$TC#$TA#" "$T/rogue"
"$R" -q -r "$T/rogue" sign-registry --key "$T/signer/rogue.pem" >/dev/null
publish "$T/rogue" "$T/rogue.sig"
out=$(pull 1 2>&1); rc=$?
is "$rc" 3 "(b) a registry signed by another key is refused (exit 3)"
like "$out" "not trusted" "(b) ... as signed by an untrusted key"
# no signature published at all
rm -f "$O/htdocs/fleet/registry.sig"
out=$(pull 2 2>&1); rc=$?
is "$rc" 3 "(b) a registry without a .sig on the origin is refused (exit 3)"
like "$out" "publishes no signature" "(b) ... as unsigned"
# a .sig far larger than a signature file can be: not downloaded in full
head -c 2000000 /dev/zero | tr '\0' x > "$O/htdocs/fleet/registry.sig"
out=$(pull 2 2>&1); rc=$?
is "$rc" 3 "(b) a 2 MB .sig is refused (exit 3)"
like "$out" "over 1024 bytes, which no signature file is" "(b) ... as too large to be one"
rm -f "$O/htdocs/fleet/registry.sig"
sleep 1.2
for i in $SERVERS; do
    has "$(page "$i")" "integrity=\"$TC\"" "(b) server $i keeps serving the last good pins"
done

# ---- (c) an old, validly signed registry replayed by the origin: refused --------
publish "$T/old-registry" "$T/old-registry.sig"
for i in $SERVERS; do
    out=$(pull "$i" 2>&1); rc=$?
    is "$rc" 3 "(c) server $i: a replayed older registry is refused (exit 3)"
    like "$out" "older than the installed registry.*rollback" "(c) server $i: ... as a rollback"
done
# the module's own check: the old pair copied straight onto server 1
cp "$T/old-registry.sig" "$S1REG.sig.new"; mv "$S1REG.sig.new" "$S1REG.sig"
cp "$T/old-registry" "$S1REG.new"; mv "$S1REG.new" "$S1REG"
sleep 1.2; page 1 >/dev/null; sleep 1.2
has "$(page 1)" "integrity=\"$TC\"" "(c) server 1 refuses an older signed registry put beside it"
is "$(grep -c 'refused as a rollback' "$T/s1/logs/error.log")" 1 "(c) server 1 logs the rollback once"
# server 2's registry edited in place: the module keeps its pins, pull repairs
printf '\n%s\n  integrity %s\n' "https://evil.example/x.js" "$TA" >> "$T/s2/sri/registry"
sleep 1.2; page 2 >/dev/null; sleep 1.2; page 2 >/dev/null
has "$(page 2)" "integrity=\"$TC\"" "(c) server 2 ignores a registry edited on the server"
is "$(grep -c 'does not match its signature' "$T/s2/logs/error.log")" 1 \
    "(c) server 2 logs the unsigned change once"
publish "$CTRL" "$CTRL.sig"
for i in 1 2; do
    out=$(pull "$i" 2>&1); rc=$?
    is "$rc" 0 "(c) server $i: the next good pull repairs the files (exit 0)"
    cmp -s "$CTRL" "$T/s$i/sri/registry" && ok "(c) server $i: the signer's registry is back" \
        || not_ok "(c) server $i: the signer's registry is back"
done
sleep 1.2
for i in $SERVERS; do
    has "$(page "$i")" "src=\"$cdn/b.js\" integrity=\"$TB\"" "(c) server $i serves the current pins"
done
grep -q 'SRI' "$T/s3/logs/error.log" && not_ok "(c) server 3 logged nothing" "$(grep SRI "$T/s3/logs/error.log")" \
    || ok "(c) server 3, never fed a bad registry, logged nothing"

# ---- (d) the origin down: pulls fail with exit 2, servers keep serving -----------
httpd_stop "$ORIGIN_PID"
for i in $SERVERS; do
    out=$(pull "$i" 2>&1); rc=$?
    is "$rc" 2 "(d) server $i: origin down, pull exits 2"
    cmp -s "$CTRL" "$T/s$i/sri/registry" && ok "(d) server $i: registry untouched" \
        || not_ok "(d) server $i: registry untouched"
done
sleep 1.2
for i in $SERVERS; do
    has "$(page "$i")" "integrity=\"$TC\"" "(d) server $i keeps serving with the origin down"
done

done_testing
