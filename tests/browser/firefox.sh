#!/usr/bin/env bash
# tests/browser/firefox.sh -- a second browser engine proves what mod_sri
# writes protects a page: Debian's Firefox ESR, headless, loads pages from
# one httpd with the built module -- a site on 127.0.0.1 and a "CDN" on
# 127.0.0.2 (tests/browser/browser_lib.sh, shared with the Chromium tests).
#
# Why: Gecko is not Blink; each enforces Subresource Integrity itself.  The
# cases: a pinned, unchanged script runs and stylesheet applies; a pinned
# one changed after registration is refused; an integrity attribute the
# page author wrote with no usable token (sha1, which browsers ignore, so
# the file loads whatever it holds) on a registered URL is replaced by
# mod_sri with the approved token, and the changed file is refused.  The
# same page with SRIEngine Off shows the changed files do run without
# mod_sri, so mod_sri is what blocks them.
#
# How the test learns what ran: Firefox headless cannot dump the DOM, so
# the page's last script sends what it saw to the site (GET /result?...),
# and the test reads httpd's access log.  No such request within the time
# limit fails every case: the page was never loaded.
#
# Nothing may leave 127.0.0.0/8.  When it can (root, unshare), the test runs
# in a network namespace of its own with only a loopback device; in any case
# the fresh profile's user.js turns off every background connection
# (updates, telemetry, safe browsing, captive portal, push, remote settings,
# Normandy, ...) and sends whatever is left to a proxy on a loopback port
# where nothing listens (loopback itself is never proxied).

# A private network namespace first, before anything is started.
if [ -z "${SRI_NETNS:-}" ] && [ "$(id -u)" = 0 ] && command -v unshare >/dev/null &&
   command -v ip >/dev/null && unshare -n true 2>/dev/null; then
    SRI_NETNS=1 exec unshare -n "${BASH:-bash}" "$0" "$@"
fi
if [ "${SRI_NETNS:-}" = 1 ]; then
    ip link set lo up || { echo "Bail out! cannot bring up lo in the namespace"; exit 1; }
fi

. "${top_srcdir:?run me through make check}/tests/lib.sh" || exit 1
. "$top_srcdir/tests/browser/browser_lib.sh" || exit 1
FIREFOX=${FIREFOX:-/usr/bin/firefox-esr}
[ -x "$FIREFOX" ] || skip_all "no $FIREFOX (apt-get install firefox-esr)"
[ -x "$HTTPD_BIN" ] || skip_all "no httpd binary (install apache2)"
[ -f "$SRI_MODULE" ] || skip_all "module not built: $SRI_MODULE"
command -v openssl >/dev/null || skip_all "no openssl command"
if [ "${SRI_NETNS:-}" = 1 ]; then
    echo "# in a network namespace of its own (loopback only)"
else
    echo "# no private network namespace (needs root and unshare): profile prefs only"
fi

# ---- the site and the CDN: two more files with the author's sha1 ------------
port=$(browser_port)
dead=$(browser_port "$port")               # the proxy: nothing listens there
browser_site "$port"
printf 'document.documentElement.setAttribute("data-fo-good", "ran");\n' > "$cdndir/fo-good.js"
printf 'document.documentElement.setAttribute("data-fo-tampered", "ran");\n' > "$cdndir/fo-tampered.js"
# Scripts an SVG <script> loads (href, xlink:href): no integrity applies.
printf 'document.documentElement.setAttribute("data-svg", "ran");\n' > "$cdndir/svg.js"
printf 'document.documentElement.setAttribute("data-svgx", "ran");\n' > "$cdndir/svgx.js"
# What the author wrote: sha1 of the files as first served.
fo_good_sha1=$(sri1 "$cdndir/fo-good.js")
fo_tampered_sha1=$(sri1 "$cdndir/fo-tampered.js")
# Scripts in an iframe's srcdoc page (same origin as its container, so they
# mark the container's <html>).
for f in srcdoc-good srcdoc-tampered srcdoc-unknown; do
    printf 'parent.document.documentElement.setAttribute("data-%s", "ran");\n' "$f" > "$cdndir/$f.js"
