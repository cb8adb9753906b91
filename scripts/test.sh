#!/usr/bin/env bash
# `npm test`: install what is missing, check, build, then unit, integration (real cluster) and e2e (Debian chromium).
set -uo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1 PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

bash scripts/setup.sh redis-server redis-tools redis-sentinel haproxy chromium || exit 1

step() { echo; echo "== $*"; }
step "lint (biome)";        npx biome check . || exit 1
step "typecheck (tsc)";     npx tsc --noEmit || exit 1
step "build";               npm run build || exit 1

mkdir -p test-results
failed=0
step "unit tests";          npx vitest run --project unit --reporter=default --reporter=json --outputFile.json=test-results/unit.json || failed=1
step "integration tests";   npx vitest run --project int --reporter=default --reporter=json --outputFile.json=test-results/int.json || failed=1
step "e2e tests (chromium)"; CI=1 npx playwright test || failed=1

node scripts/test/summary.mjs test-results/unit.json test-results/int.json test-results/e2e.json || failed=1
exit "$failed"
