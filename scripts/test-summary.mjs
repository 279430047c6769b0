// Reads the vitest and Playwright JSON reports of `npm test` and prints one line per skipped test
// and then "N passed, M failed, K skipped". With SPICA_REQUIRE_PEERS=1 (set by .ci/run) the only
// skip allowed is the Electron launch test (test/e2e/electron.spec.ts: no Electron binary can be
// installed on these machines); any other skip counts as a failure. Exit code: failures > 0.
// Usage: node scripts/test-summary.mjs VITEST_JSON PLAYWRIGHT_JSON STEPS_PASSED STEPS_FAILED
import { readFileSync } from 'node:fs';

const [vitestFile, playwrightFile, stepsPassed = '0', stepsFailed = '0'] = process.argv.slice(2);
// Playwright names files relative to its testDir (test/e2e).
const ALLOWED_SKIP = /^(test\/e2e\/)?electron\.spec\.ts$/;
const requirePeers = process.env.SPICA_REQUIRE_PEERS === '1';
let passed = Number(stepsPassed);
let failed = Number(stepsFailed);
const skips = [];

const read = (file) => {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
};

const vitest = read(vitestFile);
if (!vitest) failed += 1;
else {
  passed += vitest.numPassedTests;
  failed += vitest.numFailedTests;
  // A suite that failed to load (a throw at import, e.g. a required peer missing) has no tests.
  for (const file of vitest.testResults) {
    if (file.status === 'failed' && file.assertionResults.every((a) => a.status !== 'failed')) failed += 1;
    for (const a of file.assertionResults) if (a.status === 'skipped' || a.status === 'pending' || a.status === 'todo') skips.push({ file: file.name, title: a.fullName });
  }
}

const playwright = read(playwrightFile);
if (!playwright) failed += 1;
else {
  passed += playwright.stats.expected + (playwright.stats.flaky ?? 0);
  failed += playwright.stats.unexpected + (playwright.errors ?? []).length;
  const visit = (suite, file) => {
    for (const spec of suite.specs ?? []) {
      for (const t of spec.tests ?? []) if (t.status === 'skipped') skips.push({ file: suite.file ?? file, title: spec.title, reason: t.annotations?.find((a) => a.type === 'skip')?.description });
    }
    for (const child of suite.suites ?? []) visit(child, suite.file ?? file);
  };
  for (const s of playwright.suites ?? []) visit(s, s.file);
}

for (const s of skips) {
  const allowed = !requirePeers || ALLOWED_SKIP.test(s.file);
  if (!allowed) failed += 1;
  console.log(`${allowed ? 'skipped' : 'FAILED (skip not allowed with SPICA_REQUIRE_PEERS=1)'}: ${s.file} › ${s.title}${s.reason ? ` (${s.reason})` : ''}`);
}
console.log(`${passed} passed, ${failed} failed, ${skips.length} skipped`);
process.exitCode = failed > 0 ? 1 : 0;
