/** Small formatters and colours of the calibrator view. */
import type { DiameterTier } from '../../../../shared/calibrators/types';

/** Mantine colour of a tier badge: measured and JSDC strongest, V/B−V weakest. */
export const TIER_COLOR: Record<DiameterTier, string> = { M: 'grape', A: 'teal', B: 'blue', C: 'yellow' };

/** What each tier means, for badge tooltips. */
export const TIER_LABEL: Record<DiameterTier, string> = {
  M: 'measured (JMDC)',
  A: 'JSDC (imported)',
  B: 'JSDC engine on V J H K + SpType',
  C: 'V and B−V only',
};

export function fixed(v: number | null | undefined, digits: number): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(digits);
}

export function pct(v: number, digits = 2): string {
  return `${(v * 100).toFixed(digits)} %`;
}

/** Save text as a file through a temporary object URL. */
export function download(fileName: string, text: string, mime: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: mime }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** "HH:MM–HH:MM UT" of an observable interval given in MJD (UTC). */
export function utWindow([startMjd, endMjd]: [number, number]): string {
  const hhmm = (mjd: number) => {
    const m = Math.round((((mjd % 1) + 1) % 1) * 1440) % 1440;
    return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
  };
  return `${hhmm(startMjd)}–${hhmm(endMjd)} UT`;
}
