/**
 * "Not observable: …" names the LIMITING constraint (issue #11). eps Ori with manual PoPs 111 on
 * S1-E1-W1 used to read "target below the horizon (alt −8.4°)" — the first reason at the first dark
 * sample — although it is up most of the night and only the delay lines stop it. Each case is
 * checked against the engine itself with that constraint lifted: lifting the named constraint
 * makes the target observable.
 */
import { describe, expect, it } from 'vitest';
import { targetNight } from '../../../shared/astro/detail';
import { defaultObservabilityOptions } from '../../../shared/astro/observability';
import type { ObservabilityOptions, StationName } from '../../../shared/astro/types';

const NIGHT = '2026-12-07';
const EPS_ORI = { id: null, name: 'eps Ori', raDeg: 84.05333, decDeg: -1.20194 };
const opts = (o: Partial<ObservabilityOptions>): ObservabilityOptions => ({ ...defaultObservabilityOptions(NIGHT, { twilightDeg: -12 }), ...o });

describe('limiting reason', () => {
  it('eps Ori, PoPs 111 on S1-E1-W1: the delay lines, not the horizon at dusk', () => {
    const d = targetNight(EPS_ORI, opts({ stations: ['S1', 'E1', 'W1'] as StationName[], pops: '111' }));
    expect(d.intervals).toEqual([]);
    const firstDark = d.reasons.find((r, k) => r.length > 0 && d.night.sunAltDeg[k] < -12)?.[0];
    expect(firstDark).toMatch(/below the horizon/);
    expect(d.limitingReason).toMatch(/^out of the delay lines' reach with PoPs 111 \(S1 E1 W1\)/);
    expect(d.limitingReason).toMatch(/above 30° \(\d\d:\d\d–\d\d:\d\d UT\)/);
    // Lifting the delay lines makes it observable; so do the best PoPs.
    expect(targetNight(EPS_ORI, opts({ stations: ['S1', 'E1', 'W1'] as StationName[], pops: '111', useDelayLines: false })).observableMin).toBeGreaterThan(60);
    expect(targetNight(EPS_ORI, opts({ stations: ['S1', 'E1', 'W1'] as StationName[], pops: 'auto' })).observableMin).toBeGreaterThan(60);
  });

  it('a star that never clears 30° in the dark: the elevation, with its highest point', () => {
    const star = { id: null, name: 'south', raDeg: 84, decDeg: -45 };
    const d = targetNight(star, opts({}));
    const darkAlts = d.altDeg.filter((_, k) => d.night.sunAltDeg[k] < -12);
    const top = Math.max(...darkAlts);
    expect(top).toBeGreaterThan(0);
    expect(top).toBeLessThan(30);
    expect(d.limitingReason).toBe(`never above the minimum elevation 30° in the dark (highest ${top.toFixed(1)}° at ${d.limitingReason!.match(/at (\d\d:\d\d) UT/)![1]} UT)`);
  });

  it('a star that stays below the horizon: says so', () => {
    const d = targetNight({ id: null, name: 'deep south', raDeg: 84, decDeg: -75 }, opts({}));
    expect(d.limitingReason).toMatch(/^below the horizon all through the dark hours \(highest −\d+\.\d° at \d\d:\d\d UT\)$/);
  });

  it('a star low in the north-west at dusk is hidden by S1\'s horizon, not by S2 or W2', () => {
    // RA 18h, Dec +50° sets in the north-west after dusk; S1's horizon is 25–42° from az 278° to 8°.
    const star = { id: null, name: 'north-west', raDeg: 270, decDeg: 50 };
    const d = targetNight(star, opts({ stations: ['S1', 'W2'] as StationName[], useDelayLines: false, minElevationDeg: 20 }));
    expect(d.limitingReason).toMatch(/^hidden by the horizon of S1 whenever it is above 20° \(\d\d:\d\d–\d\d:\d\d UT\) \(az 3\d\d–3\d\d°\)$/);
    expect(targetNight(star, opts({ stations: ['E2', 'W2'] as StationName[], useDelayLines: false, minElevationDeg: 20 })).observableMin).toBeGreaterThan(0);
  });

  it('is null when the target is observable', () => {
    expect(targetNight(EPS_ORI, opts({})).limitingReason).toBeNull();
  });
});
