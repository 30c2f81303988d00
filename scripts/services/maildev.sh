#!/usr/bin/env bash
# MailDev, the SMTP server the local identity provider's email tests send to: loopback only, free ports, SMTP
# authentication required, and an HTTP API the tests read the messages back from (GET /api/email).
#
#   scripts/services/maildev.sh start   # prints `export SAAS_TEST_MAILDEV_*=...` lines for scripts/test.sh
#   scripts/services/maildev.sh stop    # stops the server and deletes its data directory
#
# Everything but the export lines goes to stderr. The npm package is pinned in tools/maildev/package.json and
# package-lock.json and installed with `npm ci`; Debian's nodejs and npm are installed when missing (root).
set -euo pipefail

service=maildev
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
package_dir="$repo_root/tools/maildev"
smtp_user=saas-tests

healthy() {
    node -e "require('http').get('http://127.0.0.1:$1/api/healthz', r => process.exit(r.statusCode === 200 ? 0 : 1)).on('error', () => process.exit(1))"
}

# Starts MailDev with SMTP on port $1 and its HTTP API on another free port; stops it again if it does not answer.
start_server() {
    local web
    web=$((20000 + RANDOM % 40000))
    if port_in_use "$web" || [[ "$web" == "$1" ]]; then
        return 1
    fi
    start_node_server 150 "$web" "$package_dir/node_modules/maildev/dist/bin/maildev.js" \
        --smtp "$1" --ip 127.0.0.1 --web "$web" --web-ip 127.0.0.1 \
        --incoming-user "$smtp_user" --incoming-pass "$(cat "$dir/smtp-password")" || return 1
    echo "$web" >"$dir/web-port"
}

start() {
    ensure_node_packages "$package_dir" node_modules/maildev/dist/bin/maildev.js

    local dir
    dir="$(new_data_dir)"
    # A password of its own per run, so that the tests prove the app authenticates with the configured one.
    node -e "process.stdout.write(require('crypto').randomBytes(18).toString('base64url'))" >"$dir/smtp-password"
    start_on_free_port_or_exit start_server

    log "MailDev $(node -p "require('$package_dir/node_modules/maildev/package.json').version") SMTP on 127.0.0.1:$port, API on 127.0.0.1:$(cat "$dir/web-port") (pid $(cat "$dir/pid")), data in $dir"
    echo "export SAAS_TEST_MAILDEV_SMTP_PORT='$port'"
    echo "export SAAS_TEST_MAILDEV_API='http://127.0.0.1:$(cat "$dir/web-port")'"
    echo "export SAAS_TEST_MAILDEV_USER='$smtp_user'"
    echo "export SAAS_TEST_MAILDEV_PASSWORD='$(cat "$dir/smtp-password")'"
    echo "export SAAS_TEST_MAILDEV_DIR='$dir'"
}

stop() {
    local dir
    dir="$(started_data_dir "${SAAS_TEST_MAILDEV_DIR:-}")" || exit 1
    [[ -n "$dir" ]] || return 0
    # Only the process this script started, and only if it still is maildev.
    stop_node_server "$dir" 'maildev/dist/bin/maildev.js'
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
