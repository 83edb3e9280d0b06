#!/bin/bash
# tests/tool/keypin.sh -- add --key, and refresh/verify of key-pinned entries,
# against a real HTTPS origin whose httpd signs with SRISign.
#
# Why: pinning a vendor's key (signature-based SRI) trusts whatever that key
# signs, so the tool must only ever record a key it saw validly sign a live
# response, and must report as drift exactly what a browser would refuse:
# an unsigned response, a bad signature (a body changed after signing), a
# signature by another key; while a new release signed by the pinned key is
# fine and needs no registry change; and nothing that fails is recorded for
# approval (keys are never pending).  An entry pinning a hash and a key
# needs both, as Chromium does (tests/browser/signed.sh shows it in the
# browser).  The origin is this build's module (SRISign) in an httpd with
# mod_ssl, a CA and certificate made here, 127.0.0.1 only.
. "${top_srcdir:?run me through make check}/tests/lib.sh" || exit 1
[ -x "$SRI_TOOL" ] || skip_all "sri-registry not built"
[ -n "$HTTPD_BIN" ] || skip_all "no httpd binary"
[ -f "$SRI_MODULE" ] || skip_all "module not built: $SRI_MODULE"
for m in ssl headers deflate filter; do
    [ -f "$HTTPD_MODULES/mod_$m.so" ] || skip_all "mod_$m not installed"
done
command -v openssl >/dev/null || skip_all "openssl not installed"
unset SRI_REGISTRY SRI_REGISTRY_NOW http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy
export NO_PROXY='*' no_proxy='*'
make_tmp
R="$SRI_TOOL"
S=$T/srv
D=$S/htdocs
mkdir -p "$S/ca" "$S/keys" "$D/v" "$D/other" "$D/plain" "$D/tampered" "$D/gz" "$D/mixed"
chmod 700 "$S/keys"

# ---- a CA and a server certificate for 127.0.0.1 ------------------------------
make_test_ca "$S/ca" 127.0.0.1 "sri-registry keypin test CA" || bail "cannot generate certificates"
CA=$S/ca/ca.crt

# ---- the vendor's keys and scripts ------------------------------------------
pin=$("$R" -q keygen "$S/keys/vendor.pem") || bail "keygen vendor"
opin=$("$R" -q keygen "$S/keys/other.pem") || bail "keygen other"
[ "$pin" != "$opin" ] || bail "two keygens gave one key"
js() { printf 'console.log("%s");\n' "$1"; }
js "app 1" > "$D/v/app.js"              # signed by the vendor's key
js "both 1" > "$D/v/both.js"            # pinned by hash and key
js "other" > "$D/other/app.js"          # signed by another key
js "plain" > "$D/plain/app.js"          # not signed
js "plain both" > "$D/plain/both.js"
js "gz" > "$D/gz/app.js"                # signed, gzip for clients that ask
js "mixed" > "$D/mixed/app.js"          # signed for some clients only
js "tampered" > "$D/tampered/app.js"    # sent with the headers of original.js
js "tampered, hash" > "$D/tampered/hash.js"
js "original" > "$T/original.js"
"$R" -q sign --key "$S/keys/vendor.pem" "$T/original.js" > "$T/original.h" || bail "sign"
chmod -R a+rX "$D"

P=$(free_port) || bail "no free port"
httpd_conf "$S" "127.0.0.1:$P"
cat >> "$S/conf/httpd.conf" <<EOC
LoadModule ssl_module $HTTPD_MODULES/mod_ssl.so
LoadModule filter_module $HTTPD_MODULES/mod_filter.so
LoadModule deflate_module $HTTPD_MODULES/mod_deflate.so
Header set Access-Control-Allow-Origin "*"
<Location /v/>
    SRISign "$S/keys/vendor.pem"
</Location>
<Location /other/>
    SRISign "$S/keys/other.pem"
</Location>
<Location /gz/>
    SRISign "$S/keys/vendor.pem"
    SetOutputFilter DEFLATE
</Location>
<Location /mixed/>
    SRISign "$S/keys/vendor.pem"
    <If "%{HTTP_USER_AGENT} =~ /variant/">
        SRISign Off
    </If>
