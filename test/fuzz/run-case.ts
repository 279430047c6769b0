/**
 * One fuzz case: rebuild the mutated input from its base file and seed, run it through what the
 * app runs on such a file, and classify the outcome. An input error is the reader's own error
 * type naming where (FITS: "HDU n at byte m"; VOTable: the import error); anything else thrown is
 * an internal error. Hangs and memory blow-ups are caught by the harness around this.
 */
import { readFileSync } from 'node:fs';
import {
  buildPlotData,
  editPrimaryHeader,
  FitsError,
  qualityHeaderEdit,
  readFitsStructure,
  readOifits,
  readOiTargetTable,
  readQuality,
  summariseOifits,
  verifyChecksums,
} from '../../shared/oifits';
import { ImportError, parseImport } from '../../shared/survey/import-rows';
import { mutateFits } from './mutate-fits';
import { mutateVoTable } from './mutate-votable';
import { rng } from './rng';

/** A replayable case: the base file and the seed of its mutation. */
export interface FuzzCase {
  id: string;
  suite: 'oifits' | 'votable';
  file: string;
  seed: number;
}

export type OutcomeKind = 'ok' | 'input-error' | 'internal-error' | 'memory';

/** What one case did. */
export interface CaseOutcome {
  kind: OutcomeKind;
  /** The mutation applied. */
  what: string;
  /** Error name and first line, for errors. */
  message?: string;
  /** VOTable input errors: whether the message names a line, row, column or table. */
  hasLocation?: boolean;
}

const bases = new Map<string, Uint8Array>();
function base(path: string): Uint8Array {
  let b = bases.get(path);
  if (!b) {
    b = new Uint8Array(readFileSync(path));
    bases.set(path, b);
  }
  return b;
}

/** Results cross IPC and HTTP as JSON: a non-finite number or undefined in an array is a bug. */
function assertJson(value: unknown, path: string): void {
  if (typeof value === 'number' && !Number.isFinite(value)) throw new TypeError(`result not JSON-safe: ${path} is ${value}`);
  if (Array.isArray(value)) value.forEach((v, i) => {
    if (v === undefined) throw new TypeError(`result not JSON-safe: ${path}[${i}] is undefined`);
    assertJson(v, `${path}[${i}]`);
  });
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) assertJson(v, `${path}.${k}`);
}

/** What the app does with an OIFITS file: review.open, the queue's facts, a verdict write in memory. */
function oifitsPipeline(bytes: Uint8Array): void {
  const file = readOifits(bytes);
  const summary = summariseOifits(file);
  const plot = buildPlotData(file);
  assertJson({ summary, plot }, 'result');
  const fits = readFitsStructure(bytes);
  readOiTargetTable(fits);
  readQuality(fits.hdus[0].header);
  const edited = editPrimaryHeader(bytes, qualityHeaderEdit({ level: 3, comment: 'fuzz', reviewer: 'fuzz', reviewedAtMs: 1_800_000_000_000 }));
  verifyChecksums(readFitsStructure(edited));
}

const LOCATION = /\b(line|row|column|TABLE #|cell)\b/i;

function classify(e: unknown, suite: FuzzCase['suite']): Omit<CaseOutcome, 'what'> {
  const message = e instanceof Error ? `${e.name}: ${e.message.split('\n')[0].slice(0, 300)}` : String(e);
  if (e instanceof RangeError && /allocation failed|Array buffer/i.test(e.message)) return { kind: 'memory', message };
  if (suite === 'oifits') {
    if (e instanceof FitsError && /^HDU \d+ at byte \d+: ./.test(e.message)) return { kind: 'input-error', message };
    return { kind: 'internal-error', message };
  }
  if (e instanceof ImportError) return { kind: 'input-error', message, hasLocation: LOCATION.test(e.message) };
  return { kind: 'internal-error', message };
}

/** Run one case in this thread. */
export function runCase(c: FuzzCase): CaseOutcome {
  const r = rng(c.seed);
  if (c.suite === 'oifits') {
    const { bytes, what } = mutateFits(base(c.file), r);
    try {
      oifitsPipeline(bytes);
      return { kind: 'ok', what };
    } catch (e) {
      return { what, ...classify(e, c.suite) };
    }
  }
  const { text, what } = mutateVoTable(new TextDecoder().decode(base(c.file)), r);
  try {
    parseImport('fuzz.vot', text);
    return { kind: 'ok', what };
  } catch (e) {
    return { what, ...classify(e, c.suite) };
  }
}
