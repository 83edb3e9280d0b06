#!/usr/bin/env bash
# tests/integration/reportlog.sh -- SRIReportLog behaves like httpd's own
# logs: the parent opens it at startup (a root-owned 0644 file works while
# children run as www-data), once per distinct path, children append one
# whole line per report, a graceful restart reopens it, and "|program"
# (httpd's piped logs, here rotatelogs and a shell command) receives reports.
. "${top_srcdir:?run me through make check}/tests/lib.sh" || exit 1
[ -x "$HTTPD_BIN" ] || skip_all "no httpd binary (install apache2)"
[ -f "$SRI_MODULE" ] || skip_all "module not built: $SRI_MODULE"

make_tmp
root=$T/root
port=$(free_port 127.0.0.1)
httpd_conf "$root" "127.0.0.1:$port"
printf '' > "$root/registry"
mkdir -p "$root/sri-logs"
log=$root/sri-logs/reports.log
created=$root/sri-logs/created.log
shlog=$root/sri-logs/shell.log
# What a Debian log is: owned by root, 0644 (here: by whoever runs the
# test), in a directory the children cannot write.
: > "$log"; chmod 0644 "$log"; chmod 0755 "$root/sri-logs"
rotatelogs=$(command -v rotatelogs || echo /usr/bin/rotatelogs)
{
    echo "SRIRegistry \"$root/registry\""
    echo "SRIReportLog \"$log\""
    echo "<Location /sri-reports>"
    echo "    SetHandler sri-report"
    echo "</Location>"
    # the same file named again: still one descriptor
    echo "<Location /again>"
    echo "    SetHandler sri-report"
    echo "    SRIReportLog \"$log\""
    echo "</Location>"
    echo "<Location /created>"
    echo "    SetHandler sri-report"
    echo "    SRIReportLog \"$created\""
    echo "</Location>"
    if [ -x "$rotatelogs" ]; then
        echo "<Location /piped>"
        echo "    SetHandler sri-report"
        echo "    SRIReportLog \"|$rotatelogs -f $root/sri-logs/rotated.%Y%m%d 86400\""
        echo "</Location>"
    fi
    echo "<Location /shell>"
    echo "    SetHandler sri-report"
    echo "    SRIReportLog \"|\$exec cat >> '$shlog'\""
    echo "</Location>"
} >> "$root/conf/httpd.conf"

# ---- configuration errors --------------------------------------------------
cp "$root/conf/httpd.conf" "$root/conf/bad.conf"
echo 'SRIReportLog "|"' >> "$root/conf/bad.conf"
out=$(httpd_cmd -d "$root" -f "$root/conf/bad.conf" -t 2>&1)
like "$out" "SRIReportLog: a piped log needs a program" "a pipe without a program is a configuration error"
out=$(httpd_cmd -d "$root" -f "$root/conf/httpd.conf" -t 2>&1)
like "$out" "Syntax OK" "configtest accepts files and pipes"
check "configtest opens no log (nothing created)" test ! -e "$created"

httpd_start "$root" || bail "httpd did not start"
base="http://127.0.0.1:$port"
post() {        # post PATH BODY -> HTTP status
    fetch "$base$1" -o /dev/null -w '%{http_code}' \
        -H 'Content-Type: application/reports+json' --data-binary "$2"
}
report() {      # report N -> a one-report body naming x-N.js
    printf '[{"type":"integrity-violation","body":{"blockedURL":"https://evil.example/x-%s.js"}}]' "$1"
}
wait_for() {    # wait_for FILE PATTERN (up to 20 s)
    for _ in $(seq 1 200); do
        grep -qF -- "$2" "$1" 2>/dev/null && return 0
        sleep 0.1
    done
    return 1
}

