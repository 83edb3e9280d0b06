#!/usr/bin/env bash
# tests/integration/rollback.sh -- a signed registry's rollback check holds
# in child processes started after the parent took up the update, not only
# in those that saw it.
#
# Why: a child starts with its parent's copy of the registry.  When only
# the children took up new versions, the parent kept the one httpd started
# with, and every child it started later (here: prefork with
# MaxConnectionsPerChild 1, so each request is served by a new child)
# began from that old version: an older, validly signed pair put back on
# disk matched it and was served, while the children that had seen the
# newer one refused it.  The parent now takes up new versions too (the
# monitor hook, about every ten seconds), so new children begin from the
# newest version and refuse the older pair; children started before that
# take the copy the parent publishes in the runtime directory.  And a
# graceful restart keeps what the parent had: an older pair still on disk
# is refused then too.
. "${top_srcdir:?run me through make check}/tests/lib.sh" || exit 1
[ -x "$HTTPD_BIN" ] || skip_all "no httpd binary (install apache2)"
[ -f "$SRI_MODULE" ] || skip_all "module not built: $SRI_MODULE"
[ -x "$SRI_TOOL" ] || skip_all "sri-registry not built"
[ -f "$HTTPD_MODULES/mod_mpm_prefork.so" ] || skip_all "no mod_mpm_prefork"
unset SRI_REGISTRY SRI_REGISTRY_SIGN_KEY SRI_REGISTRY_NOW

TA="sha384-oqVuAfXRKap7fdgcCY5uykM6+R9GqQ8K/uxy9rx7HNQlGYl1kPzQho1wx4JwY8wC"
TB="sha384-H8BRh8j48O9oYatfu5AZzq6A9RINhZO5H16dQZngK7T62em8MUt1FLm52t+eX6xO"
make_tmp
root=$T/root
port=$(free_port 127.0.0.1) || bail "no free port"
HTTPD_MPM=prefork HTTPD_SERVERS=8 httpd_conf "$root" "127.0.0.1:$port"
mkdir -p "$T/signer" "$root/sri"
"$SRI_TOOL" keygen "$T/signer/key.pem" >/dev/null || bail "keygen failed"

# signed PAIR TOKEN TIME: a registry pinning a.js to TOKEN, signed at TIME
signed() {
    printf '%s\n' "https://cdn.example.org/a.js" "    integrity $2" > "$1"
    SRI_REGISTRY_NOW=$3 "$SRI_TOOL" -q -r "$1" sign-registry \
        --key "$T/signer/key.pem" >/dev/null || bail "cannot sign $1"
}
# install PAIR: as pull does -- the .sig first, the registry last, each
# renamed into place
install() {
    cp "$1.sig" "$root/sri/.sig.new" && mv "$root/sri/.sig.new" "$root/sri/registry.sig"
    cp "$1" "$root/sri/.reg.new" && mv "$root/sri/.reg.new" "$root/sri/registry"
    chmod -R a+rX "$root/sri"
}
signed "$T/old" "$TA" 2026-01-01T00:00:00Z
signed "$T/new" "$TB" 2026-02-01T00:00:00Z
install "$T/old"
echo '<script src="https://cdn.example.org/a.js"></script>' > "$root/htdocs/index.html"
cat >> "$root/conf/httpd.conf" <<EOC
LogLevel warn sri:info
StartServers 2
MinSpareServers 2
MaxSpareServers 4
MaxConnectionsPerChild 1
SRIEngine On
SRIRegistry "$root/sri/registry"
SRIRegistryKey "$T/signer/key.pem.pub"
SRIRegistryCheckInterval 1
EOC
httpd_start "$root" || bail "httpd did not start"
page() { curl -sS --noproxy '*' -H 'Connection: close' "http://127.0.0.1:$port/index.html"; }
has "$(page)" "integrity=\"$TA\"" "the first signed registry is served"

# the newer pair: the parent takes it up within about ten seconds
install "$T/new"
for _ in $(seq 1 120); do
    grep -q 'taken up by the parent' "$root/logs/error.log" && break
    sleep 0.5
