#!/usr/bin/env bash
# tests/integration/mpm.sh -- the same rewrite and live reload under each
# MPM httpd ships: event (threads, async), worker (threads), prefork
# (processes only).  Two child processes each, so reloads happen per child.
. "${top_srcdir:?run me through make check}/tests/lib.sh" || exit 1
[ -x "$HTTPD_BIN" ] || skip_all "no httpd binary (install apache2)"
[ -f "$SRI_MODULE" ] || skip_all "module not built: $SRI_MODULE"

TA="sha384-oqVuAfXRKap7fdgcCY5uykM6+R9GqQ8K/uxy9rx7HNQlGYl1kPzQho1wx4JwY8wC"
TB="sha384-H8BRh8j48O9oYatfu5AZzq6A9RINhZO5H16dQZngK7T62em8MUt1FLm52t+eX6xO"

for mpm in event worker prefork; do
    [ -f "$HTTPD_MODULES/mod_mpm_$mpm.so" ] || { ok "# SKIP no mod_mpm_$mpm"; continue; }
    make_tmp
    root=$T/root
    port=$(free_port 127.0.0.1)
    HTTPD_MPM=$mpm HTTPD_SERVERS=2 httpd_conf "$root" "127.0.0.1:$port"
    printf '%s\n' "https://cdn.example.org/a.js" "    integrity $TA" > "$root/registry"
    for i in 1 2 3; do
        printf '<p>%s</p><script src="https://cdn.example.org/a.js"></script>\n' "$i" > "$root/htdocs/p$i.html"
    done
    {
        echo "SRIEngine On"
        echo "SRIRegistry \"$root/registry\""
        echo "SRIRegistryCheckInterval 1"
    } >> "$root/conf/httpd.conf"
    if ! httpd_start "$root"; then
        not_ok "$mpm: httpd starts with mod_sri"; continue
    fi
    pid=$HTTPD_PID
    urls=(); for i in $(seq 1 30); do urls+=("http://127.0.0.1:$port/p$(( i % 3 + 1 )).html"); done
    out=$(curl -sS --noproxy '*' "${urls[@]}")
    is "$(printf '%s' "$out" | grep -cF "integrity=\"$TA\"")" 30 "$mpm: 30 pages pinned"
    printf '%s\n' "https://cdn.example.org/a.js" "    integrity $TB" > "$root/registry.new"
    mv "$root/registry.new" "$root/registry"
    sleep 1.3
    out=$(for i in $(seq 1 10); do curl -sS --noproxy '*' "${urls[@]}"; done)
    is "$(printf '%s' "$out" | grep -cF "integrity=\"$TB\"")" 300 "$mpm: every child serves the new registry"
    kill -0 "$pid" && ok "$mpm: httpd still running" || not_ok "$mpm: httpd still running"
    unlike "$(cat "$root/logs/error.log")" "Segmentation|exit signal" "$mpm: no crash in the error log"
    httpd_stop "$pid"
done

done_testing
