#!/bin/bash
# tests/tool/scan.sh -- sri-registry scan over HTML files and directories.
#
# Why: the inventory must cover every third-party subresource a site
# loads; scan is how gaps are found.  It must find scripts, stylesheets
# and modulepreloads however they are written (case, quoting, <base>,
# protocol-relative), skip first-party ones and comments, and classify
# each as registered, pending or unknown -- or, for a registered URL whose
# page carries its own integrity, fail-open or mismatch.
. "${top_srcdir:?run me through make check}/tests/lib.sh" || exit 1
[ -x "$SRI_TOOL" ] || skip_all "sri-registry not built"
make_tmp
cd "$T" || bail "no tmp"
unset SRI_REGISTRY
R="$SRI_TOOL"
TOK=sha256-ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=
mkdir -p site/blog site/.hidden
cat > site/index.html <<'EOH'
<!DOCTYPE html>
<html><head>
<LINK REL="Stylesheet" HREF="https://cdn.example.org/site-1.0.css">
<link rel="icon" href="https://cdn.example.org/favicon.ico">
<script src='https://cdn.example.org/lib-1.0.js'></script>
<script src=/js/local.js></script>
<script src="https://www.example.org/js/same-origin.js"></script>
<script src="//other.example.net/w-2.0.js"></script>
</head><body>
<!-- <script src="https://commented.example/x.js"></script> -->
<script>document.write('<script src="https://inline.example/x.js"><\/script>')</script>
<link rel="modulepreload" href="https://cdn.example.org/mod-1.0.js">
<script src="https://cdn.example.org/lib-1.0.js"></script>
</body></html>
EOH
cat > site/blog/post.htm <<'EOH'
<html><head><base href="https://assets.example.com/v3/"></head>
<body><script src="app.js"></script></body></html>
EOH
echo '<script src="https://hidden.example/x.js"></script>' > site/.hidden/index.html
echo '<script src="https://notes.example/x.js"></script>' > site/notes.txt

"$R" -r reg add https://cdn.example.org/lib-1.0.js --integrity "$TOK" >/dev/null 2>&1
printf 'https://cdn.example.org/site-1.0.css\n  pending %s 2026-11-01T00:00:00Z\n' "$TOK" >> reg

