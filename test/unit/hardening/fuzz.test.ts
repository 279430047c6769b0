/**
 * The fuzz suite in CI (issue #18): seeded mutations of every OIFITS sample and of the VOTable
 * samples, each case in a child process under a memory cap and a time budget enforced by the
 * harness (test/fuzz/harness.ts). Prints its case and hang counts so CI output shows them.
 * Replay one case with `npm run fuzz -- --case <id>`.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_OPTIONS, runFuzz, summaryLines, type FuzzReport } from '../../fuzz/harness';

let report: FuzzReport;

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

  it('VOTable: 0 hangs, 0 internal errors, 0 over the memory cap, 0 crashes; every input error says where', () => {
    expect(report.votable.cases).toBeGreaterThan(300);
    expect(report.votable.failures).toEqual([]);
    expect(report.votable.internalErrors).toBe(0);
    expect(report.votable.hangs + report.votable.memory + report.votable.crashes).toBe(0);
    expect(report.votable.inputErrors + report.votable.ok).toBe(report.votable.cases);
    expect(report.votable.inputErrorsWithoutLocation).toBe(0);
  });
});
