#!/usr/bin/env bash
# A throw-away PostgreSQL server for the tests: loopback only, a free port, its own data directory.
#
#   scripts/services/postgres.sh start   # prints `export SAAS_TEST_POSTGRES=...` lines for scripts/test.sh to eval
#   scripts/services/postgres.sh stop    # stops the server and deletes its data directory
#
# Everything but the export lines goes to stderr. Installs Debian's `postgresql` package when no server binaries
# are present (needs root). PostgreSQL refuses to run as root, so as root the server runs as user `postgres`.
#
# The app connects as `saas_app`: not a superuser (a superuser bypasses the permission checks that isolate
# tenants), with CREATEROLE (tenant roles) and CREATEDB (each test class makes its own database), owning `saas`.
set -euo pipefail

service=postgres
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

find_bindir() {
    local candidate
    candidate="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
    if [[ -n "$candidate" && -x "$candidate/initdb" ]]; then
        echo "$candidate"
    elif command -v initdb >/dev/null 2>&1; then
        dirname "$(readlink -f "$(command -v initdb)")"
    fi
}

install_postgres() {
    if [[ $EUID -ne 0 ]]; then
        log "PostgreSQL is not installed and installing it needs root: apt-get install postgresql"
        exit 1
    fi
    log "installing PostgreSQL from Debian's packages"
    # Debian's server package would create and start a default cluster on port 5432; the tests need none. As in
    # the official container image: install postgresql-common first and turn that off before the server arrives.
    apt_install postgresql-common
    sed -ri 's/^#? *(create_main_cluster) .*$/\1 = false/' /etc/postgresql-common/createcluster.conf
    apt_install postgresql
}

# Runs a command as the server's owner: `postgres` when we are root, ourselves otherwise.
as_owner() {
    if [[ $EUID -eq 0 ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

# Starts the server on port $1 and waits (pg_ctl -w) until it accepts connections. No autovacuum: the tests drop
# their databases WITH (FORCE), which a non-superuser cannot do while an autovacuum worker is in the database.
start_server() {
    as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start -o \
        "-c listen_addresses=127.0.0.1 -p $1 -c unix_socket_directories=$dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 -c autovacuum=off" \
        >&2
}

start() {
    # The server runs as `postgres`, which may not be allowed into the caller's working directory.
    cd /

    local bindir
    bindir="$(find_bindir)"
    if [[ -z "$bindir" ]]; then
        install_postgres
        bindir="$(find_bindir)"
    fi
    [[ -n "$bindir" ]] || { log "no initdb found after installing PostgreSQL"; exit 1; }

    if [[ $EUID -eq 0 ]] && ! id postgres >/dev/null 2>&1; then
        useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
    fi

    local dir
    dir="$(new_data_dir)"
    chmod 700 "$dir"
    [[ $EUID -eq 0 ]] && chown postgres: "$dir"

    # Trust on the socket (inside the private directory) for the setup below; passwords over TCP, where the app
    # connects. No fsync: the data is thrown away.
    as_owner "$bindir/initdb" -D "$dir/data" -U postgres -E UTF8 --locale=C --no-sync \
        --auth-local=trust --auth-host=scram-sha-256 >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; log "initdb failed"; exit 1; }

    if ! start_on_free_port start_server; then
        cat "$dir/server.log" >&2 || true
        log "the server did not start"
        exit 1
    fi

    local password
    password="$(head -c 64 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 24)"
    as_owner "$bindir/psql" -X -q -v ON_ERROR_STOP=1 -h "$dir" -p "$port" -U postgres -d postgres >&2 <<SQL
CREATE ROLE saas_app LOGIN NOSUPERUSER CREATEROLE CREATEDB PASSWORD '$password';
CREATE DATABASE saas OWNER saas_app;
SQL

    echo "$port" >"$dir/port"
    # The same lines in a private file, so that a developer can pick the server up again from another shell.
    (umask 077 && cat >"$dir/env" <<ENV
export SAAS_TEST_POSTGRES='Host=127.0.0.1;Port=$port;Username=saas_app;Password=$password;Database=saas'
export SAAS_TEST_POSTGRES_DIR='$dir'
ENV
    )
    log "PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port, data in $dir (exports also in $dir/env)"
    cat "$dir/env"
}

stop() {
    local dir
    dir="$(started_data_dir "${SAAS_TEST_POSTGRES_DIR:-}")" || exit 1
    [[ -n "$dir" ]] || return 0
    local bindir
    bindir="$(find_bindir)"
    if [[ -f "$dir/data/postmaster.pid" && -n "$bindir" ]]; then
        as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >&2 || true
    fi
    remove_data_dir "$dir"
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
