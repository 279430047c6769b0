/** Time and coordinate labels of the Tonight screen (CHARA works in UT; local time alongside). */

const LOCAL_ZONE = 'America/Los_Angeles';

/** `HH:MM` UTC of an ISO time. */
export function utHhmm(iso: string | null): string {
  return iso ? new Date(Math.round(Date.parse(iso) / 60000) * 60000).toISOString().slice(11, 16) : '—';
}

/** `HH:MM` local (Mt Wilson) of an ISO time. */
export function localHhmm(iso: string | null): string {
  if (!iso) return '—';
  return new Intl.DateTimeFormat('en-GB', { timeZone: LOCAL_ZONE, hour: '2-digit', minute: '2-digit', hour12: false }).format(new Date(iso));
}

/** Plotly date-axis string (UTC, no zone) of an ISO time or epoch ms. */
export function plotTime(t: string | number): string {
  return new Date(typeof t === 'number' ? t : Date.parse(t)).toISOString().slice(0, 19).replace('T', ' ');
}

/** Duration in minutes between two ISO times. */
export function minutesBetween(a: string, b: string): number {
  return Math.round((Date.parse(b) - Date.parse(a)) / 60000);
}

/** `YYYY-MM-DD` of the CHARA evening in progress (before local noon it is still last night). */
export function currentNight(nowMs = Date.now()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: LOCAL_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(nowMs - 12 * 3_600_000));
}
