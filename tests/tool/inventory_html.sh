#!/bin/bash
# tests/tool/inventory_html.sh -- `sri-registry inventory --format html`.
#
# Why: the page goes to an assessor and is opened in a browser, and the
# registry text in it is operator input: the page must parse as HTML without
# a single error (html5lib, strict), carry every registry string back
# exactly (so escaping is right: a hostile `why` stays text), load nothing
# from anywhere, and show the rows, the drift, the totals, the digest of the
# registry it was made from and when.
. "${top_srcdir:?run me through make check}/tests/lib.sh" || exit 1
[ -x "$SRI_TOOL" ] || skip_all "sri-registry not built"
# Debian's python3 (python3-html5lib), not whatever python3 comes first
PY=/usr/bin/python3; [ -x "$PY" ] || PY=$(command -v python3) || skip_all "no python3"
"$PY" -c 'import html5lib' 2>/dev/null || skip_all "python3-html5lib not installed"
make_tmp
cd "$T" || bail "no tmp"
unset SRI_REGISTRY
export SRI_REGISTRY_NOW=2026-11-24T08:00:00Z
R="$SRI_TOOL"
T384=sha384-oqVuAfXRKap7fdgcCY5uykM6+R9GqQ8K/uxy9rx7HNQlGYl1kPzQho1wx4JwY8wC
T256=sha256-ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=
T256B=sha256-LCa0a2j/xo/5m0U8HTBBNBNCLXBkg7+g+YpeiGJm564=
HOSTILE='</td></tr></table><script>alert("x")</script><img src=https://evil.example/p.png onerror=alert(1)> & "quoted" '"'single'"' &amp; <!-- c'
cat > reg <<EOF
# test registry
https://cdn.example.org/lib@1.2.3/lib.min.js
  integrity $T384
  why $HOSTILE
  approved-by alice <alice@example.org>
  approved-at 2026-11-20T09:00:00Z
  verified 2026-11-23T10:00:00Z
  cors ok
  source npm-ok

https://cdn.example.org/pay/widget.js?v=2
  integrity $T256
  pending $T256B 2026-11-23T10:00:00Z
  why payment widget
  approved-by bob
  approved-at 2026-11-01T09:00:00Z
  verified 2026-11-22T10:00:00Z
  cors missing

https://fonts.example.net/site.css
  integrity $T256B

https://cdn.example.org/new.js
  pending $T256 2026-11-23T11:00:00Z
EOF
"$R" -r reg check >/dev/null 2>&1 || bail "the test registry does not parse: $("$R" -r reg check 2>&1)"

"$R" -r reg inventory --format html > inv.html 2>err
is "$?" 0 "inventory --format html exits 0"
is "$(cat err)" "" "nothing on stderr"
digest=$("$R" hash --algo sha256 reg)

