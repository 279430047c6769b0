/** Small spherical helpers (degrees in, degrees out). */

const DEG = Math.PI / 180;

/** Angular separation (deg), haversine form: stable at small angles. */
export function separationDeg(ra1Deg: number, dec1Deg: number, ra2Deg: number, dec2Deg: number): number {
  const dRa = (ra2Deg - ra1Deg) * DEG;
  const dDec = (dec2Deg - dec1Deg) * DEG;
  const a = Math.sin(dDec / 2) ** 2 + Math.cos(dec1Deg * DEG) * Math.cos(dec2Deg * DEG) * Math.sin(dRa / 2) ** 2;
  return (2 * Math.asin(Math.min(1, Math.sqrt(a)))) / DEG;
}

/** Position angle of point 2 seen from point 1, east of north, 0–360° . */
export function positionAngleDeg(ra1Deg: number, dec1Deg: number, ra2Deg: number, dec2Deg: number): number {
  const dRa = (ra2Deg - ra1Deg) * DEG;
  const d1 = dec1Deg * DEG;
  const d2 = dec2Deg * DEG;
  const pa = Math.atan2(Math.sin(dRa) * Math.cos(d2), Math.cos(d1) * Math.sin(d2) - Math.sin(d1) * Math.cos(d2) * Math.cos(dRa)) / DEG;
  return (pa + 360) % 360;
}

/** Smallest difference between two angles (deg, 0–180). */
export function angleDiffDeg(a: number, b: number): number {
  const d = Math.abs(((a - b) % 360) + 360) % 360;
  return d > 180 ? 360 - d : d;
}