done
browser_register fo-good.js fo-tampered.js srcdoc-good.js srcdoc-tampered.js
printf '\n// changed after registration\n' >> "$cdndir/srcdoc-tampered.js"
fo_tampered_tok=$(sri384 "$cdndir/fo-tampered.js")
printf '\n// changed after registration\n' >> "$cdndir/fo-tampered.js"
tampered_tok=$(grep -A1 "^$cdn/tampered.js\$" "$root/registry" | sed -n 's/^ *integrity //p')

# ---- the page: its last script reports what ran to /result -------------------
# The stylesheets block that script, so it runs after they loaded or failed.
page() {   # page NAME
    cat <<HTML
<!DOCTYPE html>
<html><head>
<meta charset="utf-8">
<title>mod_sri Firefox test</title>
<link rel="stylesheet" href="$cdn/good.css">
<link rel="stylesheet" href="$cdn/tampered.css">
<script src="$cdn/good.js"></script>
<script src="$cdn/tampered.js"></script>
<script src="$cdn/unknown.js"></script>
<script src="$cdn/fo-good.js" integrity="$fo_good_sha1" crossorigin="anonymous"></script>
<script src="$cdn/fo-tampered.js" integrity="$fo_tampered_sha1" crossorigin="anonymous"></script>
</head><body>
<svg width="1" height="1"><script href="$cdn/svg.js"></script><script xlink:href="$cdn/svgx.js"></script></svg>
<p id="probe-good">good</p>
<p id="probe-tampered">tampered</p>
<script>
  var html = document.documentElement, q = ["page=$1"];
  function put(k, v) { q.push(k + "=" + encodeURIComponent(v === null ? "none" : v)); }
  function colour(id) { return getComputedStyle(document.getElementById(id)).color; }
  ["good", "tampered", "unknown", "fo-good", "fo-tampered", "svg", "svgx"].forEach(function (n) {
    put(n, html.getAttribute("data-" + n));
  });
  put("css-good", colour("probe-good"));
  put("css-tampered", colour("probe-tampered"));
  new Image().src = "/result?" + q.join("&");
</script>
</body></html>
HTML
}
page on > "$docs/page.html"
page off > "$docs/off/page.html"
mkdir -p "$docs/block"
page block > "$docs/block/page.html"
# An iframe's srcdoc page: its scripts run before the container's load
# event, which reports what ran.
srcdoc_page() {   # srcdoc_page NAME
    cat <<HTML
<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>iframe srcdoc</title></head><body>
<iframe srcdoc="<script src=&quot;$cdn/srcdoc-good.js&quot;></script><script src=&quot;$cdn/srcdoc-tampered.js&quot;></script><script src=&quot;$cdn/srcdoc-unknown.js&quot;></script>"></iframe>
<script>
  window.addEventListener("load", function () {
    var html = document.documentElement, q = ["page=$1"];
    ["srcdoc-good", "srcdoc-tampered", "srcdoc-unknown"].forEach(function (n) {
      q.push(n + "=" + (html.getAttribute("data-" + n) || "none"));
    });
    new Image().src = "/result?" + q.join("&");
  });
</script>
</body></html>
HTML
}
srcdoc_page srcdoc > "$docs/srcdoc.html"
srcdoc_page srcdoc-off > "$docs/off/srcdoc.html"
srcdoc_page srcdoc-block > "$docs/block/srcdoc.html"
: > "$docs/result"                          # so /result answers 200
browser_vhosts "$port"
httpd_start "$root" || bail "httpd did not start"

