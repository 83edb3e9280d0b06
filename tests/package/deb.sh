#!/usr/bin/env bash
# tests/package/deb.sh -- the Debian packages, built, linted, installed,
# used and purged on this machine.
#
# Why: "installed the way Apache modules are installed" is only true if the
# packages build from a clean copy of the tree (git ls-files, not this
# build), lintian finds no error, apt installs them, `a2enmod sri` and
# `apache2ctl configtest` work, the installed module serves integrity from
# the installed registry (kept with the installed tool), the verify job
# fails on drift, and purge leaves the machine exactly as it was.  The
# system Apache is never started, stopped or reloaded: the test runs
# /usr/sbin/apache2 with its own configuration (ServerRoot, PidFile, port
# on 127.0.0.1), which Includes the installed mods-enabled/sri.load and
# sri.conf, and stops it by PID.
. "${top_srcdir:?run me through make check}/tests/lib.sh" || exit 1
[ "$(id -u)" = 0 ] || skip_all "installing packages needs root"
for t in dpkg-buildpackage dpkg-source dh dh_apache2 lintian fakeroot apt-get a2enmod a2dismod git; do
    command -v "$t" >/dev/null || skip_all "no $t (tools/install-deps test installs debhelper, dpkg-dev, lintian, fakeroot, apache2-dev)"
done
[ -x /usr/sbin/apache2 ] || skip_all "no /usr/sbin/apache2 (install apache2)"
[ -f "$top_srcdir/debian/control" ] ||
    skip_all "no debian/ in this tree (a release tarball does not carry it)"
# the tree itself must be the checkout (a tarball unpacked inside some
# other repository is not)
[ "$(git -C "$top_srcdir" rev-parse --show-toplevel 2>/dev/null)" = "$(cd "$top_srcdir" && pwd -P)" ] ||
    skip_all "not a git checkout: the packages are built from git ls-files"
for p in libapache2-mod-sri sri-registry; do
    st=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null)
    [ -z "$st" ] || [ "$st" = not-installed ] || skip_all "$p is $st on this machine: not touching it"
done
for f in /etc/apache2/mods-available/sri.load /etc/apache2/mods-available/sri.conf \
         /usr/lib/apache2/modules/mod_sri.so /etc/apache2/sri; do
    [ -e "$f" ] && skip_all "$f exists (a mod_sri not from the package): not touching it"
done

# One run at a time on this machine (dpkg, and the same package names).
exec 9>/run/lock/mod_sri-deb-test.lock
flock -w 1800 9 || bail "another tests/package/deb.sh holds /run/lock/mod_sri-deb-test.lock"

make_tmp
apt_opts=(-y -q -o DPkg::Lock::Timeout=300 -o Dpkg::Use-Pty=0)
export DEBIAN_FRONTEND=noninteractive

# What purge must give back: our paths and the state a2enmod/dpkg keep.
snapshot() {
    find /etc/apache2 /var/lib/apache2 /etc/systemd/system \
         /var/lib/systemd/deb-systemd-helper-enabled /var/lib/systemd/deb-systemd-helper-masked \
         /etc/logrotate.d /etc/default /usr/lib/apache2/modules /var/log/apache2 \
         /usr/share/doc/libapache2-mod-sri /usr/share/doc/sri-registry /usr/bin/sri-registry \
         /usr/share/man/man1/sri-registry.1.gz /lib/systemd/system/sri-registry-verify.service \
         /lib/systemd/system/sri-registry-verify.timer /lib/systemd/system/sri-registry-pull.service \
         /lib/systemd/system/sri-registry-pull.timer \
         -printf '%p %m %u:%g\n' 2>/dev/null | sort
}
snapshot > "$T/before"
state_dirs=()
for d in /var/lib/apache2/module/enabled_by_admin /var/lib/apache2/module/disabled_by_admin; do
    [ -d "$d" ] || state_dirs+=("$d")
done
# Whatever happens below, the machine is put back: module disabled,
# packages purged, the empty state directories a2enmod made removed.
restore() {
    [ -L /etc/apache2/mods-enabled/sri.load ] && a2dismod -q -f sri >/dev/null 2>&1
    if dpkg-query -W -f='${db:Status-Status}' libapache2-mod-sri sri-registry 2>/dev/null | grep -qv not-installed; then
        apt-get purge "${apt_opts[@]}" libapache2-mod-sri sri-registry >"$T/purge.log" 2>&1
    fi
    for d in "${state_dirs[@]}"; do rmdir "$d" 2>/dev/null; done
    return 0
}
at_exit restore

