/**
 * The planner's objective in words, for the plan view ("why this order") and docs/planner.md.
 */
import { HA_FLOOR, HA_TOLERANCE_H, MODEL_FLOOR, PRIORITY_WEIGHTS, STARTED_FACTOR } from './weights';
import type { PlanSettings } from './types';

/** One paragraph: what the plan maximises and under which rules. */
export function objectiveText(settings: PlanSettings, modelPolicy: 'off' | 'prefer' | 'filter'): string {
  const w = PRIORITY_WEIGHTS;
  const parts = [
    `Maximises the summed value of the science sequences placed in the night: final priority first (P1 ${w[1]}, P2 ${w[2]}, P3 ${w[3]}, P4 ${w[4]}), ×${STARTED_FACTOR} for a started target`,
    `×${HA_FLOOR}–1 for the hour angle of earlier nights (1 on it, ${HA_FLOOR} at ${HA_TOLERANCE_H} h or more)`,
  ];
  if (modelPolicy === 'prefer') parts.push(`×${MODEL_FLOOR}–1 for the share of predicted V² within bounds`);
  if (modelPolicy === 'filter') parts.push('targets whose predicted V² is never within bounds left out');
  const bracket = settings.bracket === 'none' ? 'science blocks alone' : 'CAL–SCI–CAL sequences (two may share the calibrator between them)';
  return (
    `${parts.join(', ')}. ` +
    `The whole night is optimised at once over ${bracket} on a ${5}-min grid: sequences may not overlap, each target is placed once, ` +
    `and a change of PoPs costs ${Math.round(settings.popChangeS / 60)} min of nothing, so sequences are grouped on few PoP sets. ` +
    'Each sequence sits where its own stars are observable; a lower-ranked target fills time a higher-ranked one cannot use.'
  );
}