# ---- Firefox ------------------------------------------------------------------
# A fresh profile per run, whose user.js turns off every connection Firefox
# makes on its own and sends whatever is left through a proxy at the dead
# loopback port.  (Checked by hand: with a listener on that port and
# without the namespace, under strace, Firefox connected to nothing but
# 127.0.0.1 and 127.0.0.2.)
firefox_profile() {   # firefox_profile DIR
    local dead_url="http://127.0.0.1:$dead/"
    mkdir -p "$1"
    {
        # anything not loopback goes to a proxy that is not there
        for k in http ssl socks; do
            echo "user_pref(\"network.proxy.$k\", \"127.0.0.1\");"
            echo "user_pref(\"network.proxy.${k}_port\", $dead);"
        done
        cat <<EOF
user_pref("network.proxy.type", 1);
user_pref("network.proxy.share_proxy_settings", true);
user_pref("network.proxy.socks_remote_dns", true);
user_pref("network.proxy.no_proxies_on", "127.0.0.0/8");
user_pref("network.proxy.allow_hijacking_localhost", false);
user_pref("network.proxy.autoconfig_url", "");
user_pref("network.trr.mode", 5);
user_pref("network.dns.disablePrefetch", true);
user_pref("network.prefetch-next", false);
user_pref("network.predictor.enabled", false);
user_pref("network.http.speculative-parallel-limit", 0);
user_pref("browser.urlbar.speculativeConnect.enabled", false);
user_pref("browser.places.speculativeConnect.enabled", false);
user_pref("network.captive-portal-service.enabled", false);
user_pref("network.connectivity-service.enabled", false);
user_pref("captivedetect.canonicalURL", "$dead_url");
user_pref("doh-rollout.disable-heuristics", true);
user_pref("doh-rollout.enabled", false);
user_pref("dom.security.https_first", false);
user_pref("dom.security.https_only_mode", false);
user_pref("app.update.enabled", false);
user_pref("app.update.auto", false);
user_pref("app.update.checkInstallTime", false);
user_pref("app.update.url", "$dead_url");
user_pref("extensions.update.enabled", false);
user_pref("extensions.update.autoUpdateDefault", false);
user_pref("extensions.getAddons.cache.enabled", false);
user_pref("extensions.systemAddon.update.enabled", false);
user_pref("extensions.systemAddon.update.url", "$dead_url");
user_pref("extensions.blocklist.enabled", false);
user_pref("extensions.htmlaboutaddons.recommendations.enabled", false);
user_pref("extensions.pocket.enabled", false);
user_pref("browser.search.update", false);
user_pref("browser.region.network.url", "");
user_pref("browser.region.update.enabled", false);
user_pref("geo.enabled", false);
user_pref("geo.provider.network.url", "");
user_pref("toolkit.telemetry.enabled", false);
user_pref("toolkit.telemetry.unified", false);
user_pref("toolkit.telemetry.archive.enabled", false);
user_pref("toolkit.telemetry.server", "$dead_url");
user_pref("toolkit.telemetry.newProfilePing.enabled", false);
user_pref("toolkit.telemetry.shutdownPingSender.enabled", false);
user_pref("toolkit.telemetry.updatePing.enabled", false);
user_pref("toolkit.telemetry.bhrPing.enabled", false);
user_pref("toolkit.telemetry.firstShutdownPing.enabled", false);
user_pref("toolkit.coverage.opt-out", true);
user_pref("toolkit.coverage.endpoint.base", "");
user_pref("datareporting.healthreport.uploadEnabled", false);
user_pref("datareporting.policy.dataSubmissionEnabled", false);
user_pref("datareporting.policy.firstRunURL", "");
user_pref("datareporting.usage.uploadEnabled", false);
user_pref("browser.ping-centre.telemetry", false);
user_pref("browser.newtabpage.activity-stream.telemetry", false);
user_pref("browser.newtabpage.activity-stream.feeds.telemetry", false);
user_pref("browser.tabs.crashReporting.sendReport", false);
user_pref("breakpad.reportURL", "");
user_pref("browser.safebrowsing.malware.enabled", false);
user_pref("browser.safebrowsing.phishing.enabled", false);
user_pref("browser.safebrowsing.blockedURIs.enabled", false);
user_pref("browser.safebrowsing.downloads.enabled", false);
user_pref("browser.safebrowsing.downloads.remote.enabled", false);
user_pref("browser.safebrowsing.downloads.remote.url", "");
user_pref("browser.safebrowsing.provider.google.updateURL", "");
user_pref("browser.safebrowsing.provider.google.gethashURL", "");
user_pref("browser.safebrowsing.provider.google4.updateURL", "");
user_pref("browser.safebrowsing.provider.google4.gethashURL", "");
user_pref("browser.safebrowsing.provider.mozilla.updateURL", "");
user_pref("browser.safebrowsing.provider.mozilla.gethashURL", "");
user_pref("privacy.trackingprotection.enabled", false);
user_pref("dom.push.enabled", false);
user_pref("dom.push.connection.enabled", false);
user_pref("dom.push.serverURL", "");
user_pref("services.settings.server", "data:,#remote-settings-dummy/v1");
user_pref("security.remote_settings.crlite_filters.enabled", false);
user_pref("security.remote_settings.intermediates.enabled", false);
user_pref("security.OCSP.enabled", 0);
user_pref("security.certerrors.mitm.priming.enabled", false);
user_pref("app.normandy.enabled", false);
user_pref("app.normandy.api_url", "");
user_pref("app.shield.optoutstudies.enabled", false);
user_pref("messaging-system.rsexperimentloader.enabled", false);
user_pref("browser.discovery.enabled", false);
user_pref("browser.translations.enable", false);
user_pref("browser.ml.enable", false);
user_pref("media.gmp-manager.url", "");
user_pref("media.gmp-provider.enabled", false);
user_pref("media.gmp-gmpopenh264.enabled", false);
user_pref("media.gmp-widevinecdm.enabled", false);
user_pref("identity.fxaccounts.enabled", false);
user_pref("browser.newtabpage.enabled", false);
user_pref("browser.newtabpage.activity-stream.feeds.topsites", false);
user_pref("browser.newtabpage.activity-stream.feeds.section.topstories", false);
user_pref("browser.newtabpage.activity-stream.default.sites", "");
user_pref("browser.topsites.contile.enabled", false);
user_pref("browser.urlbar.quicksuggest.enabled", false);
user_pref("browser.startup.page", 0);
user_pref("browser.startup.homepage", "about:blank");
user_pref("browser.startup.homepage_override.mstone", "ignore");
user_pref("startup.homepage_welcome_url", "");
user_pref("startup.homepage_welcome_url.additional", "");
user_pref("browser.aboutwelcome.enabled", false);
user_pref("browser.shell.checkDefaultBrowser", false);
user_pref("browser.uitour.enabled", false);
user_pref("browser.vpn_promo.enabled", false);
user_pref("browser.sessionstore.resume_from_crash", false);
user_pref("toolkit.startup.max_resumed_crashes", -1);
EOF
    } > "$1/user.js"
}

