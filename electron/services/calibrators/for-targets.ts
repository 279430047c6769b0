/**
 * Calibrators for many science targets of one night at once (what the planner needs): the night
 * contexts of all targets in one astro-engine call, one engine proposal per target without the
 * rejected list, and the observable windows of every chosen calibrator in one more call. Team
 * assignments come first (pinned first), BadCal, the policy/preset, imports and exclusions are
 * the engine's; nothing unvetted unless `allowUnvetted`, and then marked `isVetted: false`.
 */
import { parseStations } from '../../../shared/astro/baselines';
import type { CalibratorEngine } from '../../../shared/calibrators/engine';
import { nightContexts, observableWindows } from '../../../shared/calibrators/night-context';
import type { CalibratorPick, CalibratorsForTargets, TargetCalibrators } from '../../../shared/contract/calibrators';
import { forTargetsParams } from '../../../shared/contract/calibrators';
import { ApiError } from '../../../shared/contract/define';
import type { z } from 'zod';
import type { Store } from '../../db/store';
import { allExclusions } from '../../db/repos/calibrator-catalog';
import { allAssociations } from '../../db/repos/calibrators';

export function calibratorsForTargets(store: Store, engine: CalibratorEngine, raw: z.input<typeof forTargetsParams>): CalibratorsForTargets {
  const started = Date.now();
  const p = forTargetsParams.parse(raw);
  let stations;
  try {
    stations = parseStations(p.stations);
  } catch (e) {
    throw new ApiError('invalid-input', `stations: ${(e as Error).message}`);
  }
  if (p.pops !== 'auto' && p.pops.length !== stations.length) throw new ApiError('invalid-input', `pops: "${p.pops}" needs one digit per station (${stations.join('-')})`);
  const overrides = {
    pops: p.pops,
    ...(p.minElevationDeg !== undefined ? { minElevationDeg: p.minElevationDeg } : {}),
    ...(p.twilightDeg !== undefined ? { twilightDeg: p.twilightDeg } : {}),
    ...(p.useDelayLines !== undefined ? { useDelayLines: p.useDelayLines } : {}),
  };
  let contexts;
  try {
    contexts = nightContexts(p.targets.map((t) => ({ name: t.name, raDeg: t.raDeg, decDeg: t.decDeg })), p.night, stations, overrides);
  } catch (e) {
    throw new ApiError('invalid-input', `night ${p.night}: ${(e as Error).message}`);
  }
  const cat = engine.catalogue;
  const exclusions = allExclusions(store);
  const associations = allAssociations(store);

  const results: TargetCalibrators[] = [];
  /** Picks that still need their observable window, with the star position. */
  const needWindows: Array<{ pick: CalibratorPick; raDeg: number; decDeg: number }> = [];
  p.targets.forEach((t, k) => {
    const night = contexts[k];
    const picks: CalibratorPick[] = [];
    const taken = new Set<string>();
    const assigned = new Map<string, { isPinned: boolean }>();
    for (const a of t.targetId ? (associations.get(t.targetId) ?? []) : []) {
      const key = a.key ?? `cal:${a.calibratorName}`;
      assigned.set(key, { isPinned: a.isPinned });
      const i = a.key ? (cat.indexOfKey(key) ?? -1) : -1;
      // A star assigned earlier and vetoed since (marked bad, say) is not used unless asked for.
      const vetoes = i >= 0 ? engine.flagsOf(i).filter((f) => f.severity === 'veto') : [];
      if (vetoes.length > 0 && !p.allowUnvetted) continue;
      if (picks.length >= p.count) break;
      const pick: CalibratorPick = {
        key, name: a.calibratorName, hd: a.hd ? Number(a.hd) : null, hip: a.hip ? Number(a.hip) : null, raDeg: a.raDeg, decDeg: a.decDeg,
        vmag: a.vmag, rmag: i >= 0 ? engine.rmagOf(i) : null, tier: i >= 0 ? (cat.diameter(i)?.tier ?? null) : null, udMas: a.uddMas, eUdMas: a.uddErrMas,
        vis2: null, score: null, isPrimary: i >= 0 && cat.stars[i].primary !== null, isAssigned: true, isPinned: a.isPinned,
        isVetted: vetoes.length === 0, flags: i >= 0 ? engine.flagsOf(i) : [], observable: null,
      };
      picks.push(pick);
      taken.add(key);
      needWindows.push({ pick, raDeg: a.raDeg, decDeg: a.decDeg });
    }
    const nAssigned = picks.length;
    let refusal: string | null = null;
    let baselineM = night.baselineM;
    if (picks.length < p.count) {
      const excludedKeys = t.targetId ? exclusions.get(t.targetId) : undefined;
      const short = () => p.count - picks.length;
      const r = engine.propose(
        { name: t.name, raDeg: t.raDeg, decDeg: t.decDeg, vmag: t.vmag ?? null, rmag: t.rmag ?? null, spType: t.spType ?? null },
        { night, excludedKeys, assigned, withRejected: p.allowUnvetted, withWindows: false, maxRejected: 50, maxCandidates: p.count + assigned.size },
      );
      refusal = r.refusal;
      baselineM = r.baselineM;
      for (const c of r.candidates) {
        if (short() <= 0) break;
        if (taken.has(c.key)) continue;
        const pick: CalibratorPick = {
          key: c.key, name: c.name, hd: c.hd, hip: c.hip, raDeg: c.raDeg, decDeg: c.decDeg, vmag: c.vmag, rmag: c.rmag, tier: c.tier,
          udMas: c.udMas, eUdMas: c.eUdMas, vis2: c.channels[0].vis2, score: c.score, isPrimary: c.isPrimary, isAssigned: c.isAssigned,
          isPinned: c.isPinned, isVetted: true, flags: c.flags, observable: null,
        };
        picks.push(pick);
        taken.add(c.key);
        needWindows.push({ pick, raDeg: c.raDeg, decDeg: c.decDeg });
      }
      if (p.allowUnvetted) {
        // Nearest stars with a diameter that failed a veto, clearly marked.
        for (const x of r.rejected) {
          if (short() <= 0) break;
          if (x.udMas === null || taken.has(x.key) || x.isUserMarked || x.rule === 'badcal') continue;
          const pick: CalibratorPick = {
            key: x.key, name: x.name, hd: x.hd, hip: x.hip, raDeg: x.raDeg, decDeg: x.decDeg, vmag: x.vmag, rmag: x.rmag, tier: x.tier,
            udMas: x.udMas, eUdMas: null, vis2: null, score: null, isPrimary: x.isPrimary, isAssigned: false, isPinned: false, isVetted: false,
            flags: x.flags, observable: null,
          };
          picks.push(pick);
          taken.add(x.key);
          needWindows.push({ pick, raDeg: x.raDeg, decDeg: x.decDeg });
        }
      }
    }
    const proposed = picks.filter((c) => !c.isAssigned);
    const source: TargetCalibrators['source'] =
      picks.length === 0 ? 'none' : proposed.some((c) => !c.isVetted) ? 'unvetted' : nAssigned > 0 && proposed.length > 0 ? 'assigned+proposed' : nAssigned > 0 ? 'assigned' : 'proposed';
    results.push({ key: t.key, targetId: t.targetId ?? null, source, calibrators: picks, baselineM, refusal, windowMjd: night.windowMjd });
  });

  // One astro call for every distinct calibrator of the night.
  if (contexts.length > 0) {
    const byKey = new Map<string, number>();
    const stars: Array<{ raDeg: number; decDeg: number }> = [];
    for (const w of needWindows) {
      if (!byKey.has(w.pick.key)) {
        byKey.set(w.pick.key, stars.length);
        stars.push({ raDeg: w.raDeg, decDeg: w.decDeg });
      }
    }
    const windows = observableWindows(stars, contexts[0].options);
    for (const w of needWindows) w.pick.observable = windows[byKey.get(w.pick.key)!];
  }
  return {
    night: p.night, stations, pops: p.pops, preset: engine.getPolicy().preset, targets: results, elapsedMs: Date.now() - started,
  };
}
