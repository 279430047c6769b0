/**
 * The 1000 × 132 observability masks against astroplan 0.7 (observability_astroplan.csv):
 * altitude > 30°, Sun ≤ −18°, Moon ≥ 20°, no refraction, astroplan's site and grid.
 * A differing cell must sit at a threshold: within 2″ of 30° altitude, or — for the Moon —
 * where astroplan's geocentric Moon and our topocentric Moon fall on opposite sides of 20°
 * (they differ by up to ~1°, the lunar parallax).
 */
import { GeoMoon, MakeTime } from 'astronomy-engine';
import { describe, expect, it } from 'vitest';
import { computeNightObservability } from '../../../shared/astro/observability';
import { mjdFromIso } from '../../../shared/astro/time';
import { Why } from '../../../shared/astro/types';
import { astroplanBenchOptions, readCsv, readJson, type BenchConfig } from './fixtures';

const config = readJson<BenchConfig>('config.json');
const targets = readCsv('targets.csv').map((r) => ({ name: r.name, raDeg: +r.ra_deg, decDeg: +r.dec_deg }));
const reference = readCsv('observability_astroplan.csv');
const gridRef = readCsv('grid_times_utc.csv');
const c = config.constraints;

const result = computeNightObservability(
  targets,
  astroplanBenchOptions(config),
);

/** Separation (deg) between a J2000 target and astroplan's geocentric Moon at a grid instant. */
function geocentricMoonSeparationDeg(raDeg: number, decDeg: number, iso: string): number {
  const t = MakeTime(new Date(`${iso}Z`));
  const m = GeoMoon(t);
  const n = Math.hypot(m.x, m.y, m.z);
  const r = Math.PI / 180;
  const u = [Math.cos(decDeg * r) * Math.cos(raDeg * r), Math.cos(decDeg * r) * Math.sin(raDeg * r), Math.sin(decDeg * r)];
  return Math.acos((u[0] * m.x + u[1] * m.y + u[2] * m.z) / n) / r;
}

describe('observability masks against astroplan', () => {
  it('uses the same 132-sample grid', () => {
    expect(result.grid.timesMjd.length).toBe(gridRef.length);
    gridRef.forEach((g, k) => {
      expect(Math.abs(result.grid.timesMjd[k] - mjdFromIso(g.utc_iso)) * 86400).toBeLessThan(1);
    });
  });

  it('matches the night (Sun ≤ −18°) column for column', () => {
    const ours = gridRef.map((_, k) => ((result.targets[0].why[k] & Why.twilight) === 0 ? '1' : '0')).join('');
    expect(ours).toBe(gridRef.map((g) => g.sun_ok).join(''));
  });

  it('matches the altitude mask except within 2″ of 30°', () => {
    const differing: number[] = [];
    result.targets.forEach((t, i) => {
      const mask = reference[i].mask_alt;
      for (let k = 0; k < mask.length; k++) {
        const ours = (t.why[k] & Why.minElevation) === 0 ? '1' : '0';
        if (ours !== mask[k]) differing.push(Math.abs(t.altDeg[k] - c.altitude_min_deg) * 3600);
      }
    });
    console.info(`astroplan altitude mask: ${differing.length} differing cells, max ${Math.max(0, ...differing).toFixed(2)}″ from 30°`);
    expect(differing.length).toBeLessThanOrEqual(5);
    for (const offArcsec of differing) expect(offArcsec).toBeLessThan(2);
  });

  it('matches the Moon mask except where geocentric and topocentric Moons straddle 20°', () => {
    let differing = 0;
    result.targets.forEach((t, i) => {
      const mask = reference[i].mask_moon;
      for (let k = 0; k < mask.length; k++) {
        const ours = (t.why[k] & Why.moon) === 0 ? '1' : '0';
        if (ours === mask[k]) continue;
        differing++;
        const geo = geocentricMoonSeparationDeg(targets[i].raDeg, targets[i].decDeg, gridRef[k].utc_iso);
        expect(Math.abs(geo - c.moon_separation_min_deg)).toBeLessThan(1.1);
      }
    });
    console.info(`astroplan Moon mask: ${differing} of ${1000 * 132} cells differ (topocentric vs geocentric Moon)`);
    expect(differing).toBeLessThanOrEqual(1000 * 132 * 0.005);
  });

  it('finds the same observable targets and cells as astroplan (604 targets, 28 651 cells) to within the Moon differences', () => {
    let cells = 0;
    let ever = 0;
    for (const t of result.targets) {
      const n = t.observable.reduce((a, b) => a + b, 0);
      cells += n;
      if (n > 0) ever++;
    }
    console.info(`ours: ${ever} targets ever observable, ${cells} observable cells`);
    expect(Math.abs(ever - 604)).toBeLessThanOrEqual(3);
    expect(Math.abs(cells - 28651)).toBeLessThanOrEqual(150);
  });
});