# firefox_load NAME URL : load URL in a fresh profile until the page reports
# page=NAME to /result (at most 80 s); RESULT is its query string, or empty.
firefox_load() {
    local name=$1 url=$2 prof=$T/firefox.$1 pid line
    firefox_profile "$prof"
    # MOZ_REMOTE_SETTINGS_DEVTOOLS: a release build heeds services.settings.server
    # only with it (else Remote Settings still calls its server at startup).
    HOME=$prof MOZ_REMOTE_SETTINGS_DEVTOOLS=1 MOZ_CRASHREPORTER_DISABLE=1 \
        MOZ_DISABLE_AUTO_SAFE_MODE=1 \
        setsid timeout -k 5 90 "$FIREFOX" --headless --profile "$prof" --no-remote "$url" \
        >"$T/$name.out" 2>"$T/$name.err" &
    pid=$!
    at_exit "reap_session $pid"
    RESULT=
    for _ in $(seq 1 400); do
        line=$(grep -F "GET /result?page=$name&" "$root/logs/access.log" 2>/dev/null | head -n 1)
        [ -n "$line" ] && break
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.2
    done
    browser_stop "$pid"
    RESULT=$(printf '%s' "$line" | sed -n 's/.*GET \/result?\([^ ]*\) HTTP.*/\1/p')
    [ -n "$RESULT" ] || tail -n 20 "$T/$name.err" | sed 's/^/# firefox: /' >&2
}
# param KEY : the decoded value of KEY in RESULT
param() {
    local v
    v=$(printf '%s' "$RESULT" | tr '&' '\n' | sed -n "s/^$1=//p" | head -n 1)
    printf '%b' "${v//%/\\x}"
}
echo "# $("$FIREFOX" --version 2>/dev/null)"

