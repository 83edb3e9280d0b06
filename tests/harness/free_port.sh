#!/bin/bash
# tests/harness/free_port.sh -- the ports tests/lib.sh hands out stay free.
#
# Why: CI once failed with "(98)Address already in use" when a browser test's
# httpd started: the port free_port had found free was taken before httpd
# bound it, by a client's local port (the old range overlapped the kernel's
# ip_local_port_range) or by a test running beside it.  free_port now picks
# below (or above) that range and reserves each port for the test's life;
# this test holds it to both, and to giving a reservation back.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

read -r lo hi < /proc/sys/net/ipv4/ip_local_port_range || bail "no ip_local_port_range"

# 1. never a port the kernel may give a client as its local port
inside=""; seen=""; dup=""
for _ in $(seq 1 60); do
    p=$(free_port 127.0.0.1) || bail "free_port found no port"
    [ "$p" -ge "$lo" ] && [ "$p" -le "$hi" ] && inside="$inside $p"
    case " $seen " in *" $p "*) dup="$dup $p" ;; esac
    seen="$seen $p"
done
is "$inside" "" "60 ports from free_port, none inside ip_local_port_range $lo-$hi"
# 2. a test never gets the same port twice (the first is still reserved)
is "$dup" "" "60 ports from free_port in one test, all different"

# 3. a port reserved by another live test is not handed out; one whose test
#    is gone is taken over
other_dir=$_port_dir
sleep 30 & holder=$!
at_exit "kill $holder 2>/dev/null"
held=$(bash -c '. "$1"; free_port' _ "$top_srcdir/tests/lib.sh" 2>/dev/null)
[ -n "$held" ] || bail "free_port in a second shell found no port"
[ -L "$other_dir/$held" ]; is "$?" 1 "the second shell gave its port back at exit"
# reserve it again in the name of another live process
ln -s "$holder" "$other_dir/$held" || bail "cannot reserve $held for PID $holder"
_reserve_port "$held"; is "$?" 1 "a port another live test reserved is not taken"
is "$(readlink "$other_dir/$held")" "$holder" "the live test's reservation is left as it was"
gone=999999999
while [ -d "/proc/$gone" ]; do gone=$((gone - 1)); done
ln -sfn "$gone" "$other_dir/$held"
_reserve_port "$held"; is "$?" 0 "a reservation whose test has exited is taken over"
is "$(readlink "$other_dir/$held")" "$$" "the taken-over reservation names this test"
rm -f "$other_dir/$held"

# 4. at exit a test gives back every port it reserved, and only those
bash -c '. "$1"; free_port >/dev/null; free_port >/dev/null; echo $$' _ "$top_srcdir/tests/lib.sh" > "${TMPDIR:-/tmp}/fp.$$" 2>/dev/null
child=$(cat "${TMPDIR:-/tmp}/fp.$$"); rm -f "${TMPDIR:-/tmp}/fp.$$"
left=$(find "$other_dir" -maxdepth 1 -type l -lname "$child" | wc -l)
is "$left" 0 "a test's reservations are removed when it exits"
mine=$(find "$other_dir" -maxdepth 1 -type l -lname "$$" | wc -l)
[ "$mine" -ge 60 ]; is "$?" 0 "another test's exit leaves this test's reservations alone ($mine held)"

done_testing
