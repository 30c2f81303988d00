# What the scripts in scripts/services share; each sources this file after setting `service` (its own name).
# It lives in lib/ so that scripts/test.sh, which runs every scripts/services/*.sh, does not take it for a service.
#
# A service's `start` makes its data directory with new_data_dir (/tmp/saas-<service>.XXXXXX, remembered in
# .build/services/<service>.dir), and its `stop` finds it again with started_data_dir: the directory named by the
# exported variable, else the remembered one. Nothing else is ever deleted.

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
state_file="$repo_root/.build/services/$service.dir"
dir_prefix="/tmp/saas-$service."

# Everything but the export lines goes to stderr: scripts/test.sh evals stdout.
log() { echo "$service.sh: $*" >&2; }

# Debian packages, with one `apt-get update` first (needs root).
apt_install() {
    export DEBIAN_FRONTEND=noninteractive
    if [[ -z "${apt_updated:-}" ]]; then
        apt-get update >&2
        apt_updated=1
    fi
    apt-get install -y --no-install-recommends "$@" >&2
}

# Node.js and npm, from Debian's packages when missing (needs root).
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

# `npm ci` in the folder $1 (its package.json and committed package-lock.json), only when the lock file changed
# since the last install or a file it should have made ($2...) is missing: it takes far longer than a check.
ensure_npm_packages() {
    local dir="$1" stamp="$1/node_modules/.installed-lock.sha256" wanted file installed=yes
    shift
    wanted="$(sha256sum "$dir/package-lock.json" | awk '{print $1}')"
    [[ -f "$stamp" && "$(cat "$stamp")" == "$wanted" ]] || installed=no
    for file in "$@"; do
        [[ -e "$dir/$file" ]] || installed=no
    done
    [[ "$installed" == yes ]] && return
    log "installing $(basename "$dir")'s npm packages with npm ci"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >&2)
    echo "$wanted" >"$stamp"
}

# Node.js, npm and the npm packages of the folder $1 (ensure_npm_packages, with the files it should have made, $2...).
ensure_node_packages() {
    ensure_npm
    ensure_npm_packages "$@"
}

# Runs `node $3...` in the background in the data directory $dir (the caller's), its output in $dir/server.log and
# its pid in $dir/pid, then checks `healthy $2` (the caller's function) every tenth of a second, $1 times at most:
# succeeds once it answers; stops the server and fails if it never does or exits first.
start_node_server() {
    local checks="$1" health_port="$2" pid
    shift 2
    (cd "$dir" && exec node "$@") >"$dir/server.log" 2>&1 &
    pid=$!
    echo "$pid" >"$dir/pid"
    for _ in $(seq 1 "$checks"); do
        healthy "$health_port" 2>/dev/null && return 0
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    return 1
}

# start_on_free_port $1; when no port worked, shows the server's log ($dir/server.log) and exits.
start_on_free_port_or_exit() {
    if ! start_on_free_port "$1"; then
        cat "$dir/server.log" >&2 || true
        log "$service did not start"
        exit 1
    fi
}

port_in_use() {
    if command -v ss >/dev/null 2>&1; then
        ss -Hltn "sport = :$1" 2>/dev/null | grep -q .
    else
        (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
    fi
}

# Runs `$1 PORT` on random free ports until it succeeds (eight tries at most) and sets `port` to the one it
# succeeded on; fails when none did. A port is taken between the check and the start now and then, hence tries.
start_on_free_port() {
    local try="$1" attempt candidate
    port=""
    for attempt in 1 2 3 4 5 6 7 8; do
        candidate=$((20000 + RANDOM % 40000))
        port_in_use "$candidate" && continue
        if "$try" "$candidate"; then
            port="$candidate"
            return 0
        fi
        log "could not start on port $candidate (attempt $attempt); trying another"
    done
    return 1
}

# Prints a new private data directory and remembers it for stop.
new_data_dir() {
    local dir
    dir="$(mktemp -d "${dir_prefix}XXXXXX")"
    mkdir -p "$(dirname "$state_file")"
    echo "$dir" >"$state_file"
    echo "$dir"
}

# Prints the data directory a start made ($1 is the exported variable's value, which wins), or nothing when there
# is none; fails on a directory this script did not make.
started_data_dir() {
    local dir="${1:-}"
    if [[ -z "$dir" && -f "$state_file" ]]; then
        dir="$(cat "$state_file")"
    fi
    if [[ -z "$dir" || ! -d "$dir" ]]; then
        log "no server to stop"
        rm -f "$state_file"
        return 0
    fi
    case "$dir" in
        "$dir_prefix"*) echo "$dir" ;;
        *) log "refusing to delete $dir: not a directory this script made"; return 1 ;;
    esac
}

# Stops the node server a start recorded in $1/pid, only if that process still runs the script named by $2, then
# removes the data directory $1.
stop_node_server() {
    local dir="$1" pid
    if [[ -f "$dir/pid" ]]; then
        pid="$(cat "$dir/pid")"
        if kill -0 "$pid" 2>/dev/null && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "$2"; then
            kill "$pid" 2>/dev/null || true
            for _ in $(seq 1 50); do
                kill -0 "$pid" 2>/dev/null || break
                sleep 0.1
            done
            kill -9 "$pid" 2>/dev/null || true
        fi
    fi
    remove_data_dir "$dir"
}

remove_data_dir() {
    rm -rf "$1"
    rm -f "$state_file"
    log "stopped and removed $1"
}