# ---- 1: what mod_sri serves ----------------------------------------------------
served=$(fetch "$site/page.html")
has "$served" "<script src=\"$cdn/tampered.js\" integrity=\"$tampered_tok\" crossorigin=\"anonymous\">" \
    "mod_sri pinned the registered script in the served page"
like "$served" "<link rel=\"stylesheet\" href=\"$cdn/tampered.css\" integrity=\"sha384-[^\"]+\" crossorigin=\"anonymous\">" \
    "mod_sri pinned the registered stylesheet in the served page"
fo_tag=$(printf '%s' "$served" | grep -o "<script src=\"$cdn/fo-tampered.js\"[^>]*>")
case $fo_tag in *"integrity=\"$fo_tampered_tok\""*) r=yes ;; *) r=no ;; esac
is "$r" yes "the author's sha1 integrity on a registered URL is replaced by the approved token"

# ---- 2: Firefox through mod_sri --------------------------------------------------
firefox_load on "$site/page.html"
check "Firefox loaded the page and its report came back" test -n "$RESULT"
is "$(param good)" ran "a registered, unchanged third-party script runs"
is "$(param tampered)" none "a registered script changed after registration is refused"
is "$(param unknown)" ran "an unregistered script runs"
is "$(param css-good)" "rgb(0, 128, 0)" "a registered, unchanged stylesheet is applied"
is "$(param css-tampered)" "rgb(0, 0, 0)" "a registered stylesheet changed after registration is not applied"
is "$(param fo-good)" ran "an unchanged script with the author's sha1 integrity runs"
is "$(param fo-tampered)" none \
    "a changed script whose author wrote a sha1 integrity is refused (mod_sri repaired it)"
is "$(param svg)" ran "an SVG <script href> from another origin runs (no integrity can pin it)"
is "$(param svgx)" ran "so does an SVG <script xlink:href>"

# ---- 2b: SRIUnknown block: the unregistered script and the SVG scripts stay out --
firefox_load block "$site/block/page.html"
check "Firefox loaded the page under SRIUnknown block" test -n "$RESULT"
is "$(param good)" ran "under block a registered, unchanged script still runs"
is "$(param unknown)" none "under block an unregistered script is not loaded"
is "$(param svg)" none "under block an SVG <script href> is not loaded"
is "$(param svgx)" none "under block an SVG <script xlink:href> is not loaded"

# ---- 2c: an iframe's srcdoc page is pinned like any page -----------------------
firefox_load srcdoc "$site/srcdoc.html"
check "Firefox loaded the srcdoc page and its report came back" test -n "$RESULT"
is "$(param srcdoc-good)" ran "a registered, unchanged script in an iframe's srcdoc runs"
is "$(param srcdoc-tampered)" none "a registered script in an iframe's srcdoc, changed after registration, is refused"
is "$(param srcdoc-unknown)" ran "an unregistered script in an iframe's srcdoc runs (SRIUnknown allow)"
firefox_load srcdoc-off "$site/off/srcdoc.html"
check "Firefox loaded the srcdoc page with SRIEngine Off" test -n "$RESULT"
is "$(param srcdoc-tampered)" ran "with SRIEngine Off the changed script in the srcdoc runs"
firefox_load srcdoc-block "$site/block/srcdoc.html"
check "Firefox loaded the srcdoc page under SRIUnknown block" test -n "$RESULT"
is "$(param srcdoc-good)" ran "under block the registered script in the srcdoc still runs"
is "$(param srcdoc-unknown)" none "under block the unregistered script in the srcdoc is not loaded"

# ---- 3: the same page with SRIEngine Off: the changes do run -------------------
firefox_load off "$site/off/page.html"
check "Firefox loaded the page with SRIEngine Off" test -n "$RESULT"
is "$(param good)" ran "with SRIEngine Off the unchanged script runs"
is "$(param tampered)" ran "with SRIEngine Off the changed script runs"
is "$(param css-tampered)" "rgb(255, 0, 0)" "with SRIEngine Off the changed stylesheet applies"
is "$(param fo-tampered)" ran "with SRIEngine Off the author's sha1 integrity lets the changed script run"

done_testing
