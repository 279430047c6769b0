#!/usr/bin/env bash
# npm test: type-check, layering lint, build, unit + interop tests (vitest), end-to-end tests
# (Playwright + Debian Chromium), then one line "N passed, M failed, K skipped" over all runners.
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p .tmp
export ELECTRON_SKIP_BINARY_DOWNLOAD=1
passed=0; failed=0; skipped=0

step() { # name, command...
  local name=$1; shift
  echo "== $name"
  if "$@"; then passed=$((passed + 1)); else echo "!! $name failed"; failed=$((failed + 1)); fi
}

step "typecheck (tsc)" npx tsc -p tsconfig.json --noEmit
step "lint (layering rules)" npx eslint --max-warnings 0 .
step "drizzle migrations match the schema" bash -c 'npx drizzle-kit generate --name drift-check 2>&1 | tail -1 && test -z "$(git status --porcelain electron/db/migrations 2>/dev/null)" || { git status --porcelain electron/db/migrations; exit 1; }'
step "build (electron-vite)" npx electron-vite build

echo "== vitest"
npx vitest run --reporter=default --reporter=json --outputFile=.tmp/vitest.json
read -r vp vf vs < <(node -e '
  const fs = require("fs");
  try { const r = JSON.parse(fs.readFileSync(".tmp/vitest.json", "utf8"));
    console.log(r.numPassedTests, r.numFailedTests + (r.numRuntimeErrorTestSuites ?? 0) + (r.numFailedTestSuites && !r.numFailedTests ? r.numFailedTestSuites : 0), r.numPendingTests + (r.numTodoTests ?? 0));
  } catch { console.log(0, 1, 0); }')
passed=$((passed + vp)); failed=$((failed + vf)); skipped=$((skipped + vs))

echo "== playwright"
PLAYWRIGHT_JSON_OUTPUT_NAME=.tmp/playwright.json npx playwright test --reporter=list,json
read -r pp pf ps < <(node -e '
  const fs = require("fs");
  try { const s = JSON.parse(fs.readFileSync(".tmp/playwright.json", "utf8")).stats;
    console.log(s.expected + (s.flaky ?? 0), s.unexpected + ((JSON.parse(fs.readFileSync(".tmp/playwright.json","utf8")).errors ?? []).length), s.skipped);
  } catch { console.log(0, 1, 0); }')
passed=$((passed + pp)); failed=$((failed + pf)); skipped=$((skipped + ps))

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
