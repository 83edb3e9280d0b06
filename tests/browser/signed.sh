#!/usr/bin/env bash
# tests/browser/signed.sh -- signature-based SRI in a real browser: a page
# pins a vendor's key (integrity="ed25519-..."), the vendor's own httpd signs
# what it serves with SRISign, and Debian's headless Chromium runs the
# vendor's scripts only when they are signed by that key.
#
# Why: only a browser shows that the headers SRISign writes and the key
# tokens mod_sri writes fit together: (a) a signed script runs; (b) a later
# release signed by the same key runs with no registry change; (c) the same
# body without the signature headers, signed by another key, or modified
# after signing is refused -- and runs when mod_sri is off, so the pin is
# what refuses it.  Import maps carry key tokens too.  (d) An integrity
# with a hash and a key needs both: the hash must match and the key must
# have signed; with two keys, either signature will do (sri-registry
# refresh/verify judge entries this way).  Chromium enforces
# signature-based SRI without any flag since 141 (we checked 156: no
# --enable-features or experimental flag is needed); Firefox and Safari do
# not implement it and ignore ed25519- tokens (see README).
. "${top_srcdir:?run me through make check}/tests/lib.sh" || exit 1
. "$top_srcdir/tests/browser/browser_lib.sh" || exit 1
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
[ -x "$CHROMIUM" ] || skip_all "no $CHROMIUM (apt-get install chromium)"
[ -x "$HTTPD_BIN" ] || skip_all "no httpd binary (install apache2)"
[ -f "$SRI_MODULE" ] || skip_all "module not built: $SRI_MODULE"
TOOL=$top_builddir/tools/sri-registry
[ -x "$TOOL" ] || skip_all "tool not built: $TOOL"
version=$("$CHROMIUM" --version 2>/dev/null | sed -n 's/^Chromium \([0-9][0-9]*\)\..*/\1/p')
[ -n "$version" ] && [ "$version" -ge 141 ] ||
    skip_all "Chromium ${version:-of unknown version} does not enforce signature-based SRI (141+)"

make_tmp
site_root=$T/site vendor_root=$T/vendor
port=$(browser_port) || bail "no free port"
site="http://127.0.0.1:$port" cdn="http://127.0.0.2:$port"
httpd_conf "$site_root" "127.0.0.1:$port"
httpd_conf "$vendor_root" "127.0.0.2:$port"
docs=$site_root/htdocs vend=$vendor_root/htdocs keys=$vendor_root/keys
mkdir -p "$docs/off" "$vend/v" "$vend/unsigned" "$vend/other" "$vend/modified" "$keys"
chmod 700 "$keys"

"$TOOL" -q keygen "$keys/vendor.pem" > "$T/pin" || bail "keygen"
"$TOOL" -q keygen "$keys/other.pem" > "$T/opin" || bail "keygen other"
pin=$(cat "$T/pin")

# Each script leaves a marker on <html>; the dumped DOM shows which ran.
js() { printf 'document.documentElement.setAttribute("data-%s", "ran");\n' "$1"; }
js good > "$vend/v/good.js"
js unsigned > "$vend/unsigned/good.js"      # served without SRISign
js other > "$vend/other/good.js"            # signed by another key
js modified > "$vend/modified/good.js"      # signed headers of another body
js mod > "$vend/v/mod.js"
js othermod > "$vend/other/mod.js"
js both > "$vend/v/both.js"                 # (d) hash matches, signed
js bothunsigned > "$vend/unsigned/both.js"  # (d) hash matches, unsigned
js bothstale > "$vend/v/stale.js"           # (d) signed, hash of another body
js stale-original > "$T/stale-original.js"
js multi > "$vend/v/multi.js"               # (d) two keys pinned, one signed
# "Modified after signing": the vendor's valid headers for the original
# body, sent with a changed body.
js modified-original > "$T/original.js"
"$TOOL" -q sign --key "$keys/vendor.pem" "$T/original.js" > "$T/original.h" || bail "sign"

cat >> "$vendor_root/conf/httpd.conf" <<EOF
Header set Access-Control-Allow-Origin "*"
<Location /v/>
    SRISign "$keys/vendor.pem"
</Location>
<Location /other/>
    SRISign "$keys/other.pem"
</Location>
<Location /modified/>
$(while IFS= read -r l; do printf "    Header set %s '%s'\n" "${l%%: *}" "${l#*: }"; done < "$T/original.h")
</Location>
EOF

