/**
 * Apparent place of J2000 (ICRS) directions for a whole night at once.
 *
 * astronomy-engine supplies the precession–nutation matrix (J2000 → true equator and equinox
 * of date), Greenwich apparent sidereal time and the Earth's barycentric velocity; we add
 * first-order annual aberration, which its EQJ→HOR rotation omits (≈20″). Both change by less
 * than 0.2″ over a night, so one `SkyFrame` at mid-night serves every sample of that night
 * (checked against astropy in test/unit/astro/altaz.test.ts).
 */
import { BaryState, Body, C_AUDAY, Rotation_EQJ_EQD, SiderealTime } from 'astronomy-engine';
import { astroTime } from './time';

const DEG = Math.PI / 180;

/** Precomputed transformation J2000 → apparent equatorial of date at one instant. */
export interface SkyFrame {
  mjd: number;
  /** Row-major 3×3 matrix: v_ofdate = M · v_J2000. */
  matrix: Float64Array;
  /** Earth's barycentric velocity / c in the J2000 frame. */
  beta: [number, number, number];
}

/** The frame at `mjd` (UTC). */
export function skyFrame(mjd: number): SkyFrame {
  const t = astroTime(mjd);
  // astronomy-engine's rot[i][j] maps v'_j = Σ_i rot[i][j] v_i.
  const r = Rotation_EQJ_EQD(t).rot;
  const matrix = new Float64Array([
    r[0][0], r[1][0], r[2][0],
    r[0][1], r[1][1], r[2][1],
    r[0][2], r[1][2], r[2][2],
  ]);
  const s = BaryState(Body.Earth, t);
  return { mjd, matrix, beta: [s.vx / C_AUDAY, s.vy / C_AUDAY, s.vz / C_AUDAY] };
}

/** Unit vector of a direction given in degrees. */
export function unitVector(raDeg: number, decDeg: number): [number, number, number] {
  const a = raDeg * DEG;
  const d = decDeg * DEG;
  return [Math.cos(d) * Math.cos(a), Math.cos(d) * Math.sin(a), Math.sin(d)];
}

/**
 * Apparent right ascension and declination of date (radians) of a J2000 direction, written
 * into `out` as [raRad, decRad]; no allocation so the survey loop can call it per target.
 */
export function apparentRaDecRad(frame: SkyFrame, raDeg: number, decDeg: number, out: Float64Array): void {
  const a = raDeg * DEG;
  const d = decDeg * DEG;
  const cd = Math.cos(d);
  const ux = cd * Math.cos(a);
  const uy = cd * Math.sin(a);
  const uz = Math.sin(d);
  const [bx, by, bz] = frame.beta;
  const ub = ux * bx + uy * by + uz * bz;
  let wx = ux + bx - ux * ub;
  let wy = uy + by - uy * ub;
  let wz = uz + bz - uz * ub;
  const n = Math.hypot(wx, wy, wz);
  wx /= n;
  wy /= n;
  wz /= n;
  const m = frame.matrix;
  const x = m[0] * wx + m[1] * wy + m[2] * wz;
  const y = m[3] * wx + m[4] * wy + m[5] * wz;
  const z = m[6] * wx + m[7] * wy + m[8] * wz;
  let ra = Math.atan2(y, x);
  if (ra < 0) ra += 2 * Math.PI;
  out[0] = ra;
  out[1] = Math.asin(Math.max(-1, Math.min(1, z)));
}

/** Local apparent sidereal time at `mjd` (UTC ≈ UT1) and longitude, hours 0..24. */
export function localSiderealTimeH(mjd: number, lonDeg: number): number {
  const lst = SiderealTime(astroTime(mjd)) + lonDeg / 15;
  return ((lst % 24) + 24) % 24;
}

/** Wrap an hour angle to −12..12 h. */
export function wrapHourAngleH(haH: number): number {
  let h = ((haH % 24) + 24) % 24;
  if (h >= 12) h -= 24;
  return h;
}