# ---- the parent opened it -------------------------------------------------------
# (before any request; the port may answer a moment before the parent's
# open_logs hook has run, so give it a few seconds)
for _ in $(seq 1 200); do [ -f "$created" ] && break; sleep 0.1; done
check "the parent created a configured log at startup" test -f "$created"
is "$(stat -c %a "$created")" 640 "a created log is 0640"
# the worker child (the parent's other children are the piped loggers);
# a child just forked runs as root until it drops to User, a moment later
# on a busy machine: wait for that
worker_child() {
    local c
    for c in $(pgrep -P "$HTTPD_PID" -x "$(basename "$HTTPD_BIN")"); do
        [ "$(id -u)" != 0 ] || [ "$(ps -o user= -p "$c" | tr -d ' ')" != root ] && { echo "$c"; return 0; }
    done
    return 1
}
for _ in $(seq 1 200); do child=$(worker_child) && break; sleep 0.1; done
[ -n "$child" ] || bail "no child process that dropped root"
if [ "$(id -u)" = 0 ]; then
    is "$(stat -c %U "$log")" root "the log is owned by root"
    is "$(ps -o user= -p "$child" | tr -d ' ')" www-data "children run as www-data"
    www_cannot_write() { ! runuser -u www-data -- test -w "$log"; }
    check "www-data cannot open the log itself" www_cannot_write
fi
is "$(post /sri-reports "$(report 1)")" 204 "a report to the root-owned log is accepted"
check "the report reached the log" wait_for "$log" '"blockedURL":"https://evil.example/x-1.js"'
is "$(post /again "$(report 2)")" 204 "the same log named in another section"
check "the second section appends to the same log" wait_for "$log" "x-2.js"
n=$(ls -l /proc/"$child"/fd 2>/dev/null | grep -cF -- "$log")
is "$n" 1 "the child holds the log once, for both sections"
is "$(post /created "$(report 3)")" 204 "a report to the log the parent created"
check "it is there" wait_for "$created" "x-3.js"

# ---- concurrent reports stay whole lines ------------------------------------------
urls=(); for i in $(seq 1 40); do urls+=("$base/sri-reports"); done
body='['; for i in $(seq 1 20); do body+="{\"n\":$i,\"pad\":\"$(printf '%0300d' 0)\"},"; done
body+='{"n":0}]'
curl -sS --noproxy '*' --parallel --parallel-max 10 \
    -H 'Content-Type: application/reports+json' --data-binary "$body" "${urls[@]:0:10}" >/dev/null 2>&1
sleep 0.5
is "$(grep -c '"n":' "$log")" 210 "10 concurrent requests of 21 reports: 210 lines"
bad=$(grep -cvE $'^[A-Z][a-z]{2}, [0-9]{2} [A-Z][a-z]{2} [0-9]{4} [0-9:]{8} GMT\t\\{' "$log")
is "$bad" 0 "concurrent reports leave only whole lines"

# ---- graceful restart reopens the log ---------------------------------------------
httpd_graceful "$root"
code=000
for _ in $(seq 1 100); do
    code=$(post /sri-reports "$(report 4)"); [ "$code" = 204 ] && break; sleep 0.2
done
is "$code" 204 "after a graceful restart reports are accepted"
check "and logged" wait_for "$log" "x-4.js"

# ---- piped logs ---------------------------------------------------------------------
if [ -x "$rotatelogs" ]; then
    is "$(post /piped "$(report 5)")" 204 "a report to a piped log (rotatelogs)"
    rotated() { grep -qF "x-5.js" "$root"/sri-logs/rotated.* 2>/dev/null; }
    for _ in $(seq 1 200); do rotated && break; sleep 0.1; done
    check "rotatelogs received the report" rotated
    if [ "$(id -u)" = 0 ]; then
        is "$(stat -c %U "$root"/sri-logs/rotated.* | head -n1)" root \
            "rotatelogs runs as root, started by the parent"
    fi
else
    not_ok "rotatelogs is installed (apache2-utils)"
fi
is "$(post /shell "$(report 6)")" 204 "a report to a |\$shell piped log"
check "the shell command received the report" wait_for "$shlog" "x-6.js"

# ---- a log that cannot be opened stops startup, as CustomLog does --------------------
root2=$T/root2
port2=$(free_port 127.0.0.1)
httpd_conf "$root2" "127.0.0.1:$port2"
printf '' > "$root2/registry"
{ echo "SRIRegistry \"$root2/registry\""; echo "SRIReportLog \"$root2/no-such-dir/r.log\""; } >> "$root2/conf/httpd.conf"
timeout 20 ${HTTPD_ENV:-} "$HTTPD_BIN" -d "$root2" -f "$root2/conf/httpd.conf" -DFOREGROUND >"$root2/logs/stdout.log" 2>&1
is "$?" 1 "httpd refuses to start without its report log"
has "$(cat "$root2/logs/error.log" "$root2/logs/stdout.log" 2>/dev/null)" \
    "cannot open the report log $root2/no-such-dir/r.log" "and says which file"

done_testing
