#!/bin/bash
# The function's handler. On Lambda the Web Adapter layer (AWS_LAMBDA_EXEC_WRAPPER=/opt/bootstrap) starts this
# script instead of the .NET runtime's own bootstrap, then forwards each API Gateway event to the app as a plain
# HTTP request on 127.0.0.1:$AWS_LWA_PORT.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"

# Listen where the adapter sends requests (AWS_LWA_PORT, else PORT, else the adapter's default 8080), on
# loopback only: nothing but the adapter needs to reach the app.
port="${AWS_LWA_PORT:-${PORT:-8080}}"
export ASPNETCORE_URLS="http://127.0.0.1:${port}"

# The package is read-only on Lambda and HOME is not set; /tmp is the only writable place.
export HOME="${HOME:-/tmp}"

exec dotnet "$here/SaasOnboarding.Api.dll" "$@"
