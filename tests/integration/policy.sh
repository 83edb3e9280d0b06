#!/usr/bin/env bash
# tests/integration/policy.sh -- Integrity-Policy and Reporting-Endpoints
# headers, the sri-report collector (bounded, escaped, one line per report),
# mod_status, and the startup warning about a registry the web server user
# could change.
. "${top_srcdir:?run me through make check}/tests/lib.sh" || exit 1
[ -x "$HTTPD_BIN" ] || skip_all "no httpd binary (install apache2)"
[ -f "$SRI_MODULE" ] || skip_all "module not built: $SRI_MODULE"

make_tmp
root=$T/root
port=$(free_port 127.0.0.1)
httpd_conf "$root" "127.0.0.1:$port"
site=$root/htdocs
TA="sha384-oqVuAfXRKap7fdgcCY5uykM6+R9GqQ8K/uxy9rx7HNQlGYl1kPzQho1wx4JwY8wC"
printf '%s\n' "https://cdn.example.org/a.js" "    integrity $TA" > "$root/registry"
chmod 666 "$root/registry"          # deliberately unsafe: must be warned about
mkdir -p "$site/enforce" "$site/report" "$root/reports"
[ "$(id -u)" = 0 ] && chown www-data "$root/reports"
for d in "$site" "$site/enforce" "$site/report"; do
    printf '<script src="https://cdn.example.org/a.js"></script>\n' > "$d/index.html"
done
{
    echo "LoadModule status_module $HTTPD_MODULES/mod_status.so"
    echo "SRIEngine On"
    echo "SRIRegistry \"$root/registry\""
    echo "SRIReportEndpoint sri-ep /sri-reports"
    echo "SRIReportLog \"$root/reports/reports.log\""
    echo "<Directory \"$site/enforce\">"
    echo "    SRIIntegrityPolicy enforce sri-ep"
    echo "</Directory>"
    echo "<Directory \"$site/report\">"
    echo "    SRIIntegrityPolicy report"
    echo "</Directory>"
    echo "<Location /sri-reports>"
    echo "    SetHandler sri-report"
    echo "</Location>"
    echo "<Location /server-status>"
    echo "    SetHandler server-status"
    echo "</Location>"
} >> "$root/conf/httpd.conf"
httpd_start "$root" || bail "httpd did not start"
base="http://127.0.0.1:$port"

# --- headers ------------------------------------------------------------------
h=$(fetch "$base/enforce/index.html" -D - -o /dev/null | tr -d '\r')
has "$h" "Integrity-Policy: blocked-destinations=(script), endpoints=(sri-ep)" "enforce sends Integrity-Policy with the endpoint"
has "$h" 'Reporting-Endpoints: sri-ep="/sri-reports"' "Reporting-Endpoints names the endpoint"
h=$(fetch "$base/report/index.html" -D - -o /dev/null | tr -d '\r')
has "$h" "Integrity-Policy-Report-Only: blocked-destinations=(script)" "report sends the report-only header"
unlike "$h" "^Integrity-Policy:" "report mode does not enforce"
h=$(fetch "$base/index.html" -D - -o /dev/null | tr -d '\r')
unlike "$h" "Integrity-Policy" "no policy header where SRIIntegrityPolicy is not set"

# --- the collector --------------------------------------------------------------
post() { fetch "$base/sri-reports" -o /dev/null -w '%{http_code}' "$@"; }
body='[{"type":"integrity-violation","url":"https://shop.example/","body":{"blockedURL":"https://evil.example/x.js"}},
 {"type":"integrity-violation","url":"https://shop.example/b","body":{"blockedURL":"https://evil.example/y.js\u0000"}}]'
is "$(post -H 'Content-Type: application/reports+json' --data-binary "$body")" 204 "a reports+json POST is accepted"
sleep 0.2
log=$root/reports/reports.log
is "$(wc -l < "$log")" 2 "one log line per report"
has "$(cat "$log")" '"blockedURL":"https://evil.example/x.js"' "the report's content is logged"
is "$(post -H 'Content-Type: application/reports+json' --data-binary $'[{"a":"line1\nforged line\r\u0007"}]')" 204 "a report with control characters is accepted"
sleep 0.2
is "$(wc -l < "$log")" 3 "control characters cannot split or forge log lines"
no_controls() { ! LC_ALL=C grep -qP '[\x01-\x08\x0b-\x1f\x7f]' "$1"; }
check "no raw control characters reach the log" no_controls "$log"
is "$(post -H 'Content-Type: application/reports+json' --data-binary @<(head -c 70000 /dev/zero | tr '\0' 'a'))" 413 "an oversized report is refused"
is "$(post -H 'Content-Type: text/plain' --data-binary '[]')" 415 "a non-JSON content type is refused"
is "$(fetch "$base/sri-reports" -o /dev/null -w '%{http_code}')" 405 "GET on the collector is refused"
is "$(wc -l < "$log")" 3 "refused reports are not logged"
# 150 reports, 16 at a time, again (up to 10 rounds) while none was
# refused: the limit is per clock second, and a loaded machine (or the
# ASan run) may send fewer than 50 in one second one at a time
urls=(); for i in $(seq 1 150); do urls+=(-o /dev/null "$base/sri-reports"); done
for _ in $(seq 1 10); do
    codes=$(curl -sS --noproxy '*' --parallel --parallel-max 16 -w '%{http_code}\n' \
            -H 'Content-Type: application/json' --data-binary '{}' "${urls[@]}" | sort | uniq -c)
    case $codes in *" 429"*) break ;; esac
done
has "$codes" " 429" "the collector rate-limits a flood"

# --- status and startup warnings ------------------------------------------------
st=$(fetch "$base/server-status?auto")
has "$st" "SRIRegistry: $root/registry version=" "mod_status shows the registry version"
like "$st" "SRIPinned: [1-9]" "mod_status counts pinned tags"
if [ "$(id -u)" = 0 ]; then
    has "$(cat "$root/logs/error.log")" "the registry $root/registry is writable by the user the web server runs as" \
        "startup warns about a registry the web server user can write"
else
    has "$(cat "$root/logs/error.log")" "is writable by the user the web server runs as" \
        "startup warns about a registry the web server user can write"
fi

done_testing
