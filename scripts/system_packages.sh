#!/usr/bin/env bash
# Installs the Debian packages the tests drive for real, when missing: Chromium (browser tests), PostgreSQL (the
# store of a hub), Node.js with npm (JupyterHub's configurable-http-proxy, for the hub tests and make hub) and nginx
# (deploy/nginx's reverse proxy, run in front of Voila by tests/live/test_reverse_proxy.py). Needs root (or sudo);
# otherwise it says which command to run and fails, so no test is skipped.
set -euo pipefail

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
compgen -G "/usr/lib/postgresql/*/bin/pg_ctl" >/dev/null || missing+=(postgresql)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
[ -x /usr/sbin/nginx ] || command -v nginx >/dev/null 2>&1 || missing+=(nginx)
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
    sudo=()
elif command -v sudo >/dev/null 2>&1; then
    sudo=(sudo)
else
    echo "The tests need Debian's ${missing[*]}. Run as root: apt-get install -y ${missing[*]}" >&2
    exit 1
fi
echo "Installing Debian's ${missing[*]} for the tests (once)"
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
