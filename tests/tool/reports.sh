#!/bin/bash
# tests/tool/reports.sh -- sri-registry reports over module and browser logs.
#
# Why: the logs are the to-do list for the registry; reports must read
# both the module's warnings and the browsers' violation reports (as the
# sri-report handler stores them), count per URL, list pages, and show
# each URL's registry status -- and ignore everything else in the log.
. "${top_srcdir:?run me through make check}/tests/lib.sh" || exit 1
[ -x "$SRI_TOOL" ] || skip_all "sri-registry not built"
make_tmp
cd "$T" || bail "no tmp"
unset SRI_REGISTRY
R="$SRI_TOOL"
TOK=sha256-ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=

cat > error.log <<'EOL'
[Mon Nov 23 20:00:00.000000 2026] [sri:warn] [pid 1] [client 127.0.0.1:5] SRI: unregistered third-party resource https://cdn.example.org/a-1.0.js on page https://www.example.org/
[Mon Nov 23 20:00:01.000000 2026] [sri:warn] [pid 1] [client 127.0.0.1:5] SRI: unregistered third-party resource https://cdn.example.org/a-1.0.js on page https://www.example.org/shop, referer: https://www.example.org/
[Mon Nov 23 20:00:02.000000 2026] [sri:warn] [pid 1] [client 127.0.0.1:5] SRI: blocked unregistered third-party resource https://evil.example/skim.js on page https://www.example.org/checkout
[Mon Nov 23 20:00:03.000000 2026] [core:notice] [pid 1] AH00094: Command line: '/usr/sbin/apache2'
EOL
cat > reports.log <<'EOL'
Mon, 23 Nov 2026 20:00:00 GMT	{"type":"integrity-violation","url":"https://www.example.org/checkout","body":{"documentURL":"https://www.example.org/checkout","blockedURL":"https://evil.example/skim.js","destination":"script","reportOnly":false}}
Mon, 23 Nov 2026 20:00:05 GMT	{"csp-report":{"document-uri":"https://www.example.org/pay","blocked-uri":"https:\/\/cdn.example.org\/b-2.0.js"}}
garbage line
EOL
"$R" -r reg add https://cdn.example.org/a-1.0.js --integrity "$TOK" >/dev/null 2>&1