</Location>
<Location /tampered/>
$(while IFS= read -r l; do printf "    Header set %s '%s'\n" "${l%%: *}" "${l#*: }"; done < "$T/original.h")
</Location>
<VirtualHost 127.0.0.1:$P>
    SSLEngine on
    SSLCertificateFile "$S/ca/server.crt"
    SSLCertificateKeyFile "$S/ca/server.key"
</VirtualHost>
EOC
httpd_start "$S" || bail "httpd did not start"
H=https://127.0.0.1:$P
cd "$T" || bail "no tmp"
F=(--cacert "$CA" --no-npm-check)
entry() { sed -n "\#^$1\$#,/^\$/p" reg; }

# The origin does what this test relies on.
hdrs=$(fetch "$H/v/app.js" --cacert "$CA" -D - -o /dev/null | tr -d '\r')
has "$hdrs" "keyid=\"${pin#ed25519-}\"" "origin: /v/ is signed by the vendor's key (SRISign)"
hdrs=$(fetch "$H/mixed/app.js" --cacert "$CA" -A "x variant" -D - -o /dev/null | tr -d '\r')
unlike "$hdrs" "^Signature:" "origin: /mixed/ is not signed for the variant User-Agent"

# ---- add --key ----------------------------------------------------------------
out=$("$R" -r reg add "$H/v/app.js" --key "${F[@]}" --why "vendor widget" --by tester 2>err)
is "$?" 0 "add --key on a signed script exits 0"
is "$out" "$H/v/app.js $pin" "add --key records the key that signed it"
is "$(entry "$H/v/app.js" | grep '^  integrity')" "  integrity $pin" "the registry pins exactly that key"
entry "$H/v/app.js" | grep -q '^  verified ' && ok "add --key records verified" || not_ok "add --key records verified" "$(cat reg)"
entry "$H/v/app.js" | grep -q '^  cors ok$' && ok "add --key checked CORS" || not_ok "add --key checked CORS"
unlike "$(cat err)" "no version in its path" "no 'unversioned' warning for a key pin"

out=$("$R" -r reg add "$H/gz/app.js" --key="$S/keys/vendor.pem.pub" "${F[@]}" 2>err)
is "$?" 0 "add --key=KEYFILE.pub: signed by that key, gzip for the variant client"
is "$out" "$H/gz/app.js $pin" "... records that key"
out=$("$R" -r reg add "$H/v/both.js" --key="$pin" "${F[@]}" 2>err)
is "$?" 0 "add --key=ed25519-TOKEN"
cp reg reg.before

"$R" -r reg add "$H/other/app.js" --key="$S/keys/vendor.pem" "${F[@]}" 2>err
is "$?" 1 "add --key=KEY refuses a script signed by another key (exit 1)"
has "$(cat err)" "signed by $opin, not by a pinned key" "... and names the key that signed it"
"$R" -r reg add "$H/plain/app.js" --key "${F[@]}" 2>err
is "$?" 1 "add --key refuses an unsigned script (exit 1)"
like "$(cat err)" "refusing to pin a key for $H/plain/app.js: not signed" "... saying it is not signed"
"$R" -r reg add "$H/tampered/app.js" --key "${F[@]}" 2>err
is "$?" 1 "add --key refuses a body changed after signing (exit 1)"
like "$(cat err)" "invalid signature: Unencoded-Digest does not match the body; a browser refuses" \
    "... saying the digest does not match"
"$R" -r reg add "$H/mixed/app.js" --key "${F[@]}" 2>err
is "$?" 1 "add --key refuses a URL signed for some clients only"
like "$(cat err)" "not signed by ${pin//+/\\+} for every client" "... and says so"
cmp -s reg reg.before && ok "refused adds leave the registry unchanged" || not_ok "refused adds leave the registry unchanged"
"$R" -r reg add "$H/mixed/app.js" --key --force "${F[@]}" >/dev/null 2>&1
is "$?" 0 "--force pins it anyway"
"$R" -r reg remove "$H/mixed/app.js" >/dev/null
cp reg reg.before

