/**
 * JSON-ready views of the engine for the UI, CLI and services: one target's night in detail
 * (ASPRO2's "detailed" bars with reasons) and a compact per-target survey summary.
 */
import { spicaChannelWavelengthsUm, spicaMode } from '../chara/model';
import type { ConstraintRow, NightEventsDto, NightInfo, SurveyObservabilityRow, TargetNight, UvResult } from '../contract/astro';
import { baselineNames } from './baselines';
import { apparentRaDecRad } from './frame';
import { nightSky, type NightSky } from './night';
import { computeNightObservability } from './observability';
import { CHARA_SITE } from './site';
import { Why, type NightObservability, type ObservabilityOptions, type SkyTarget, type StationName, type TargetObservability } from './types';
import { limitingReason } from './limiting';
import { moonNight } from './moon';
import { uvCoverageAt } from './uv';
import { explainSample } from './why';

const DEG = Math.PI / 180;
const finiteOrNull = (v: number) => (Number.isFinite(v) ? v : null);

/** A target as the detail views name it. */
export interface NamedTarget extends SkyTarget {
  id: string | null;
  name: string;
}

function eventsDto(sky: NightSky): NightEventsDto {
  const e = sky.events;
  return {
    sunsetMjd: finiteOrNull(e.sunsetMjd),
    sunriseMjd: finiteOrNull(e.sunriseMjd),
    nauticalDuskMjd: finiteOrNull(e.nauticalDuskMjd),
    nauticalDawnMjd: finiteOrNull(e.nauticalDawnMjd),
    astroDuskMjd: finiteOrNull(e.astroDuskMjd),
    astroDawnMjd: finiteOrNull(e.astroDawnMjd),
  };
}

/** The night grid and events (`astro.night`). */
export function nightInfo(night: string, stepMin: number): NightInfo {
  const sky = nightSky(night, CHARA_SITE, { stepMin });
  return {
    night,
    stepMin,
    site: { ...CHARA_SITE },
    events: eventsDto(sky),
    timesMjd: [...sky.grid.timesMjd],
    lstH: [...sky.grid.lstH],
    sunAltDeg: [...sky.grid.sunAltDeg],
    moonAltDeg: [...sky.moonAltDeg],
    moonIllumination: sky.grid.moonIllumination,
    ...moonInWords(night, CHARA_SITE),
  };
}

function moonInWords(night: string, site: typeof CHARA_SITE): Pick<NightInfo, 'moonPhaseFraction' | 'moonUp'> {
  const moon = moonNight(night, site);
  return { moonPhaseFraction: moon.illumination, moonUp: moon.upIntervals };
}

/** Topocentric Moon–target separation at every sample, degrees. */
export function moonSeparationsDeg(sky: NightSky, target: SkyTarget): number[] {
  const place = new Float64Array(2);
  apparentRaDecRad(sky.frame, target.raDeg, target.decDeg, place);
  const cd = Math.cos(place[1]);
  const u = [cd * Math.cos(place[0]), cd * Math.sin(place[0]), Math.sin(place[1])];
  const m = sky.moonXyz;
  return Array.from({ length: sky.grid.timesMjd.length }, (_, k) => {
    const c = u[0] * m[3 * k] + u[1] * m[3 * k + 1] + u[2] * m[3 * k + 2];
    return Math.acos(Math.max(-1, Math.min(1, c))) / DEG;
  });
}

function constraintRows(t: TargetObservability, stations: StationName[], useDelayLines: boolean): ConstraintRow[] {
  const n = t.why.length;
  const row = (label: string, kind: ConstraintRow['kind'], ok: (k: number) => boolean): ConstraintRow => ({
    label,
    kind,
    ok: Array.from({ length: n }, (_, k) => (ok(k) ? 1 : 0)),
  });
  const rows: ConstraintRow[] = [
    row('night', 'night', (k) => !(t.why[k] & Why.twilight)),
    row('elevation', 'elevation', (k) => !(t.why[k] & (Why.minElevation | Why.maxElevation))),
    row('moon', 'moon', (k) => !(t.why[k] & Why.moon)),
  ];
  stations.forEach((s, i) => rows.push(row(`horizon ${s}`, 'horizon', (k) => !(t.horizonStations[k] & (1 << i)))));
  if (useDelayLines) {
    baselineNames(stations).forEach((name, b) => rows.push(row(name, 'baseline', (k) => !(t.delayBaselines[k] & (1 << b)))));
  }
  return rows;
}