out=$("$R" -r reg scan site --url https://www.example.org/ 2>err)
is "$?" 0 "scan of a directory exits 0"
like "$out" "^registered +script +https://cdn.example.org/lib-1.0.js \(site/index.html\)" "registered script"
like "$out" "pending +stylesheet +https://cdn.example.org/site-1.0.css" "pending stylesheet (upper-case tag and rel)"
like "$out" "unknown +modulepreload +https://cdn.example.org/mod-1.0.js" "modulepreload found"
like "$out" "unknown +script +https://other.example.net/w-2.0.js" "protocol-relative URL resolved"
like "$out" "unknown +script +https://assets.example.com/v3/app.js \(site/blog/post.htm\)" "<base href> honoured, subdirectory scanned"
unlike "$out" "local.js|same-origin.js" "first-party scripts skipped"
unlike "$out" "favicon" "rel=icon is not a subresource SRI applies to"
unlike "$out" "commented.example|inline.example" "comments and script text are not tags"
unlike "$out" "hidden.example|notes.example" "hidden directories and non-HTML files skipped"
is "$(printf '%s\n' "$out" | grep -c lib-1.0.js)" 1 "each URL listed once"
like "$(cat err)" "1 registered, 1 pending, 3 unknown" "summary counts"
"$R" -r reg scan site --url https://www.example.org/ --fail-unknown >/dev/null 2>&1
is "$?" 3 "--fail-unknown exits 3 when unknown URLs exist"
# The page's own integrity attributes, as the module reads them: fail-open
# (no usable token: the module replaces it) and mismatch (usable, none of
# the approved tokens: the browser will refuse the approved bytes) are
# statuses of their own, and --fail-unknown fails on them too.
OTHER=sha384-oqVuAfXRKap7fdgcCY5uykM6+R9GqQ8K/uxy9rx7HNQlGYl1kPzQho1wx4JwY8wC
"$R" -r reg2 add https://cdn.example.org/lib-1.0.js --integrity "$TOK" >/dev/null 2>&1
"$R" -r reg2 add https://cdn.example.org/site-2.0.css --integrity "$TOK" >/dev/null 2>&1
"$R" -r reg2 add https://cdn.example.org/ok-1.0.js --integrity "$TOK" >/dev/null 2>&1
mkdir -p authored/ok authored/worst
cat > authored/page.html <<EOH
<script src="https://cdn.example.org/lib-1.0.js" integrity="sha1-qZk+NkcGgWq6PiVxeFDCbJzQ2J0=" crossorigin></script>
<link rel=preload as=style href="https://cdn.example.org/site-2.0.css" integrity="$OTHER">
<script src="https://cdn.example.org/ok-1.0.js" integrity="${TOK%=} sha1-x"></script>
EOH
out=$("$R" -r reg2 scan authored/page.html --url https://www.example.org/ 2>err)
is "$?" 0 "scan with fail-open and mismatching integrity exits 0"
like "$out" "^fail-open +script +https://cdn.example.org/lib-1.0.js" "an integrity without a usable token is reported fail-open"
like "$out" "mismatch +preload +https://cdn.example.org/site-2.0.css" "a usable integrity without an approved token is reported mismatch"
like "$out" "registered +script +https://cdn.example.org/ok-1.0.js" "an approved token (unpadded spelling) is fine"
like "$(cat err)" "1 registered, 0 pending, 0 unknown, 1 fail-open, 1 mismatch" "summary counts fail-open and mismatch"
"$R" -r reg2 scan authored/page.html --url https://www.example.org/ --fail-unknown >/dev/null 2>&1
is "$?" 3 "--fail-unknown exits 3 on fail-open and mismatch"
"$R" -r reg2 scan authored/page.html --url https://www.example.org/ --json 2>/dev/null | /usr/bin/python3 -c '
import json, sys
d = json.load(sys.stdin)
s = {r["url"]: (r["status"], r["kind"], r["page"]) for r in d["results"]}
ok = (s["https://cdn.example.org/lib-1.0.js"] == ("fail-open", "script", "authored/page.html")
      and s["https://cdn.example.org/site-2.0.css"][:2] == ("mismatch", "preload")
      and d["registered"] == 1 and d["fail_open"] == 1 and d["mismatch"] == 1 and d["added"] == [])
sys.exit(0 if ok else 1)'
is "$?" 0 "scan --json: statuses, kinds, pages and counts"
printf '<script src="https://cdn.example.org/ok-1.0.js" integrity="%s"></script>\n' "$TOK" > authored/ok/a.html
"$R" -r reg2 scan authored/ok --url https://www.example.org/ --fail-unknown >/dev/null 2>&1
is "$?" 0 "--fail-unknown exits 0 when every integrity holds an approved token"
printf '<script src="https://cdn.example.org/lib-1.0.js" integrity=""></script>\n' > authored/ok/b.html
"$R" -r reg2 scan authored/ok --url https://www.example.org/ --fail-unknown >/dev/null 2>&1
is "$?" 3 "--fail-unknown exits 3 on an empty integrity (fail-open) alone"
printf '<script src="https://cdn.example.org/ok-1.0.js"></script>\n' > authored/worst/a.html
printf '<script src="https://cdn.example.org/ok-1.0.js" integrity="%s"></script>\n' "$OTHER" > authored/worst/b.html
like "$("$R" -r reg2 scan authored/worst --url https://www.example.org/ 2>/dev/null)" \
    "^mismatch +script +https://cdn.example.org/ok-1.0.js \(authored/worst/b.html\)" \
    "a URL on several pages shows its worst status and that page"

# SVG scripts load their href (or xlink:href) where no integrity applies:
# listed as unpinnable, registered or not, apart from an HTML script of the
# same URL; never added as pending; --fail-unknown fails on them.  Inside
# foreignObject (and elements that leave SVG) a <script> is HTML's again.
mkdir -p svg
cat > svg/page.html <<'EOH'
<svg><g><script href="https://cdn.example.org/lib-1.0.js"></script></g>
<script xlink:href="https://svg.example/x.js"></script>
<script type="text/plain" href="https://svg.example/plain.js"></script>
<foreignObject><script src="https://svg.example/html.js"></script></foreignObject>
<script href="/own.js"></script></svg>
<math><script href="https://svg.example/math.js"></script></math>
<script src="https://cdn.example.org/lib-1.0.js"></script>
<svg><math><script href="https://svg.example/svgmath.js"></script></math></svg>
<math><svg><script href="https://svg.example/mathsvg.js"></script></svg></math>
<math><mi><svg><script href="https://svg.example/mi.js"></script></svg></mi></math>
<math><annotation-xml><svg><script href="https://svg.example/annot.js"></script></svg></annotation-xml></math>
<svg><g><font color=red><script src="https://svg.example/font.js"></script></font></g><script src="https://svg.example/after.js"></script></svg>
<svg><p></p><script src="https://svg.example/p.js"></script><link rel=stylesheet href="https://svg.example/p.css"></svg>
EOH
out=$("$R" -r reg scan svg --url https://www.example.org/ 2>err)
like "$out" "^unpinnable +svg-script +https://cdn.example.org/lib-1.0.js " "a registered URL an SVG script loads is unpinnable"
like "$out" "^registered +script +https://cdn.example.org/lib-1.0.js " "the same URL in an HTML script is listed apart"
like "$out" "^unpinnable +svg-script +https://svg.example/x.js " "xlink:href read"
like "$out" "^unknown +script +https://svg.example/html.js " "a script in foreignObject is HTML's"
like "$out" "^unpinnable +svg-script +https://svg.example/plain.js " "whatever its type (as the module)"
unlike "$out" "/math.js|own.js|mathsvg.js" "MathML (an <svg> in <math> too) and same-origin SVG scripts skipped"
like "$out" "^unpinnable +svg-script +https://svg.example/svgmath.js " "a <math> in SVG stays SVG"
like "$out" "^unpinnable +svg-script +https://svg.example/mi.js " "an <svg> in MathML's mi is SVG"
like "$out" "^unpinnable +svg-script +https://svg.example/annot.js " "an <svg> in annotation-xml is SVG"
like "$out" "^unknown +script +https://svg.example/font.js " "a <font color> leaves SVG: an HTML script"
like "$out" "^unknown +script +https://svg.example/after.js " "and what follows it is HTML too"
like "$out" "^unknown +script +https://svg.example/p.js " "a <p> leaves SVG"
like "$out" "^unknown +stylesheet +https://svg.example/p.css " "and a <link> after it is HTML's"
like "$(cat err)" "1 registered, 0 pending, 5 unknown, 0 fail-open, 0 mismatch, 6 unpinnable" "summary counts unpinnable"
mkdir -p svgonly
echo '<svg><script href="https://svg.example/x.js"></script></svg>' > svgonly/a.html
cp reg reg3
"$R" -r reg3 scan svgonly --url https://www.example.org/ --add --fail-unknown >/dev/null 2>err
is "$?" 3 "--fail-unknown exits 3 on unpinnable URLs, even with --add"
is "$(cat reg3)" "$(cat reg)" "--add records nothing an SVG script loads (nothing is fetched)"

"$R" -r reg scan site/index.html >/dev/null 2>err
is "$?" 1 "scanning a file without --url is a usage error"
"$R" -r reg scan nosuch --url https://www.example.org/ >/dev/null 2>err
is "$?" 1 "missing path exits 1"

done_testing