done
like "$(cat "$root/logs/error.log")" \
    "registry $root/sri/registry: version [^ ]+ signed at 2026-02-01T00:00:00Z, 1 entries, taken up by the parent process" \
    "the parent takes up the newer signed registry and says so (info)"
has "$(page)" "integrity=\"$TB\"" "the newer signed registry is served"

# Children started before the parent took it up (idle spares, never asked
# since) still hold the older version: they take the parent's published
# copy at their first check, before judging the files on disk.

# the older pair put back on disk: every child refuses it, new ones too
install "$T/old"
sleep 1.2
out=$(for _ in $(seq 1 12); do page; sleep 0.3; done)
is "$(printf '%s\n' "$out" | grep -cF "integrity=\"$TB\"")" 12 \
    "12 pages, each from another child (idle ones among them): all keep the newer pins"
is "$(printf '%s\n' "$out" | grep -cF "integrity=\"$TA\"")" 0 \
    "no child serves the older signed registry put back on disk"
like "$(cat "$root/logs/error.log")" "signed at 2026-01-01T00:00:00Z, older than the registry in use .*refused as a rollback" \
    "the rollback is refused and logged"
# the parent refused it too: it still holds the newer version
is "$(grep -c 'taken up by the parent' "$root/logs/error.log")" 1 \
    "the parent took up only the newer registry"

# a graceful restart (apachectl graceful; Debian's logrotate reloads daily)
# with the older pair still on disk: the parent keeps the newer one
# (moved away first, as logrotate does: the message goes to the new log)
mv "$root/logs/error.log" "$root/logs/error.log.1"
httpd_graceful "$root"
like "$(cat "$root/logs/error.log")" \
    "registry $root/sri/registry: signed at 2026-01-01T00:00:00Z, older than the registry in use before the restart \(signed at 2026-02-01T00:00:00Z\): refused as a rollback; keeping that one" \
    "a graceful restart refuses the older signed pair on disk, and says so in the new error log"
like "$(cat "$root/logs/error.log")" "\[sri:error\].*refused as a rollback" "... tagged with the module's name"
out=$(for _ in $(seq 1 6); do page; sleep 0.3; done)
is "$(printf '%s\n' "$out" | grep -cF "integrity=\"$TB\"")" 6 \
    "after the graceful restart every child keeps the newer pins"
# a newer pair is still taken after it
signed "$T/newest" "$TA" 2026-03-01T00:00:00Z
install "$T/newest"
sleep 1.2
out=$(for _ in $(seq 1 4); do page; sleep 0.3; done)
is "$(printf '%s\n' "$out" | grep -cF "integrity=\"$TA\"")" 4 \
    "a newer signed registry is taken after the restart"
kill -0 "$HTTPD_PID" && ok "httpd still running" || not_ok "httpd still running"

# The parent finds a registry wherever it is set: here only inside <Files>.
root2=$T/root2
port2=$(free_port 127.0.0.1) || bail "no free port"
httpd_conf "$root2" "127.0.0.1:$port2"
mkdir -p "$root2/sri"
cp "$T/newest" "$root2/sri/registry"; cp "$T/newest.sig" "$root2/sri/registry.sig"
chmod -R a+rX "$root2/sri"
cat >> "$root2/conf/httpd.conf" <<EOC
LogLevel warn sri:info
SRIEngine On
SRIRegistryKey "$T/signer/key.pem.pub"
SRIRegistryCheckInterval 1
<Files "index.html">
    SRIRegistry "$root2/sri/registry"
</Files>
EOC
httpd_start "$root2" || bail "second httpd did not start"
signed "$T/later" "$TB" 2026-04-01T00:00:00Z
cp "$T/later.sig" "$root2/sri/.s" && mv "$root2/sri/.s" "$root2/sri/registry.sig"
cp "$T/later" "$root2/sri/.r" && mv "$root2/sri/.r" "$root2/sri/registry"
chmod -R a+rX "$root2/sri"
for _ in $(seq 1 120); do
    grep -q 'taken up by the parent' "$root2/logs/error.log" && break
    sleep 0.5
done
like "$(cat "$root2/logs/error.log")" "signed at 2026-04-01T00:00:00Z, 1 entries, taken up by the parent" \
    "the parent takes up a registry set only inside <Files>"
done_testing
