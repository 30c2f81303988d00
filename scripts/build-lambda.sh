#!/usr/bin/env bash
# Builds the Lambda deployment package that template.yaml expects: a Release, ReadyToRun, linux-x64,
# framework-dependent publish of the app for the managed dotnet10 runtime, plus run.sh, the handler that
# the Lambda Web Adapter starts.
#
#   scripts/build-lambda.sh [OUTPUT_DIR]      default: artifacts/lambda
#
# `sam build` calls it through the Makefile (target build-SaasOnboardingFunction) with SAM's ARTIFACTS_DIR.
# Intermediate files go to .build/lambda, never to the project's obj/, so a package build does not disturb
# (or wait on) the ordinary build and test outputs.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:-$root/artifacts/lambda}"
work="${LAMBDA_BUILD_WORK_DIR:-$root/.build/lambda}"

mkdir -p "$out"
out="$(cd "$out" && pwd)"
# The package is exactly what this build produces: nothing left over from an older one.
find "$out" -mindepth 1 -delete

dotnet publish "$root/src/SaasOnboarding.Api/SaasOnboarding.Api.csproj" \
  --configuration Release \
  --runtime linux-x64 \
  --self-contained false \
  --artifacts-path "$work" \
  --output "$out" \
  --disable-build-servers \
  -p:PublishReadyToRun=true \
  -nologo

install -m 0755 "$root/scripts/lambda/run.sh" "$out/run.sh"

# Local data directories have no place in the package (on Lambda it is read-only).
rm -rf "$out/data"
echo "Lambda package in $out (handler run.sh, runtime dotnet10, linux-x64)"
