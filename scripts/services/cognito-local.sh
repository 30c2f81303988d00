#!/usr/bin/env bash
# cognito-local, the stand-in for Amazon Cognito user pools that the Cognito adapter's tests run against:
# loopback only, a free port, its own data directory.
#
#   scripts/services/cognito-local.sh start   # prints `export SAAS_TEST_COGNITO_LOCAL=...` lines for scripts/test.sh
#   scripts/services/cognito-local.sh stop    # stops the server and deletes its data directory
#
# Everything but the export lines goes to stderr. The npm package is pinned in tools/cognito-local/package.json
# and package-lock.json and installed with `npm ci`; Debian's nodejs and npm are installed when missing (root).
#
# The app does not use a stand-in's discovery document: with Identity:Cognito:ServiceUrl set, it reads each pool's JWKS at
# <ServiceUrl>/<poolId>/.well-known/jwks.json and expects the issuer <ServiceUrl>/<poolId>. So the issuer domain
# written to .cognito/config.json below is exactly the URL exported, and any free port works.
set -euo pipefail

service=cognito-local
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
package_dir="$repo_root/tools/cognito-local"

healthy() {
    if command -v curl >/dev/null 2>&1; then
        curl -fsS -o /dev/null --max-time 1 "http://127.0.0.1:$1/health" 2>/dev/null
    else
        node -e "require('http').get('http://127.0.0.1:$1/health', r => process.exit(r.statusCode === 200 ? 0 : 1)).on('error', () => process.exit(1))"
    fi
}

# Starts cognito-local on port $1 and waits until it answers; stops it again if it does not.
start_server() {
    mkdir -p "$dir/.cognito" || return 1
    # Plain user names (not e-mail addresses), and tokens whose issuer is the URL the app is given.
    cat >"$dir/.cognito/config.json" <<JSON || return 1
{
  "UserPoolDefaults": { "UsernameAttributes": [] },
  "TokenConfig": { "IssuerDomain": "http://127.0.0.1:$1" }
}
JSON
    # Its own working directory: cognito-local keeps its data in ./.cognito.
    PORT="$1" HOST=127.0.0.1 start_node_server 100 "$1" "$package_dir/node_modules/cognito-local/lib/bin/start.js"
}

start() {
    ensure_node_packages "$package_dir" node_modules/cognito-local/lib/bin/start.js

    local dir
    dir="$(new_data_dir)"
    start_on_free_port_or_exit start_server

    log "cognito-local $(node -p "require('$package_dir/node_modules/cognito-local/package.json').version") on 127.0.0.1:$port (pid $(cat "$dir/pid")), data in $dir"
    echo "export SAAS_TEST_COGNITO_LOCAL='http://127.0.0.1:$port'"
    echo "export SAAS_TEST_COGNITO_LOCAL_DIR='$dir'"
}

stop() {
    local dir
    dir="$(started_data_dir "${SAAS_TEST_COGNITO_LOCAL_DIR:-}")" || exit 1
    [[ -n "$dir" ]] || return 0
    # Only the process this script started, and only if it still is cognito-local.
    stop_node_server "$dir" 'cognito-local/lib/bin/start.js'
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
