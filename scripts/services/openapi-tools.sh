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

case "${1:-}" in
    start)
        ensure_node_packages "$package_dir" node_modules/.bin/redocly node_modules/.bin/prism
        log "Redocly CLI $(node -p "require('$package_dir/node_modules/@redocly/cli/package.json').version"), Prism $(node -p "require('$package_dir/node_modules/@stoplight/prism-cli/package.json').version")"
        echo "export SAAS_TEST_OPENAPI_TOOLS='$package_dir/node_modules/.bin'"
        ;;
    stop) ;;
    *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
