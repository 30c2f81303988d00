#!/usr/bin/env bash
# The benchmark: publishes the app (Native AOT, what the Lambda package runs, and JIT ReadyToRun) and a bare
# `dotnet new web` app both ways, times their cold starts, then starts the AOT app on loopback with embedded defaults
# and again on the project's PostgreSQL server (scripts/services/postgres.sh), seeds tenants, drives load with wrk
# and prints a table; writes bench/results/latest.json.
#   bench/run.sh            quick mode: 1,000 tenants registered, 100 active (a few minutes)
#   bench/run.sh --full     full mode: 10,000 tenants registered, 1,000 active (longer: mostly the registrations)
# Every figure but memory is a ratio of two measurements taken in the same run. Exit code 3: a goal was missed.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

mode=quick
for argument in "$@"; do
  case "$argument" in
    --quick) mode=quick ;;
    --full) mode=full ;;
    *) echo "usage: bench/run.sh [--quick|--full]" >&2; exit 2 ;;
  esac
done

if ! command -v wrk >/dev/null; then
  echo "== installing wrk"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
fi

work="$(mktemp -d /tmp/saas-bench.XXXXXX)"
echo "== working in $work"
bash scripts/aot-prerequisites.sh
# Each app is published both ways, with the same switches: Release for linux-x64, framework-dependent ReadyToRun
# (JIT), and Native AOT.
jit=(-c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -p:PublishAot=false --nologo -v quiet)
aot=(-c Release -r linux-x64 -p:PublishAot=true --nologo -v quiet)

echo "== publishing the app (Native AOT, then JIT ReadyToRun)"
# Each publish has intermediate folders of its own: the two kinds must not reuse each other's outputs.
dotnet publish src/SaasOnboarding.Api "${aot[@]}" --artifacts-path "$work/build-aot" -o "$work/aot" >"$work/publish-app.log" || { cat "$work/publish-app.log"; exit 1; }
dotnet publish src/SaasOnboarding.Api "${jit[@]}" --artifacts-path "$work/build-jit" -o "$work/app" >>"$work/publish-app.log" || { cat "$work/publish-app.log"; exit 1; }

# The cold-start baselines: the bare `dotnet new web` template, outside the repository (so none of its build
# settings apply), never committed.
echo "== publishing the bare web app baselines (JIT ReadyToRun and Native AOT)"
dotnet new web -n BareWeb -o "$work/bare-src" >"$work/publish-bare.log"
dotnet publish "$work/bare-src" "${jit[@]}" --artifacts-path "$work/bare-build-jit" -o "$work/bare" >>"$work/publish-bare.log" || { cat "$work/publish-bare.log"; exit 1; }
dotnet publish "$work/bare-src" "${aot[@]}" --artifacts-path "$work/bare-build-aot" -o "$work/bare-aot" >>"$work/publish-bare.log" || { cat "$work/publish-bare.log"; exit 1; }

# The deployed store: the project's throw-away PostgreSQL server, as scripts/test.sh starts it.
echo "== starting postgres"
eval "$(bash scripts/services/postgres.sh start)"
trap 'bash scripts/services/postgres.sh stop || true' EXIT

echo "== building the driver"
dotnet build bench/SaasOnboarding.Bench -c Release --nologo -v quiet >"$work/build-driver.log" || { cat "$work/build-driver.log"; exit 1; }

commit="$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src || echo '+dirty')"
status=0
dotnet bench/SaasOnboarding.Bench/bin/Release/net10.0/SaasOnboarding.Bench.dll \
  --mode "$mode" --app "$work/aot/SaasOnboarding.Api" --jit-app "$work/app/SaasOnboarding.Api" \
  --baseline "$work/bare/BareWeb" --aot-baseline "$work/bare-aot/BareWeb" --postgres "$SAAS_TEST_POSTGRES" \
  --work "$work/run" --results bench/results/latest.json --wrk-script bench/wrk-get.lua --commit "$commit" || status=$?

if [ "$status" -eq 0 ] || [ "$status" -eq 3 ]; then
  rm -rf "$work"
else
  echo "logs kept in $work" >&2
fi
exit "$status"
