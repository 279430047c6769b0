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

/** A UT time typed as HH:MM, checked: minutes of the day, or the reason it is not a time. */
export function parseUtHhmm(text: string): { minutes: number } | { error: string } {
  const m = /^(\d{1,2}):(\d{2})$/.exec(text.trim());
  if (!m) return { error: `"${text}" is not a UT time: type HH:MM, e.g. 04:30` };
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (h > 23 || min > 59) return { error: `"${text}" is not a UT time: hours go 00–23 and minutes 00–59` };
  return { minutes: h * 60 + min };
}

/**
 * The ISO instant of `HH:MM` UT within a night that runs from `startIso` (dusk) to `endIso`
 * (dawn), with an hour of margin either side; or the reason it is not one.
 */
export function utInNight(text: string, startIso: string, endIso: string): { iso: string } | { error: string } {
  const parsed = parseUtHhmm(text);
  if ('error' in parsed) return parsed;
  const from = Date.parse(startIso) - 3_600_000;
  const to = Date.parse(endIso) + 3_600_000;
  const day = Date.parse(startIso.slice(0, 10));
  for (const d of [day - 86_400_000, day, day + 86_400_000]) {
    const t = d + parsed.minutes * 60_000;
    if (t >= from && t <= to) return { iso: new Date(t).toISOString() };
  }
  return { error: `${text} UT is not in this night (dark ${utHhmm(startIso)}–${utHhmm(endIso)} UT)` };
}
