#!/usr/bin/env bash
# tests/soak/soak.sh [SECONDS] -- mod_sri under load while its registry
# changes under it.
#
# Why: the live registry is the part of mod_sri most likely to fail only
# under concurrency -- a request that sees half of one version and half of
# another, a version freed while a request still uses it, or versions that
# are never freed.  wrk drives two child processes while the registry file
# is atomically replaced every 100 ms by one of two versions with different
# tokens (SRIRegistryCheckInterval 1).  Checks: no non-2xx response and no
# socket error, every page sampled with curl carries the tokens of exactly
# one version (both versions seen), the children neither crash nor grow
# (VmRSS at 25% of the run and at the end), and the error log is clean.
# Default 20 s (make check); pass more seconds to run it by hand.  The MPM
# is event unless HTTPD_MPM=worker or HTTPD_MPM=prefork is set.
. "${top_srcdir:?run me through make check}/tests/lib.sh" || exit 1
[ -x "$HTTPD_BIN" ] || skip_all "no httpd binary (install apache2)"
[ -f "$SRI_MODULE" ] || skip_all "module not built: $SRI_MODULE"
command -v wrk >/dev/null || skip_all "wrk is not installed (Debian package wrk)"
command -v openssl >/dev/null || skip_all "openssl is needed to make tokens"

duration=${1:-${SOAK_SECONDS:-20}}
case $duration in ''|*[!0-9]*) bail "usage: soak.sh [SECONDS]";; esac
[ "$duration" -ge 8 ] || bail "run for at least 8 seconds"
max_growth_kb=${SOAK_MAX_RSS_GROWTH_KB:-8192}

make_tmp
root=$T/root
port=$(free_port 127.0.0.1)
HTTPD_SERVERS=2 httpd_conf "$root" "127.0.0.1:$port"
site=$root/htdocs
cdn="https://cdn.example.org"
ntags=12

token() { printf 'sha384-%s' "$(printf '%s' "$1" | openssl dgst -sha384 -binary | base64 -w0)"; }

# Two registry versions: the same URLs, different tokens; and the token
# list a page must carry (in page order) under each version.
: > "$T/reg.A"; : > "$T/reg.B"; : > "$T/want.A"; : > "$T/want.B"
for i in $(seq 1 $ntags); do
    ta=$(token "version A file $i"); tb=$(token "version B file $i")
    printf '%s/lib%02d.js\n    integrity %s\n' "$cdn" "$i" "$ta" >> "$T/reg.A"
    printf '%s/lib%02d.js\n    integrity %s\n' "$cdn" "$i" "$tb" >> "$T/reg.B"
    echo "integrity=\"$ta\"" >> "$T/want.A"
    echo "integrity=\"$tb\"" >> "$T/want.B"
done
chmod 644 "$T/reg.A" "$T/reg.B"
cp "$T/reg.A" "$root/registry"

# A page of about 150 KB, so one response spans several passes of the
# filter (and a registry check may happen while it is being written), and
# a small one.
filler=$(head -c 12000 /dev/zero | tr '\0' 'x')
{
    echo "<!DOCTYPE html><html><head><title>soak</title>"
    for i in $(seq 1 $ntags); do
        printf '<script src="%s/lib%02d.js"></script>\n<p>%s</p>\n' "$cdn" "$i" "$filler"
    done
    echo "</head><body>end</body></html>"
} > "$site/big.html"
{
    echo "<!DOCTYPE html><title>small</title>"
    for i in $(seq 1 $ntags); do printf '<script src=%s/lib%02d.js></script>' "$cdn" "$i"; done
    echo
} > "$site/small.html"

