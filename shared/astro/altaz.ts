/** Alt/az, sidereal time and hour angle of one J2000 target at one instant. */
import { type Atmosphere, DEFAULT_ATMOSPHERE, refractedAltitudeDeg } from './refraction';
import { CHARA_SITE, type Site } from './site';
import { apparentRaDecRad, localSiderealTimeH, skyFrame, wrapHourAngleH } from './frame';

const DEG = Math.PI / 180;

/** Horizontal position and time angles of a target. */
export interface AltAz {
  altDeg: number;
  /** Azimuth from North through East, 0..360. */
  azDeg: number;
  /** Local apparent sidereal time, hours 0..24. */
  lstH: number;
  /** Hour angle, −12..12 h. */
  haH: number;
}

/** Alt/az from apparent hour angle and declination (radians) at latitude `latRad`. */
export function altAzFromHaDec(haRad: number, decRad: number, latRad: number): { altDeg: number; azDeg: number } {
  const sd = Math.sin(decRad);
  const cd = Math.cos(decRad);
  const sl = Math.sin(latRad);
  const cl = Math.cos(latRad);
  const ch = Math.cos(haRad);
  const sinAlt = sl * sd + cl * cd * ch;
  let az = Math.atan2(-cd * Math.sin(haRad), cl * sd - sl * cd * ch) / DEG;
  if (az < 0) az += 360;
  return { altDeg: Math.asin(Math.max(-1, Math.min(1, sinAlt))) / DEG, azDeg: az };
}

/**
 * Alt/az of a J2000 target at `mjd` (UTC) seen from `site`, geometric or with ERFA-style
 * refraction for the given atmosphere.
 */
export function altAzOf(
  raDeg: number,
  decDeg: number,
  mjd: number,
  options: { site?: Site; refraction?: boolean; atmosphere?: Atmosphere; ut1MinusUtcS?: number } = {},
): AltAz {
  const site = options.site ?? CHARA_SITE;
  // astronomy-engine reads its day count as UT1; IERS UT1 − UTC is optional (|Δ| < 0.9 s).
  const ut1Mjd = mjd + (options.ut1MinusUtcS ?? 0) / 86400;
  const place = new Float64Array(2);
  apparentRaDecRad(skyFrame(ut1Mjd), raDeg, decDeg, place);
  const lstH = localSiderealTimeH(ut1Mjd, site.lonDeg);
  const haH = wrapHourAngleH(lstH - place[0] / (15 * DEG));
  const { altDeg, azDeg } = altAzFromHaDec(haH * 15 * DEG, place[1], site.latDeg * DEG);
  return {
    altDeg: options.refraction ? refractedAltitudeDeg(altDeg, options.atmosphere ?? DEFAULT_ATMOSPHERE) : altDeg,
    azDeg,
    lstH,
    haH,
  };
}
