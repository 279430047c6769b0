/**
 * Hostile inputs for the hardening tests, built from the real OIFITS samples: the file of issue
 * #18 whose negative PCOUNT sends the old reader back to its own header for ever, a negative
 * GCOUNT, a FIFO, a "secret" text file whose bytes must never appear in an error.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const FIXTURES = join(import.meta.dirname, '../../fixtures/oifits');

/** A small real OIFITS file (3 HDUs of 2 blocks each) to build hostile copies from. */
export const SMALL = 'oifitslib__bad_checksum.fits';

interface Card {
  at: number;
  key: string;
  value: string;
}

/** Cards of the header starting at `start`, and where the header ends (padded). */
function header(bytes: Buffer, start: number): { cards: Card[]; end: number } {
  const cards: Card[] = [];
  for (let at = start; at + 80 <= bytes.length; at += 80) {
    const text = bytes.toString('latin1', at, at + 80);
    if (text.startsWith('END ')) return { cards, end: start + Math.ceil((at + 80 - start) / 2880) * 2880 };
    cards.push({ at, key: text.slice(0, 8).trim(), value: text.slice(10, 30).trim() });
  }
  throw new Error('no END');
}

function setCard(bytes: Buffer, card: Card, value: number): void {
  bytes.write(`${card.key.padEnd(8)}= ${String(value).padStart(20)}`.padEnd(80), card.at, 'latin1');
}

/**
 * Copy of SMALL whose first extension declares PCOUNT = −(NAXIS1·NAXIS2 + header bytes): the next
 * HDU "starts" at this same header, so the reader of issue #18 looped for ever, memory growing.
 */
export function loopingFits(path: string): string {
  const bytes = readFileSync(join(FIXTURES, SMALL));
  const primary = header(bytes, 0);
  const ext = header(bytes, primary.end);
  const get = (k: string) => ext.cards.find((c) => c.key === k) as Card;
  const pcount = -(Number(get('NAXIS1').value) * Number(get('NAXIS2').value) + (ext.end - primary.end));
  setCard(bytes, get('PCOUNT'), pcount);
  writeFileSync(path, bytes);
  return path;
}

/** Copy of SMALL whose first extension declares GCOUNT = −1 (a negative data size). */
export function negativeGcountFits(path: string): string {
  const bytes = readFileSync(join(FIXTURES, SMALL));
  const ext = header(bytes, header(bytes, 0).end);
  setCard(bytes, ext.cards.find((c) => c.key === 'GCOUNT') as Card, -1);
  writeFileSync(path, bytes);
  return path;
}

/** A named pipe (reading it blocks until a writer comes). */
export function fifo(path: string): string {
  const r = spawnSync('mkfifo', [path]);
  if (r.status !== 0) throw new Error(`mkfifo failed: ${r.stderr}`);
  return path;
}

/** The text of a file that is not FITS and must never be echoed. */
export const SECRET = 'root:$6$s3cr3t-hash-value:19000:0:99999:7:::';

export function secretFile(path: string): string {
  writeFileSync(path, `${SECRET}\n${'daemon:*:19000:0:99999:7:::\n'.repeat(60)}`);
  return path;
}

/** Copy a sample into `dir` under its own name, writable. */
export function copySample(name: string, dir: string, as = name): string {
  const target = join(dir, as);
  copyFileSync(join(FIXTURES, name), target);
  spawnSync('chmod', ['644', target]);
  return target;
}

/** The error a call rejects with, as code and message (fails the test if the call resolves). */
export async function failure(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await p;
  } catch (e) {
    return { code: (e as { code: string }).code, message: (e as Error).message };
  }
  throw new Error('expected the call to fail');
}
