/**
 * Every size a FITS header declares is checked against the file before the reader loops or
 * allocates (issue #18). Each hostile header below is a real sample with one card changed; each
 * is read on a worker thread with a time budget, so that a regression fails here with the
 * budget's message instead of hanging the test run.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OifitsWorkerPool } from '../../../electron/services/review/oifits-pool';
import { FIXTURES, loopingFits, SMALL } from './hostile';

let dir: string;
let pool: OifitsWorkerPool;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'reader-limits-'));
  pool = new OifitsWorkerPool({ timeLimitMs: () => 20_000 });
});
afterAll(async () => {
  await pool.close();
  rmSync(dir, { recursive: true, force: true });
});

/** SMALL with card `key` of HDU `hdu` (0 or 1) set to `value` (raw FITS value text). */
function withCard(name: string, hdu: 0 | 1, key: string, value: string): string {
  const bytes = readFileSync(join(FIXTURES, SMALL));
  let start = 0;
  if (hdu === 1) start = bytes.indexOf('XTENSION=', 0, 'latin1');
  for (let at = start; ; at += 80) {
    const card = bytes.toString('latin1', at, at + 80);
    if (card.startsWith('END ')) throw new Error(`${key} not found`);
    if (card.slice(0, 8).trim() === key) {
      bytes.write(`${key.padEnd(8)}= ${value.padStart(20)}`.padEnd(80), at, 'latin1');
      break;
    }
  }
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

async function readError(path: string): Promise<string> {
  try {
    await pool.run({ kind: 'summary', path, withPlot: true });
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error(`${path} was read without an error`);
}

describe('declared sizes are checked before any loop or allocation', () => {
  it('negative PCOUNT pointing back at its own header (the freezing file)', async () => {
    expect(await readError(loopingFits(join(dir, 'loop.fits')))).toMatch(/: HDU 1 at byte 2880: PCOUNT = -\d+ is negative$/);
  });

  it('negative GCOUNT', async () => {
    expect(await readError(withCard('gcount.fits', 1, 'GCOUNT', '-3'))).toMatch(/: HDU 1 at byte 2880: GCOUNT = -3 is negative$/);
  });

  it('a BITPIX the standard does not know', async () => {
    expect(await readError(withCard('bitpix.fits', 1, 'BITPIX', '7'))).toMatch(/HDU 1 at byte 2880: BITPIX = 7 is not one of 8, 16, 32, 64, -32, -64$/);
  });

  it('NAXIS2 far beyond the file: the data unit is "truncated", nothing allocated', async () => {
    expect(await readError(withCard('naxis2.fits', 1, 'NAXIS2', '1099511627776'))).toMatch(/HDU 1 at byte \d+: data unit is truncated: \d+ bytes announced, \d+ present$/);
  });

  it('a count past 2^53', async () => {
    expect(await readError(withCard('huge.fits', 1, 'NAXIS2', '9007199254740993'))).toMatch(/HDU 1 at byte 2880: keyword NAXIS2 is too large/);
  });

  it('TFIELDS of a billion columns', async () => {
    expect(await readError(withCard('tfields.fits', 1, 'TFIELDS', '1000000000'))).toMatch(/HDU 1 at byte 2880: TFIELDS = 1000000000 is outside 0\.\.999$/);
  });

  it('a trillion rows of zero bytes (they cost nothing on disk)', async () => {
    // The first extension alone, its rows made zero bytes wide and its columns removed.
    const bytes = readFileSync(join(FIXTURES, SMALL));
    const ext = bytes.indexOf('XTENSION=', 0, 'latin1');
    const end = bytes.indexOf('END     ', ext, 'latin1');
    const set = (key: string, value: string) => bytes.write(`${key.padEnd(8)}= ${value.padStart(20)}`.padEnd(80), bytes.indexOf(`${key.padEnd(8)}=`, ext, 'latin1'), 'latin1');
    set('NAXIS1', '0');
    set('NAXIS2', '1000000000000');
    set('TFIELDS', '0');
    const path = join(dir, 'rows0.fits');
    writeFileSync(path, bytes.subarray(0, Math.ceil((end + 80) / 2880) * 2880));
    expect(await readError(path)).toMatch(/HDU 1 at byte 2880: NAXIS2 = 1000000000000 rows of NAXIS1 = 0 bytes: the table holds no data$/);
  });

  it('joins a header of 30,000 CONTINUE cards in linear time, value intact', async () => {
    // One long string over 30,000 records (2.4 MB of header): joining at every record, as the
    // reader once did, copies the growing string 30,000 times.
    const original = readFileSync(join(FIXTURES, SMALL));
    const endAt = original.indexOf('END     ', 0, 'latin1');
    const cards: string[] = [];
    for (let at = 0; at < endAt; at += 80) cards.push(original.toString('latin1', at, at + 80));
    cards.push("LONGSTR = 'x&'".padEnd(80));
    for (let i = 0; i < 30_000; i++) cards.push("CONTINUE  'abcdefgh&'".padEnd(80));
    cards.push("CONTINUE  'z'".padEnd(80), 'END'.padEnd(80));
    const header = Buffer.from(cards.join('').padEnd(Math.ceil(cards.length / 36) * 2880, ' '), 'latin1');
    const rest = original.subarray(Math.ceil((endAt + 80) / 2880) * 2880);
    const path = join(dir, 'continue.fits');
    writeFileSync(path, Buffer.concat([header, rest]));
    const r = await pool.run({ kind: 'summary', path, withPlot: false });
    expect(r.summary.tables.length).toBeGreaterThan(0);
    const { readFitsStructure } = await import('../../../shared/oifits');
    const value = readFitsStructure(new Uint8Array(readFileSync(path))).hdus[0].header.string('LONGSTR');
    expect(value).toBe(`x${'abcdefgh'.repeat(30_000)}z`);
  });
});
