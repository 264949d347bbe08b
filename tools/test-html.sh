#!/bin/sh
# test-html.sh - test the web edition in a real browser.
#
#     tools/test-html.sh [HTML_DIR [SHOTS_DIR]]     (default build/html build/html-shots)
#
# Opens every page of the built web edition in headless Chromium (Debian's
# /usr/bin/chromium) with tools/html-test/test-html.js, which says what it
# checks, and saves screenshots of the book's pages into SHOTS_DIR.  Needs
# Node.js and npm: installs them with apt-get when run as root, otherwise
# prints the command to run and fails.  playwright-core, at the version pinned
# in tools/html-test/package-lock.json, goes into build/html-test (not into the
# source tree); it brings no browser of its own.  Exits with the test's status.
set -eu

HTML_DIR=${1-build/html}
SHOTS_DIR=${2-build/html-shots}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
TOOLS=$ROOT/tools/html-test
MODULES=$ROOT/build/html-test

# Node.js, npm and Chromium.  Node.js and npm may come from elsewhere than
# Debian's packages (NodeSource's nodejs carries its own npm), so look for the
# commands, not for the packages.
missing=""
command -v node >/dev/null 2>&1 || missing="$missing nodejs"
command -v npm >/dev/null 2>&1 || missing="$missing npm"
[ -x /usr/bin/chromium ] || missing="$missing chromium"
if [ -n "$missing" ]; then
    install_cmd="apt-get install -y --no-install-recommends$missing"
    if [ "$(id -u)" -ne 0 ]; then
        echo "The browser test needs Debian packages that are not installed:$missing" >&2
        echo "Install them with:" >&2
        echo "    sudo apt-get update && sudo $install_cmd" >&2
        exit 1
    fi
    echo "Installing the packages the browser test needs:$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    # shellcheck disable=SC2086
    apt-get install -y -q --no-install-recommends $missing
fi

# playwright-core at the pinned version.  It is installed into a fresh
# directory that is renamed into place only once npm ci has finished, so an
# install that was interrupted is never taken for a good one.
pinned=$(node -p "require('$TOOLS/package-lock.json').packages['node_modules/playwright-core'].version")
installed=$(node -p "try { require('$MODULES/node_modules/playwright-core/package.json').version } catch (e) { '' }")
if [ "$installed" != "$pinned" ]; then
    echo "Installing playwright-core $pinned into $MODULES"
    rm -rf "$MODULES".tmp.*               # left by an interrupted install
    mkdir -p "$ROOT/build"
    tmp=$(mktemp -d "$MODULES.tmp.XXXXXX")
    cp "$TOOLS/package.json" "$TOOLS/package-lock.json" "$tmp/"
    if ! npm ci --prefix "$tmp" --no-audit --no-fund --loglevel=error; then
        rm -rf "$tmp"
        echo "test-html.sh: npm ci failed: could not install playwright-core $pinned" >&2
        exit 1
    fi
    rm -rf "$MODULES"
    mv "$tmp" "$MODULES"
fi

exec node "$TOOLS/test-html.js" "$HTML_DIR" "$SHOTS_DIR"
