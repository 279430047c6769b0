/** Display formatting of survey values. */
export { formatDecDms, formatRaHms } from '../../../../shared/astro/sexagesimal';

export function formatMag(v: number | null): string {
  return v === null ? '—' : v.toFixed(2);
}

export function formatPercent(rate: number): string {
  return `${Math.round(rate * 100)}%`;
}
