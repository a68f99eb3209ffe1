#!/usr/bin/env bash
# Runs every vitest project, then prints the plain closing line 'N passed, N failed, N skipped'.
set -uo pipefail
cd "$(dirname "$0")/.."
results=node_modules/.cache/plumbline/vitest-results.json
mkdir -p "$(dirname "$results")"
rm -f "$results"
npx vitest run --reporter=default --reporter=json --outputFile.json="$results" "$@"
status=$?
node scripts/test-summary.mjs "$results" || status=1
exit $status
