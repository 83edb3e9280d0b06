# tests/browser/browser_lib.sh -- what the browser tests share (sourced
# after tests/lib.sh by tests/browser/sri.sh, tests/browser/signed.sh and
# tests/browser/firefox.sh).
#
# Why: every browser must be shown the same thing -- a site on 127.0.0.1
# whose pages load files from a "CDN" on 127.0.0.2, registered as first
# served and then changed -- so the site, the CDN files, the registry and
# the two virtual hosts are written once, here (sri.sh and firefox.sh).
# Each test writes its own pages (how a browser tells what ran differs) and
# starts httpd itself.  How a headless Chromium is run and kept off the
# network is written once too (sri.sh and signed.sh), as is how a browser
# run is stopped and its leftovers killed (all three).

sri384() { printf 'sha384-%s' "$(openssl dgst -sha384 -binary "$1" | openssl base64 -A)"; }
sri1()   { printf 'sha1-%s' "$(openssl dgst -sha1 -binary "$1" | openssl base64 -A)"; }

# browser_port [NOT...] : a port nobody listens on at 127.0.0.1 nor at
# 127.0.0.2, other than the ports given.
browser_port() {
    local p n
    while :; do
        p=$(free_port 127.0.0.1) || return 1
        (exec 3<>"/dev/tcp/127.0.0.2/$p") 2>/dev/null && continue
        for n in "$@"; do [ "$p" = "$n" ] && continue 2; done
        echo "$p"; return 0
    done
}

# browser_site PORT [LISTEN...] : make_tmp, then ROOT=$T/root with an
# httpd.conf listening on both addresses at PORT (and LISTEN...), the site
# in $docs (with $docs/off) and the CDN's files in $cdndir.  Sets T root
# docs cdndir site cdn.  Each script leaves a marker attribute
# data-NAME="ran" on <html>; the stylesheets colour #probe-good green and
# #probe-tampered blue.
browser_site() {
    local port=$1 f
    shift
    make_tmp
    root=$T/root
    site="http://127.0.0.1:$port" cdn="http://127.0.0.2:$port"
    httpd_conf "$root" "127.0.0.1:$port" "127.0.0.2:$port" "$@"
    docs=$root/htdocs cdndir=$root/cdn
    mkdir -p "$docs/off" "$cdndir"
    for f in good tampered unknown; do
        printf 'document.documentElement.setAttribute("data-%s", "ran");\n' "$f" > "$cdndir/$f.js"
    done
    printf '#probe-good { color: rgb(0, 128, 0); }\n' > "$cdndir/good.css"
    printf '#probe-tampered { color: rgb(0, 0, 255); }\n' > "$cdndir/tampered.css"
}

# browser_register [FILE...] : a registry in $root/registry pinning
# $cdn/{good,tampered}.{js,css} and $cdn/FILE as they are now; then
# tampered.js and tampered.css change on the CDN (the stylesheet to red).
browser_register() {
    local f
    for f in good.js tampered.js good.css tampered.css "$@"; do
        echo "$cdn/$f"
        echo "    integrity $(sri384 "$cdndir/$f")"
    done > "$root/registry"
    chmod 644 "$root/registry"
    # ... and then changed on the CDN after registration.
    printf '\n// changed after registration\n' >> "$cdndir/tampered.js"
    printf '#probe-tampered { color: rgb(255, 0, 0); }\n' > "$cdndir/tampered.css"
}

# browser_vhosts PORT : the two plain-http virtual hosts at PORT -- the site
# with mod_sri on (off under /off, SRIUnknown block under /block) and the
# CDN, which allows CORS.
browser_vhosts() {
    local port=$1
    cat >> "$root/conf/httpd.conf" <<EOF
<VirtualHost 127.0.0.1:$port>
    ServerName 127.0.0.1
    DocumentRoot "$docs"
    SRIEngine On
    SRIRegistry "$root/registry"
    <Location /off>
        SRIEngine Off
    </Location>
    <Location /block>
        SRIUnknown block
    </Location>
</VirtualHost>
<VirtualHost 127.0.0.2:$port>
    ServerName 127.0.0.2
    DocumentRoot "$cdndir"
    Header set Access-Control-Allow-Origin "*"
</VirtualHost>
EOF
}

# reap_session SID : kill, by PID, every process left in the session a
# browser run was started in (setsid made it ours: nothing else is in it).
reap_session() {
    local p
    for p in $(ps -o pid= -s "$1" 2>/dev/null); do
        kill -KILL "$p" 2>/dev/null
    done
}

# browser_stop PID : TERM, wait, then kill any leftover.
browser_stop() {
    kill -TERM "$1" 2>/dev/null
    wait "$1" 2>/dev/null
    reap_session "$1"
}

# ---- Chromium (sri.sh, signed.sh; CHROMIUM is the binary) ------------------
# Every run gets a fresh profile and its own session (setsid), so that after
# it every process it left behind can be found by session id and killed by
# PID (reap_session); `timeout` bounds it in any case.  Off the network:
# every host but our two addresses resolves to nothing.

# chromium_flags PROFILE-DIR : Chromium's flags, one a line: headless, the
# profile in PROFILE-DIR, nothing resolves but 127.0.0.1 and 127.0.0.2.
chromium_flags() {
    printf '%s\n' --headless --no-sandbox --disable-gpu --disable-quic \
        --no-first-run --disable-background-networking --disable-component-update \
        --disable-sync "--user-data-dir=$1" \
        '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE 127.0.0.2'
}

# browser_start SECONDS NAME URL [FLAGS...] : start Chromium on URL in the
# background, profile $T/profile.NAME, output in $T/NAME.out and .err,
# killed after SECONDS; sets BROWSER_PID.
browser_start() {
    local secs=$1 name=$2 url=$3 flags
    shift 3
    mkdir -p "$T/profile.$name"
    mapfile -t flags < <(chromium_flags "$T/profile.$name")
    HOME=$T/profile.$name setsid timeout -k 5 "$secs" "$CHROMIUM" "${flags[@]}" "$@" "$url" \
        >"$T/$name.out" 2>"$T/$name.err" &
    BROWSER_PID=$!
    at_exit "reap_session $BROWSER_PID"
}

# dump_dom NAME URL [FLAGS...] : print the DOM of URL after its scripts ran
# (Chromium's --dump-dom, at most 60 s); when it printed nothing, Chromium's
# last errors go to stderr as TAP comments.
dump_dom() {
    local name=$1
    shift
    browser_start 60 "$name" "$@" --dump-dom --virtual-time-budget=5000
    wait "$BROWSER_PID" 2>/dev/null
    reap_session "$BROWSER_PID"
    cat "$T/$name.out"
    [ -s "$T/$name.out" ] || grep -v dbus "$T/$name.err" | tail -n 20 | sed 's/^/# chromium: /' >&2
}
