#!/bin/bash
# The config file ($SALVO_CONFIG, else $XDG_CONFIG_HOME/salvo/config) sets
# defaults: one long option a line, "name = value" or "name value", '#'
# comments. The command line wins, -H adds to the file's headers, and
# --no-config skips the file.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
start_server

cat >salvo.conf <<'CONF'
# defaults for this test
user-agent = from-config/1
header = X-Conf: yes
   dir out

retry 0
CONF

# ua_and_conf N: the User-Agent and X-Conf header of the N-th request.
ua_and_conf()
{
    echo "$(log_field "$1" headers.user-agent) $(log_field "$1" headers.x-conf)"
}

SALVO_CONFIG=$T/salvo.conf run_salvo "$BASE/bytes/10/a.bin"
assert_rc 0
assert_present out/a.bin
assert_eq "from-config/1 yes" "$(ua_and_conf 1)" "the file's User-Agent and header"

SALVO_CONFIG=$T/salvo.conf run_salvo -A cli/2 -H "X-Cli: 1" -d out2 \
    "$BASE/bytes/10/b.bin"
assert_rc 0
assert_present out2/b.bin
assert_absent out/b.bin
assert_eq "cli/2 yes" "$(ua_and_conf 2)" "the command line wins"
assert_eq 1 "$(log_field 2 headers.x-cli)" "-H adds to the file's headers"

SALVO_CONFIG=$T/salvo.conf run_salvo --no-config "$BASE/bytes/10/c.bin"
assert_rc 0
assert_present c.bin
ua=$(log_field 3 headers.user-agent)
[[ $ua == salvo/* ]] || fail "--no-config: User-Agent '$ua'"
assert_eq "" "$(log_field 3 headers.x-conf)" "--no-config: no X-Conf"

# Without SALVO_CONFIG: $XDG_CONFIG_HOME/salvo/config.
mkdir -p xdg/salvo
printf 'header = X-Conf: xdg\n' >xdg/salvo/config
unset SALVO_CONFIG
XDG_CONFIG_HOME=$T/xdg run_salvo -d out3 "$BASE/bytes/10/d.bin"
assert_rc 0
assert_eq xdg "$(log_field 4 headers.x-conf)" "\$XDG_CONFIG_HOME/salvo/config"
exit 0

# -v says which file was read.
SALVO_CONFIG=$T/salvo.conf run_salvo -v -d out3 "$BASE/bytes/10/v.bin"
assert_rc 0
assert_grep "^salvo: read config $T/salvo\\.conf\$" "$T/stderr" "the -v line"
