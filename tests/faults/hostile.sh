#!/usr/bin/env bash
# tests/faults/hostile.sh -- pages a scanner does not expect, through a real
# httpd: a 10 MB attribute on a script tag, SRIMaxTagLength, NUL bytes,
# invalid UTF-8, binary data labelled text/html, UTF-16 pages (with a byte
# order mark, with charset=utf-16, and a BOM split across two writes).
#
# Why: mod_sri is in the path of every HTML page a site serves, including
# the odd ones.  Each page must come out byte-exact or correctly rewritten
# (compared with cmp against an expected file), and the server must not
# crash.  The UTF-16 pages are built so that their bytes, read as ASCII,
# contain a real <script src> tag: a filter that did not step aside would
# pin it and corrupt the text.
. "${top_srcdir:?run me through make check}/tests/lib.sh" || exit 1
[ -x "$HTTPD_BIN" ] || skip_all "no httpd binary (install apache2)"
[ -f "$SRI_MODULE" ] || skip_all "module not built: $SRI_MODULE"
command -v perl >/dev/null || skip_all "perl is needed to build the pages"

make_tmp
root=$T/root
port=$(free_port 127.0.0.1)
httpd_conf "$root" "127.0.0.1:$port"
site=$root/htdocs
mkdir -p "$site/small" "$root/cgi-bin"
cdn="https://cdn.example.org"
TA="sha384-oqVuAfXRKap7fdgcCY5uykM6+R9GqQ8K/uxy9rx7HNQlGYl1kPzQho1wx4JwY8wC"
PIN=" integrity=\"$TA\" crossorigin=\"anonymous\""
printf '%s\n' "$cdn/a.js" "    integrity $TA" > "$root/registry"
chmod 644 "$root/registry"
export cdn

# page NAME PERL-EXPRESSION: the expression's value is a template where @PIN@
# marks where the module must insert the attributes and @MAYBE@ where it may
# (two outputs are right).  Writes $site/NAME, $T/NAME.want (and .want2).
page() {
    local name=$1 expr=$2
    perl -e "binmode STDOUT; my \$cdn = \$ENV{cdn}; print $expr" > "$T/$name.tpl" || bail "perl: $name"
    perl -0777 -pe 's/\@PIN\@|\@MAYBE\@//g' "$T/$name.tpl" > "$site/$name"
    PIN=$PIN perl -0777 -pe 's/\@PIN\@/$ENV{PIN}/g; s/\@MAYBE\@//g' "$T/$name.tpl" > "$T/$name.want"
    PIN=$PIN perl -0777 -pe 's/\@PIN\@|\@MAYBE\@/$ENV{PIN}/g' "$T/$name.tpl" > "$T/$name.want2"
}
# served URL-PATH NAME TEST-NAME: the response equals NAME.want (or .want2)
served() {
    local path=$1 name=$2 what=$3
    fetch "http://127.0.0.1:$port$path" > "$T/$name.got"
    if cmp -s "$T/$name.got" "$T/$name.want" || cmp -s "$T/$name.got" "$T/$name.want2"; then
        ok "$what"
    else
        not_ok "$what" "got $(stat -c %s "$T/$name.got") bytes, want $(stat -c %s "$T/$name.want")" \
            "$(cmp "$T/$name.got" "$T/$name.want" 2>&1)" \
            "$(cmp -l "$T/$name.got" "$T/$name.want" 2>/dev/null | head -n 3)"
    fi
}

# --- the pages ---------------------------------------------------------------
page bigattr.html '"<p>a</p><script src=\"$cdn/a.js\"\@PIN\@></script>\n<script src=\"$cdn/a.js\" data-x=\"" . ("x" x (10*1024*1024)) . "\"></script>\n<p>after</p><script src=\"$cdn/a.js\"\@PIN\@></script>\n"'
# a 2000-byte tag: pinned by default, passed unmodified under SRIMaxTagLength 1024
page longtag.html '"<script src=\"$cdn/a.js\" data-y=\"" . ("y" x 2000) . "\"\@MAYBE\@></script><script src=\"$cdn/a.js\"\@PIN\@></script>\n"'
cp "$site/longtag.html" "$site/small/longtag.html"
PIN=$PIN perl -0777 -pe 's/\@MAYBE\@/$ENV{PIN}/; s/\@PIN\@/$ENV{PIN}/g' "$T/longtag.html.tpl" > "$T/longtag-default.want"
PIN=$PIN perl -0777 -pe 's/\@MAYBE\@//; s/\@PIN\@/$ENV{PIN}/g' "$T/longtag.html.tpl" > "$T/longtag-small.want"
page nul.html '"<p>a\0b</p>\0<script src=\"$cdn/a.js\"\@PIN\@></script>\0\0<p>\0</p><!-- \0 --><script src=\"$cdn/a.js\"\@PIN\@></script>\0"'
# a NUL inside the tag: the spec keeps it a script with that src, so pinning
# it is right, and so is leaving it alone; the next tag must be pinned.
page nultag.html '"<script data-n=\"a\0b\" src=\"$cdn/a.js\"\@MAYBE\@></script><scr\0ipt src=\"$cdn/a.js\"></scr\0ipt><script src=\"$cdn/a.js\"\@PIN\@></script>\n"'
page utf8.html '"<title>\xc3\x28 \xa0\xa1</title><p>\xe2\x28\xa1 \xf0\x28\x8c\xbc \xf8\xa1\xa1\xa1\xa1 \xed\xa0\x80 \xc0\xaf</p><script data-z=\"\xff\xc3\" src=\"$cdn/a.js\"\@PIN\@></script><p>\xfe</p><script src=\"$cdn/a.js\"\@PIN\@></script>\n"'
# 4 MB of reproducible pseudo-random bytes (not starting with a BOM), and the
# same followed by a tag cut off at the end of the body.
page binary.html 'do { my ($s, $o) = (12345, ""); for (1 .. 4*1024*1024/4) { $s = ($s * 1103515245 + 12345) % 2147483648; $o .= pack("N", $s) } "x$o" }'
page binary-tail.html 'do { my ($s, $o) = (777, ""); for (1 .. 256*1024/4) { $s = ($s * 1103515245 + 12345) % 2147483648; $o .= pack("N", $s) } "x$o<script src=\"$cdn/a.js\" data" }'
# UTF-16: ASCII text of even length read as UTF-16 is a run of CJK code
# units; a filter that treated it as ASCII would pin the "tag" in it.
u16='<script src=\"https://cdn.example.org/a.js\"></script>\n'
page utf16le-bom.html "\"\\xff\\xfe$u16\""
page utf16be-bom.html "\"\\xfe\\xff$u16\""
page utf32be-bom.html "\"\\x00\\x00\\xfe\\xff$u16\""
page utf16-charset.u16 "\"$u16\""
cp "$site/utf16le-bom.html" "$root/u16.src"
{
    echo '#!/usr/bin/perl'
    echo '# a UTF-16 page whose byte order mark arrives in two writes'
    echo '$| = 1; binmode STDOUT;'
    echo 'print "Content-Type: text/html\r\n\r\n";'
    echo "open(my \$f, '<', '$root/u16.src') or die; binmode \$f;"
    echo 'local $/; my $s = <$f>;'
    echo 'print substr($s, 0, 1); select(undef, undef, undef, 0.3);'
    echo 'print substr($s, 1);'
} > "$root/cgi-bin/u16split.cgi"
chmod 755 "$root/cgi-bin/u16split.cgi"