out=$("$R" -r reg reports error.log reports.log 2>err)
is "$?" 0 "reports exits 0"
like "$out" "^ +2 unregistered +https://cdn.example.org/a-1.0.js \[registered\]" "module warnings counted per URL, with registry status"
like "$out" "page https://www.example.org/shop \(1\)" "referer suffix stripped from the page"
like "$out" "blocked +https://evil.example/skim.js \[unknown\]" "blocked URLs listed"
like "$out" "violation +https://evil.example/skim.js" "Integrity-Policy report read"
like "$out" "violation +https://cdn.example.org/b-2.0.js" "CSP report read (JSON escapes decoded)"
like "$(cat err)" "7 lines, 5 understood, 4 distinct URLs" "other lines ignored and counted"
"$R" reports --json error.log | /usr/bin/python3 -c '
import json, sys
d = json.load(sys.stdin)
e = {x["url"]: x for x in d["entries"]}
sys.exit(0 if e["https://cdn.example.org/a-1.0.js"]["count"] == 2 and e["https://evil.example/skim.js"]["kind"] == "blocked" and e["https://evil.example/skim.js"]["registry"] is None else 1)'
is "$?" 0 "reports --json without a registry"
# the module's lines about pages' own integrity attributes
cat > authored.log <<'EOL'
[Mon Nov 23 20:02:00.000000 2026] [sri:warn] [pid 1] [client 127.0.0.1:5] SRI: fail-open integrity attribute (no usable token) replaced for registered resource https://cdn.example.org/a-1.0.js on page https://www.example.org/old
[Mon Nov 23 20:02:01.000000 2026] [sri:warn] [pid 1] [client 127.0.0.1:5] SRI: integrity mismatch (the author's integrity holds none of the approved tokens) for registered resource https://cdn.example.org/a-1.0.js on page https://www.example.org/new, referer: https://www.example.org/
EOL
out=$("$R" -r reg reports authored.log 2>err)
like "$out" "fail-open +https://cdn.example.org/a-1.0.js \[registered\]" "fail-open integrity lines counted"
like "$out" "mismatch +https://cdn.example.org/a-1.0.js \[registered\]" "mismatch lines counted"
like "$out" "page https://www.example.org/new \(1\)" "their pages listed"

# SVG scripts, which no integrity can pin: logged left as written or blocked
cat > svg.log <<'EOL'
[Mon Nov 23 20:04:00.000000 2026] [sri:warn] [pid 1] [client 127.0.0.1:5] SRI: unpinnable SVG script resource https://cdn.example.org/a-1.0.js on page https://www.example.org/map (an SVG <script> takes no integrity)
[Mon Nov 23 20:04:01.000000 2026] [sri:warn] [pid 1] [client 127.0.0.1:5] SRI: blocked SVG script resource https://evil.example/svg.js on page https://www.example.org/map (an SVG <script> takes no integrity), referer: https://www.example.org/
EOL
out=$("$R" -r reg reports svg.log 2>err)
like "$out" "svg-script +https://cdn.example.org/a-1.0.js \\[registered\\]" "unpinnable SVG script lines counted, with registry status"
like "$out" "svg-blocked +https://evil.example/svg.js \\[unknown\\]" "blocked SVG script lines counted"
like "$out" "page https://www.example.org/map \\(1\\)" "their page, without the explanation after it"
like "$(cat err)" "2 lines, 2 understood" "every SVG script line understood"

# an iframe srcdoc nested deeper than the module rewrites: the page is the item
cat > deep.log <<'EOL'
[Mon Nov 23 20:05:00.000000 2026] [sri:warn] [pid 1] [client 127.0.0.1:5] SRI: iframe srcdoc on page https://www.example.org/ads left as written: it is nested more than 4 deep, so its scripts get no integrity from mod_sri
EOL
out=$("$R" -r reg reports deep.log 2>err)
like "$out" "^ +1 srcdoc-deep +\(iframe srcdoc\)$" "srcdoc pages nested too deep counted, without a registry status"
like "$out" "page https://www.example.org/ads \(1\)" "their page listed"

# import maps the module left as written (not JSON as browsers read it) or
# unedited (a hash-based CSP): they name no URL, the page is the item
cat > maps.log <<'EOL'
[Mon Nov 23 20:03:00.000000 2026] [sri:warn] [pid 1] [client 127.0.0.1:5] SRI: import map on page https://www.example.org/app left as written: it is not JSON as browsers read it, so its modules get no integrity from mod_sri
[Mon Nov 23 20:03:01.000000 2026] [sri:warn] [pid 1] [client 127.0.0.1:5] SRI: import map on page https://www.example.org/app left as written: it is not JSON as browsers read it, so its modules get no integrity from mod_sri, referer: https://www.example.org/
[Mon Nov 23 20:03:02.000000 2026] [sri:warn] [pid 1] [client 127.0.0.1:5] SRI: import map on page https://www.example.org/csp left unedited: the Content-Security-Policy allows inline scripts by hash, and a map with an added integrity section would no longer match it
EOL
out=$("$R" -r reg reports maps.log 2>err)
like "$out" "^ +2 map-unread +\(import map\)$" "unreadable import maps counted, without a registry status"
like "$out" "page https://www.example.org/app \(2\)" "their page listed"
like "$out" "map-unedited +\(import map\)" "import maps left unedited for a CSP counted"
like "$out" "page https://www.example.org/csp \(1\)" "that page listed"
like "$(cat err)" "3 lines, 3 understood" "every import-map line understood"
"$R" reports --json maps.log | /usr/bin/python3 -c '
import json, sys
d = json.load(sys.stdin)
k = {x["kind"]: x for x in d["entries"]}
sys.exit(0 if k["map-unread"]["url"] is None and k["map-unread"]["pages"] == ["https://www.example.org/app"] and k["map-unedited"]["count"] == 1 else 1)'
is "$?" 0 "reports --json: import-map items have a null url and their pages"

# JSON escapes decoded by a real JSON reader: \u00e9 and a surrogate pair
# (U+1F600) become their UTF-8 bytes; an array of reports counts each one.
cat > escapes.log <<'EOL'
Mon, 23 Nov 2026 20:01:00 GMT	{"type":"integrity-violation","url":"https://www.example.org/","body":{"documentURL":"https://www.example.org/caf\u00e9","blockedURL":"https://cdn.example.org/caf\u00e9-\ud83d\ude00.js"}}
Mon, 23 Nov 2026 20:01:01 GMT	[{"body":{"blockedURL":"https://one.example/x.js"}},{"body":{"blockedURL":"https://two.example/y.js"}}]
EOL
out=$("$R" reports escapes.log 2>err)
has "$out" "violation    https://cdn.example.org/café-😀.js" "\\u00e9 and a surrogate pair decode to UTF-8"
has "$out" "page https://www.example.org/café (1)" "the page's \\u00e9 decodes too"
like "$out" "one.example/x.js" "first report of an array counted"
like "$out" "two.example/y.js" "second report of an array counted"
"$R" reports --json escapes.log | /usr/bin/python3 -c '
import json, sys
d = json.load(sys.stdin)
sys.exit(0 if "https://cdn.example.org/caf\u00e9-\U0001F600.js" in [e["url"] for e in d["entries"]] else 1)'
is "$?" 0 "reports --json writes the decoded URL back as valid JSON"

"$R" reports 2>/dev/null; is "$?" 1 "reports without LOG exits 1"
"$R" reports nosuch.log 2>/dev/null; is "$?" 1 "missing LOG exits 1"

done_testing
