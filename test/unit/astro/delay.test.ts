/**
 * CHARA delay lines and PoPs against published cases:
 * - CHARA's ASPRO2 tutorial: HD 30652, S2-E2-W2, PoPs S2=2 E2=1 W2=5, UT 2017-12-01: in delay
 *   05:35–11:31 UT (chara.gsu.edu/tutorials/timing-information, quoted in aspro2-chara.md §2.3);
 * - OITOOLS.jl (Vega from CHARA, 2026-06-21, sunset→sunrise at 1 min): 6T all PoP1 → 0 min,
 *   S1 S2 E1 E2 all PoP1 → 119 min, best_pop → 1,3,3,4. OITOOLS uses its own air paths and PoP
 *   table (no LIGHT term), so that case runs our geometry with OITOOLS's constants.
 */
import { describe, expect, it } from 'vitest';
import { baselinePairs } from '../../../shared/astro/baselines';
import { baselineMarginM, delayModel, searchBestPops, stationDelaysM, type DelayModel } from '../../../shared/astro/delay';
import { apparentRaDecRad } from '../../../shared/astro/frame';
import { nightSky } from '../../../shared/astro/night';
import { computeNightObservability, defaultObservabilityOptions } from '../../../shared/astro/observability';
import { CHARA_SITE } from '../../../shared/astro/site';
import { mjdFromIso } from '../../../shared/astro/time';
import { Why, type StationName } from '../../../shared/astro/types';
import { readJson } from './fixtures';

const skyOnly = { twilightDeg: 90, minElevationDeg: -90, useHorizons: false, maxElevationDeg: 90, minMoonSepDeg: 0 };

function delayRuns(night: string, raDeg: number, decDeg: number, stations: StationName[], pops: string, stepMin = 1) {
  const r = computeNightObservability([{ raDeg, decDeg }], defaultObservabilityOptions(night, { ...skyOnly, stations, pops, stepMin }));
  const t = r.targets[0];
  const runs: Array<[number, number]> = [];
  let start = -1;
  let minutes = 0;
  for (let k = 0; k <= t.why.length; k++) {
    const ok = k < t.why.length && (t.why[k] & Why.delayLine) === 0;
    if (ok) minutes += stepMin;
    if (ok && start < 0) start = k;
    if (!ok && start >= 0) {
      runs.push([r.grid.timesMjd[start], r.grid.timesMjd[k - 1]]);
      start = -1;
    }
  }
  return { runs, minutes, pops: t.pops };
}

describe('HD 30652 (CHARA ASPRO2 tutorial)', () => {
  it('is in delay 05:35–11:31 UT with S2(2) E2(1) W2(5), within 10 minutes', () => {
    // UT 2017-12-01 05:35 is the evening of 2017-11-30 at CHARA.
    const { runs } = delayRuns('2017-11-30', 72.460042, 6.961278, ['S2', 'E2', 'W2'], '215');
    expect(runs).toHaveLength(1);
    const [start, end] = runs[0];
    expect(Math.abs(start - mjdFromIso('2017-12-01T05:35:00')) * 1440).toBeLessThanOrEqual(10);
    expect(Math.abs(end - mjdFromIso('2017-12-01T11:31:00')) * 1440).toBeLessThanOrEqual(10);
    // The window length (5 h 56 min in the tutorial) is reproduced more tightly than its position.
    expect(Math.abs((end - start) * 1440 - 356)).toBeLessThanOrEqual(4);
  });

  it('is never fully in delay with every station on PoP1', () => {
    const { minutes } = delayRuns('2017-11-30', 72.460042, 6.961278, ['S2', 'E2', 'W2'], '111', 5);
    expect(minutes).toBeLessThan(12 * 60);
  });
});

interface OitoolsConstants {
  stations: StationName[];
  airpathM: number[];
  popM: number[][];
  cartSpanM: number;
  published: { minutesInDelay: Record<string, number>; bestPops: string };
}

