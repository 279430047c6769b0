/**
 * Builds resources/stars/bright-stars.json, the bright-star list the demo survey draws from:
 * BSC5 stars (CDS V/50) north of −35° with V ≤ 7.5, named and typed from the SIMBAD snapshot
 * shipped with them. Run: npx tsx resources/scripts/build-bright-stars.ts [path/to/shared]
 */
import Papa from 'papaparse';
import { readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join, resolve } from 'node:path';

const sharedDir = resolve(process.argv[2] ?? join(import.meta.dirname, '../../../shared'));
const bscDir = join(sharedDir, 'data/catalogs/bsc5');
const outFile = join(import.meta.dirname, '../stars/bright-stars.json');

type Row = Record<string, string>;
const parse = (text: string): Row[] => Papa.parse<Row>(text, { header: true, skipEmptyLines: true }).data;

const bsc = parse(readFileSync(join(bscDir, 'bsc5.csv'), 'utf8'));
const simbad = new Map(
  parse(gunzipSync(readFileSync(join(bscDir, 'bsc5_simbad.csv.gz'))).toString('utf8')).map((r) => [r.HR, r]),
);

const stars = [];
for (const b of bsc) {
  const v = Number(b.Vmag);
  const dec = Number(b.DEdeg);
  if (!b.RAdeg || !Number.isFinite(v) || v > 7.5 || dec < -35) continue;
  const s = simbad.get(b.HR);
  const mainId = (s?.main_id ?? '').replace(/^\* /, '').replace(/^NAME /, '').trim();
  const h = Number(s?.H);
  stars.push({
    name: mainId || `HR ${b.HR}`,
    hr: Number(b.HR),
    hd: b.HD ? Number(b.HD) : null,
    hip: s?.HIP ? Number(s.HIP) : null,
    raDeg: Number(Number(b.RAdeg).toFixed(6)),
    decDeg: Number(dec.toFixed(6)),
    vmag: v,
    hmag: s?.H && Number.isFinite(h) ? h : null,
    spType: (s?.SpType || b.SpType || '').trim() || null,
    otype: s?.otype || null,
  });
}

writeFileSync(
  outFile,
  JSON.stringify({
    provenance:
      'Yale Bright Star Catalogue 5th ed. (Hoffleit & Warren 1991, CDS V/50; public) with a SIMBAD snapshot of 2023-09-29 ' +
      '(Wenger et al. 2000), from ../shared/data/catalogs/bsc5 (GitHub frostoven/BSC5P-JSON). Selection: Dec >= -35 deg, V <= 7.5.',
    count: stars.length,
    stars,
  }),
);
console.log(`wrote ${stars.length} stars to ${outFile}`);