"$R" -r reg add "$H/v/app.js" --key "$S/keys/vendor.pem.pub" "${F[@]}" 2>err
is "$?" 1 "add URL --key FILE (no '=') is a usage error"
has "$(cat err)" "--key=KEY, with '='" "... that says how to write it"
"$R" -r reg add "$H/v/x.js" --key --integrity "$pin" 2>/dev/null
is "$?" 1 "--key with --integrity is a usage error"
"$R" -r reg add "$H/v/x.js" --key="$T/nonexistent.pem" "${F[@]}" 2>err
is "$?" 1 "--key=FILE that does not exist: exit 1"
"$R" -r reg add "$H/v/x.js" --key="ed25519-AAAA" "${F[@]}" 2>err
is "$?" 1 "--key=bad token: exit 1"
"$R" -r reg add "$H/v/app.js" --key "${F[@]}" >/dev/null 2>err
is "$?" 0 "add --key of an entry already pinning that key: nothing to do"
cmp -s reg reg.before && ok "registry unchanged by errors and no-ops" || not_ok "registry unchanged by errors and no-ops"

# ---- a hash pin of a response whose Unencoded-Digest fails -------------------
# Chromium checks Unencoded-Digest on any response that carries one
# (tests/browser/signed.sh): the hash would match, and the script would be
# refused all the same.
"$R" -r reg add "$H/tampered/hash.js" "${F[@]}" >/dev/null 2>err
is "$?" 1 "add (a hash pin) refuses a response whose Unencoded-Digest does not match its body"
has "$(cat err)" "$H/tampered/hash.js: Unencoded-Digest does not match the body: Chromium refuses this response whatever the page pins" \
    "... and says why"
cmp -s reg reg.before && ok "... leaving the registry unchanged" || not_ok "... leaving the registry unchanged"
"$R" -r reg add "$H/tampered/hash.js" --force "${F[@]}" >/dev/null 2>err
is "$?" 0 "--force pins its hash anyway"
out=$("$R" -r reg verify "${F[@]}" "$H/tampered/hash.js" 2>/dev/null)
is "$?" 0 "verify of that hash pin: the hash matches, no drift (exit 0)"
has "$out" "unchanged  $H/tampered/hash.js" "... reported unchanged"
has "$out" "warning: Unencoded-Digest does not match the body: Chromium refuses this response whatever the page pins" \
    "... with a warning that Chromium refuses it"
out=$("$R" -r reg verify "${F[@]}" --json "$H/tampered/hash.js" 2>/dev/null)
printf '%s' "$out" | /usr/bin/python3 -c '
import json, sys
h = json.load(sys.stdin)["results"][0]
sys.exit(0 if h["status"] == "unchanged" and h["signature"] is None
         and h["refused"] == "Unencoded-Digest does not match the body" else 1)'
is "$?" 0 "verify --json: status unchanged, and refused says why"
"$R" -r reg remove "$H/tampered/hash.js" >/dev/null 2>&1 || bail "remove tampered/hash.js"
cp reg reg.before

# ---- entries for refresh/verify ------------------------------------------------
# The vendor's key pinned for URLs that do not serve what it signed; an entry
# pinning a hash and the key; a hash-only entry as a control.
for u in other/app.js plain/app.js tampered/app.js; do
    "$R" -r reg add "$H/$u" --integrity "$pin" >/dev/null 2>&1 || bail "add $u"
done
"$R" -r reg add "$H/v/both.js" --integrity "$("$R" hash "$D/v/both.js")" >/dev/null 2>&1 || bail "both hash"
"$R" -r reg add "$H/plain/both.js" --integrity "$("$R" hash "$D/plain/both.js")" >/dev/null 2>&1 || bail "plain both"
"$R" -r reg add "$H/plain/both.js" --integrity "$pin" >/dev/null 2>&1 || bail "plain both key"
"$R" -r reg add "$H/plain/app.js" --integrity "$pin" >/dev/null 2>&1
js "hash only" > "$D/plain/hash.js"; chmod a+r "$D/plain/hash.js"
"$R" -r reg add "$H/plain/hash.js" "${F[@]}" >/dev/null 2>&1 || bail "hash-only entry"
"$R" -r reg check >/dev/null 2>&1 || bail "registry invalid"

