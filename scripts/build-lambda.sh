#!/usr/bin/env bash
# Builds the Lambda deployment package that template.yaml expects: the app published with Native AOT for
# linux-x64 (one self-contained executable, with libe_sqlite3.so beside it) for the provided.al2023 runtime, plus
# bootstrap, the handler that the Lambda Web Adapter starts.
#
#   scripts/build-lambda.sh [OUTPUT_DIR]      default: artifacts/lambda
#
# `sam build` calls it through the Makefile (target build-SaasOnboardingFunction) with SAM's ARTIFACTS_DIR.
# Intermediate files go to .build/lambda, never to the project's obj/, so a package build does not disturb
# (or wait on) the ordinary build and test outputs. On a fresh Debian machine it first installs what the native
# link needs (scripts/aot-prerequisites.sh).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:-$root/artifacts/lambda}"
work="${LAMBDA_BUILD_WORK_DIR:-$root/.build/lambda}"

bash "$root/scripts/aot-prerequisites.sh"

mkdir -p "$out"
out="$(cd "$out" && pwd)"
# The package is exactly what this build produces: nothing left over from an older one.
find "$out" -mindepth 1 -delete

dotnet publish "$root/src/SaasOnboarding.Api/SaasOnboarding.Api.csproj" \
  --configuration Release \
  --runtime linux-x64 \
  --artifacts-path "$work" \
  --output "$out" \
  --disable-build-servers \
  -nologo

install -m 0755 "$root/scripts/lambda/bootstrap" "$out/bootstrap"

# Neither local data directories nor the native debug symbols and XML docs have a place in the package (on Lambda
# the package is read-only, and it is smaller without them).
rm -rf "$out/data" "$out"/*.dbg "$out"/*.xml "$out"/*.pdb
echo "Lambda package in $out (handler bootstrap, runtime provided.al2023, linux-x64 Native AOT)"
