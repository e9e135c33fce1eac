#!/usr/bin/env bash
# Headless Chromium for the browser tests (tests/browser/): Debian's `chromium` package,
# driven by Playwright through executable_path (Playwright never downloads a browser here).
#
#   scripts/browser-test-setup.sh          # idempotent; prints the chromium path
#
# Installs the package with apt-get when no chromium binary is found (needs root). Env:
# NEWSGRAPH_CHROMIUM overrides the binary the tests use.
set -euo pipefail

find_chromium() {
    local c
    for c in "${NEWSGRAPH_CHROMIUM:-}" chromium chromium-browser google-chrome; do
        [ -n "$c" ] || continue
        if command -v "$c" >/dev/null 2>&1; then command -v "$c"; return 0; fi
    done
    return 1
}

if ! find_chromium >/dev/null; then
    if [ "$(id -u)" != 0 ]; then
        echo "browser-test-setup: chromium not found; install it (Debian: apt-get install chromium)" >&2
        exit 1
    fi
    echo "browser-test-setup: installing chromium (apt-get)..." >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq chromium >&2
fi
find_chromium
