#!/usr/bin/env bash
# Debian's Chromium for the browser tests (Playwright drives it; it cannot download a browser of its own).
# start: installs the `chromium` package when /usr/bin/chromium is missing, prints `export SAAS_CHROMIUM=...`.
# stop: nothing to stop; the tests launch and close their own browser.
# Anything but the export line goes to stderr, because scripts/test.sh evals stdout.
set -euo pipefail

chromium=/usr/bin/chromium

case "${1:-}" in
  start)
    if [ ! -x "$chromium" ]; then
      echo "installing Debian's chromium" >&2
      export DEBIAN_FRONTEND=noninteractive
      apt-get update >&2
      apt-get install -y --no-install-recommends chromium fonts-dejavu-core >&2
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