# ---- verify: what is fine ------------------------------------------------------
GOOD=("$H/v/app.js" "$H/gz/app.js" "$H/v/both.js" "$H/plain/hash.js")
cp reg reg.before
out=$("$R" -r reg verify "${F[@]}" "${GOOD[@]}" 2>err)
is "$?" 0 "verify: signed key entries, a hash+key entry, a hash entry: exit 0"
has "$out" "signed     $H/v/app.js by $pin" "verify reports the key entry as signed by the pinned key"
has "$out" "unchanged  $H/v/both.js" "the hash+key entry (hash matches, signed) is unchanged"
has "$out" "unchanged  $H/plain/hash.js" "the hash-only entry is unchanged (no signature needed)"
unlike "$out" "warning" "no warning for them (a hash pin of an unsigned response among them)"
cmp -s reg reg.before && ok "verify is read-only" || not_ok "verify is read-only"
out=$("$R" -r reg verify "${F[@]}" --json "${GOOD[@]}" 2>/dev/null)
printf '%s' "$out" | /usr/bin/python3 -c '
import json, sys
d = json.load(sys.stdin); r = {x["url"]: x for x in d["results"]}
H, pin = sys.argv[1], sys.argv[2]
a, b, h = r[H + "/v/app.js"], r[H + "/v/both.js"], r[H + "/plain/hash.js"]
ok = (d["signed"] == 2 and d["unchanged"] == 2 and d["changed"] == 0
      and a["status"] == "signed" and a["signature"] == "valid" and a["signed_by"] == pin
      and a["reason"] is None and b["status"] == "unchanged" and b["signed_by"] == pin
      and h["status"] == "unchanged" and h["signature"] is None and h["signed_by"] is None
      and a["refused"] is None and h["refused"] is None)
sys.exit(0 if ok else 1)' "$H" "$pin"
is "$?" 0 "verify --json: status signed/unchanged, signature valid, signed_by the pin"

# ---- refresh: same body, then a new release signed by the same key ------------
SRI_REGISTRY_NOW=2030-01-01T00:00:00Z "$R" -r reg refresh "${F[@]}" "${GOOD[@]}" >/dev/null 2>&1
is "$?" 0 "refresh, same bodies: exit 0"
is "$(entry "$H/v/app.js" | grep '^  verified')" "  verified 2030-01-01T00:00:00Z" "refresh updates verified of a key entry"
sleep 1.1      # SRISign's cache knows a file by inode, size and mtime
js "app 2, a new release" > "$D/v/app.js.new" && mv "$D/v/app.js.new" "$D/v/app.js"
js "both 2, a new release" > "$D/v/both.js.new" && mv "$D/v/both.js.new" "$D/v/both.js"
chmod a+r "$D/v/app.js" "$D/v/both.js"
out=$(SRI_REGISTRY_NOW=2030-01-02T00:00:00Z "$R" -r reg refresh "${F[@]}" "$H/v/app.js" 2>err)
is "$?" 0 "refresh: a new release signed by the pinned key is fine (exit 0)"
has "$out" "signed     $H/v/app.js by $pin" "... reported as signed"
is "$(entry "$H/v/app.js" | grep '^  verified')" "  verified 2030-01-02T00:00:00Z" "... and verified is updated"
is "$(entry "$H/v/app.js" | grep -c '^  pending')" 0 "... and nothing is recorded as pending"
is "$(entry "$H/v/app.js" | grep '^  integrity')" "  integrity $pin" "... and the pin is unchanged"

# A hash and a key: the browser needs both, so new bytes are drift even
# though the pinned key signed them.
out=$(SRI_REGISTRY_NOW=2030-01-02T00:00:00Z "$R" -r reg refresh "${F[@]}" "$H/v/both.js" 2>err)
is "$?" 3 "hash+key entry, new release signed by the key: drift (exit 3)"
has "$out" "reason:   the body does not match the pinned hash" "... because the hash no longer matches"
like "$(entry "$H/v/both.js")" "pending $("$R" hash "$D/v/both.js" | sed 's/+/\\+/g') 2030-01-02T00:00:00Z" \
    "... and the new hash is recorded as pending"
out=$("$R" -r reg verify "${F[@]}" "$H/plain/both.js" 2>&1)
is "$?" 3 "hash+key entry, unsigned body whose hash matches: drift (exit 3)"
has "$out" "reason:   not signed" "... because it is not signed"

