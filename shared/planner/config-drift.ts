/**
 * How the configuration on the Tonight screen differs from the one a plan was made with. A plan
 * keeps its own configuration (re-planning uses it), so a changed station list, PoPs, elevation
 * limit or twilight does not alter the plan: the screen says the plan no longer matches what is
 * selected, and "Plan night" applies the new settings.
 */
import type { PlanConfigView } from './api-types';

/** The configuration the screen currently holds (the subset a user edits). */
export interface WantedConfig {
  stations: string[];
  pops: string;
  minElevationDeg: number;
  twilightDeg: number;
}

const stationList = (stations: readonly string[]): string => stations.map((s) => s.toUpperCase()).join(',');

/** One line per setting that differs ("stations S1,S2,E1 → S1,E1,W1"); empty when the plan matches. */
export function configDrift(plan: PlanConfigView, wanted: WantedConfig): string[] {
  const out: string[] = [];
  // Stations are compared as the ordered list: the order sets the PoP digits' meaning.
  if (stationList(plan.stations) !== stationList(wanted.stations)) out.push(`stations ${stationList(plan.stations)} → ${stationList(wanted.stations) || 'none'}`);
  if ((plan.pops || 'auto') !== (wanted.pops.trim() || 'auto')) out.push(`PoPs ${plan.pops || 'auto'} → ${wanted.pops.trim() || 'auto'}`);
  if (plan.minElevationDeg !== wanted.minElevationDeg) out.push(`min. elevation ${plan.minElevationDeg}° → ${wanted.minElevationDeg}°`);
  if (plan.twilightDeg !== wanted.twilightDeg) out.push(`twilight ${plan.twilightDeg}° → ${wanted.twilightDeg}°`);
  return out;
}
