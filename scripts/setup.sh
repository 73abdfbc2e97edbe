#!/usr/bin/env bash
# Thin wrapper: the set-up is scripts/setup.py (Python, also on Windows and macOS).
#   bash scripts/setup.sh          # Python package (+ decap-cms for `gongkai cms`, if npm is there)
#   bash scripts/setup.sh --test   # + test tools and Debian's chromium and firefox-esr for the browser tests
set -euo pipefail
cd "$(dirname "$0")/.."
exec "${PYTHON:-python3}" scripts/setup.py "$@"
