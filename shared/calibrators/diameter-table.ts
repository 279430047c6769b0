/**
 * Diameters for a list of stars given as CSV (the `companion diameter` command): each row becomes a
 * catalogue star and goes through the same tiers as a proposal (A when LDD and e_LDD are given,
 * B with V J H K and a spectral type, C with V and B−V), with θ_UD at each SPICA wavelength. A star
 * no relation applies to (colours against the type, domains) gets the reasons instead of a number.
 */
import Papa from 'papaparse';
import type { JsdcRow } from './backbone-types';
import { cellNumber, emptyJsdcRow, hdFromName } from './import/jsdc-row';
import { parseSpectralType } from './spectral-type';
import { assessDiameter, udAt } from './star-diameter';
import type { CalStar } from './star';
import type { DiameterTier } from './types';

/** One star's result. */
export interface DiameterRow {
  name: string;
  tier: DiameterTier | null;
  lddMas: number | null;
  eLddMas: number | null;
  chi2: number | null;
  source: string;
  /** θ_UD per wavelength; its error is e_LDD (JSDC convention). */
  udd: Array<{ lambdaUm: number; udMas: number; eUdMas: number }>;
  notes: string[];
  error: string | null;
}

/**
 * Read a CSV with a header: name, sptype, v (or vmag), e_v, bv (or b-v), j, e_j, h, e_h, k, e_k,
 * and optionally ldd, e_ldd (columns matched case-insensitively). Throws naming a missing column.
 */
export function diametersFromCsv(text: string, source: string, lambdasUm: number[]): DiameterRow[] {
  const parsed = Papa.parse<Record<string, string>>(text.replace(/^#.*$/gm, '').trim(), {
    header: true,
    skipEmptyLines: true,
    transformHeader: (h) => h.trim().toLowerCase().replace(/mag$/, ''),
  });
  const fields = parsed.meta.fields ?? [];
  if (!fields.includes('name')) throw new Error(`${source}: no "name" column (found: ${fields.join(', ')})`);
  if (!fields.includes('v')) throw new Error(`${source}: no "v" (or "vmag") column (found: ${fields.join(', ')})`);
  return parsed.data.map((r, k) => {
    const name = (r.name ?? '').trim() || `${source} row ${k + 1}`;
    const n = (c: string) => cellNumber(r[c]);
    const spType = (r.sptype ?? r.sp_type ?? r.sp ?? '').trim();
    const star: CalStar = {
      key: name, name, hip: null, comp: '', hd: hdFromName(name), hr: null, raDeg: 0, decDeg: 0, pmRaMasYr: null, pmDecMasYr: null, plxMas: null,
      vmag: n('v'), eVmag: n('e_v'), bv: n('bv') ?? n('b-v') ?? n('b_v'), jmag: n('j'), eJmag: n('e_j'), hmag: n('h'), eHmag: n('e_h'),
      kmag: n('k'), eKmag: n('e_k'), spType, spTypeHip: '', spTypeBsc: '', otype: '', gcvsType: '', wdsSepArcsec: null,
      bscMultiple: '', bscSb: '', bscSepArcsec: null, bscDmag: null, vsiniKms: null, jsdc: null, primary: null, jmdc: [],
    };
    const ldd = n('ldd');
    const eLdd = n('e_ldd');
    if (ldd !== null && eLdd !== null) {
      const row: JsdcRow = emptyJsdcRow(name, 0, 0, source);
      row.lddMas = ldd;
      row.eLddMas = eLdd;
      star.jsdc = row;
    }
    try {
      const a = assessDiameter(star, parseSpectralType(spType));
      const d = a.diameter;
      if (!d) {
        const why = a.refused.length ? a.refused.join('; ') : 'no usable photometry (need V with B−V, or V J H K with a spectral type)';
        return { name, tier: null, lddMas: null, eLddMas: null, chi2: null, source: '', udd: [], notes: a.rejected.map((r) => `${r.band === 'B' ? 'B−V' : r.band} dropped: ${r.reason}`), error: `no diameter: ${why}` };
      }
      return {
        name, tier: d.tier, lddMas: d.lddMas, eLddMas: d.eLddMas, chi2: d.chi2, source: d.source,
        udd: lambdasUm.map((lambdaUm) => ({ lambdaUm, udMas: udAt(d, lambdaUm), eUdMas: d.eLddMas })),
        notes: d.notes, error: null,
      };
    } catch (e) {
      return { name, tier: null, lddMas: null, eLddMas: null, chi2: null, source: '', udd: [], notes: [], error: (e as Error).message };
    }
  });
}