/** One target over a night in detail (`astro.targetNight`). */
export function targetNight(target: NamedTarget, options: ObservabilityOptions): TargetNight {
  const result = computeNightObservability([target], options);
  const t = result.targets[0];
  const sky = nightSky(options.night, options.site ?? CHARA_SITE, { stepMin: options.stepMin });
  const moonSep = moonSeparationsDeg(sky, target);
  const stations = result.options.stations;
  const n = t.why.length;
  const rows = constraintRows(t, stations, options.useDelayLines);
  return {
    target: { id: target.id, name: target.name, raDeg: target.raDeg, decDeg: target.decDeg },
    night: {
      night: options.night,
      stepMin: options.stepMin,
      site: { ...(options.site ?? CHARA_SITE) },
      events: eventsDto(sky),
      timesMjd: [...result.grid.timesMjd],
      lstH: [...result.grid.lstH],
      sunAltDeg: [...result.grid.sunAltDeg],
      moonAltDeg: [...sky.moonAltDeg],
      moonIllumination: result.grid.moonIllumination,
      ...moonInWords(options.night, options.site ?? CHARA_SITE),
    },
    stations,
    pops: t.pops,
    popsAuto: options.useDelayLines && options.pops === 'auto',
    altDeg: [...t.altDeg],
    azDeg: [...t.azDeg],
    haH: [...t.haH],
    airmass: Array.from(t.altDeg, (alt) => (alt > 1 ? 1 / Math.sin(alt * DEG) : 0)),
    moonSepDeg: moonSep,
    observable: [...t.observable],
    reasons: Array.from({ length: n }, (_, k) => explainSample(t, k, { grid: result.grid, options: result.options, moonSepDeg: moonSep[k] })),
    rows,
    intervals: t.intervals,
    observableMin: t.observable.reduce((a, b) => a + b, 0) * options.stepMin,
    limitingReason: limitingReason({
      timesMjd: result.grid.timesMjd,
      altDeg: t.altDeg,
      azDeg: t.azDeg,
      rows,
      pops: t.pops,
      stations,
      minElevationDeg: result.options.minElevationDeg,
      twilightDeg: result.options.twilightDeg,
    }),
  };
}

/** uv coverage over the observable (or whole dark) part of the night (`astro.uv`). */
export function targetUv(target: NamedTarget, options: ObservabilityOptions, mode: string, onlyObservable: boolean, maxChannels: number): UvResult {
  const result = computeNightObservability([target], options);
  const t = result.targets[0];
  const times: number[] = [];
  result.grid.timesMjd.forEach((mjd, k) => {
    const dark = !(t.why[k] & Why.twilight);
    if (onlyObservable ? t.observable[k] === 1 : dark) times.push(mjd);
  });
  const m = spicaMode(mode);
  const uv = uvCoverageAt(target.raDeg, target.decDeg, result.options.stations, times, options.site ?? CHARA_SITE);
  return {
    target: { id: target.id, name: target.name, raDeg: target.raDeg, decDeg: target.decDeg },
    stations: result.options.stations,
    pops: t.pops,
    tracks: uv.tracks,
    lambdaRefUm: m.lambdaRefUm ?? (m.lambdaMinUm + m.lambdaMaxUm) / 2,
    channelsUm: spicaChannelWavelengthsUm(mode, maxChannels),
  };
}

/** The reason a target fails at its best dark sample, or '' when it is observable at some point. */
function mainReason(t: TargetObservability, result: NightObservability): string {
  if (t.intervals.length) return '';
  let best = -1;
  for (let k = 0; k < t.why.length; k++) {
    if (t.why[k] & Why.twilight) continue;
    if (best < 0 || t.altDeg[k] > t.altDeg[best]) best = k;
  }
  if (best < 0) return 'no dark time in the grid';
  return explainSample(t, best, { grid: result.grid, options: result.options })[0] ?? '';
}

/** Compact per-target rows of a survey-wide computation (`astro.surveyObservability`). */
export function surveyRows(ids: string[], names: string[], result: NightObservability): SurveyObservabilityRow[] {
  return result.targets.map((t, i) => {
    let maxAlt = -90;
    for (let k = 0; k < t.why.length; k++) if (!(t.why[k] & Why.twilight) && t.altDeg[k] > maxAlt) maxAlt = t.altDeg[k];
    return {
      id: ids[i],
      name: names[i],
      pops: t.pops,
      observableMin: t.observable.reduce((a, b) => a + b, 0) * result.options.stepMin,
      intervals: t.intervals,
      maxAltDeg: Math.round(maxAlt * 10) / 10,
      mainReason: mainReason(t, result),
    };
  });
}

/** Night events of a computed result, JSON-ready. */
export function resultEvents(result: NightObservability): NightEventsDto {
  const g = result.grid;
  return {
    sunsetMjd: finiteOrNull(g.sunsetMjd),
    sunriseMjd: finiteOrNull(g.sunriseMjd),
    nauticalDuskMjd: finiteOrNull(g.nauticalDuskMjd),
    nauticalDawnMjd: finiteOrNull(g.nauticalDawnMjd),
    astroDuskMjd: finiteOrNull(g.astroDuskMjd),
    astroDawnMjd: finiteOrNull(g.astroDawnMjd),
  };
}
