#!/usr/bin/env bash
# Install riskscore into ./.venv from this checkout: the README's two set-up commands start here.
#
#   bash tools/install.sh          the package (a plain install: every command works)
#   bash tools/install.sh --test   the package with its test extra, plus what the tests need
#                                  from the system: Debian's chromium and chromium-driver (the
#                                  explore page is tested in a real browser)
#
# On a fresh Debian or Ubuntu machine it first installs, through apt-get, the system packages
# that are missing: python3-venv (Debian's python3 cannot make a venv without it) and, with
# --test, chromium and chromium-driver. That needs root (or sudo); without either, it names the
# packages to install and stops. Nothing is installed that is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0
case "${1:-}" in
    --test) want_test=1 ;;
    "") ;;
    *) echo "tools/install.sh: unknown option '$1' (expected nothing or --test)" >&2; exit 2 ;;
esac

missing=()
python3 -c 'import ensurepip, venv' >/dev/null 2>&1 || missing+=(python3-venv)
if [ "$want_test" = 1 ]; then
    command -v chromium >/dev/null 2>&1 || missing+=(chromium)
    command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)
fi
if [ "${#missing[@]}" -gt 0 ]; then
    if [ "$(id -u)" = 0 ]; then apt=(apt-get)
    elif command -v sudo >/dev/null 2>&1; then apt=(sudo apt-get)
    else
        echo "tools/install.sh: please install these Debian packages first (as root):" >&2
        echo "  apt-get install ${missing[*]}" >&2
        exit 1
    fi
    echo "installing system packages: ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    "${apt[@]}" update -qq
    "${apt[@]}" install -y -qq "${missing[@]}" >/dev/null
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
if [ "$want_test" = 1 ]; then
    .venv/bin/python -m pip install --quiet -e '.[test]'
else
    .venv/bin/python -m pip install --quiet -e .
fi
echo "installed riskscore into .venv (activate it with: . .venv/bin/activate)" >&2
