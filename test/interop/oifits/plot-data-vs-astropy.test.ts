/**
 * Plot data against values computed by numpy from astropy-read columns in the same test: the
 * spatial frequency of every V² point (√(u²+v²)/λ, Mλ) and of every closure phase (longest
 * baseline of the triangle / λ), the plotted values, and the flags, element by element.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildPlotData, readOifits } from '../../../shared/oifits';
import { findAstropyPython, runPython } from './astropy';

const FIXTURES = join(__dirname, '../../fixtures/oifits');
const python = findAstropyPython();
const FILES = [
  'OITOOLSjl__rho_Cas_example.oifits',
  'oimodeler__Aspro2_zet_Oph_CHARA_SPICA_0.60249-0.80749-42ch_S1-S2-E1-E2-W1-W2_2023-05-19.fits',
  'OITOOLSjl__MWC275_T4a.oifits',
];

const SCRIPT = String.raw`
import sys, json, warnings
import numpy as np
from astropy.io import fits
warnings.simplefilter('ignore')
out = {}
for path in sys.argv[1:]:
    with fits.open(path) as hl:
        waves = {h.header['INSNAME'].strip(): np.asarray(h.data['EFF_WAVE'], dtype=float) for h in hl if h.name == 'OI_WAVELENGTH'}
        points = []
        for kind in ('OI_VIS2', 'OI_T3'):
            for h in hl:
                if h.name != kind:
                    continue
                lam = waves[h.header['INSNAME'].strip()]
                d = h.data
                if kind == 'OI_VIS2':
                    b = np.hypot(d['UCOORD'], d['VCOORD'])
                    y = d['VIS2DATA']
                else:
                    ab = np.hypot(d['U1COORD'], d['V1COORD'])
                    bc = np.hypot(d['U2COORD'], d['V2COORD'])
                    ca = np.hypot(d['U1COORD'] + d['U2COORD'], d['V1COORD'] + d['V2COORD'])
                    b = np.maximum(np.maximum(ab, bc), ca)
                    y = d['T3PHI']
                sf = b[:, None] / lam[None, :] / 1e6
                points.append({'sf': np.where(np.isfinite(sf), sf, -1).ravel().tolist(), 'y': np.where(np.isfinite(y), y, -999).ravel().tolist(), 'flag': np.asarray(d['FLAG']).ravel().astype(int).tolist()})
        out[path.split('/')[-1]] = points
print(json.dumps(out))
`;

describe.skipIf(!python)(`plot data against numpy/astropy${python ? '' : ' (SKIPPED: python3-astropy not installed)'}`, () => {
  const reference = python
    ? (JSON.parse(runPython(python, SCRIPT, FILES.map((f) => join(FIXTURES, f)))) as Record<string, { sf: number[]; y: number[]; flag: number[] }[]>)
    : {};

  for (const name of FILES) {
    it(name, () => {
      const plot = buildPlotData(readOifits(new Uint8Array(readFileSync(join(FIXTURES, name)))));
      const ours = { sf: [] as number[], y: [] as number[], flag: [] as number[] };
      for (const s of plot.series) {
        for (let j = 0; j < s.sfMl.length; j++) {
          ours.sf.push(s.sfMl[j] ?? -1);
          ours.y.push(s.y[j] ?? -999);
          ours.flag.push(s.flagged[j] ? 1 : 0);
        }
      }
      const theirs = { sf: reference[name].flatMap((p) => p.sf), y: reference[name].flatMap((p) => p.y), flag: reference[name].flatMap((p) => p.flag) };
      expect(ours.sf.length).toBe(theirs.sf.length);
      expect(ours.flag).toEqual(theirs.flag);
      for (let i = 0; i < ours.sf.length; i++) {
        expect(Math.abs(ours.sf[i] - theirs.sf[i]), `sf ${i}`).toBeLessThan(1e-9 * Math.max(1, Math.abs(theirs.sf[i])));
        expect(Math.abs(ours.y[i] - theirs.y[i]), `y ${i}`).toBeLessThan(1e-12 * Math.max(1, Math.abs(theirs.y[i])));
      }
      const uvPoints = plot.uv.reduce((n, t) => n + t.uMl.length, 0);
      expect(uvPoints).toBe(plot.series.filter((s) => s.kind !== 't3phi').reduce((n, s) => n + s.sfMl.length, 0));
    });
  }
});
