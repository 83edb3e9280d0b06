#!/usr/bin/env bash
# tests/integration/sign.sh -- SRISign: a real httpd signs the JavaScript and
# CSS it serves (signature-based SRI), and an independent implementation
# (Node's crypto, not our code) verifies the headers it sends.
#
# Why: the signature is only worth something if a browser (or anyone) can
# verify it from the headers alone: Unencoded-Digest must be the digest of
# the identity body, the signature must verify over the RFC 9421 signature
# base with the key in keyid.  Also: static files are hashed once per change
# (new content, new headers); generated responses are signed when small and
# sent unsigned (with a log line) when over SRISignMaxBuffer, on a Range
# request, or when already content-coded -- never half-signed; gzip applied
# after signing leaves the identity digest valid; the key file may be
# root-only (read by the parent at startup); a group-readable key is refused.
. "${top_srcdir:?run me through make check}/tests/lib.sh" || exit 1
[ -x "$HTTPD_BIN" ] || skip_all "no httpd binary (install apache2)"
[ -f "$SRI_MODULE" ] || skip_all "module not built: $SRI_MODULE"
command -v openssl >/dev/null || skip_all "no openssl command"
command -v node >/dev/null || skip_all "no node (the independent verifier)"

make_tmp
root=$T/root
port=$(free_port 127.0.0.1)
httpd_conf "$root" "127.0.0.1:$port"
site=$root/htdocs
mkdir -p "$site/signed" "$site/plain" "$root/cgi-bin" "$root/keys"
chmod 700 "$root/keys"

# The key: OpenSSL's own Ed25519 PEM, root-only (the children, www-data when
# we are root, cannot read it: only the parent at startup).
openssl genpkey -algorithm ed25519 -out "$root/keys/vendor.pem" 2>/dev/null || bail "openssl genpkey"
chmod 600 "$root/keys/vendor.pem"
pub=$(openssl pkey -in "$root/keys/vendor.pem" -pubout -outform der | tail -c 32 | openssl base64 -A)

printf 'console.log("release 1");\n' > "$site/signed/lib.js"
printf 'body { color: red; }\n' > "$site/signed/style.css"
printf '<p>not signed: not a script</p>\n' > "$site/signed/page.html"
printf 'console.log("plain");\n' > "$site/plain/lib.js"
head -c 300000 /dev/urandom | base64 > "$site/signed/big.js"     # > 64 kB reads
cat > "$root/cgi-bin/gen.js" <<'EOF'
#!/bin/sh
printf 'Content-Type: text/javascript\r\n\r\n'
printf 'console.log("generated %s");\n' "${QUERY_STRING:-x}"
if [ "$QUERY_STRING" = big ]; then head -c 5000 /dev/zero | tr '\0' 'a'; fi
EOF
chmod 755 "$root/cgi-bin/gen.js"

{
    echo "LoadModule cgid_module $HTTPD_MODULES/mod_cgid.so"
    echo "LoadModule deflate_module $HTTPD_MODULES/mod_deflate.so"
    echo "LoadModule filter_module $HTTPD_MODULES/mod_filter.so"
    echo "ScriptSock \"$root/run/cgisock\""
    echo "<Location /signed/>"
    echo "    SRISign \"$root/keys/vendor.pem\""
    echo "</Location>"
    echo "<Location /gz/>"
    echo "    SRISign \"$root/keys/vendor.pem\""
    echo "    SetOutputFilter DEFLATE"
    echo "</Location>"
    echo "Alias /gz/ \"$site/signed/\""
    echo "ScriptAlias /cgi-bin/ \"$root/cgi-bin/\""
    echo "<Location /cgi-bin/>"
    echo "    SRISign \"$root/keys/vendor.pem\""
    echo "    SRISignMaxBuffer 1000"
    echo "</Location>"
    echo "<Location /signed/off/>"
    echo "    SRISign Off"
    echo "</Location>"
} >> "$root/conf/httpd.conf"
mkdir -p "$site/signed/off"
cp "$site/signed/lib.js" "$site/signed/off/lib.js"
httpd_start "$root" || bail "httpd did not start"
base="http://127.0.0.1:$port"

