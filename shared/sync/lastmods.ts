/**
 * SPICA-DB's audit column `lastmods`, as the catalog API writes it (`app:get-row-update-statement`):
 * a JSON array that starts with the marker `{"history":"API"}`, then one entry per write, newest
 * first: `{"utc": "<xs:dateTime>", "by": "<login>", "<column>": "<value as written>", …}`.
 * Values are strings (the API quotes everything). A text that does not parse gives no entries.
 */

/** One write recorded in `lastmods`. */
export interface LastmodsEntry {
  utc: string;
  by: string;
  /** Columns the write set, with the values as the API recorded them. */
  values: Record<string, string>;
}

/** The entries of a `lastmods` text, newest first (empty for NULL or unreadable text). */
export function parseLastmods(text: string | null | undefined): LastmodsEntry[] {
  if (!text) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return [];
  }
  if (!Array.isArray(parsed)) return [];
  const entries: LastmodsEntry[] = [];
  for (const item of parsed) {
    if (!item || typeof item !== 'object' || Array.isArray(item)) continue;
    const { utc, by, history, ...rest } = item as Record<string, unknown>;
    if (history !== undefined && utc === undefined) continue;
    const values: Record<string, string> = {};
    for (const [k, v] of Object.entries(rest)) values[k.toLowerCase()] = v === null ? '' : String(v);
    entries.push({ utc: typeof utc === 'string' ? utc : '', by: typeof by === 'string' ? by : '', values });
  }
  return entries;
}

/** The newest entry, as the base remembers it (`{utc, by}`), or null. */
export function lastmodsHead(text: string | null | undefined): { utc: string; by: string } | null {
  const first = parseLastmods(text)[0];
  return first ? { utc: first.utc, by: first.by } : null;
}

/** The newest write that touched `column`, for "changed by … at …" (null when none is recorded). */
export function lastWriteOf(entries: LastmodsEntry[], column: string): LastmodsEntry | null {
  return entries.find((e) => column in e.values) ?? null;
}

/**
 * Writes newer than `head` (the newest entry the base had; null: the base had none), newest first.
 * When `head` is no longer in the list (the table was re-ingested), every entry counts as newer.
 */
export function entriesSince(entries: LastmodsEntry[], head: { utc: string; by: string } | null): LastmodsEntry[] {
  if (!head) return entries;
  const at = entries.findIndex((e) => e.utc === head.utc && e.by === head.by);
  return at < 0 ? entries : entries.slice(0, at);
}

/** Whether a login (an e-mail address) is the same account as `by`, as eXist compares user names. */
export function sameLogin(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}
