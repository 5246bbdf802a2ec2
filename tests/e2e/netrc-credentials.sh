#!/bin/bash
# --netrc-file=FILE (and --netrc with $HOME/.netrc) use libcurl's netrc
# rules: the machine's login and password reach that server as Basic
# auth, and are not sent to another host after a redirect (127.0.0.1 ->
# localhost).  Without --netrc nothing is sent.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
start_server

printf 'machine 127.0.0.1\nlogin user\npassword pw\n' >netrc
chmod 600 netrc
to=$(urlencode "http://localhost:$PORT/bytes/10/x?seed=1")

run_salvo -d out --netrc-file=netrc "$BASE/bytes/10/a.bin?seed=2"
assert_rc 0
assert_body out/a.bin 10 2
# base64("user:pw") = dXNlcjpwdw==
assert_eq "Basic dXNlcjpwdw==" "$(log_field 1 headers.authorization)" \
    "Authorization from --netrc-file"

mkdir home
cp netrc home/.netrc
HOME=$T/home run_salvo -d out --netrc "$BASE/bytes/10/b.bin?seed=3"
assert_rc 0
assert_eq "Basic dXNlcjpwdw==" "$(log_field 2 headers.authorization)" \
    "Authorization from --netrc (~/.netrc)"

HOME=$T/home run_salvo -d out "$BASE/bytes/10/c.bin?seed=4"
assert_rc 0
assert_eq "" "$(log_field 3 headers.authorization)" "no Authorization without --netrc"

run_salvo -d out --netrc-file=netrc "$BASE/redirect/d.bin?to=$to"
assert_rc 0
assert_body out/d.bin 10 1
assert_eq "Basic dXNlcjpwdw==" "$(log_field 4 headers.authorization)" \
    "Authorization to 127.0.0.1"
assert_eq "localhost:$PORT" "$(log_field 5 headers.host)" "the redirect's host"
assert_eq "" "$(log_field 5 headers.authorization)" \
    "no Authorization to localhost after the redirect"
