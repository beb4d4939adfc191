#!/usr/bin/env bash
# Create .venv and install cabledesk with its pinned dependencies (constraints.txt).
# On a fresh Debian machine the venv module may be missing; install it from Debian's packages.
set -euo pipefail
PYTHON=${PYTHON:-python3.11}
VENV=${VENV:-.venv}

if ! command -v "$PYTHON" >/dev/null 2>&1; then
  PYTHON=python3
fi
if [ ! -x "$VENV/bin/python" ]; then
  if ! "$PYTHON" -m venv "$VENV" 2>/dev/null; then
    rm -rf "$VENV"
    echo "bootstrap: the Python venv module is missing; installing python3-venv" >&2
    SUDO=""
    [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq python3-venv
    "$PYTHON" -m venv "$VENV"
  fi
fi
"$VENV/bin/python" -m pip install --quiet --upgrade pip
"$VENV/bin/python" -m pip install --quiet -c constraints.txt -e '.[dev,ner]'

# The browser tests (tests/test_browser.py) drive Debian's Chromium through Playwright; the
# Playwright wheel brings its driver, never a browser of its own (`playwright install` is not
# used). CABLEDESK_NO_BROWSER=1 skips both the install and the browser tests.
if [ "${CABLEDESK_NO_BROWSER:-0}" != "1" ] && [ ! -x /usr/bin/chromium ]; then
  echo "bootstrap: installing Debian's chromium for the browser tests" >&2
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  if ! { $SUDO apt-get update -qq &&
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }; then
    echo "bootstrap: ERROR: could not install chromium (apt-get install -y chromium);" \
      "the browser tests need /usr/bin/chromium. Set CABLEDESK_NO_BROWSER=1 to skip them." >&2
    exit 1
  fi
fi
