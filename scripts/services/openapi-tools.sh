#!/usr/bin/env bash
# Redocly CLI and Prism, the npm tools the contract tests (tests/SaasOnboarding.Contract.Tests) run against the
# OpenAPI document: pinned in tools/openapi/package.json and package-lock.json and installed with `npm ci`. Nothing
# runs between tests: each test starts the tool it needs.
#
#   scripts/services/openapi-tools.sh start   # prints `export SAAS_TEST_OPENAPI_TOOLS=...` for scripts/test.sh
#   scripts/services/openapi-tools.sh stop    # nothing to stop; the installed packages stay for the next run
#
# Everything but the export line goes to stderr. Debian's nodejs and npm are installed when missing (root).
set -euo pipefail

service=openapi-tools
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
package_dir="$repo_root/tools/openapi"

ensure_npm() {
    if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then
        return
    fi
    if [[ $EUID -ne 0 ]]; then
        log "Node.js and npm are not installed and installing them needs root: apt-get install nodejs npm"
        exit 1
    fi
    log "installing Node.js and npm from Debian's packages"
    apt_install nodejs npm
}

# `npm ci` only when the lock file changed since the last install: it takes far longer than a check.
ensure_packages() {
    local stamp="$package_dir/node_modules/.installed-lock.sha256"
    local wanted
    wanted="$(sha256sum "$package_dir/package-lock.json" | awk '{print $1}')"
    if [[ -f "$stamp" && "$(cat "$stamp")" == "$wanted" && -x "$package_dir/node_modules/.bin/redocly" && -x "$package_dir/node_modules/.bin/prism" ]]; then
        return
    fi
    log "installing Redocly CLI and Prism with npm ci"
    (cd "$package_dir" && npm ci --no-audit --no-fund --loglevel=error >&2)
    echo "$wanted" >"$stamp"
}

case "${1:-}" in
    start)
        ensure_npm
        ensure_packages
        log "Redocly CLI $(node -p "require('$package_dir/node_modules/@redocly/cli/package.json').version"), Prism $(node -p "require('$package_dir/node_modules/@stoplight/prism-cli/package.json').version")"
        echo "export SAAS_TEST_OPENAPI_TOOLS='$package_dir/node_modules/.bin'"
        ;;
    stop) ;;
    *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
