/** The survey engine end to end: flags, reasons, horizons, elevation cap, input errors. */
import { AstroTime, Body, Equator, Observer } from 'astronomy-engine';
import { describe, expect, it } from 'vitest';
import { targetNight } from '../../../shared/astro/detail';
import { computeNightObservability, defaultObservabilityOptions } from '../../../shared/astro/observability';
import { nightEvents } from '../../../shared/astro/night';
import { CHARA_SITE } from '../../../shared/astro/site';
import { isoFromMjd } from '../../../shared/astro/time';
import { Why } from '../../../shared/astro/types';
import { explainSample } from '../../../shared/astro/why';
import { readCsv } from './fixtures';

describe('night events', () => {
  it('gives the astroplan benchmark night: astronomical twilight 04:25:37 → 11:11:19 UTC (±1 min)', () => {
    // Times from scheduling.md §5 (astroplan, site of the benchmark; CHARA S1 is 30 m away).
    const e = nightEvents('2024-05-15', { latDeg: 34.2247, lonDeg: -118.057, heightM: 1742 });
    const near = (mjd: number, iso: string) => Math.abs(Date.parse(isoFromMjd(mjd)) - Date.parse(iso)) / 60000;
    expect(near(e.astroDuskMjd, '2024-05-16T04:25:37Z')).toBeLessThan(1);
    expect(near(e.astroDawnMjd, '2024-05-16T11:11:19Z')).toBeLessThan(1);
    // astroplan's sunset/sunrise put the Sun's centre at 0° without refraction; ours are the
    // almanac events (upper limb, standard refraction: centre at −0.833°), ~4 min later/earlier.
    const lagMin = (Date.parse(isoFromMjd(e.sunsetMjd)) - Date.parse('2024-05-16T02:43:24Z')) / 60000;
    const leadMin = (Date.parse('2024-05-16T12:53:32Z') - Date.parse(isoFromMjd(e.sunriseMjd))) / 60000;
    expect(lagMin).toBeGreaterThan(3);
    expect(lagMin).toBeLessThan(5);
    expect(leadMin).toBeGreaterThan(3);
    expect(leadMin).toBeLessThan(5);
  });
});