{
    echo "StartServers 2"
    [ "${HTTPD_MPM:-event}" = prefork ] && echo "MinSpareServers 2" || echo "MinSpareThreads 25"
    echo "SRIEngine On"
    echo "SRIRegistry \"$root/registry\""
    echo "SRIRegistryCheckInterval 1"
} >> "$root/conf/httpd.conf"
# wrk alternates between the two pages and classifies every response as
# curl does: all tokens of version A, all of version B, or wrong.
{
    echo 'local paths = { "/big.html", "/small.html" }'
    echo 'local version = {}'
    while read -r t; do echo "version['${t#integrity=}'] = 'A'"; done < "$T/want.A"
    while read -r t; do echo "version['${t#integrity=}'] = 'B'"; done < "$T/want.B"
    cat <<'LUA'
local i = 0
pages, wrong = 0, 0   -- globals: done() reads them with thread:get()
request = function()
    i = i + 1
    return wrk.format("GET", paths[(i % #paths) + 1])
end
response = function(status, headers, body)
    local a, b, other = 0, 0, 0
    for t in string.gmatch(body, 'integrity=("[^"]*")') do
        local v = version[t]
        if v == "A" then a = a + 1 elseif v == "B" then b = b + 1
        else other = other + 1 end
    end
    pages = pages + 1
    if other > 0 or not ((a == NTAGS and b == 0) or (b == NTAGS and a == 0)) then
        wrong = wrong + 1
    end
end
local threads = {}
setup = function(thread) table.insert(threads, thread) end
done = function(summary, latency, requests)
    local p, w = 0, 0
    for _, t in ipairs(threads) do p = p + t:get("pages"); w = w + t:get("wrong") end
    io.write(string.format("checked pages: %d, wrong: %d\n", p, w))
end
LUA
} | sed "s/NTAGS/$ntags/g" > "$T/check.lua"

# prefork stops by killpg(getpgrp(), SIGTERM): give httpd its own process
# group, or stopping it would also kill this script and whatever runs it
if [ "${HTTPD_MPM:-event}" = prefork ] && command -v setsid >/dev/null; then
    printf '#!/bin/sh\nexec setsid "%s" "$@"\n' "$HTTPD_BIN" > "$T/httpd-own-group"
    chmod 755 "$T/httpd-own-group"
    HTTPD_BIN=$T/httpd-own-group
fi
httpd_start "$root" || bail "httpd did not start"

children() { ps --ppid "$HTTPD_PID" -o pid= | tr -d ' ' | sort -n | tr '\n' ' '; }
rss_kb() { sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\).*/\1/p' "/proc/$1/status" 2>/dev/null; }
for _ in $(seq 1 50); do [ "$(children | wc -w)" -ge 2 ] && break; sleep 0.1; done
kids=$(children)
is "$(echo $kids | wc -w)" 2 "two child processes serve the test"

check_page() {   # check_page FILE -> prints A, B, MIXED or SHORT
    grep -o 'integrity="[^"]*"' "$1" > "$1.tok"
    if cmp -s "$1.tok" "$T/want.A"; then echo A
    elif cmp -s "$1.tok" "$T/want.B"; then echo B
    elif [ "$(wc -l < "$1.tok")" -ne $ntags ]; then echo SHORT
    else echo MIXED; fi
}
fetch "http://127.0.0.1:$port/big.html" > "$T/first.html"
is "$(check_page "$T/first.html")" A "before the load: the page carries version A"

# writer: replace the registry every 100 ms, alternating B and A
(
    v=B
    for _ in $(seq 1 $(( duration * 10 + 50 ))); do
        [ -e "$T/stop" ] && break
        cp "$T/reg.$v" "$root/registry.new" && mv "$root/registry.new" "$root/registry"
        if [ $v = A ]; then v=B; else v=A; fi
        sleep 0.1
    done
) &
writer=$!
# sampler: fetch both pages with curl and classify them
(
    n=0
    for _ in $(seq 1 $(( duration * 40 ))); do
        [ -e "$T/stop" ] && break
        n=$((n + 1))
        for p in big small; do
            code=$(curl -sS --noproxy '*' --max-time 10 -o "$T/sample.html" \
                        -w '%{http_code}' "http://127.0.0.1:$port/$p.html")
            if [ "$code" != 200 ]; then echo "HTTP$code $p"; continue; fi
            r=$(check_page "$T/sample.html")
            echo "$r $p"
            [ "$r" = A ] || [ "$r" = B ] || cp "$T/sample.html" "$T/bad-$p-$n.html"
        done
        sleep 0.02
    done
) > "$T/samples" &
sampler=$!

wrk -t2 -c16 --timeout 10s -d"${duration}s" -s "$T/check.lua" "http://127.0.0.1:$port/" \
    > "$T/wrk.out" 2>&1 &
wrk_pid=$!
sleep $(( duration / 4 ))
declare -A rss1 rss2
for k in $kids; do rss1[$k]=$(rss_kb "$k"); done
wait "$wrk_pid"; wrk_rc=$?
for k in $kids; do rss2[$k]=$(rss_kb "$k"); done
touch "$T/stop"
wait "$writer" "$sampler"

sed 's/^/# wrk: /' "$T/wrk.out"
is "$wrk_rc" 0 "wrk ran"
reqs=$(sed -n 's/^ *\([0-9][0-9]*\) requests in.*/\1/p' "$T/wrk.out")
like "${reqs:-0}" '^[1-9][0-9]*$' "wrk made requests (${reqs:-none})"
unlike "$(cat "$T/wrk.out")" 'Non-2xx' "no non-2xx responses under load"
unlike "$(cat "$T/wrk.out")" 'Socket errors' "no socket errors under load"
checked=$(sed -n 's/^checked pages: \([0-9]*\), wrong: \([0-9]*\)$/\1 \2/p' "$T/wrk.out")
like "$checked" '^[1-9][0-9]* 0$' "every page wrk got carries all tokens of one registry version"

total=$(wc -l < "$T/samples")
na=$(grep -c '^A ' "$T/samples"); nb=$(grep -c '^B ' "$T/samples")
echo "# sampled $total pages with curl: $na of version A, $nb of version B"
like "$total" '^[1-9][0-9]*$' "pages were sampled during the run"
is "$((na + nb))" "$total" "every sampled page carries the tokens of one registry version"
grep -v '^[AB] ' "$T/samples" | head -n 5 | sed 's/^/# /'
if [ "$na" -gt 0 ] && [ "$nb" -gt 0 ]; then
    ok "both registry versions were served (live reload under load)"
else
    not_ok "both registry versions were served (live reload under load)" "A=$na B=$nb"
fi

is "$(children)" "$kids" "the same child processes are alive at the end (none crashed)"
for k in $kids; do
    a=${rss1[$k]:-}; b=${rss2[$k]:-}
    echo "# child $k VmRSS: ${a:-?} kB at 25%, ${b:-?} kB at the end"
    name="child $k RSS flat (grew $(( ${b:-0} - ${a:-0} )) kB, limit $max_growth_kb kB)"
    if [ -n "$a" ] && [ -n "$b" ] && [ $((b - a)) -lt "$max_growth_kb" ]; then
        ok "$name"
    else
        not_ok "$name"
    fi
done
check "httpd is alive" kill -0 "$HTTPD_PID"
log=$(cat "$root/logs/error.log")
unlike "$log" 'Segmentation fault|exit signal|AH00052|AH00060' "no child crashed"
unlike "$log" 'SRI: registry' "no registry error: every replacement was atomic and valid"

done_testing
