/**
 * Every cell of every binary table of the 26 readable shared files, compared with astropy run in
 * the same test: per column the sum of finite values, the count of non-finite values, and for
 * strings and logicals the values themselves.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BinTable, readFitsStructure } from '../../../shared/oifits';
import { findAstropyPython, runPython } from './astropy';

const FIXTURES = join(__dirname, '../../fixtures/oifits');
const python = findAstropyPython();
const files = readdirSync(FIXTURES).filter((f) => /\.(fits|oifits)$/.test(f) && !f.includes('TRUNC'));

const SCRIPT = String.raw`
import sys, json, warnings
import numpy as np
from astropy.io import fits
warnings.simplefilter('ignore')
out = {}
for path in sys.argv[1:]:
    hdus = []
    with fits.open(path) as hl:
        for i, h in enumerate(hl):
            if i == 0 or not isinstance(h, fits.BinTableHDU):
                continue
            cols = {}
            for c in h.columns:
                v = h.data[c.name]
                if v.dtype.kind in 'SU':
                    cols[c.name.upper()] = {'strings': [s.rstrip() for s in v.tolist()]}
                elif v.dtype.kind == 'b':
                    cols[c.name.upper()] = {'trueCount': int(np.count_nonzero(v))}
                elif v.dtype.kind == 'c':
                    a = np.asarray(v, dtype=np.complex128)
                    cols[c.name.upper()] = {'sum': float(np.nansum(a.real) + np.nansum(a.imag)), 'nonFinite': int((~np.isfinite(a.real)).sum() + (~np.isfinite(a.imag)).sum())}
                else:
                    a = np.asarray(v, dtype=np.float64)
                    fin = np.isfinite(a)
                    cols[c.name.upper()] = {'sum': float(a[fin].sum()), 'nonFinite': int((~fin).sum())}
            hdus.append({'index': i, 'extname': h.name, 'rows': int(h.data.shape[0]) if h.data is not None else 0, 'cols': cols})
    out[path.split('/')[-1]] = hdus
print(json.dumps(out))
`;

interface AstropyColumn {
  strings?: string[];
  trueCount?: number;
  sum?: number;
  nonFinite?: number;
}

const SUITE = python ? 'reader against astropy, cell by cell' : 'reader against astropy: SKIPPED, python3 with astropy not found (apt install python3-astropy)';

describe.skipIf(!python)(SUITE, () => {
  const reference = python
    ? (JSON.parse(runPython(python, SCRIPT, files.map((f) => join(FIXTURES, f)))) as Record<
        string,
        { index: number; extname: string; rows: number; cols: Record<string, AstropyColumn> }[]
      >)
    : {};

  for (const name of files) {
    it(name, () => {
      const fits = readFitsStructure(new Uint8Array(readFileSync(join(FIXTURES, name))));
      const ours = fits.hdus.filter((h) => h.index > 0 && h.xtension === 'BINTABLE');
      const theirs = reference[name];
      expect(ours.map((h) => [h.index, h.extname])).toEqual(theirs.map((h) => [h.index, h.extname]));
      let cells = 0;
      for (const [k, hdu] of ours.entries()) {
        const table = new BinTable(hdu, fits.bytes);
        expect(table.rows).toBe(theirs[k].rows);
        for (const [colName, ref] of Object.entries(theirs[k].cols)) {
          const values = table.read(colName);
          const label = `${name} HDU ${hdu.index} ${colName}`;
          if (ref.strings) {
            expect(values.kind, label).toBe('string');
            expect(values.values, label).toEqual(ref.strings);
            cells += ref.strings.length;
          } else if (ref.trueCount !== undefined) {
            expect(values.kind, label).toBe('logical');
            let count = 0;
            for (const v of values.values as Uint8Array) if (v === 1) count++;
            expect(count, label).toBe(ref.trueCount);
            cells += values.values.length;
          } else {
            let sum = 0;
            let nonFinite = 0;
            for (const v of values.values as Iterable<number>) {
              if (Number.isFinite(v)) sum += v;
              else nonFinite++;
            }
            expect(nonFinite, label).toBe(ref.nonFinite);
            const scale = Math.max(1, Math.abs(ref.sum ?? 0));
            expect(Math.abs(sum - (ref.sum ?? 0)) / scale, label).toBeLessThan(1e-9);
            cells += values.values.length;
          }
        }
      }
      expect(cells).toBeGreaterThan(0);
    });
  }
});
