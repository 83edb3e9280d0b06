#!/bin/bash
# tests/tool/safe_writes.sh -- concurrent runs and killed writes.
#
# Why: the registry is read by a live server and edited by people and cron
# jobs at once.  Twenty concurrent adds must all land (the lock serialises
# read-modify-write), and a write killed with SIGKILL at any moment must
# leave either the old or the new registry -- never a partial file.
. "${top_srcdir:?run me through make check}/tests/lib.sh" || exit 1
[ -x "$SRI_TOOL" ] || skip_all "sri-registry not built"
make_tmp
cd "$T" || bail "no tmp"
unset SRI_REGISTRY
R="$SRI_TOOL"
TOK=sha256-ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=

# ---- twenty concurrent adds ------------------------------------------------
pids=()
for i in $(seq 1 20); do
    "$R" -q -r reg add "https://cdn.example.org/lib$i-1.0.js" --integrity "$TOK" \
        --why "concurrent $i" >/dev/null 2>"err$i" &
    pids+=($!)
done
fails=0
for p in "${pids[@]}"; do wait "$p" || fails=$((fails + 1)); done
is "$fails" 0 "twenty concurrent adds all exit 0"
is "$("$R" -r reg list | wc -l)" 20 "twenty concurrent adds: twenty entries"
"$R" -r reg check 2>/dev/null; is "$?" 0 "registry valid after concurrent adds"
is "$(grep -c '^  why concurrent' reg)" 20 "every entry kept its metadata"
ls -a | grep -q '\.tmp\.' && not_ok "no temp files left" "$(ls -a)" || ok "no temp files left"

# ---- a held lock makes writers wait, not fail -------------------------------------
if command -v flock >/dev/null; then
    # the holder says when it has the lock and when it lets go; the add
    # starts after the first and must end after the second (an order, not
    # a duration: a loaded machine stretches both)
    rm -f held released
    flock reg.lock sh -c ': > held; sleep 1; date +%s%N > released' &
    fl=$!
    for _ in $(seq 1 200); do [ -e held ] && break; sleep 0.05; done
    [ -e held ] || bail "flock did not take reg.lock in 10 s"
    "$R" -q -r reg add https://cdn.example.org/waited-1.0.js --integrity "$TOK" >/dev/null 2>&1
    rc=$?
    end=$(date +%s%N)
    wait "$fl"
    is "$rc" 0 "add waits for the lock"
    [ -s released ] && [ "$end" -ge "$(cat released)" ] && ok "add blocked while the lock was held" \
        || not_ok "add blocked while the lock was held" "add ended at $end, lock released at $(cat released 2>/dev/null)"
else
    ok "# SKIP flock(1) not installed"; ok "# SKIP flock(1) not installed"
fi

# ---- SIGKILL during writes ---------------------------------------------------
# A big registry makes each save take long enough to be hit mid-write.
awk -v tok="$TOK" 'BEGIN {
    print "# big registry"; print "";
    for (i = 0; i < 30000; i++) {
        if (i) print "";
        printf "https://cdn%d.example.org/lib-%06d-1.0.js\n  integrity %s\n  why load test\n", i % 7, i, tok
    }
}' > big
"$R" -r big check 2>/dev/null; is "$?" 0 "generated big registry is valid"
n0=$(grep -c '^https' big)
bad=0; kills=0
for i in $(seq 1 6); do
    before=$(grep -c '^https' big)
    "$R" -q -r big add "https://cdn.example.org/killed-$i-1.0.js" --integrity "$TOK" >/dev/null 2>&1 &
    pid=$!
    sleep "0.$(( (RANDOM % 30) + 10 ))"
    kill -KILL "$pid" 2>/dev/null && kills=$((kills + 1))
    wait "$pid" 2>/dev/null
    after=$(grep -c '^https' big)
    if ! "$R" -r big check 2>/dev/null || { [ "$after" != "$before" ] && [ "$after" != $((before + 1)) ]; }; then
        bad=$((bad + 1))
    fi