# ---- build from a clean copy ----------------------------------------------------
version=$(sed -n '1s/^[^(]*(\([^)]*\)).*/\1/p' "$top_srcdir/debian/changelog")
src=$T/build/mod-sri-$version
mkdir -p "$src"
# tracked and new files, never build products (as tools/check's ASan copy)
git -C "$top_srcdir" ls-files -z --cached --others --exclude-standard |
    (cd "$top_srcdir" && tar --null -T - -cf -) | tar -C "$src" -xf - ||
    bail "cannot export the tree"
check "the export has no build products" test ! -e "$src/config.status" -a ! -e "$src/tools/sri-registry"
clean_env=(env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u top_srcdir -u top_builddir
           -u APXS -u HTTPD_SBINDIR -u SRI_REGISTRY)
( cd "$T/build" && "${clean_env[@]}" dpkg-source -b "mod-sri-$version" ) >"$T/source.log" 2>&1
check "dpkg-source builds the source package" test -f "$T/build/mod-sri_$version.dsc"
start=$(date +%s)
( cd "$src" && "${clean_env[@]}" DEB_BUILD_OPTIONS="nocheck parallel=2" DEB_BUILD_PROFILES=nocheck \
      dpkg-buildpackage -us -uc -b ) >"$T/build.log" 2>&1
rc=$?
is "$rc" 0 "dpkg-buildpackage -us -uc -b succeeds ($(( $(date +%s) - start )) s)"
mod_deb=$T/build/libapache2-mod-sri_${version}_$(dpkg --print-architecture).deb
tool_deb=$T/build/sri-registry_${version}_$(dpkg --print-architecture).deb
if [ "$rc" != 0 ] || [ ! -f "$mod_deb" ] || [ ! -f "$tool_deb" ]; then
    tail -n 40 "$T/build.log" | sed 's/^/# /'
    bail "the packages did not build"
fi

# ---- lintian -----------------------------------------------------------------
lintian --fail-on error --display-info "$T"/build/mod-sri_"${version}"_*.changes \
    "$T/build/mod-sri_$version.dsc" >"$T/lintian.log" 2>&1
is "$?" 0 "lintian reports no error (binary and source)"
lint=$(grep -v 'running with root privileges' "$T/lintian.log")
unlike "$lint" "^E: " "no E: tag"
[ -n "$lint" ] && printf '%s\n' "$lint" | sed 's/^/# lintian: /'

# ---- contents -------------------------------------------------------------------
mod_files=$(dpkg-deb -c "$mod_deb" | awk '{print $6}')
tool_files=$(dpkg-deb -c "$tool_deb" | awk '{print $6}')
for f in ./usr/lib/apache2/modules/mod_sri.so ./etc/apache2/mods-available/sri.load \
         ./etc/apache2/mods-available/sri.conf ./etc/logrotate.d/libapache2-mod-sri; do
    has "$mod_files" "$f" "libapache2-mod-sri ships $f"
done
for f in ./usr/bin/sri-registry ./usr/share/man/man1/sri-registry.1.gz \
         ./lib/systemd/system/sri-registry-verify.service ./lib/systemd/system/sri-registry-verify.timer \
         ./lib/systemd/system/sri-registry-pull.service ./lib/systemd/system/sri-registry-pull.timer \
         ./etc/default/sri-registry; do
    has "$tool_files" "$f" "sri-registry ships $f"
done
like "$(dpkg-deb -f "$mod_deb" Depends)" "apache2-api-[0-9]+" "the module depends on the Apache module API (dh_apache2)"

