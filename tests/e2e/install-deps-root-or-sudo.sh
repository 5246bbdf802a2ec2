#!/bin/bash
# ./install-deps, the Quick start's first command, works as root without
# sudo (a fresh container) and as a user through sudo; it installs the
# build packages plus any named as arguments, and says what to install
# where there is no apt-get. apt-get, sudo and id are stubs here: nothing
# is installed.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"

script=$srcdir/install-deps
[ -x "$script" ] || fail "$script is missing or not executable"

# stubs DIR WITH-SUDO: a PATH of its own with id (uid $FAKE_UID), apt-get
# and, if asked, sudo, each logging its arguments to $T/calls.
stubs()
{
    mkdir -p "$1"
    ln -sf "$(command -v env)" "$1/env"
    printf '#!/bin/sh\necho "$FAKE_UID"\n' >"$1/id"
    printf '#!/bin/sh\necho "apt-get $* [$DEBIAN_FRONTEND]" >>"%s/calls"\n' \
        "$T" >"$1/apt-get"
    if [ "$2" = yes ]; then
        printf '#!/bin/sh\necho "sudo" >>"%s/calls"\nexec "$@"\n' \
            "$T" >"$1/sudo"
    fi
    chmod +x "$1"/*
}
stubs with-sudo yes
stubs no-sudo no
mkdir -p no-apt
ln -sf "$(command -v env)" no-apt/env

# deps PATHDIR UID ARGS...: run install-deps with only PATHDIR on PATH.
deps()
{
    local dir=$1 uid=$2
    shift 2
    rm -f calls
    FAKE_UID=$uid PATH=$T/$dir /bin/sh "$script" "$@" >out 2>err
    RC=$?
}

deps with-sudo 0
assert_eq 0 "$RC" "install-deps as root"
grep -q '^sudo$' calls && fail "install-deps used sudo as root"
assert_grep '^apt-get update' calls "apt-get update as root"
assert_grep '^apt-get install -y -q .*libcurl4-openssl-dev.*python3.* \[noninteractive\]$' \
    calls "apt-get install as root"

deps no-sudo 0 clang cppcheck
assert_eq 0 "$RC" "install-deps as root without sudo"
assert_grep '^apt-get install .* clang cppcheck \[noninteractive\]$' calls \
    "extra packages installed"

deps with-sudo 1000
assert_eq 0 "$RC" "install-deps as a user with sudo"
assert_eq 2 "$(grep -c '^sudo$' calls)" "sudo before each apt-get"
assert_grep '^apt-get install .*build-essential' calls "apt-get through sudo"

deps no-sudo 1000
assert_eq 1 "$RC" "install-deps as a user without sudo"
[ -e calls ] && fail "apt-get ran without root or sudo"
assert_grep 'not root and no sudo' err "message without sudo"

deps no-apt 0
assert_eq 1 "$RC" "install-deps without apt-get"
assert_grep 'libcurl' err "what to install without apt-get"
exit 0
