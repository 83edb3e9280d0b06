# tests/lib.sh -- TAP helpers and a real httpd for shell tests (sourced).
#
# Why: every integration test starts its own Apache httpd -- its own
# ServerRoot in a temporary directory, Listen on a free 127.0.0.x port, the
# module this build produced -- and stops it by the PID it started.  No mock
# of Apache, nothing outside 127.0.0.0/8, no process we did not start is
# touched.  tools/demo uses the same functions.

: "${top_srcdir:=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
HTTPD_BIN=${HTTPD_BIN:-}
if [ -z "$HTTPD_BIN" ]; then
    for c in "${HTTPD_SBINDIR:-/usr/sbin}/apache2" "${HTTPD_SBINDIR:-/usr/sbin}/httpd" \
             /usr/sbin/apache2 /usr/sbin/httpd; do
        [ -x "$c" ] && { HTTPD_BIN=$c; break; }
    done
fi
HTTPD_MODULES=${HTTPD_MODULES:-$(apxs -q LIBEXECDIR 2>/dev/null || echo /usr/lib/apache2/modules)}
SRI_MODULE=${SRI_MODULE:-$top_builddir/mod_sri/.libs/mod_sri.so}
SRI_TOOL=${SRI_TOOL:-$top_builddir/tools/sri-registry}

# ---- TAP ----------------------------------------------------------------
_tap_n=0
_tap_failed=0
ok() {          # ok NAME  (after a command that succeeded)
    _tap_n=$((_tap_n + 1)); echo "ok $_tap_n - $1"
}
not_ok() {      # not_ok NAME [DIAGNOSTIC...]
    _tap_n=$((_tap_n + 1)); _tap_failed=$((_tap_failed + 1))
    echo "not ok $_tap_n - $1"; shift
    for d in "$@"; do printf '%s\n' "$d" | sed 's/^/# /'; done
}
check() {       # check NAME COMMAND...   (passes when COMMAND succeeds)
    local name=$1; shift
    if "$@"; then ok "$name"; else not_ok "$name" "command failed: $*"; fi
}
is() {          # is GOT WANT NAME
    if [ "$1" = "$2" ]; then ok "$3"; else not_ok "$3" "got:  $1" "want: $2"; fi
}
like() {        # like TEXT GREP-E-PATTERN NAME
    if printf '%s' "$1" | grep -Eq -- "$2"; then ok "$3"
    else not_ok "$3" "pattern: $2" "text: $(printf '%s' "$1" | head -c 2000)"; fi
}
has() {         # has TEXT LITERAL NAME  (fixed string)
    if printf '%s' "$1" | grep -Fq -- "$2"; then ok "$3"
    else not_ok "$3" "missing: $2" "text: $(printf '%s' "$1" | head -c 2000)"; fi
}
unlike() {      # unlike TEXT GREP-E-PATTERN NAME
    if printf '%s' "$1" | grep -Eq -- "$2"; then
        not_ok "$3" "unexpected: $2" "text: $(printf '%s' "$1" | head -c 2000)"
    else ok "$3"; fi
}
skip_all() {    # skip_all REASON
    echo "1..0 # SKIP $1"; exit 0
}
done_testing() {
    # stopped first: what a sanitizer finds while httpd shuts down (pool
    # cleanups, child exit) is written then, and must be read too
    local pid
    for pid in "${_httpd_pids[@]}"; do httpd_stop "$pid"; done
    _check_sanitizers
    echo "1..$_tap_n"
    [ "$_tap_failed" -eq 0 ]
}
bail() { echo "Bail out! $*"; exit 1; }

