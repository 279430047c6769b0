/** Export round trip: a real proposal written as VOTable reads back through our VOTable reader, and as CSV through papaparse. */
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { CalibratorCatalogue } from '../../../shared/calibrators/catalogue';
import { CalibratorEngine } from '../../../shared/calibrators/engine';
import { proposalToCsv, proposalToVoTable } from '../../../shared/calibrators/export';
import { parseVoTable } from '../../../shared/calibrators/import/votable-table';
import type { CalibratorProposal } from '../../../shared/calibrators/types';
import { backbone } from './helpers';

describe('export', () => {
  const engine = new CalibratorEngine(new CalibratorCatalogue(backbone()));
  const r = engine.propose({ name: 'Pleiades & co <test>', raDeg: 56.87, decDeg: 24.1, vmag: 5 });
  const proposal = {
    target: { name: 'Pleiades & co <test>', raDeg: 56.87, decDeg: 24.1, vmag: 5, rmag: r.targetRmag, targetId: null },
    night: null, stations: null, baselineM: r.baselineM, lambdasUm: r.lambdasUm, windowMjd: null,
    candidates: r.candidates, rejected: r.rejected, candidatesTotal: r.candidatesTotal, rejectedTotal: r.rejectedTotal,
    preset: r.preset, refusal: r.refusal, vetoLambdaUm: r.vetoLambdaUm,
    provenance: { engineVersion: 'test', policyVersion: 'p', backboneBuiltAt: '', sources: [], imports: [], baselineSource: 'default', searchedRadiusDeg: r.radiusDeg, consideredCount: r.considered },
  } satisfies CalibratorProposal;

  it('writes a VOTable that parses back with the same candidates', () => {
    const t = parseVoTable(proposalToVoTable(proposal), 'export.vot');
    expect(t.params.target).toBe('Pleiades & co <test>');
    expect(t.rows).toHaveLength(r.candidates.length);
    const name = t.fields.indexOf('name');
    const udd = t.fields.indexOf('udd_mas');
    expect(t.rows.map((row) => row[name])).toEqual(r.candidates.map((c) => c.name));
    expect(t.rows.map((row) => Number(row[udd]))).toEqual(r.candidates.map((c) => c.udMas));
  });

  it('writes a CSV with one row per candidate', () => {
    const csv = proposalToCsv(proposal).split('\n').filter((l) => !l.startsWith('#')).join('\n');
    const rows = Papa.parse<Record<string, string>>(csv, { header: true, skipEmptyLines: true }).data;
    expect(rows.map((x) => x.name)).toEqual(r.candidates.map((c) => c.name));
    expect(rows.map((x) => x.tier)).toEqual(r.candidates.map((c) => c.tier));
  });
});
