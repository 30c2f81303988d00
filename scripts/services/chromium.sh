#!/usr/bin/env bash
# Debian's Chromium for the browser tests (Playwright drives it; it cannot download a browser of its own).
# start: installs the `chromium` package when /usr/bin/chromium is missing, prints `export SAAS_CHROMIUM=...`.
# stop: nothing to stop; the tests launch and close their own browser.
# Anything but the export line goes to stderr, because scripts/test.sh evals stdout.
set -euo pipefail

service=chromium
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
chromium=/usr/bin/chromium

case "${1:-}" in
  start)
    if [ ! -x "$chromium" ]; then
      log "installing Debian's chromium"
      apt_install chromium fonts-dejavu-core
    fi
    "$chromium" --version >&2
    echo "export SAAS_CHROMIUM=$chromium"
    ;;
  stop)
    ;;
  *)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
