/** The Tonight screen's "settings changed since this plan" lines (issue #10: a configuration change makes the shown plan stale). */
import { describe, expect, it } from 'vitest';
import type { PlanConfigView } from '../../../shared/planner/api-types';
import { configDrift } from '../../../shared/planner/config-drift';

const plan: PlanConfigView = { stations: ['S1', 'S2', 'E1', 'E2', 'W1', 'W2'], pops: 'auto', minElevationDeg: 30, twilightDeg: -18, minMoonSepDeg: 5, useDelayLines: true };

describe('configDrift', () => {
  it('is empty when the screen holds the plan\'s configuration (case and blank PoPs aside)', () => {
    expect(configDrift(plan, { stations: ['s1', 's2', 'e1', 'e2', 'w1', 'w2'], pops: ' ', minElevationDeg: 30, twilightDeg: -18 })).toEqual([]);
  });

  it('names each changed setting, old → new; station order counts (it gives the PoP digits their meaning)', () => {
    expect(configDrift(plan, { stations: ['S1', 'E1', 'W1'], pops: '123', minElevationDeg: 35, twilightDeg: -12 })).toEqual([
      'stations S1,S2,E1,E2,W1,W2 → S1,E1,W1',
      'PoPs auto → 123',
      'min. elevation 30° → 35°',
      'twilight -18° → -12°',
    ]);
    expect(configDrift(plan, { stations: ['S2', 'S1', 'E1', 'E2', 'W1', 'W2'], pops: 'auto', minElevationDeg: 30, twilightDeg: -18 })).toEqual(['stations S1,S2,E1,E2,W1,W2 → S2,S1,E1,E2,W1,W2']);
  });
});
