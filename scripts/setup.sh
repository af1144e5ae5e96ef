#!/usr/bin/env bash
# One-command set-up: system packages the tests need (Debian's Chromium for the UI tests,
# redis-server for the queue tests),
# then the exact npm dependency tree from package-lock.json.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null 2>&1 && [ ! -x /usr/bin/chromium ]; then
  if command -v apt-get >/dev/null 2>&1; then
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
  else
    echo "warning: install Chromium yourself for the browser tests (set CHROMIUM_PATH)" >&2
  fi
fi
# The distributed-batch tests start a real Redis of their own (gramophone batch --queue, worker).
if ! command -v redis-server >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1; then
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq redis-server >/dev/null
  else
    echo "warning: install redis-server yourself for the queue tests" >&2
  fi
fi
npm ci --no-audit --no-fund
