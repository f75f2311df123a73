#!/usr/bin/env bash
# The whole test suite (README: `npm ci && npm test`): unit, HTTP, CLI and browser tests against a real
# PostgreSQL started through Forte's own manager and a real headless Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."

# Browser tests need Debian's chromium; install it when we can (root with apt), say so when we can't.
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    echo "Installing chromium for the browser tests…"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "Browser tests need /usr/bin/chromium: sudo apt-get install chromium" >&2
    exit 1
  fi
fi

BUN=./node_modules/.bin/bun
$BUN scripts/gen-embedded.ts
exec $BUN test --timeout 60000 "$@"