# ---- temporary directory, removed at exit --------------------------------
_cleanups=()
at_exit() { _cleanups+=("$*"); }
_run_cleanups() {
    local i
    for ((i=${#_cleanups[@]}-1; i>=0; i--)); do eval "${_cleanups[$i]}" || true; done
}
trap _run_cleanups EXIT
make_tmp() {    # sets T to a fresh directory readable by www-data
    T=$(mktemp -d "${TMPDIR:-/tmp}/mod_sri-test.XXXXXX") || bail "mktemp failed"
    [ -d "$T" ] || bail "no temporary directory"
    chmod 755 "$T"
    [ -n "${KEEP_TMP:-}" ] || at_exit "rm -rf '$T'"
}

# ---- free ports ------------------------------------------------------------
# Two ways a port found free can be gone by the time httpd binds it, both
# seen in CI ("(98)Address already in use"): a client's connect() takes it
# as its local port -- curl, wrk and the browsers run beside the servers,
# and the kernel hands out local ports from ip_local_port_range -- or a test
# running in parallel (make -j, a second checkout) picks the same one.  So
# ports come from below the kernel's range, and each is reserved for the
# life of the test that took it: a symlink named for the port, pointing at
# the test's PID, made atomically with ln -s.  A reservation whose test is
# gone is taken over; the test's own are removed at its exit.
_port_dir=${TMPDIR:-/tmp}/mod_sri-ports
_release_ports() {
    local l
    for l in "$_port_dir"/*; do
        [ -L "$l" ] && [ "$(readlink "$l")" = "$$" ] && rm -f "$l"
    done
    return 0
}
at_exit _release_ports
_reserve_port() {   # _reserve_port PORT : true when this test now holds it
    local l=$_port_dir/$1 owner
    mkdir -p "$_port_dir" 2>/dev/null && chmod 1777 "$_port_dir" 2>/dev/null
    ln -s "$$" "$l" 2>/dev/null && return 0
    # a takeover under a lock: two tests that both saw the owner gone
    # must not both remove and re-make the link
    (
        flock 9 || exit 1
        owner=$(readlink "$l" 2>/dev/null) || exit 1
        [ -n "$owner" ] && [ ! -d "/proc/$owner" ] || exit 1
        rm -f "$l" && ln -s "$$" "$l" 2>/dev/null
    ) 9>>"$_port_dir/.lock"
}
free_port() {   # free_port [ADDR] -> prints a port nobody listens on
    local addr=${1:-127.0.0.1} port lo=32768 hi=60999 base=20000 span=20000
    read -r lo hi < /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null
    if [ "$lo" -gt 11024 ]; then base=10000 span=$(( lo - 10000 ))      # below the range
    elif [ "$hi" -lt 64535 ]; then base=$(( hi + 1 )) span=$(( 65535 - hi ))  # above it
    fi
    for _ in $(seq 1 200); do
        port=$(( base + (RANDOM * 32768 + RANDOM) % span ))
        if ! (exec 3<>"/dev/tcp/$addr/$port") 2>/dev/null && _reserve_port "$port"; then
            echo "$port"; return 0
        fi
    done
    return 1
}

# ---- httpd ---------------------------------------------------------------
# httpd_conf ROOT LISTEN... : writes ROOT/conf/httpd.conf with the basics;
# the caller appends to it.  LISTEN entries are "ADDR:PORT".
httpd_conf() {
    local root=$1; shift
    mkdir -p "$root/conf" "$root/logs" "$root/run" "$root/htdocs"
    {
        echo "ServerRoot \"$root\""
        echo "ServerName 127.0.0.1"
        echo "PidFile \"$root/run/httpd.pid\""
        echo "DefaultRuntimeDir \"$root/run\""
        echo "Mutex file:$root/run default"
        echo "ErrorLog \"$root/logs/error.log\""
        echo "LogLevel ${HTTPD_LOGLEVEL:-warn}"
        for l in "$@"; do echo "Listen $l"; done
        echo "LoadModule mpm_${HTTPD_MPM:-event}_module $HTTPD_MODULES/mod_mpm_${HTTPD_MPM:-event}.so"
        for m in authz_core mime dir alias headers; do
            echo "LoadModule ${m}_module $HTTPD_MODULES/mod_$m.so"
        done
        echo "LoadModule sri_module $SRI_MODULE"
        if [ "$(id -u)" = 0 ]; then echo "User www-data"; echo "Group www-data"; fi
        # one child process by default, so a test sees one registry state
        echo "StartServers 1"
        echo "ServerLimit ${HTTPD_SERVERS:-1}"
        if [ "${HTTPD_MPM:-event}" != prefork ]; then
            echo "ThreadsPerChild 25"
            echo "MaxRequestWorkers $(( ${HTTPD_SERVERS:-1} * 25 ))"
            echo "MinSpareThreads 5"
            echo "MaxSpareThreads $(( ${HTTPD_SERVERS:-1} * 25 + 25 ))"
        fi
        echo "TypesConfig /etc/mime.types"
        echo "AddType text/html .html"
        echo "DocumentRoot \"$root/htdocs\""
        echo "LogFormat \"%h %r %>s pinned=%{sri-pinned}n unknown=%{sri-unknown}n blocked=%{sri-blocked}n\" sri"
        echo "CustomLog \"$root/logs/access.log\" sri"
        echo "<Directory \"$root\">"
        echo "    Require all granted"
        echo "</Directory>"
    } > "$root/conf/httpd.conf"
}

# ---- TLS origins -----------------------------------------------------------
# make_test_ca DIR IP CA-NAME : a throw-away CA (DIR/ca.crt) and a server
# certificate for IP signed by it (DIR/server.crt, DIR/server.key), for a
# mod_ssl origin on 127.x that the tool must verify.
make_test_ca() {
    local dir=$1 ip=$2 name=$3
    mkdir -p "$dir"
    (
        cd "$dir" &&
        openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 2 \
            -subj "/CN=$name" -addext "basicConstraints=critical,CA:TRUE" \
            -addext "keyUsage=critical,keyCertSign,cRLSign" &&
        openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr \
            -subj "/CN=$ip" &&
        printf 'subjectAltName=IP:%s\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' "$ip" > ext &&
        openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial \
            -out server.crt -days 2 -extfile ext
    ) >/dev/null 2>&1
}

# httpd_cmd ARGS... : run the httpd binary (e.g. -t) the way httpd_start
# does, sanitizer environment included.
httpd_cmd() {
    ${HTTPD_ENV:-} "$HTTPD_BIN" "$@"
}

# httpd_start ROOT : starts httpd in the foreground mode in the background,
# waits until it answers, sets HTTPD_PID; registers the stop at exit.
httpd_start() {
    local root=$1 first
    # its own session: prefork stops by signalling its process group, which
    # must not be ours (setsid execs in place, so $! is httpd's PID)
    # HTTPD_ENV (e.g. "env LD_PRELOAD=libasan.so") runs httpd under a
    # sanitizer: tools/check does that with an ASan-built module.
    setsid ${HTTPD_ENV:-} "$HTTPD_BIN" -d "$root" -f "$root/conf/httpd.conf" -DFOREGROUND \
        >"$root/logs/stdout.log" 2>&1 &
    HTTPD_PID=$!
    _httpd_roots+=("$root")
    _httpd_pids+=("$HTTPD_PID")
    at_exit "httpd_stop $HTTPD_PID"
    first=$(sed -n 's/^Listen //p' "$root/conf/httpd.conf" | head -n1)
    # up to 30 s: an httpd under ASan on a loaded machine starts slowly
    for _ in $(seq 1 300); do
        if ! kill -0 "$HTTPD_PID" 2>/dev/null; then
            echo "# httpd failed to start:" >&2
            sed 's/^/# /' "$root/logs/stdout.log" "$root/logs/error.log" >&2 2>/dev/null
            return 1
        fi
        if (exec 3<>"/dev/tcp/${first%:*}/${first##*:}") 2>/dev/null; then
            return 0
        fi
        sleep 0.1
    done
    echo "# httpd did not answer on $first" >&2
    return 1
}

# Any sanitizer report or crash in an httpd this test started fails it.
_httpd_roots=()
_httpd_pids=()
_check_sanitizers() {
    local r hits
    for r in "${_httpd_roots[@]}"; do
        hits=$(cat "$r/logs/stdout.log" "$r/logs/error.log" 2>/dev/null |
               grep -E 'ERROR: AddressSanitizer|runtime error:|exit signal (Segmentation|Aborted|Bus)' | head -5)
        if [ -n "$hits" ]; then not_ok "no sanitizer report or crash in httpd ($r)" "$hits"
        elif [ -n "${HTTPD_ENV:-}" ]; then ok "no sanitizer report or crash in httpd ($r)"; fi
    done
}

# httpd_graceful ROOT : a graceful restart of the httpd started last
# (HTTPD_PID), over when the parent has read its configuration again (it
# logs "resuming normal operations" in ROOT/logs/error.log, a new file if
# the test moved the old one away) and every worker child of the old
# generation has exited, so that the next request meets the new
# configuration.  Piped loggers, which outlive a graceful restart, are not
# waited for.  A fixed sleep is too short on a loaded machine.
httpd_graceful() {
    local log=$1/logs/error.log before old k alive
    before=$(grep -c 'resuming normal operations' "$log" 2>/dev/null)
    before=${before:-0}
    old=$(pgrep -P "$HTTPD_PID" -x "$(basename "$HTTPD_BIN")")
    kill -USR1 "$HTTPD_PID"
    for _ in $(seq 1 300); do
        [ "$(grep -c 'resuming normal operations' "$log" 2>/dev/null)" -gt "$before" ] 2>/dev/null && break
        sleep 0.1
    done
    [ "$(grep -c 'resuming normal operations' "$log" 2>/dev/null)" -gt "$before" ] 2>/dev/null ||
        bail "httpd did not restart gracefully in 30 s"
    for _ in $(seq 1 300); do
        alive=
        for k in $old; do
            [ "$(ps -o ppid= -p "$k" 2>/dev/null | tr -d ' ')" = "$HTTPD_PID" ] && alive=1
        done
        [ -z "$alive" ] && return 0
        sleep 0.1
    done
    bail "the old children did not exit in 30 s"
}

# httpd_stop PID : stop the httpd we started, by its PID, and wait for it.
_httpd_stopped=" "
httpd_stop() {
    local pid=$1
    # once only: a PID already stopped (and reaped) may since be another
    # process's
    case $_httpd_stopped in *" $pid "*) return 0 ;; esac
    _httpd_stopped="$_httpd_stopped$pid "
    kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM "$pid" 2>/dev/null
    for _ in $(seq 1 100); do
        kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null; return 0; }
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    return 0
}

# log_count FILE ERE MIN : the number of lines of FILE matching ERE, once
# there are MIN of them or after 10 s.  httpd writes a request's access-log
# line after its response has gone, so the client can be faster than the log.
log_count() {
    local n
    for _ in $(seq 1 100); do
        n=$(grep -cE -- "$2" "$1" 2>/dev/null)
        [ "${n:-0}" -ge "$3" ] && break
        sleep 0.1
    done
    echo "${n:-0}"
}

# fetch URL [CURL-ARGS...] : body to stdout (no proxy, loopback only)
fetch() {
    local url=$1; shift
    curl -sS --noproxy '*' --max-time 20 "$@" "$url"
}