describe('Vega 2026-06-21 (OITOOLS.jl figures)', () => {
  const vega = { raDeg: 279.234735, decDeg: 38.783689 };
  const oitools = readJson<OitoolsConstants>('oitools_chara_delay_constants.json');
  const sky = nightSky('2026-06-21', CHARA_SITE, { stepMin: 1 });
  const place = new Float64Array(2);
  apparentRaDecRad(sky.frame, vega.raDeg, vega.decDeg, place);
  const n = sky.grid.timesMjd.length;

  /** Our delay model with OITOOLS's constants (air path only, ±2×cart span per baseline). */
  function oitoolsModel(stations: StationName[]): DelayModel {
    const m = delayModel(stations);
    const idx = stations.map((s) => oitools.stations.indexOf(s));
    m.internalM = idx.map((i) => oitools.airpathM[i]);
    m.popM = idx.map((i) => oitools.popM[i]);
    m.throwM = idx.map(() => 2 * oitools.cartSpanM);
    m.allowedPops = idx.map(() => [1, 2, 3, 4, 5]);
    return m;
  }

  function minutesInDelay(model: DelayModel, pops: number[]): number {
    const d = new Float64Array(model.stations.length);
    const pairs = baselinePairs(model.stations);
    let minutes = 0;
    for (let k = 0; k < n; k++) {
      const ha = (sky.grid.lstH[k] * 15 * Math.PI) / 180 - place[0];
      stationDelaysM(model, Math.cos(ha), Math.sin(ha), Math.cos(place[1]), Math.sin(place[1]), d);
      if (pairs.every(([i, j]) => baselineMarginM(model, pops, d, i, j) >= 0)) minutes++;
    }
    return minutes;
  }

  it('spans sunset to sunrise (≈ 9.6 h on the solstice)', () => {
    expect(n).toBeGreaterThan(560);
    expect(n).toBeLessThan(590);
  });

  it('6T with every PoP on 1 is never in delay (OITOOLS: 0 min), with both constant sets', () => {
    const six: StationName[] = ['S1', 'S2', 'E1', 'E2', 'W1', 'W2'];
    expect(minutesInDelay(oitoolsModel(six), [1, 1, 1, 1, 1, 1])).toBe(0);
    expect(delayRuns('2026-06-21', vega.raDeg, vega.decDeg, six, '111111').minutes).toBe(0);
  });

  it('S1 S2 E1 E2 on PoP1 is in delay 119 min (OITOOLS), ±3 min', () => {
    const minutes = minutesInDelay(oitoolsModel(['S1', 'S2', 'E1', 'E2']), [1, 1, 1, 1]);
    expect(Math.abs(minutes - oitools.published.minutesInDelay['S1 S2 E1 E2 pops 1111'])).toBeLessThanOrEqual(3);
  });

  it('the best-PoP search picks OITOOLS best_pop 1,3,3,4 for S1 S2 E1 E2', () => {
    const model = oitoolsModel(['S1', 'S2', 'E1', 'E2']);
    const sampleIndex = Int32Array.from({ length: n }, (_, k) => k);
    const weights = new Float64Array(n).fill(1);
    const base = new Float64Array(4 * n);
    const d = new Float64Array(4);
    for (let k = 0; k < n; k++) {
      const ha = (sky.grid.lstH[k] * 15 * Math.PI) / 180 - place[0];
      stationDelaysM(model, Math.cos(ha), Math.sin(ha), Math.cos(place[1]), Math.sin(place[1]), d);
      for (let i = 0; i < 4; i++) base[i * n + k] = model.internalM[i] - d[i];
    }
    const choice = searchBestPops(model, base, sampleIndex, weights);
    expect(choice.pops.join('')).toBe(oitools.published.bestPops);
    expect(choice.score).toBe(minutesInDelay(model, choice.pops));
  });
});

describe('best-PoP search', () => {
  it('finds the same optimum as brute force over all 5^4 combinations (ASPRO2 constants, W2 on PoP5)', () => {
    const stations: StationName[] = ['S1', 'E1', 'W1', 'W2'];
    const model = delayModel(stations);
    expect(model.allowedPops[3]).toEqual([5]);
    for (const decDeg of [-10, 20, 45, 70]) {
      const m = 80;
      const sampleIndex = Int32Array.from({ length: m }, (_, s) => s);
      const weights = Float64Array.from({ length: m }, (_, s) => Math.exp(-(((s - 40) / 24) ** 2) / 2));
      const base = new Float64Array(4 * m);
      const haRad = (s: number) => ((s - 40) / 8) * (Math.PI / 12);
      const d = new Float64Array(4);
      for (let s = 0; s < m; s++) {
        stationDelaysM(model, Math.cos(haRad(s)), Math.sin(haRad(s)), Math.cos((decDeg * Math.PI) / 180), Math.sin((decDeg * Math.PI) / 180), d);
        for (let i = 0; i < 4; i++) base[i * m + s] = model.internalM[i] - d[i];
      }
      let bruteBest = 0;
      const pairs = baselinePairs(stations);
      for (let a = 1; a <= 5; a++) for (let b = 1; b <= 5; b++) for (let c = 1; c <= 5; c++) {
        const pops = [a, b, c, 5];
        let run = 0;
        for (let s = 0; s < m; s++) {
          stationDelaysM(model, Math.cos(haRad(s)), Math.sin(haRad(s)), Math.cos((decDeg * Math.PI) / 180), Math.sin((decDeg * Math.PI) / 180), d);
          const ok = pairs.every(([i, j]) => baselineMarginM(model, pops, d, i, j) >= 0);
          run = ok ? run + weights[s] : 0;
          bruteBest = Math.max(bruteBest, run);
        }
      }
      const choice = searchBestPops(model, base, sampleIndex, weights);
      expect(choice.score).toBeCloseTo(bruteBest, 9);
      expect(choice.pops[3]).toBe(5);
    }
  });

  it('auto PoPs make Vega observable with S1 S2 E1 E2 far longer than PoP1 does', () => {
    const auto = delayRuns('2026-06-21', 279.234735, 38.783689, ['S1', 'S2', 'E1', 'E2'], 'auto');
    const pop1 = delayRuns('2026-06-21', 279.234735, 38.783689, ['S1', 'S2', 'E1', 'E2'], '1111');
    expect(auto.minutes).toBeGreaterThan(pop1.minutes + 60);
  });
});