{
    for u in v/good.js unsigned/good.js other/good.js modified/good.js v/mod.js other/mod.js; do
        echo "$cdn/$u"
        echo "    integrity $pin"
    done
    for u in v/both.js unsigned/both.js; do
        echo "$cdn/$u"
        echo "    integrity $("$TOOL" hash "$vend/$u")"
        echo "    integrity $pin"
    done
    echo "$cdn/v/multi.js"
    echo "    integrity $(cat "$T/opin")"
    echo "    integrity $pin"
    echo "$cdn/v/stale.js"
    echo "    integrity $("$TOOL" hash "$T/stale-original.js")"
    echo "    integrity $pin"
} > "$site_root/registry"
chmod 644 "$site_root/registry"

cat > "$docs/page.html" <<HTML
<!DOCTYPE html>
<html><head>
<meta charset="utf-8">
<title>signature-based SRI</title>
<script type="importmap">{"imports": {"vendor-mod": "$cdn/v/mod.js", "other-mod": "$cdn/other/mod.js"}}</script>
<script src="$cdn/v/good.js"></script>
<script src="$cdn/unsigned/good.js"></script>
<script src="$cdn/other/good.js"></script>
<script src="$cdn/modified/good.js"></script>
<script src="$cdn/v/both.js"></script>
<script src="$cdn/unsigned/both.js"></script>
<script src="$cdn/v/stale.js"></script>
<script src="$cdn/v/multi.js"></script>
<script type="module">import "vendor-mod";</script>
<script type="module">import "other-mod";</script>
</head><body>
<script>document.documentElement.setAttribute("data-page", "ran");</script>
</body></html>
HTML
cp "$docs/page.html" "$docs/off/page.html"
cat >> "$site_root/conf/httpd.conf" <<EOF
SRIEngine On
SRIRegistry "$site_root/registry"
<Location /off>
    SRIEngine Off
</Location>
EOF
httpd_start "$vendor_root" || bail "vendor httpd did not start"
httpd_start "$site_root" || bail "site httpd did not start"

served=$(fetch "$site/page.html")
has "$served" "<script src=\"$cdn/v/good.js\" integrity=\"$pin\" crossorigin=\"anonymous\">" \
    "mod_sri writes the pinned key as the integrity value, with crossorigin"
has "$(printf '%s' "$served" | sed -n 's/.*"integrity":\({[^}]*}\).*/\1/p')" "\"$cdn/v/mod.js\":\"$pin\"" \
    "mod_sri writes the key into the import map's integrity section"
hdrs=$(fetch "$cdn/modified/good.js" -D - -o /dev/null | tr -d '\r')
has "$hdrs" "$(grep '^Signature: ' "$T/original.h")" "the 'modified' script carries the vendor's signature of the original body"

dom=$(dump_dom signed "$site/page.html")
like "$dom" 'data-page="ran"' "the page's own script ran"
like "$dom" 'data-good="ran"' "(a) a script signed by the pinned key runs"
unlike "$dom" 'data-unsigned="ran"' "(c) a script served without signature headers is refused"
unlike "$dom" 'data-other="ran"' "(c) a script signed by another key is refused"
unlike "$dom" 'data-modified="ran"' "(c) a script modified after signing is refused"
like "$dom" 'data-mod="ran"' "an import-mapped module signed by the pinned key runs"
unlike "$dom" 'data-othermod="ran"' "an import-mapped module signed by another key is refused"
like "$dom" 'data-both="ran"' "(d) hash and key: a matching body signed by the key runs"
unlike "$dom" 'data-bothunsigned="ran"' "(d) hash and key: a matching body without signature is refused"
unlike "$dom" 'data-bothstale="ran"' "(d) hash and key: a body signed by the key but not matching the hash is refused"
like "$dom" 'data-multi="ran"' "(d) two keys pinned: a signature by one of them is enough"

# (b) a new release, signed by the same key by the vendor's server: runs,
# with no change to the registry.
sleep 1.1
js good-release2 > "$vend/v/good.js.new" && mv "$vend/v/good.js.new" "$vend/v/good.js"
reg_before=$(md5sum < "$site_root/registry")
dom=$(dump_dom release2 "$site/page.html")
like "$dom" 'data-good-release2="ran"' "(b) a later release signed by the same key runs"
is "$(md5sum < "$site_root/registry")" "$reg_before" "... with no registry change"

off=$(dump_dom off "$site/off/page.html")
unlike "$off" 'integrity=' "with SRIEngine Off the page has no integrity attributes"
like "$off" 'data-unsigned="ran"' "without the pin the unsigned script runs (the pin refuses it)"
like "$off" 'data-other="ran"' "without the pin the other key's script runs"
like "$off" 'data-bothunsigned="ran"' "(d) without the pin the unsigned body runs"
like "$off" 'data-bothstale="ran"' "(d) without the pin the body not matching the hash runs"
# Unencoded-Digest is a server-initiated check: Chromium refuses a body that
# does not match it whether or not the page pinned anything.
unlike "$off" 'data-modified="ran"' "a body that does not match its Unencoded-Digest is refused even without a pin"

done_testing
