#!/usr/bin/env bash
# The project's test command. On a fresh machine it sets up everything the tests need (each
# scripts/services/*.sh installs and starts one server on loopback and prints `export` lines),
# runs every test, stops the servers, and ends with the line "N passed, N failed, N skipped".
# Extra arguments go to `dotnet test` (for example --filter "FullyQualifiedName~Onboarding"), including a section of
# run settings after `--` (for example -- RunConfiguration.MaxCpuCount=1).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

results="$root/artifacts/test-results"
rm -rf "$results" "$root/artifacts/figures"
mkdir -p "$results"

started=()
cleanup() {
  for ((i = ${#started[@]} - 1; i >= 0; i--)); do
    bash "${started[i]}" stop || true
  done
}
trap cleanup EXIT

for service in scripts/services/*.sh; do
  [ -e "$service" ] || continue
  echo "== starting $(basename "$service" .sh)"
  exports="$(bash "$service" start)"
  eval "$exports"
  started+=("$service")
done

# The live Fauna suite needs a real node, which cannot run on these machines: its tests report themselves skipped
# unless FAUNA_ENDPOINT and FAUNA_SECRET name one (see docs/storage-fauna.md).
if [ -z "${FAUNA_ENDPOINT:-}" ] || [ -z "${FAUNA_SECRET:-}" ]; then
  echo "== live Fauna suite will skip itself: FAUNA_ENDPOINT and FAUNA_SECRET are not set"
fi

# Every .NET process of the run (the test processes, the apps they start as child processes) runs without tiered
# profile-guided optimization: it instruments hot methods and compiles them once more, which pays off in a process
# that runs for hours, not in short test processes that mostly start things. It changes no behaviour.
export DOTNET_TieredPGO="${DOTNET_TieredPGO:-0}"

# One process per test project (tests/SaasOnboarding.*.Tests, one kind of test each). Built first, then run side by
# side, as many at once as the machine has cores: more test processes than cores at once cost the run more CPU time
# (each waits and switches more, and its own timers, polls and retries run longer).
at_once="$(nproc 2>/dev/null || echo 2)"

# The build is skipped when nothing it reads or wrote changed since the last build this script made: MSBuild's own
# up-to-date checks of every project cost seconds of CPU at each run. The stamp covers every file git does not ignore
# (tracked or not, by content), the SDK's version, and the Release assemblies the build made (path, size, time);
# without git, or without a stamp, the build runs as always.
build_stamp="$root/.build/test-build.sha256"
build_state() {
  command -v git >/dev/null 2>&1 && git -C "$root" rev-parse --git-dir >/dev/null 2>&1 || return 1
  {
    dotnet --version
    git -C "$root" ls-files -z -co --exclude-standard | xargs -0 -r sha256sum 2>&1 || true
    find "$root/src" "$root/tests" -path '*/bin/Release/*' -not -path '*/linux-x64/*' -name 'SaasOnboarding.*.dll' -printf '%p %s %T@\n' | sort
  } | sha256sum | awk '{print $1}'
}
status=0
state="$(build_state || true)"
if [ -n "$state" ] && [ -f "$build_stamp" ] && [ "$(cat "$build_stamp")" = "$state" ]; then
  echo "== build skipped: nothing changed since the last build (${build_stamp#"$root"/})"
else
  rm -f "$build_stamp"
  dotnet build SaasOnboarding.sln -c Release --nologo -v:q || status=$?
  if [ "$status" -eq 0 ] && state="$(build_state)"; then
    mkdir -p "$(dirname "$build_stamp")"
    echo "$state" >"$build_stamp"
  fi
fi
# The Lambda package (scripts/build-lambda.sh: the app published with Native AOT, with its bootstrap handler), for
# the tests that also run against that binary as a child process (AotApp) and for the package's own tests
# (LambdaPackage). The script installs what the native link needs (Debian's clang and zlib1g-dev) when missing.
# Like the build, it is skipped when nothing it reads changed since the last one: the stamp covers the SDK's
# version, the files of src/ and scripts/ and the repository's build settings, and the binary it made.
aot_dir="$root/.build/aot"
aot_stamp="$root/.build/aot-publish.sha256"
aot_state() {
  command -v git >/dev/null 2>&1 && git -C "$root" rev-parse --git-dir >/dev/null 2>&1 || return 1
  {
    dotnet --version
    git -C "$root" ls-files -z -co --exclude-standard -- src scripts Directory.Build.props Directory.Packages.props global.json \
      | xargs -0 -r sha256sum 2>&1 || true
    find "$aot_dir" -maxdepth 1 -name SaasOnboarding.Api -printf '%p %s %T@\n' 2>/dev/null || true
  } | sha256sum | awk '{print $1}'
}
if [ "$status" -eq 0 ]; then
  state="$(aot_state || true)"
  if [ -n "$state" ] && [ -f "$aot_stamp" ] && [ "$(cat "$aot_stamp")" = "$state" ] && [ -x "$aot_dir/SaasOnboarding.Api" ]; then
    echo "== Native AOT package skipped: nothing changed since the last one (${aot_stamp#"$root"/})"
  else
    rm -f "$aot_stamp"
    echo "== building the Native AOT Lambda package (${aot_dir#"$root"/})"
    aot_started=$SECONDS
    bash scripts/build-lambda.sh "$aot_dir" >/dev/null || status=$?
    echo "== Native AOT package built in $((SECONDS - aot_started)) s"
    if [ "$status" -eq 0 ] && state="$(aot_state)"; then
      echo "$state" >"$aot_stamp"
    fi
  fi
  export SAAS_AOT_BINARY="$aot_dir/SaasOnboarding.Api"
  export SAAS_LAMBDA_PACKAGE="$aot_dir"
fi

# The built test assemblies go to one test runner, which starts a test process for each and runs $at_once of them at
# once (MaxCpuCount): what `dotnet test SaasOnboarding.sln` would run, without evaluating every project in MSBuild again.
assemblies=()
if [ "$status" -eq 0 ]; then
  for name in $(sed -n 's/^Project(.*= "\([^"]*\.Tests\)", ".*\.Tests\.csproj".*/\1/p' SaasOnboarding.sln); do
    assembly="$(ls "tests/$name/bin/Release/"*/"$name.dll" 2>/dev/null | head -n 1 || true)"
    [ -n "$assembly" ] || { echo "no built $name.dll under tests/$name/bin/Release" >&2; status=1; }
    assemblies+=("$assembly")
  done
fi
# A caller's own `-- <run settings>` join the script's in the one `--` section dotnet test reads (two `--` sections
# would make the second one an argument of the first), after the script's: a caller's MaxCpuCount wins.
options=()
runsettings=("RunConfiguration.MaxCpuCount=$at_once")
while [ "$#" -gt 0 ]; do
  if [ "$1" = "--" ]; then
    shift
    runsettings+=("$@")
    break
  fi
  options+=("$1")
  shift
done
[ "$status" -eq 0 ] && dotnet test "${assemblies[@]}" \
  --logger "trx;LogFilePrefix=results" --logger "console;verbosity=minimal" \
  --results-directory "$results" "${options[@]}" -- "${runsettings[@]}" || status=$?

passed=0
failed=0
skipped=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  counters="$(grep -o '<Counters [^>]*>' "$trx" || true)"
  p="$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")"
  f="$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")"
  t="$(sed -n 's/.* total="\([0-9]*\)".*/\1/p' <<<"$counters")"
  e="$(sed -n 's/.* executed="\([0-9]*\)".*/\1/p' <<<"$counters")"
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
  skipped=$((skipped + ${t:-0} - ${e:-0}))
done
# Each test process writes how many apps it started (tests/SaasOnboarding.Testing/HostCount.cs): an app's start costs
# more CPU than most tests do, so the run says how many it started.
if compgen -G "$results/hosts-*.txt" >/dev/null; then
  read -r in_process children < <(cat "$results"/hosts-*.txt | awk '{ i += $1; c += $2 } END { print i + 0, c + 0 }')
  echo "== apps started: $in_process in-process hosts, $children child processes"
fi
echo "$passed passed, $failed failed, $skipped skipped"
if [ "$status" -eq 0 ] && [ "$passed" -eq 0 ]; then
  echo "no test ran" >&2
  status=1
fi
exit "$status"
