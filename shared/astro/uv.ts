/** uv coverage of one target for a CHARA configuration. */
import { baselineNames, baselinePairs, baselineXyzM, projectBaseline } from './baselines';
import { apparentRaDecRad, localSiderealTimeH, skyFrame, wrapHourAngleH } from './frame';
import { CHARA_SITE, type Site } from './site';
import type { StationName } from './types';

const DEG = Math.PI / 180;

/** One baseline's track: (u, v) in metres at each instant; spatial frequency = u/λ. */
export interface UvTrack {
  baseline: string;
  /** UTC MJD of each point. */
  timesMjd: number[];
  haH: number[];
  uM: number[];
  vM: number[];
}

/** uv coverage of a target: one track per baseline in `baselinePairs` order. */
export interface UvCoverage {
  stations: StationName[];
  tracks: UvTrack[];
}

/**
 * Projected baselines of a J2000 target at the given instants (ASPRO2 CalcUVW on the apparent
 * place of date). Pass only the observable instants to get the observed coverage.
 */
export function uvCoverageAt(raDeg: number, decDeg: number, stations: StationName[], timesMjd: number[], site: Site = CHARA_SITE): UvCoverage {
  const vectors = baselinePairs(stations).map(([i, j]) => baselineXyzM(stations[i], stations[j]));
  const tracks: UvTrack[] = baselineNames(stations).map((baseline) => ({ baseline, timesMjd: [], haH: [], uM: [], vM: [] }));
  if (timesMjd.length === 0) return { stations, tracks };
  const place = new Float64Array(2);
  apparentRaDecRad(skyFrame(timesMjd[Math.floor(timesMjd.length / 2)]), raDeg, decDeg, place);
  for (const mjd of timesMjd) {
    const haH = wrapHourAngleH(localSiderealTimeH(mjd, site.lonDeg) - place[0] / (15 * DEG));
    vectors.forEach((b, idx) => {
      const { uM, vM } = projectBaseline(b, haH * 15 * DEG, place[1]);
      const t = tracks[idx];
      t.timesMjd.push(mjd);
      t.haH.push(haH);
      t.uM.push(uM);
      t.vM.push(vM);
    });
  }
  return { stations, tracks };
}
