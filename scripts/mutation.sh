#!/usr/bin/env bash
# Mutation testing (Stryker.NET): would a test fail if this line were wrong? Runs each area's configuration in
# scripts/mutation/ from the test project that guards it, and prints each area's mutation score beside its goal.
#   scripts/mutation.sh            every area
#   scripts/mutation.sh domain     only the named areas
# Not part of scripts/test.sh: an area takes minutes to tens of minutes. Run it after changing an area's code or
# tests, and before taking the scores into the README. Reports (HTML and JSON) go to artifacts/mutation/<area>/.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

# area | test project run for each mutant | goal (%) | servers its tests need (scripts/services/<name>.sh)
areas=(
  "domain|tests/SaasOnboarding.Domain.Tests|90|"
  "auth|tests/SaasOnboarding.Api.Tests|85|"
  "tenancy|tests/SaasOnboarding.Api.Tests|85|"
  "saga|tests/SaasOnboarding.Api.Tests|85|"
  "store-embedded|tests/SaasOnboarding.Stores.Tests|90|"
  "store-postgres|tests/SaasOnboarding.Stores.Tests|90|postgres"
  "store-fauna|tests/SaasOnboarding.Stores.Tests|90|"
)

wanted=("$@")
selected=()
for entry in "${areas[@]}"; do
  name="${entry%%|*}"
  if [ "${#wanted[@]}" -eq 0 ] || printf '%s\n' "${wanted[@]}" | grep -qx "$name"; then
    selected+=("$entry")
  fi
done
if [ "${#selected[@]}" -eq 0 ]; then
  echo "unknown area; areas: $(printf '%s ' "${areas[@]%%|*}")" >&2
  exit 2
fi

dotnet tool restore >/dev/null

# Servers are started as scripts/test.sh starts them (each prints `export` lines), once, and stopped at exit.
started=()
cleanup() {
  for ((i = ${#started[@]} - 1; i >= 0; i--)); do
    bash "scripts/services/${started[i]}.sh" stop || true
  done
}
trap cleanup EXIT

summary=()
status=0
for entry in "${selected[@]}"; do
  IFS='|' read -r name tests goal services <<<"$entry"
  for service in ${services//,/ }; do
    if ! printf '%s\n' "${started[@]}" | grep -qx "$service"; then
      echo "== starting $service"
      eval "$(bash "scripts/services/$service.sh" start)"
      started+=("$service")
    fi
  done
  output="$root/artifacts/mutation/$name"
  rm -rf "$output"
  echo "== $name: mutating with the tests of $tests"
  log="$(mktemp)"
  # Each test gets an app of its own instead of the shared one (tests/SaasOnboarding.Testing/NewAppPerTest.cs).
  (cd "$tests" && SAAS_TESTS_NEW_APP_PER_TEST=1 dotnet stryker --config-file "$root/scripts/mutation/$name.json" --output "$output" \
    --reporter json --reporter html --reporter progress) | tee "$log" || status=1
  score="$(python3 - "$output/reports/mutation-report.json" <<'PY' 2>/dev/null || echo "n/a"
import json, sys
report = json.load(open(sys.argv[1]))
counts = {}
for file in report["files"].values():
    for mutant in file["mutants"]:
        counts[mutant["status"]] = counts.get(mutant["status"], 0) + 1
detected = counts.get("Killed", 0) + counts.get("Timeout", 0)
valid = detected + counts.get("Survived", 0) + counts.get("NoCoverage", 0)
print(f"{100 * detected / valid:.1f} % ({detected} of {valid} detected; {counts.get('Survived', 0)} survived, {counts.get('NoCoverage', 0)} not covered)")
PY
)"
  rm -f "$log"
  summary+=("$name: $score, goal $goal %")
done

echo
echo "== mutation scores"
printf '%s\n' "${summary[@]}"
exit "$status"
