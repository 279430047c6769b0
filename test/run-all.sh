#!/usr/bin/env bash
# npm test: type-check (node / web / tests projects), layering lint, migrations against the
# schema, build, unit + interop + shell tests (vitest), end-to-end tests (Playwright + Debian
# Chromium), then one line "N passed, M failed, K skipped" over all runners (scripts/test-summary.mjs;
# with SPICA_REQUIRE_PEERS=1 only the Electron launch test may skip).
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p .tmp
export ELECTRON_SKIP_BINARY_DOWNLOAD=1
passed=0; failed=0

step() { # name, command...
  local name=$1; shift
  echo "== $name"
  if "$@"; then passed=$((passed + 1)); else echo "!! $name failed"; failed=$((failed + 1)); fi
}

step "typecheck (node, web, tests; type boundaries)" npm run --silent typecheck
step "lint (layering rules)" npx eslint --max-warnings 0 .
step "drizzle migrations match the schema" bash scripts/check-migrations.sh
step "build (electron-vite + CLI bundle)" npm run --silent build

echo "== vitest"
rm -f .tmp/vitest.json .tmp/playwright.json
npx vitest run --reporter=default --reporter=json --outputFile=.tmp/vitest.json

echo "== playwright"
PLAYWRIGHT_JSON_OUTPUT_NAME=.tmp/playwright.json npx playwright test --reporter=list,json

echo "== summary"
node scripts/test-summary.mjs .tmp/vitest.json .tmp/playwright.json "$passed" "$failed"