# ---- install ----------------------------------------------------------------------
apt-get install "${apt_opts[@]}" --no-install-recommends "$mod_deb" "$tool_deb" >"$T/install.log" 2>&1
rc=$?
is "$rc" 0 "apt-get install ./libapache2-mod-sri_*.deb ./sri-registry_*.deb"
[ "$rc" = 0 ] || { tail -n 20 "$T/install.log" | sed 's/^/# /'; bail "install failed"; }
is "$(stat -c '%U:%G %a' /etc/apache2/sri)" "root:root 755" "/etc/apache2/sri is root's, 0755"
is "$(stat -c '%U:%G %a' /etc/apache2/sri/registry)" "root:root 644" "the registry is root's, 0644"
www_writes() { runuser -u www-data -- sh -c 'test -w /etc/apache2/sri/registry || test -w /etc/apache2/sri'; }
if www_writes; then not_ok "www-data cannot write the registry or its directory"
else ok "www-data cannot write the registry or its directory"; fi
like "$(/usr/bin/sri-registry -r /etc/apache2/sri/registry check 2>&1)" ": 0 entries, valid" \
    "the installed registry is empty and valid"
is "$(stat -c '%U:%G %a' /var/log/apache2/sri)" "root:adm 750" "the report log directory is root:adm 0750"
check "the verify timer is enabled" test -L /etc/systemd/system/timers.target.wants/sri-registry-verify.timer
check "the pull timer is not enabled (a fleet's web servers enable it)" \
    test ! -e /etc/systemd/system/timers.target.wants/sri-registry-pull.timer
check "the module is not enabled by the install (a2enmod is the administrator's)" \
    test ! -e /etc/apache2/mods-enabled/sri.load
check "man sri-registry" sh -c 'man -w sri-registry | grep -q /usr/share/man/man1/sri-registry.1.gz'
if command -v systemd-analyze >/dev/null; then
    out=$(systemd-analyze verify /lib/systemd/system/sri-registry-verify.timer \
          /lib/systemd/system/sri-registry-verify.service /lib/systemd/system/sri-registry-pull.timer \
          /lib/systemd/system/sri-registry-pull.service 2>&1)
    is "$?:$out" "0:" "systemd-analyze verify accepts the services and the timers"
fi
if command -v logrotate >/dev/null; then
    out=$(logrotate -d /etc/logrotate.d/libapache2-mod-sri 2>&1)
    is "$?" 0 "logrotate -d accepts the logrotate file"
    unlike "$out" "error" "without errors"
    # /etc/logrotate.d/apache2 rotates /var/log/apache2/*.log: ours must
    # not name a file twice (logrotate would refuse the stanza)
    out=$(logrotate -d /etc/logrotate.conf 2>&1)
    unlike "$out" "duplicate log entry" "no log is claimed by two logrotate files"
fi

# ---- a2enmod, configtest ------------------------------------------------------------
out=$(a2enmod sri 2>&1)
is "$?" 0 "a2enmod sri"
check "mods-enabled/sri.load and sri.conf are linked" \
    test -L /etc/apache2/mods-enabled/sri.load -a -L /etc/apache2/mods-enabled/sri.conf
out=$(apache2ctl configtest 2>&1)
is "$?" 0 "apache2ctl configtest with the module enabled"
has "$out" "Syntax OK" "Syntax OK"

# ---- our own httpd with the installed module ----------------------------------------------
root=$T/httpd
port=$(free_port 127.0.0.1)
mkdir -p "$root/conf" "$root/logs" "$root/run" "$root/htdocs/static"
{
    echo "ServerRoot \"$root\""
    echo "ServerName 127.0.0.1"
    echo "PidFile \"$root/run/httpd.pid\""
    echo "DefaultRuntimeDir \"$root/run\""
    echo "Mutex file:$root/run default"
    echo "ErrorLog \"$root/logs/error.log\""
    echo "LogLevel warn"
    echo "Listen 127.0.0.1:$port"
    echo "User www-data"
    echo "Group www-data"
    for m in mpm_event authz_core mime dir; do
        echo "LoadModule ${m}_module $HTTPD_MODULES/mod_$m.so"
    done
    echo "Include /etc/apache2/mods-enabled/sri.load"
    echo "Include /etc/apache2/mods-enabled/sri.conf"
    echo "TypesConfig /etc/mime.types"
    echo "AddType text/html .html"
    echo "DocumentRoot \"$root/htdocs\""
    echo "<Directory \"$root/htdocs\">"
    echo "    Require all granted"
    echo "</Directory>"
    echo "SRIEngine On"
    echo "<Location /sri-reports>"
    echo "    SetHandler sri-report"
    echo "    SRIReportLog /var/log/apache2/sri/reports.log"
    echo "</Location>"
} > "$root/conf/httpd.conf"
printf '<!doctype html><title>t</title><script src="https://cdn.example.org/lib@1.0.0/lib.js"></script>\n' \
    > "$root/htdocs/index.html"
