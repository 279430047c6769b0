/**
 * npm run bench:oifits — reading the 27 shared OIFITS files (6.6 MB), ours against astropy
 * measured in the same run: both read every HDU and decode every column of every binary table
 * (files already in the OS cache; interpreter start-up excluded from astropy's figure). Goal
 * (issue #7): ours ≥ 3× faster. Unless BENCH_UI=0 (and when out/renderer exists), also the first
 * plot of the Review screen in Debian Chromium for five test files, cold and warm, this build
 * against the previous one (main 53977c5) in the same run (oifits-ui.ts; goals ≤ 1.5 s cold,
 * ≤ 500 ms warm).
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { BinTable, FitsError, readOifits, summariseOifits, buildPlotData } from '../../shared/oifits';
import { findAstropyPython } from '../interop/oifits/astropy';

const ROOT = resolve(import.meta.dirname, '../..');
const DATA = join(ROOT, 'test', 'fixtures', 'oifits');
const RUNS = 15;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const names = readdirSync(DATA).filter((f) => /\.(fits|oifits)$/.test(f)).sort();
const paths = names.map((f) => join(DATA, f));
const totalBytes = paths.reduce((n, p) => n + readFileSync(p).length, 0);
console.log(`${names.length} files, ${(totalBytes / 1e6).toFixed(2)} MB (test/fixtures/oifits = ../shared/data/oifits)`);

function readAllOurs(): number {
  let cells = 0;
  for (const p of paths) {
    const bytes = new Uint8Array(readFileSync(p));
    try {
      const file = readOifits(bytes);
      for (const hdu of file.fits.hdus) {
        if (hdu.index === 0 || hdu.xtension !== 'BINTABLE') continue;
        const table = new BinTable(hdu, bytes);
        table.readAll();
        cells += table.rows * table.columns.length;
      }
    } catch (e) {
      if (!(e instanceof FitsError)) throw e;
    }
  }
  return cells;
}

function inspectAllOurs(): void {
  for (const p of paths) {
    try {
      const file = readOifits(new Uint8Array(readFileSync(p)));
      summariseOifits(file);
      buildPlotData(file);
    } catch (e) {
      if (!(e instanceof FitsError)) throw e;
    }
  }
}

readAllOurs();
const ours: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const t0 = performance.now();
  readAllOurs();
  ours.push(performance.now() - t0);
}
const inspect: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const t0 = performance.now();
  inspectAllOurs();
  inspect.push(performance.now() - t0);
}
const oursMs = median(ours);
console.log(`ours    read all HDUs + decode every column      ${oursMs.toFixed(1).padStart(8)} ms (median of ${RUNS})`);
console.log(`ours    full inspect (validate + plot data)      ${median(inspect).toFixed(1).padStart(8)} ms (median of ${RUNS})`);

const ASTROPY = String.raw`
import sys, time, warnings
from astropy.io import fits
warnings.simplefilter('ignore')
paths = sys.argv[2:]
runs = int(sys.argv[1])
def read_all():
    for p in paths:
        try:
            with fits.open(p, memmap=False) as hl:
                for h in hl:
                    d = h.data
                    if isinstance(h, fits.BinTableHDU) and d is not None:
                        for name in d.columns.names:
                            d[name]
        except OSError:
            pass
read_all()
times = []
for _ in range(runs):
    t0 = time.perf_counter()
    read_all()
    times.append((time.perf_counter() - t0) * 1000)
times.sort()
print(times[len(times) // 2])
`;

const python = findAstropyPython();
if (!python) {
  console.log('astropy: SKIPPED, python3 with astropy not found (apt install python3-astropy)');
} else {
  const version = spawnSync(python, ['-c', 'import astropy; print(astropy.__version__)'], { encoding: 'utf8' }).stdout.trim();
  const r = spawnSync(python, ['-c', ASTROPY, String(RUNS), ...paths], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`astropy run failed: ${r.stderr}`);
  const astropyMs = Number(r.stdout.trim());
  console.log(`astropy ${version.padEnd(6)} read all HDUs + every column   ${astropyMs.toFixed(1).padStart(8)} ms (median of ${RUNS})`);
  console.log(`ratio   astropy / ours = ${(astropyMs / oursMs).toFixed(1)}× faster   (goal ≥ 3×)`);
}

if (process.env.BENCH_UI !== '0') {
  const { benchFirstPlot } = await import('./oifits-ui');
  await benchFirstPlot();
}
