#!/usr/bin/env bash
# Install everything gongkai needs on a fresh machine (idempotent).
#   bash scripts/setup.sh          # Python package + lunr.js (build the site)
#   bash scripts/setup.sh --test   # + test tools and Debian's chromium for the browser tests
set -euo pipefail
cd "$(dirname "$0")/.."
want_test=0
[ "${1:-}" = "--test" ] && want_test=1

py=${PYTHON:-python3}
if [ $want_test = 1 ]; then
  $py -m pip install --quiet --disable-pip-version-check -e '.[test,bench]'
else
  $py -m pip install --quiet --disable-pip-version-check -e .
fi
# lunr.js from the npm registry, pinned by package-lock.json; copied into site/ by the build.
npm ci --silent --no-audit --no-fund

if [ $want_test = 1 ] && [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
  else
    sudo apt-get update -qq
    sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
  fi
fi
echo "setup: ok"