printf 'console.log("v1");\n' > "$root/htdocs/static/lib.js"
httpd_start "$root" || bail "httpd with the installed module did not start"
base="http://127.0.0.1:$port"
ok "httpd starts with the installed, empty registry"
unlike "$(cat "$root/logs/error.log")" "writable by the user the web server runs as" \
    "no warning: www-data cannot change the pins"
page=$(fetch "$base/index.html")
unlike "$page" "integrity=" "an unregistered script is left alone"

TOK=$(/usr/bin/sri-registry hash "$root/htdocs/static/lib.js")
/usr/bin/sri-registry -r /etc/apache2/sri/registry add https://cdn.example.org/lib@1.0.0/lib.js \
    --integrity "$TOK" --why "tests/package/deb.sh" --by deb-test >/dev/null 2>"$T/add.err"
is "$?" 0 "the installed sri-registry adds an entry to /etc/apache2/sri/registry"
is "$(stat -c '%U:%G %a' /etc/apache2/sri/registry)" "root:root 644" "the registry stays root's, 0644"
for _ in $(seq 1 40); do
    page=$(fetch "$base/index.html"); case $page in *integrity=*) break ;; esac; sleep 0.5
done
has "$page" "<script src=\"https://cdn.example.org/lib@1.0.0/lib.js\" integrity=\"$TOK\" crossorigin=\"anonymous\"></script>" \
    "the page comes out with the integrity attribute (registry reloaded, no restart)"

code=$(fetch "$base/sri-reports" -o /dev/null -w '%{http_code}' -H 'Content-Type: application/reports+json' \
       --data-binary '[{"type":"integrity-violation","body":{"blockedURL":"https://evil.example/deb.js"}}]')
is "$code" 204 "a report to /var/log/apache2/sri/reports.log (root:adm 0750 directory)"
check "the report is in the log" grep -q 'evil.example/deb.js' /var/log/apache2/sri/reports.log

# ---- the daily verify, as the unit runs it --------------------------------------------------
unit=/lib/systemd/system/sri-registry-verify.service
has "$(cat "$unit")" "EnvironmentFile=-/etc/default/sri-registry" "the service reads /etc/default/sri-registry"
has "$(cat "$unit")" 'ExecStart=/usr/bin/sri-registry verify $SRI_VERIFY_OPTIONS' "the service runs sri-registry verify"
has "$(cat /lib/systemd/system/sri-registry-verify.timer)" "OnCalendar=daily" "the timer is daily"
# The unit's command with the defaults file's environment, against a
# registry of a file our httpd serves (the real one names an unreachable CDN).
vreg=$T/verify-registry
/usr/bin/sri-registry -r "$vreg" add "$base/static/lib.js" --integrity "$TOK" --why t --by t >/dev/null 2>&1
run_unit() {
    env -i PATH=/usr/bin:/bin sh -c 'set -a; . /etc/default/sri-registry; set +a
        SRI_REGISTRY=$1; SRI_VERIFY_OPTIONS="--allow-http --no-npm-check"
        test -e "$SRI_REGISTRY" || exit 254
        exec /usr/bin/sri-registry verify $SRI_VERIFY_OPTIONS' sh "$1"
}
out=$(run_unit "$vreg" 2>&1)
is "$?" 0 "verify: unchanged upstream, exit 0 (unit succeeds)"
printf 'console.log("tampered");\n' > "$root/htdocs/static/lib.js"
out=$(run_unit "$vreg" 2>&1)
is "$?" 3 "verify: drift, exit 3 (the unit fails: OnFailure= fires)"
has "$out" "CHANGED    $base/static/lib.js" "the drift is in the output (the journal)"
if [ -d /run/systemd/system ]; then
    # systemd is running: the real unit, on the real (unreachable) entry
    systemctl start sri-registry-verify.service >/dev/null 2>&1
    res=$(systemctl show -p Result --value sri-registry-verify.service)
    is "$res" exit-code "the installed unit fails when verify cannot confirm the registry"
    systemctl reset-failed sri-registry-verify.service >/dev/null 2>&1
fi