done
is "$bad" 0 "after $kills SIGKILLs the registry is always the old or the new one"
[ "$(grep -c '^https' big)" -ge "$n0" ] && ok "no entry lost to a killed write" || not_ok "no entry lost to a killed write"
echo "# $(ls -a | grep -c '^\.big\.tmp\.') of $kills kills hit a write in progress"
rm -f .big.tmp.*     # what SIGKILL leaves behind: temp files, never the registry
"$R" -q -r big add https://cdn.example.org/after-kill-1.0.js --integrity "$TOK" >/dev/null 2>&1
is "$?" 0 "the next add works after kills (lock released by the kernel)"

# ---- SIGKILL at chosen points of a save (strace holds the process there) -----
wait_for() {    # wait_for TEST-EXPRESSION... (up to 20 s)
    for _ in $(seq 1 200); do eval "$*" && return 0; sleep 0.1; done; return 1
}
if command -v strace >/dev/null && command -v pgrep >/dev/null; then
    cp big big.orig
    # (a) in the middle of writing the temp file: the third 64 KB write waits
    strace -f -o /dev/null -e trace=write -e inject=write:delay_enter=5000000:when=3 \
        "$R" -q -r big add https://cdn.example.org/mid-write-1.0.js --integrity "$TOK" >/dev/null 2>&1 &
    sp=$!
    wait_for 'ls .big.tmp.* >/dev/null 2>&1 && [ "$(stat -c %s .big.tmp.* | head -1)" -ge 131072 ]'
    tmpsize=$(stat -c %s .big.tmp.* 2>/dev/null | head -1)
    kill -KILL "$(pgrep -P "$sp")" 2>/dev/null; kill -KILL "$sp" 2>/dev/null; wait "$sp" 2>/dev/null
    [ -n "$tmpsize" ] && [ "$tmpsize" -lt "$(stat -c %s big.orig)" ] \
        && ok "killed with a partial temp file ($tmpsize bytes)" || not_ok "killed with a partial temp file" "size: $tmpsize"
    cmp -s big big.orig && ok "SIGKILL mid-write: registry byte-identical to before" \
        || not_ok "SIGKILL mid-write: registry byte-identical to before"
    rm -f .big.tmp.*
    # (b) after the temp file and the backup, just before the rename
    strace -f -o /dev/null -e trace=rename -e inject=rename:delay_enter=5000000 \
        "$R" -q -r big add https://cdn.example.org/pre-rename-1.0.js --integrity "$TOK" >/dev/null 2>&1 &
    sp=$!
    wait_for '[ -f big.bak ] && cmp -s big.bak big.orig'
    sleep 0.2
    kill -KILL "$(pgrep -P "$sp")" 2>/dev/null; kill -KILL "$sp" 2>/dev/null; wait "$sp" 2>/dev/null
    cmp -s big big.orig && ok "SIGKILL before rename: registry byte-identical to before" \
        || not_ok "SIGKILL before rename: registry byte-identical to before"
    grep -q pre-rename .big.tmp.* 2>/dev/null && ok "the complete new version was only in the temp file" \
        || not_ok "the complete new version was only in the temp file" "$(ls -la)"
    rm -f .big.tmp.*
else
    for n in 1 2 3 4; do ok "# SKIP strace or pgrep not installed"; done
fi

# ---- SIGTERM during a write is held off until the file is complete ---------------
bad=0
for i in $(seq 1 4); do
    "$R" -q -r big add "https://cdn.example.org/termed-$i-1.0.js" --integrity "$TOK" >/dev/null 2>&1 &
    pid=$!
    sleep "0.$(( (RANDOM % 25) + 3 ))"
    kill -TERM "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    "$R" -r big check 2>/dev/null || bad=$((bad + 1))
done
is "$bad" 0 "SIGTERM never leaves a broken registry"
ls -a | grep -q '\.big\.tmp\.' && not_ok "SIGTERM leaves no temp file" "$(ls -a)" || ok "SIGTERM leaves no temp file"

done_testing
