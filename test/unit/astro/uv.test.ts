/** Projected baselines against CHARA's published baseline table (aspro2-chara.md §1.8). */
import { describe, expect, it } from 'vitest';
import { baselineXyzM, projectBaseline } from '../../../shared/astro/baselines';
import { uvCoverageAt } from '../../../shared/astro/uv';
import { CHARA } from '../../../shared/chara/model';
import { spicaChannelWavelengthsUm } from '../../../shared/chara/model';
import type { StationName } from '../../../shared/astro/types';

// 3-D lengths (m) of CHARA's facility baseline table.
const PUBLISHED: Array<[StationName, StationName, number]> = [
  ['S1', 'S2', 34.07], ['S1', 'E1', 330.66], ['S1', 'E2', 278.76], ['S1', 'W1', 278.5], ['S1', 'W2', 210.97],
  ['S2', 'E1', 302.32], ['S2', 'E2', 248.13], ['S2', 'W1', 249.39], ['S2', 'W2', 177.44], ['E1', 'E2', 65.88],
  ['E1', 'W1', 313.53], ['E1', 'W2', 221.82], ['E2', 'W1', 251.33], ['E2', 'W2', 156.27], ['W1', 'W2', 107.92],
];

describe('baselines', () => {
  it.each(PUBLISHED)('%s-%s is %f m long and (u, v, w) keeps that length at any hour angle', (a, b, lengthM) => {
    const bxyz = baselineXyzM(a, b);
    expect(Math.hypot(...bxyz)).toBeCloseTo(lengthM, 1);
    for (const [ha, dec] of [[-1.2, 0.3], [0.4, -0.2], [2.5, 1.1]]) {
      const { uM, vM, wM } = projectBaseline(bxyz, ha, dec);
      expect(Math.hypot(uM, vM, wM)).toBeCloseTo(lengthM, 1);
    }
  });

  it('sees the full horizontal baseline from the pole: S1-E1 projects to 330.6 m towards dec +90°', () => {
    const { uM, vM } = projectBaseline(baselineXyzM('S1', 'E1'), 0, Math.PI / 2);
    // At the pole the projection is the baseline component perpendicular to the Earth's axis.
    const [x, y] = baselineXyzM('S1', 'E1');
    expect(Math.hypot(uM, vM)).toBeCloseTo(Math.hypot(x, y), 6);
  });
});

describe('uvCoverageAt', () => {
  it('gives 15 tracks for 6T and 3 for S2-E2-W2', () => {
    expect(uvCoverageAt(72.46, 6.96, ['S1', 'S2', 'E1', 'E2', 'W1', 'W2'], [58000.3]).tracks).toHaveLength(15);
    expect(uvCoverageAt(72.46, 6.96, ['S2', 'E2', 'W2'], [58000.3, 58000.31]).tracks.map((t) => t.baseline)).toEqual(['S2-E2', 'S2-W2', 'E2-W2']);
  });
});

describe('SPICA modes from CHARA.xml', () => {
  it('has the 59-channel LR table from 614.2 to 899.9 nm 510 MR640 and 534 HR channels (ASPRO2 rule)', () => {
    const lr = spicaChannelWavelengthsUm('LR');
    expect(lr).toHaveLength(59);
    expect(lr[0]).toBeCloseTo(0.6142, 4);
    expect(lr[58]).toBeCloseTo(0.8999, 4);
    expect(spicaChannelWavelengthsUm('MR640')).toHaveLength(510);
    expect(spicaChannelWavelengthsUm('HR')).toHaveLength(534);
    expect(spicaChannelWavelengthsUm('LR', 1)).toEqual([0.7291]);
    expect(spicaChannelWavelengthsUm('LR', 5)).toHaveLength(5);
    expect(CHARA.spica.channelOfStation).toEqual({ E1: 'V1', W2: 'V2', W1: 'V3', S2: 'V4', S1: 'V5', E2: 'V6' });
  });
});