describe('computeNightObservability', () => {
  const night = '2026-06-21';

  it('caps Vega at 85° around transit and names the limit', () => {
    const r = computeNightObservability([{ name: 'Vega', raDeg: 279.234735, decDeg: 38.783689 }], defaultObservabilityOptions(night, { useDelayLines: false }));
    const t = r.targets[0];
    const capped = [...t.why].map((w, k) => [w, k]).filter(([w]) => w & Why.maxElevation);
    expect(capped.length).toBeGreaterThan(0);
    const k = capped[0][1];
    expect(t.altDeg[k]).toBeGreaterThan(85);
    expect(explainSample(t, k, { grid: r.grid, options: r.options }).join('; ')).toMatch(/elevation 85\.\d° > telescope limit 85°/);
  });

  it('names the telescope whose horizon blocks a low north-western target', () => {
    // S2's horizon is 40–49° from az 292° to 332° (CHARA.xml, 2022 survey).
    const r = computeNightObservability(
      [{ raDeg: 150, decDeg: 40 }],
      defaultObservabilityOptions(night, { useDelayLines: false, minElevationDeg: 20, stations: ['S1', 'S2', 'E2'] }),
    );
    const t = r.targets[0];
    let found = '';
    for (let k = 0; k < t.why.length && !found; k++) {
      if (t.horizonStations[k] & 0b010 && t.azDeg[k] > 292 && t.azDeg[k] < 332) {
        found = explainSample(t, k, { grid: r.grid, options: r.options }).find((s) => s.startsWith('S2')) ?? '';
      }
    }
    expect(found).toMatch(/^S2 below horizon \(az \d{3}°, alt \d+\.\d° < 4\d\.\d°\)$/);
  });

  it('names the out-of-reach baseline when delay lines close the night', () => {
    const r = computeNightObservability(
      [{ raDeg: 279.234735, decDeg: 38.783689 }],
      defaultObservabilityOptions(night, { stations: ['S1', 'S2', 'E1', 'E2', 'W1', 'W2'], pops: '111111' }),
    );
    const t = r.targets[0];
    const k = t.why.findIndex((w) => (w & Why.delayLine) !== 0 && (w & ~Why.delayLine) === 0);
    expect(k).toBeGreaterThanOrEqual(0);
    const reasons = explainSample(t, k, { grid: r.grid, options: r.options });
    expect(reasons.length).toBeGreaterThan(0);
    for (const reason of reasons) expect(reason).toMatch(/^delay line (S1|S2|E1|E2|W1|W2)-(S1|S2|E1|E2|W1|W2) out of reach \(PoPs 111111\)$/);
    expect(t.intervals).toHaveLength(0);
  });

  it('keeps W2 on PoP5 and reports intervals inside the dark time when choosing PoPs itself', () => {
    const r = computeNightObservability([{ raDeg: 279.234735, decDeg: 38.783689 }], defaultObservabilityOptions(night));
    const t = r.targets[0];
    expect(t.pops).toMatch(/^[1-5]{5}5$/);
    expect(t.intervals.length).toBeGreaterThan(0);
    for (const i of t.intervals) {
      expect(i.startMjd).toBeGreaterThanOrEqual(r.grid.nauticalDuskMjd - 5 / 1440);
      expect(i.endMjd).toBeLessThanOrEqual(r.grid.nauticalDawnMjd + 5 / 1440);
    }
  });

  it('handles the 1000-target benchmark survey in one call with 6T best PoPs', () => {
    const targets = readCsv('targets.csv').map((row) => ({ raDeg: +row.ra_deg, decDeg: +row.dec_deg }));
    const r = computeNightObservability(targets, defaultObservabilityOptions('2024-05-15'));
    expect(r.targets).toHaveLength(1000);
    const observable = r.targets.filter((t) => t.intervals.length > 0).length;
    // Without delay lines ~600 of them are up at night (astroplan: 604); delays and horizons cut that.
    expect(observable).toBeGreaterThan(100);
    expect(observable).toBeLessThan(604);
  });

  it('flags a star next to the Moon and says how far the Moon is', () => {
    // The Moon's J2000 place at local midnight of 2026-06-25 (astronomy-engine, geocentric).
    const mid = nightEvents('2026-06-25', CHARA_SITE).midnightMjd;
    const moon = Equator(Body.Moon, new AstroTime(mid - 51544.5), new Observer(CHARA_SITE.latDeg, CHARA_SITE.lonDeg, CHARA_SITE.heightM), false, true);
    const r = targetNight(
      { id: null, name: 'near Moon', raDeg: moon.ra * 15, decDeg: moon.dec },
      defaultObservabilityOptions('2026-06-25', { useDelayLines: false, minElevationDeg: 10 }),
    );
    const k = r.night.timesMjd.findIndex((t) => Math.abs(t - mid) < 3 / 1440);
    expect(r.moonSepDeg[k]).toBeLessThan(2);
    expect(r.rows.find((row) => row.kind === 'moon')!.ok[k]).toBe(0);
    expect(r.reasons[k].join('; ')).toMatch(/Moon \d\.\d° away \(< 5°\)/);
  });

  it('rejects bad input with a message naming it', () => {
    const o = defaultObservabilityOptions(night);
    expect(() => computeNightObservability([{ name: 'X', raDeg: 400, decDeg: 0 }], o)).toThrow(/target 0 \(X\): ra_deg/);
    expect(() => computeNightObservability([], { ...o, stations: ['S1'] })).toThrow(/2 to 6 stations/);
    expect(() => computeNightObservability([], { ...o, stations: ['S1', 'X9'] as never })).toThrow(/unknown station "X9"/);
    expect(() => computeNightObservability([], { ...o, stations: ['S1', 'S2'], pops: '12a' })).toThrow(/PoPs must be 2 digits/);
    expect(() => computeNightObservability([], { ...o, night: '2026-02-30' })).toThrow(/YYYY-MM-DD/);
  });
});

describe('CHARA site', () => {
  it('is S1 from ASPRO2 (AsproGenCharaConfig): −118° 03′ 25.31272″, +34° 13′ 27.78130″, 1725.21 m', () => {
    expect(CHARA_SITE.lonDeg).toBeCloseTo(-118.0570313111, 9);
    expect(CHARA_SITE.latDeg).toBeCloseTo(34.2243836944, 9);
    expect(CHARA_SITE.heightM).toBe(1725.21);
  });
});
