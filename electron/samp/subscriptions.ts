/**
 * MType subscription matching as JSAMP does it (`Subscriptions.matchLevel`): an exact pattern
 * wins, `a.b.*` matches by prefix (so also `a.b` itself), `*` matches everything, and the most
 * specific matching pattern supplies the annotation.
 */
import type { SampMap } from './values';

/** How specifically `pattern` matches `mtype`: -1 no match, larger is more specific. */
export function matchLevel(pattern: string, mtype: string): number {
  if (pattern === mtype) return Number.MAX_SAFE_INTEGER;
  if (pattern === '*') return 0;
  if (pattern.endsWith('.*')) {
    const prefix = pattern.slice(0, -2);
    if (mtype === prefix || mtype.startsWith(`${prefix}.`)) return prefix.split('.').length;
  }
  return -1;
}

/** The annotation map of the best pattern in `subs` matching `mtype`, or undefined. */
export function matchSubscription(subs: SampMap, mtype: string): SampMap | undefined {
  let best = -1;
  let found: SampMap | undefined;
  for (const pattern of Object.keys(subs)) {
    const level = matchLevel(pattern, mtype);
    if (level > best) {
      best = level;
      const a = subs[pattern];
      found = typeof a === 'object' && !Array.isArray(a) ? a : (Object.create(null) as SampMap);
    }
  }
  return found;
}
