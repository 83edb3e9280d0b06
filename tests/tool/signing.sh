#!/bin/bash
# tests/tool/signing.sh -- sri-registry keygen, sign, and key tokens in add.
#
# Why: a vendor's key pair must be created safely (private key 0600, never
# overwritten, the pin printed), `sign` must print headers an independent
# verifier (Node's crypto, not our code) accepts for the file's bytes, and
# a pinned key must be recorded exactly and validated strictly.
. "${top_srcdir:?run me through make check}/tests/lib.sh" || exit 1
[ -x "$SRI_TOOL" ] || skip_all "sri-registry not built"
command -v openssl >/dev/null || skip_all "no openssl command"
make_tmp
cd "$T" || bail "no tmp"
unset SRI_REGISTRY SRI_REGISTRY_NOW
R="$SRI_TOOL"

# ---- keygen -----------------------------------------------------------------
pin=$(umask 0; "$R" keygen vendor.pem 2>err)
is "$?" 0 "keygen exits 0"
like "$pin" '^ed25519-[A-Za-z0-9+/]{43}=$' "keygen prints the ed25519- pin"
like "$(cat err)" "wrote vendor.pem \(private, mode 0600\) and vendor.pem.pub" "keygen says what it wrote"
is "$(stat -c %a vendor.pem)" 600 "the private key is mode 0600 (even with umask 0)"
is "$(stat -c %a vendor.pem.pub)" 644 "the public key is mode 0644"
# OpenSSL reads both, and derives the same public key as the pin.
ossl=$(openssl pkey -in vendor.pem -pubout -outform der | tail -c 32 | openssl base64 -A)
is "ed25519-$ossl" "$pin" "OpenSSL derives the printed pin from the private key"
is "$(openssl pkey -pubin -in vendor.pem.pub -outform der | tail -c 32 | openssl base64 -A)" "$ossl" \
   "vendor.pem.pub is that public key"
before=$(md5sum < vendor.pem)
"$R" keygen vendor.pem 2>err; is "$?" 1 "keygen never overwrites a key (exit 1)"
like "$(cat err)" "File exists" "... and says why"
is "$(md5sum < vendor.pem)" "$before" "... and the key is unchanged"
"$R" keygen 2>/dev/null; is "$?" 1 "keygen without KEYFILE is a usage error"

# ---- sign -----------------------------------------------------------------------
printf 'console.log("hello");\n' > lib.js
out=$("$R" sign --key vendor.pem lib.js)
is "$?" 0 "sign exits 0"
like "$out" '^Unencoded-Digest: sha-512=:' "sign prints Unencoded-Digest"
has "$out" "Signature-Input: sig=(\"unencoded-digest\";sf);keyid=\"${pin#ed25519-}\";tag=\"ed25519-integrity\"" \
    "sign prints Signature-Input with the key as keyid"
is "$(printf '%s\n' "$out" | sed -n 's/^Unencoded-Digest: sha-512=:\(.*\):$/\1/p')" \
   "$(openssl dgst -sha512 -binary lib.js | openssl base64 -A)" "the digest is OpenSSL's SHA-512 of the file"
is "$("$R" sign --key vendor.pem - < lib.js)" "$out" "sign reads stdin too, same headers"
if command -v node >/dev/null; then
    printf '%s\n' "$out" > headers
    cat > v.js <<'JS'
const c = require("crypto"), fs = require("fs");
const h = Object.fromEntries(fs.readFileSync("headers", "utf8").trim().split("\n")
  .map(l => [l.slice(0, l.indexOf(":")), l.slice(l.indexOf(":") + 2)]));
const params = h["Signature-Input"].replace(/^sig=/, "");
const key = params.match(/keyid="([^"]+)"/)[1];
const base = '"unencoded-digest";sf: ' + h["Unencoded-Digest"] + '\n"@signature-params": ' + params;
const pub = c.createPublicKey({ key: Buffer.concat([Buffer.from("302a300506032b6570032100", "hex"),
  Buffer.from(key, "base64")]), format: "der", type: "spki" });
const sig = Buffer.from(h["Signature"].match(/^sig=:(.*):$/)[1], "base64");
console.log(c.verify(null, Buffer.from(base), pub, sig) ? "valid" : "invalid");
JS
    is "$(node v.js)" valid "Node's crypto verifies the printed signature"
fi
"$R" sign --key vendor.pem.pub lib.js 2>err; is "$?" 1 "sign with a public key fails"
like "$(cat err)" "not an unencrypted PEM private key" "... saying so"
"$R" sign lib.js 2>/dev/null; is "$?" 1 "sign without --key is a usage error"

# ---- key tokens in the registry ---------------------------------------------
"$R" -r reg add https://cdn.example/w.js --integrity "$pin" --why widget >/dev/null 2>err
is "$?" 0 "add --integrity ed25519-KEY records a key"
has "$(cat reg)" "  integrity $pin" "the registry has the key token"
"$R" -r reg check >/dev/null 2>&1; is "$?" 0 "check accepts it"
"$R" -r reg add https://cdn.example/x.js --integrity "${pin%=}" 2>err; is "$?" 1 "a key without its '=' is refused"
like "$(cat err)" "44 base64" "... with the reason"
"$R" -r reg add https://cdn.example/x.js --integrity "ED25519-${pin#ed25519-}" 2>/dev/null
is "$?" 1 "an upper-case ED25519- prefix is refused"
printf '<script src="https://cdn.example/w.js"></script>\n' > page.html
has "$("$R" -r reg apply --url https://shop.example/ page.html)" \
    "<script src=\"https://cdn.example/w.js\" integrity=\"$pin\" crossorigin=\"anonymous\"></script>" \
    "apply writes the key token like a hash"

done_testing
