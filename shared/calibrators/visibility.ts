/**
 * Uniform-disc visibility (SearchCal `alxVisibility.c`): x = π·B·θ/λ, V = 2|J₁(x)/x|,
 * σ_V = 2|J₂(x)|·σθ/θ, V² and σ(V²) = 2V·σ_V.
 */

const MAS_TO_RAD = Math.PI / (180 * 3600 * 1000);

/** Bessel function of the first kind J_n(x) for n = 0, 1, 2 (series below 12, Hankel above). */
export function besselJ(n: 0 | 1 | 2, x: number): number {
  const ax = Math.abs(x);
  let value: number;
  if (ax < 12) {
    // Power series; at |x| < 12 the cancellation loses < 1e-11 in absolute terms.
    const half = ax / 2;
    let term = 1;
    for (let k = 1; k <= n; k++) term *= half / k;
    let sum = term;
    const h2 = half * half;
    for (let k = 1; k < 200; k++) {
      term *= -h2 / (k * (k + n));
      sum += term;
      if (Math.abs(term) < 1e-18 * Math.abs(sum)) break;
    }
    value = sum;
  } else {
    // Hankel asymptotic expansion: a_k = Π_{i≤k}(4n² − (2i−1)²) / (k!·8^k), terms in 1/x^k.
    const mu = 4 * n * n;
    let p = 0;
    let q = 0;
    let term = 1;
    let previous = Infinity;
    for (let k = 0; k < 40; k++) {
      if (k > 0) term *= (mu - (2 * k - 1) ** 2) / (k * 8 * ax);
      if (Math.abs(term) > previous) break;
      previous = Math.abs(term);
      const sign = Math.floor(k / 2) % 2 === 0 ? 1 : -1;
      if (k % 2 === 0) p += sign * term;
      else q += sign * term;
      if (Math.abs(term) < 1e-17) break;
    }
    const chi = ax - (n / 2 + 0.25) * Math.PI;
    value = Math.sqrt(2 / (Math.PI * ax)) * (p * Math.cos(chi) - q * Math.sin(chi));
  }
  return x < 0 && n % 2 === 1 ? -value : value;
}

/** V² of a uniform disc and its error from the relative diameter error. */
export interface UdVis2 {
  vis2: number;
  vis2Err: number;
  /** Spatial frequency argument x = π·B·θ/λ. */
  x: number;
}

/**
 * V² and σ(V²) of a uniform disc of `udMas` (σ `eUdMas`) at baseline `baselineM` and wavelength
 * `lambdaUm`.
 */
export function uniformDiscVis2(udMas: number, eUdMas: number, baselineM: number, lambdaUm: number): UdVis2 {
  const x = (Math.PI * baselineM * udMas * MAS_TO_RAD) / (lambdaUm * 1e-6);
  const v = x === 0 ? 1 : Math.abs((2 * besselJ(1, x)) / x);
  const eV = udMas > 0 ? 2 * Math.abs(besselJ(2, x)) * (eUdMas / udMas) : 0;
  return { vis2: v * v, vis2Err: 2 * v * eV, x };
}
