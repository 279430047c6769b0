/** Time helpers of the Target view: the current CHARA night and UTC labels for plots. */

const MJD_UNIX_EPOCH = 40587;

/** `YYYY-MM-DD` of the CHARA evening in progress (before local noon it is still last night). */
export function currentNight(nowMs = Date.now()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Los_Angeles', year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    new Date(nowMs - 12 * 3_600_000),
  );
}

/** UTC epoch milliseconds of an MJD. */
export function msOfMjd(mjd: number): number {
  return (mjd - MJD_UNIX_EPOCH) * 86_400_000;
}

/** Plotly date-axis string (UTC, no zone) of an MJD. */
export function plotTime(mjd: number): string {
  return new Date(msOfMjd(mjd)).toISOString().slice(0, 19).replace('T', ' ');
}

/** `HH:MM` UTC of an MJD. */
export function hhmm(mjd: number | null): string {
  return mjd === null ? '—' : new Date(Math.round(msOfMjd(mjd) / 60000) * 60000).toISOString().slice(11, 16);
}