{
    echo "LoadModule cgid_module $HTTPD_MODULES/mod_cgid.so"
    echo "ScriptSock \"$root/run/cgisock\""
    echo "ScriptAlias /cgi-bin/ \"$root/cgi-bin/\""
    echo "AddType \"text/html; charset=utf-16\" .u16"
    echo "SRIEngine On"
    echo "SRIRegistry \"$root/registry\""
    echo "<Directory \"$site/small\">"
    echo "    SRIMaxTagLength 1024"
    echo "</Directory>"
} >> "$root/conf/httpd.conf"
httpd_start "$root" || bail "httpd did not start"
children() { ps --ppid "$HTTPD_PID" -o pid= | tr -d ' ' | sort -n | tr '\n' ' '; }
# httpd answers on its port before its children are up: one request (only
# a worker thread can answer it) first, so that all of them are counted
fetch "http://127.0.0.1:$port/" -o /dev/null
kids=$(children)

# --- the checks ----------------------------------------------------------------
served /bigattr.html bigattr.html "10 MB attribute: that tag passed unmodified, the others pinned, page intact"
like "$(cat "$root/logs/error.log")" "tag (\(or import map\) )?of more than [0-9]+ bytes in http://127.0.0.1:$port/bigattr.html passed unmodified" \
    "10 MB attribute: a warning names the page"
cp "$T/longtag-default.want" "$T/longtag.html.want"; cp "$T/longtag-default.want" "$T/longtag.html.want2"
served /longtag.html longtag.html "a 2000-byte tag is pinned under the default SRIMaxTagLength"
cp "$T/longtag-small.want" "$T/longtag.html.want"; cp "$T/longtag-small.want" "$T/longtag.html.want2"
served /small/longtag.html longtag.html "SRIMaxTagLength 1024: the 2000-byte tag passes unmodified, the short one is pinned"
like "$(cat "$root/logs/error.log")" "tag (\(or import map\) )?of more than [0-9]+ bytes in http://127.0.0.1:$port/small/longtag.html passed unmodified" \
    "SRIMaxTagLength 1024: a warning names the page"
served /nul.html nul.html "NUL bytes in text and comments: byte-exact, tags pinned"
served /nultag.html nultag.html "NUL bytes inside tags: byte-exact or pinned, never broken"
served /utf8.html utf8.html "invalid UTF-8 in text and attributes: byte-exact, tags pinned"
served /binary.html binary.html "4 MB of binary data labelled text/html: byte-exact"
served /binary-tail.html binary-tail.html "binary data ending inside a tag: byte-exact"
served /utf16le-bom.html utf16le-bom.html "UTF-16LE page with BOM: byte-exact"
served /utf16be-bom.html utf16be-bom.html "UTF-16BE page with BOM: byte-exact"
served /utf32be-bom.html utf32be-bom.html "UTF-32BE page with BOM: byte-exact"
served /utf16-charset.u16 utf16-charset.u16 "text/html; charset=utf-16 without BOM: byte-exact"
cp "$T/utf16le-bom.html.want" "$T/u16split.want"; cp "$T/utf16le-bom.html.want" "$T/u16split.want2"
served /cgi-bin/u16split.cgi u16split "UTF-16 page whose BOM arrives in two writes: byte-exact"

is "$(children)" "$kids" "the same child processes are alive at the end (none crashed)"
check "httpd is alive" kill -0 "$HTTPD_PID"
unlike "$(cat "$root/logs/error.log")" 'Segmentation fault|exit signal|AH00052|AH00060' "no child crashed"

done_testing
