/**
 * Atmospheric refraction as ERFA computes it for astropy's AltAz frame: the A·tan z + B·tan³z
 * model with ERFA's `refco` constants and `atioq`'s Newton–Raphson step. astronomy-engine's
 * refraction (Meeus, fixed standard atmosphere) is ≈5 % larger at 0.75 µm, so we follow ERFA
 * (algorithm from the SOFA/ERFA documentation; see docs/astro.md).
 */

/** Weather and wavelength of a refraction computation. */
export interface Atmosphere {
  pressureHpa: number;
  temperatureC: number;
  /** 0..1 */
  relativeHumidity: number;
  wavelengthUm: number;
}

/** CHARA-like defaults: standard pressure at 1725 m, 10 °C, 50 %, 0.75 µm (SPICA mid-band). */
export const DEFAULT_ATMOSPHERE: Atmosphere = { pressureHpa: 820, temperatureC: 10, relativeHumidity: 0.5, wavelengthUm: 0.75 };

/** ERFA refco: the A and B refraction constants (radians). */
export function refractionConstants(atm: Atmosphere): { a: number; b: number } {
  const optical = atm.wavelengthUm <= 100;
  const t = Math.max(Math.min(atm.temperatureC, 100), -150);
  const p = Math.max(Math.min(atm.pressureHpa, 10000), 0);
  const r = Math.max(Math.min(atm.relativeHumidity, 1), 0);
  const w = Math.max(Math.min(atm.wavelengthUm, 1e6), 0.1);
  let pw = 0;
  if (p > 0) {
    const ps = Math.pow(10, (0.7859 + 0.03477 * t) / (1 + 0.00412 * t)) * (1 + p * (4.5e-6 + 6e-10 * t * t));
    pw = (r * ps) / (1 - ((1 - r) * ps) / p);
  }
  const tk = t + 273.15;
  let gamma: number;
  if (optical) {
    const wlsq = w * w;
    gamma = ((77.53484e-6 + (4.39108e-7 + 3.666e-9 / wlsq) / wlsq) * p - 11.2684e-6 * pw) / tk;
  } else {
    gamma = (77.689e-6 * p - (6.3938e-6 - 0.375463 / tk) * pw) / tk;
  }
  let beta = 4.4474e-6 * tk;
  if (!optical) beta -= 0.0074 * pw * beta;
  return { a: gamma * (1 - beta), b: -gamma * (beta - gamma / 2) };
}

/** Observed (refracted) altitude in degrees for a geometric altitude, as ERFA atioq does. */
export function refractedAltitudeDeg(altDeg: number, atm: Atmosphere = DEFAULT_ATMOSPHERE): number {
  const { a, b } = refractionConstants(atm);
  const alt = (altDeg * Math.PI) / 180;
  const r = Math.max(Math.cos(alt), 1e-6);
  const z = Math.max(Math.sin(alt), 0.05);
  const tz = r / z;
  const w = b * tz * tz;
  const del = ((a + w) * tz) / (1 + (a + 3 * w) / (z * z));
  const cosdel = 1 - (del * del) / 2;
  const f = cosdel - (del * z) / r;
  const xy = Math.cos(alt) * f;
  const zo = cosdel * Math.sin(alt) + del * r;
  return (Math.atan2(zo, Math.abs(xy)) * 180) / Math.PI;
}
