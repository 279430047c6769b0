/** Time conversions between UTC epoch milliseconds, MJD (UTC) and ISO strings. */
import { AstroTime } from 'astronomy-engine';

/** MJD of the Unix epoch 1970-01-01T00:00Z. */
export const MJD_UNIX_EPOCH = 40587;
/** MJD of J2000.0 (2000-01-01T12:00), the origin of astronomy-engine's day count. */
export const MJD_J2000 = 51544.5;
const MS_PER_DAY = 86_400_000;

/** UTC epoch milliseconds → MJD. */
export function mjdFromMs(ms: number): number {
  return ms / MS_PER_DAY + MJD_UNIX_EPOCH;
}

/** MJD → UTC epoch milliseconds. */
export function msFromMjd(mjd: number): number {
  return (mjd - MJD_UNIX_EPOCH) * MS_PER_DAY;
}

/** MJD → ISO 8601 UTC string (millisecond precision, `Z`). */
export function isoFromMjd(mjd: number): string {
  return new Date(Math.round(msFromMjd(mjd))).toISOString();
}

/**
 * ISO 8601 → MJD. A string without a zone is taken as UTC (the observers' convention);
 * throws naming the input when it does not parse.
 */
export function mjdFromIso(iso: string): number {
  const zoned = /[zZ]|[+-]\d\d:?\d\d$/.test(iso) ? iso : `${iso}Z`;
  const ms = Date.parse(zoned);
  if (!Number.isFinite(ms)) throw new Error(`not an ISO 8601 date-time: "${iso}"`);
  return mjdFromMs(ms);
}

/** astronomy-engine time for an MJD taken as UT (UT1 − UTC, below 0.9 s, is neglected). */
export function astroTime(mjd: number): AstroTime {
  return new AstroTime(mjd - MJD_J2000);
}

/** Parse a `YYYY-MM-DD` night label; throws naming the value when it is not a real date. */
export function parseNight(night: string): { year: number; month: number; day: number } {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(night);
  const date = m ? new Date(Date.UTC(+m[1], +m[2] - 1, +m[3])) : null;
  if (!m || !date || date.getUTCDate() !== +m[3] || date.getUTCMonth() !== +m[2] - 1) {
    throw new Error(`night must be a date YYYY-MM-DD, got "${night}"`);
  }
  return { year: +m[1], month: +m[2], day: +m[3] };
}