# ---- the pull, as its unit runs it (a fleet's web server) ---------------------------------------
unit=/lib/systemd/system/sri-registry-pull.service
has "$(cat "$unit")" "EnvironmentFile=-/etc/default/sri-registry" "the pull service reads /etc/default/sri-registry"
has "$(cat "$unit")" 'ExecStart=/usr/bin/sri-registry -q -r ${SRI_REGISTRY} pull ${SRI_PULL_URL} $SRI_PULL_OPTIONS' \
    "the pull service runs sri-registry pull"
has "$(cat "$unit")" 'ReadWritePaths=/etc/apache2/sri' "the pull service may write only the registry's directory"
has "$(cat /lib/systemd/system/sri-registry-pull.timer)" "OnCalendar=*:0/5" "the pull timer runs every five minutes"
has "$(cat /etc/default/sri-registry)" "SRI_PULL_URL=" "the defaults file has the pull settings"
# A registry signed by the fleet's key, served by our httpd; the unit's
# command with the defaults file's environment installs it.
fleet=$root/htdocs/static/fleet
/usr/bin/sri-registry keygen "$T/signer" >/dev/null 2>&1
/usr/bin/sri-registry -r "$fleet" add "$base/static/lib.js" --integrity "$TOK" --why t --by t >/dev/null 2>&1
/usr/bin/sri-registry -r "$fleet" sign-registry --key "$T/signer" >/dev/null 2>&1
run_pull_unit() {   # run_pull_unit REGISTRY URL PUBKEY
    env -i PATH=/usr/bin:/bin sh -c 'set -a; . /etc/default/sri-registry; set +a
        SRI_REGISTRY=$1 SRI_PULL_URL=$2 SRI_PULL_OPTIONS="--allow-http --key $3"
        test -n "$SRI_PULL_URL" || exit 254
        exec /usr/bin/sri-registry -q -r "$SRI_REGISTRY" pull "$SRI_PULL_URL" $SRI_PULL_OPTIONS' sh "$@"
}
out=$(run_pull_unit "$T/pulled" "$base/static/fleet" "$T/signer.pub" 2>&1)
is "$?" 0 "pull: the fleet's signed registry is installed (exit 0)"
check "the installed registry is the signed one" cmp -s "$T/pulled" "$fleet"
check "its signature is installed beside it" cmp -s "$T/pulled.sig" "$fleet.sig"
printf '\n' >> "$fleet"
out=$(run_pull_unit "$T/pulled" "$base/static/fleet" "$T/signer.pub" 2>&1)
is "$?" 3 "pull: a registry altered after signing is refused (exit 3: the unit fails)"
check "the refused registry was not installed" sh -c '! cmp -s "$1" "$2"' sh "$T/pulled" "$fleet"

# ---- stop, disable, purge ---------------------------------------------------------------------
httpd_stop "$HTTPD_PID"
out=$(a2dismod sri 2>&1)
is "$?" 0 "a2dismod sri"
apt-get purge "${apt_opts[@]}" libapache2-mod-sri sri-registry >"$T/purge.log" 2>&1
rc=$?
is "$rc" 0 "apt-get purge libapache2-mod-sri sri-registry"
[ "$rc" = 0 ] || tail -n 20 "$T/purge.log" | sed 's/^/# /'
for p in libapache2-mod-sri sri-registry; do
    st=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null)
    is "${st:-not-installed}" not-installed "$p is gone from dpkg's database"
done
for f in /etc/apache2/sri /var/log/apache2/sri /etc/apache2/mods-available/sri.conf \
         /etc/apache2/mods-enabled/sri.load /usr/lib/apache2/modules/mod_sri.so /usr/bin/sri-registry \
         /etc/default/sri-registry /etc/logrotate.d/libapache2-mod-sri \
         /etc/systemd/system/timers.target.wants/sri-registry-verify.timer \
         /var/lib/apache2/module/disabled_by_admin/sri /var/lib/apache2/module/enabled_by_admin/sri; do
    check "purge removed $f" test ! -e "$f" -a ! -L "$f"
done
for d in "${state_dirs[@]}"; do rmdir "$d" 2>/dev/null; done
snapshot > "$T/after"
d=$(diff "$T/before" "$T/after")
is "$d" "" "the machine is as it was before the test (apache2, systemd, logrotate, default, logs)"

done_testing
