#!/usr/bin/env bash
# Install everything the tests need on a fresh Debian/Ubuntu machine, then run them all.
# Extra arguments go to pytest (e.g. `bash tests/run.sh -m "not slow and not e2e"`, the quick part).
# pytest-xdist runs the tests on every core; the browser tests stay together on one worker.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null 2>&1; then
    SUDO=$([ "$(id -u)" = 0 ] && echo "" || echo sudo)
    $SUDO apt-get update -qq && $SUDO apt-get install -y -qq chromium >/dev/null
fi
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -r requirements-dev.txt -r requirements-ray.txt
.venv/bin/python -m pytest -n auto --dist loadgroup "$@"