# ---- verify/refresh: unsigned, another key, tampered ------------------------------
cp reg reg.before
out=$("$R" -r reg verify "${F[@]}" "$H/plain/app.js" 2>/dev/null)
is "$?" 3 "key entry served unsigned: drift (exit 3)"
has "$out" "CHANGED    $H/plain/app.js" "... reported CHANGED"
has "$out" "reason:   not signed (no Signature/Signature-Input)" "... with the reason"
out=$("$R" -r reg verify "${F[@]}" "$H/other/app.js" 2>/dev/null)
is "$?" 3 "key entry signed by another key: drift (exit 3)"
has "$out" "reason:   signed by $opin, not by a pinned key" "... naming the other key"
out=$("$R" -r reg verify "${F[@]}" "$H/tampered/app.js" 2>/dev/null)
is "$?" 3 "key entry with a body changed after signing: drift (exit 3)"
has "$out" "reason:   invalid signature: Unencoded-Digest does not match the body" "... with the reason"
cmp -s reg reg.before && ok "verify wrote nothing" || not_ok "verify wrote nothing"

out=$(SRI_REGISTRY_NOW=2030-01-03T00:00:00Z "$R" -r reg refresh "${F[@]}" --json \
      "$H/plain/app.js" "$H/other/app.js" "$H/tampered/app.js" 2>/dev/null)
is "$?" 3 "refresh of the three: exit 3"
printf '%s' "$out" | /usr/bin/python3 -c '
import json, sys
d = json.load(sys.stdin); r = {x["url"]: x for x in d["results"]}
H, opin = sys.argv[1], sys.argv[2]
u, o, t = r[H + "/plain/app.js"], r[H + "/other/app.js"], r[H + "/tampered/app.js"]
ok = (d["changed"] == 3 and d["signed"] == 0
      and u["status"] == "changed" and u["signature"] == "unsigned" and u["reason"].startswith("not signed")
      and u["recorded_pending"] is None
      and o["status"] == "changed" and o["signature"] == "valid" and o["signed_by"] == opin
      and o["recorded_pending"] is None and "not by a pinned key" in o["reason"]
      and t["status"] == "changed" and t["signature"] == "invalid" and t["recorded_pending"] is None
      and "Unencoded-Digest does not match" in t["reason"])
sys.exit(0 if ok else 1)' "$H" "$opin"
is "$?" 0 "refresh --json: changed, signature unsigned/valid/invalid, the reasons, what was recorded"
for u in plain/app.js tampered/app.js; do
    is "$(entry "$H/$u" | grep -c '^  pending')" 0 "nothing recorded as pending for $u"
    is "$(entry "$H/$u" | grep -c '^  verified')" 0 "$u not marked verified"
done
is "$(entry "$H/other/app.js" | grep -c '^  pending')" 0 \
    "another signer's key is not recorded (keys are never pending)"
is "$(entry "$H/other/app.js" | grep '^  integrity')" "  integrity $pin" "the approved key stays"
has "$("$R" -r reg verify "${F[@]}" "$H/other/app.js" 2>/dev/null)" "(nothing to record as pending)" \
    "the text output says nothing is recorded"
# The vendor rotated its key: a person adds the new one, checked live.
"$R" -r reg add "$H/plain/app.js" --key "${F[@]}" 2>/dev/null
is "$?" 1 "add --key to a key entry whose URL is unsigned: refused"
out=$(SRI_REGISTRY_NOW=2030-01-04T00:00:00Z "$R" -r reg add "$H/other/app.js" --key="$S/keys/other.pem.pub" "${F[@]}" 2>err)
is "$?" 0 "add --key=NEWKEY to a key entry (rollover) after checking the live signature"
is "$(entry "$H/other/app.js" | grep -c '^  integrity ed25519-')" 2 "... both keys are now approved"
out=$("$R" -r reg verify "${F[@]}" "$H/other/app.js" 2>/dev/null)
is "$?" 0 "verify is clean once that key is approved"
has "$out" "signed     $H/other/app.js by $opin" "... signed by the newly approved key"
js "hashed" > "$D/v/hashed.js"; chmod a+r "$D/v/hashed.js"
"$R" -r reg add "$H/v/hashed.js" "${F[@]}" >/dev/null 2>&1 || bail "add v/hashed.js"
out=$("$R" -r reg verify "${F[@]}" "$H/v/hashed.js" 2>&1)
is "$?" 0 "a hash pin of a validly signed response verifies (exit 0)"
unlike "$out" "warning" "... with no warning"
"$R" -r reg add "$H/v/hashed.js" --key "${F[@]}" 2>err
is "$?" 1 "add --key to an entry that pins a hash: refused (it would need both)"
has "$(cat err)" "add it with --integrity" "... pointing to --integrity"
"$R" -r reg check >/dev/null 2>&1; is "$?" 0 "registry valid after it all"

done_testing