# Parse with html5lib (strict: any parse error fails) and print facts about
# the page, one per line, for the checks below.
facts() {
    "$PY" - "$1" <<'PY'
import sys, html5lib
from html5lib.constants import namespaces
data = open(sys.argv[1], 'rb').read()
try:
    doc = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(data)
    print("parse-errors 0")
except Exception as e:          # html5lib.html5parser.ParseError
    print("parse-errors 1", e)
    doc = html5lib.parse(data, namespaceHTMLElements=False)
def text(el):
    return "".join(el.itertext())
els = list(doc.iter())
print("elements-script", sum(1 for e in els if e.tag == "script"))
print("elements-img", sum(1 for e in els if e.tag in ("img", "iframe", "object", "embed", "link")))
print("attr-src-href", sum(1 for e in els for a in e.attrib if a in ("src", "href", "srcset", "action") or a.startswith("on")))
print("style-elements", sum(1 for e in els if e.tag == "style"))
csp = [e.get("content") for e in els if e.tag == "meta" and e.get("http-equiv", "").lower() == "content-security-policy"]
print("csp", csp[0] if csp else "none")
byid = {e.get("id"): e for e in els if e.get("id")}
for k in ("digest", "version", "generated", "count"):
    print(k, text(byid[k]) if k in byid else "MISSING")
inv = byid.get("inventory")
rows = [r for r in inv.iter("tr") if r.find("td") is not None] if inv is not None else []
print("rows", len(rows))
for r in rows:
    cells = [text(td) for td in r.findall("td")]
    print("row", r.get("class"), "|".join(cells))
tot = byid.get("totals")
for r in (tot.iter("tr") if tot is not None else []):
    cells = [text(td) for td in r.findall("td")]
    if cells:
        print("total", cells[0], "=", cells[1])
title = doc.find(".//title")
print("title", text(title) if title is not None else "MISSING")
PY
}
f=$(facts inv.html)
has "$f" "parse-errors 0" "the page parses without a single HTML error (html5lib strict)"
has "$f" "elements-script 0" "the hostile why adds no <script>"
has "$f" "elements-img 0" "no <img>, <iframe>, <object>, <embed> or <link>: nothing to load"
has "$f" "attr-src-href 0" "no src/href/on* attribute anywhere"
has "$f" "style-elements 1" "one inline stylesheet"
has "$f" "csp default-src 'none'; style-src 'unsafe-inline'" "a CSP forbids loading anything"
has "$f" "row drift 3|https://cdn.example.org/pay/widget.js?v=2|script|DRIFT|payment widget|bob|2026-11-01T09:00:00Z|2026-11-22T10:00:00Z|missing|none|$T256|$T256B seen 2026-11-23T10:00:00Z" \
    "the drifting entry is a highlighted row with its pending token and first-seen time"
has "$f" "row pinned 1|https://cdn.example.org/lib@1.2.3/lib.min.js|script|pinned|$HOSTILE|alice <alice@example.org>|2026-11-20T09:00:00Z|2026-11-23T10:00:00Z|ok|npm-ok|$T384|" \
    "a hostile why and approver come back as exactly the text they were"
has "$f" "row pinned 4|https://fonts.example.net/site.css|stylesheet|pinned|MISSING|MISSING|—|never|unchecked|none|$T256B|" \
    "a stylesheet without justification or approver: gaps marked"
has "$f" "row pending 2|https://cdn.example.org/new.js|script|pending approval|MISSING|MISSING|—|never|unchecked|none||$T256 seen 2026-11-23T11:00:00Z" \
    "an entry never approved"
has "$f" "rows 4" "one row per entry"
has "$f" "count 4" "entry count"
has "$f" "digest $digest" "the digest is sri-registry hash --algo sha256 of the registry"
vid=${digest:7:12}; vid=${vid//[+\/]/_}     # as sri_live.c makes it
has "$f" "version $vid" "the version id is mod_sri's (12 characters of the digest, + and / as _)"
has "$f" "generated 2026-11-24T08:00:00Z" "generation time"
has "$f" "title Third-party script inventory: reg" "title names the registry"
for t in "All entries = 4" "Scripts (by extension) = 3" "Stylesheets (by extension) = 1" \
         "Pinned, unchanged upstream = 2" "Drift: changed upstream, pending review = 1" \
         "Pending approval (never served) = 1" "Without justification = 2" \
         "Without approver = 2" "Never verified = 2" "CORS ok = 1" "CORS missing = 1" \
         "CORS unchecked = 2" "Second source agrees (npm) = 1" "No second source = 3"; do
    has "$f" "total $t" "totals: $t"
done
has "$(cat inv.html)" 'class="warn">1 entry has changed upstream' "a drift warning above the table"

# ---- an empty registry, and errors --------------------------------------------------
: > empty
"$R" -r empty inventory --format html > empty.html
is "$?" 0 "an empty registry gives a page"
f=$(facts empty.html)
has "$f" "parse-errors 0" "which parses cleanly"
has "$f" "rows 0" "with no rows"
has "$f" "total All entries = 0" "and zero totals"
"$R" -r reg inventory --format pdf 2>err >/dev/null
is "$?" 1 "an unknown format exits 1"
like "$(cat err)" "text, csv, json or html" "and lists the formats"
like "$("$R" inventory --help)" "html" "--help mentions html"

done_testing