# The independent verifier: Node's crypto (OpenSSL underneath, but none of
# our code), given the headers and the body as received.  It rebuilds the
# signature base from the header text exactly as the spec's example does.
cat > "$T/verify.js" <<'EOF'
const crypto = require("crypto"), fs = require("fs");
const [hdrFile, bodyFile, wantKey] = process.argv.slice(2);
const h = {};
for (const line of fs.readFileSync(hdrFile, "latin1").split(/\r?\n/)) {
  const m = line.match(/^([A-Za-z-]+):\s*(.*)$/);
  if (m) h[m[1].toLowerCase()] = m[2];
}
const body = fs.readFileSync(bodyFile);
const fail = (why) => { console.log("FAIL " + why); process.exit(1); };
const d = h["unencoded-digest"], si = h["signature-input"], sg = h["signature"];
if (!d || !si || !sg) fail("missing headers");
const dm = d.match(/^sha-(256|384|512)=:([A-Za-z0-9+/=]+):$/);
if (!dm) fail("Unencoded-Digest " + d);
if (crypto.createHash("sha" + dm[1]).update(body).digest("base64") !== dm[2])
  fail("digest does not match the body");
const im = si.match(/^([a-z*][a-z0-9_.*-]*)=(\(.*)$/);
const sm = sg.match(/^([a-z*][a-z0-9_.*-]*)=:([A-Za-z0-9+/=]+):$/);
if (!im || !sm || im[1] !== sm[1]) fail("labels");
const params = im[2];
const km = params.match(/;keyid="([A-Za-z0-9+/=]+)"/);
if (!km || !/;tag="(ed25519-integrity|sri)"/.test(params)) fail("keyid/tag");
if (wantKey && km[1] !== wantKey) fail("keyid is not the expected key");
const base = '"unencoded-digest";sf: ' + d + '\n"@signature-params": ' + params;
const spki = Buffer.concat([Buffer.from("302a300506032b6570032100", "hex"),
                            Buffer.from(km[1], "base64")]);
const key = crypto.createPublicKey({ key: spki, format: "der", type: "spki" });
if (!crypto.verify(null, Buffer.from(base), key, Buffer.from(sm[2], "base64")))
  fail("signature does not verify");
console.log("OK " + dm[1]);
EOF
get() {   # get NAME PATH [CURL ARGS]: headers in $T/NAME.h, body in $T/NAME.b
    local name=$1 path=$2; shift 2
    fetch "$base$path" -D "$T/$name.h" -o "$T/$name.b" "$@"
    tr -d '\r' < "$T/$name.h" > "$T/$name.hh"
}
verify() { node "$T/verify.js" "$T/$1.h" "$T/$1.b" "$pub" 2>&1; }

# ---- static files --------------------------------------------------------
get js /signed/lib.js
is "$(verify js)" "OK 512" "a static script: Node verifies Unencoded-Digest and the signature with the pinned key"
like "$(cat "$T/js.hh")" '^Signature-Input: sig=\("unencoded-digest";sf\);keyid="[A-Za-z0-9+/]{43}=";tag="ed25519-integrity"$' \
    "Signature-Input is the SRI profile: (\"unencoded-digest\";sf), keyid, tag=\"ed25519-integrity\""
like "$(cat "$T/js.hh")" '^Signature: sig=:[A-Za-z0-9+/]{86}==:$' "Signature is one 64-byte byte sequence"
get css /signed/style.css
is "$(verify css)" "OK 512" "a static stylesheet is signed too"
get big /signed/big.js
is "$(verify big)" "OK 512" "a 400 kB static script (hashed in several reads) verifies"
get html /signed/page.html
unlike "$(cat "$T/html.hh")" '^(Signature|Signature-Input|Unencoded-Digest):' "HTML is not signed (only JavaScript and CSS)"
get plain /plain/lib.js
unlike "$(cat "$T/plain.hh")" '^Signature:' "no SRISign there: no signature"
get off /signed/off/lib.js
unlike "$(cat "$T/off.hh")" '^Signature:' "SRISign Off turns it off below"
get head /signed/lib.js -I
is "$(grep '^Signature:' "$T/head.hh")" "$(grep '^Signature:' "$T/js.hh")" "HEAD gets the same signature as GET"

# A new release: new content, new digest and signature (the per-process
# cache is keyed by inode, size and mtime), still by the same key.
sig1=$(grep '^Signature:' "$T/js.hh")
get js1again /signed/lib.js
is "$(grep '^Signature:' "$T/js1again.hh")" "$sig1" "the same file twice: the same headers (deterministic, cached)"
sleep 1.1
printf 'console.log("release 2, longer");\n' > "$site/signed/lib.js.new"
mv "$site/signed/lib.js.new" "$site/signed/lib.js"
get js2 /signed/lib.js
is "$(verify js2)" "OK 512" "release 2 verifies"
isnt_sig=$(grep '^Signature:' "$T/js2.hh")
[ "$isnt_sig" != "$sig1" ] && ok "release 2 has a new signature" || not_ok "release 2 has a new signature"
has "$(cat "$T/js2.b")" "release 2" "and the new body"

# ---- gzip after signing: the digest is of the identity body -----------------
get gz /gz/big.js -H 'Accept-Encoding: gzip'
like "$(cat "$T/gz.hh")" '^Content-Encoding: gzip$' "DEFLATE compressed the response"
gunzip -c < "$T/gz.b" > "$T/gz.id" && mv "$T/gz.id" "$T/gz.b"
is "$(verify gz)" "OK 512" "the gzip'd response verifies after decoding (digest of the identity body)"

# ---- generated responses --------------------------------------------------
get cgi "/cgi-bin/gen.js?small"
is "$(verify cgi)" "OK 512" "a small generated response is buffered and signed"
get cgibig "/cgi-bin/gen.js?big"
unlike "$(cat "$T/cgibig.hh")" '^(Signature|Signature-Input|Unencoded-Digest):' \
    "over SRISignMaxBuffer: sent unsigned, no partial headers"
is "$(wc -c < "$T/cgibig.b")" 5030 "... and whole"
like "$(cat "$root/logs/error.log")" 'SRISign: /cgi-bin/gen.js sent unsigned: a generated response larger than SRISignMaxBuffer' \
    "... with a log line"

# ---- Range: unsigned, logged ------------------------------------------------
get range /signed/lib.js -H 'Range: bytes=0-4'
unlike "$(cat "$T/range.hh")" '^(Signature|Unencoded-Digest):' "a Range request is answered unsigned"
like "$(cat "$root/logs/error.log")" 'SRISign: /signed/lib.js sent unsigned: a Range request' "... with a log line"

# ---- the key file ----------------------------------------------------------
if [ "$(id -u)" = 0 ]; then
    is "$(stat -c '%U %a' "$root/keys/vendor.pem")" "root 600" "the key file is root's, mode 0600, and httpd (User www-data) still signs"
    ps -o user= -p "$(pgrep -P "$(cat "$root/run/httpd.pid")" | head -n 1)" | grep -q www-data &&
        ok "the children run as www-data" || not_ok "the children run as www-data"
fi
httpd_stop "$HTTPD_PID"
chmod 640 "$root/keys/vendor.pem"
out=$(httpd_cmd -d "$root" -f "$root/conf/httpd.conf" -t 2>&1)
like "$out" 'SRISign: .*vendor.pem is readable or writable by group or others \(mode 0640\)' \
    "a key readable by group is refused at configtest"
chmod 600 "$root/keys/vendor.pem"
printf 'not a key\n' > "$root/keys/bad.pem"; chmod 600 "$root/keys/bad.pem"
sed -i "s|keys/vendor.pem\"|keys/bad.pem\"|" "$root/conf/httpd.conf"
out=$(httpd_cmd -d "$root" -f "$root/conf/httpd.conf" -t 2>&1)
like "$out" 'SRISign: .*bad.pem: not an unencrypted PEM private key' "a file that is no key is refused at configtest"

done_testing
