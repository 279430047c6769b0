/**
 * The fuzz suite in CI (issue #18): seeded mutations of every OIFITS sample and of the VOTable
 * samples, each case in a child process under a memory cap and a time budget enforced by the
 * harness (test/fuzz/harness.ts). Prints its case and hang counts so CI output shows them.
 * Replay one case with `npm run fuzz -- --case <id>`.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_OPTIONS, runFuzz, summaryLines, type FuzzReport } from '../../fuzz/harness';

let report: FuzzReport;

/**
 * Internal errors today's VOTable reader (shared/votable/read.ts, owned by the store work of #18)
 * still gives: out-of-range numeric character references, deep nesting, and fast-xml-parser's own
 * errors escaping unwrapped. Any other kind of internal error fails this suite at once.
 */
const KNOWN_VOTABLE_INTERNAL_ERRORS = [/Invalid code point/, /Maximum nested tags exceeded/, /^Error: (Pi Tag is not closed|Unexpected end of|Closing tag|.* is not closed)/];

describe('fuzz suite (seeded, bounded)', () => {
  beforeAll(async () => {
    report = await runFuzz(DEFAULT_OPTIONS);
    for (const line of summaryLines(report, DEFAULT_OPTIONS)) {
      console.log(line);
      process.stderr.write(`${line}\n`);
    }
    for (const f of [...report.oifits.failures, ...report.votable.failures]) console.log(`  ${f.kind} ${f.id} ${f.file}: ${f.what} → ${f.message}`);
  }, 600_000);

  it('mutates every OIFITS sample, roughly 3000 cases', () => {
    expect(report.baseFiles.oifits.length).toBeGreaterThanOrEqual(27);
    expect(report.oifits.cases).toBe(report.baseFiles.oifits.length * DEFAULT_OPTIONS.oifitsPerFile);
  });

  it('OIFITS: 0 hangs, 0 internal errors, 0 over the memory cap; every failure names its HDU and byte', () => {
    expect(report.oifits.failures).toEqual([]);
    expect(report.oifits.hangs).toBe(0);
    expect(report.oifits.inputErrors + report.oifits.ok).toBe(report.oifits.cases);
    // Both outcomes occur: the mutations reach the reader's error paths and its success paths.
    expect(report.oifits.inputErrors).toBeGreaterThan(report.oifits.cases / 4);
    expect(report.oifits.ok).toBeGreaterThan(report.oifits.cases / 10);
  });

  it('VOTable: 0 hangs, 0 over the memory cap, 0 crashes; internal errors only of the kinds known today', () => {
    expect(report.votable.cases).toBeGreaterThan(300);
    expect(report.votable.hangs + report.votable.memory + report.votable.crashes).toBe(0);
    const unknown = report.votable.failures.filter((f) => !KNOWN_VOTABLE_INTERNAL_ERRORS.some((re) => re.test(f.message)));
    expect(unknown).toEqual([]);
  });

  // Fails on today's VOTable reader (the cases listed in the output); when the reader fix of #18
  // lands this starts passing, and `it.fails` then fails: change it to `it` and empty the list above.
  it.fails('VOTable: 0 internal errors', () => {
    expect(report.votable.internalErrors).toBe(0);
  });
});
