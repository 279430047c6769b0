import { describe, expect, it } from 'vitest';
import { matchLevel, matchSubscription } from '../../../electron/samp/subscriptions';

describe('MType subscription matching (JSAMP semantics)', () => {
  it('matches exact, prefix wildcard (including the prefix itself) and *', () => {
    expect(matchLevel('table.load.votable', 'table.load.votable')).toBeGreaterThan(matchLevel('table.*', 'table.load.votable'));
    expect(matchLevel('table.*', 'table.load.votable')).toBeGreaterThan(matchLevel('*', 'table.load.votable'));
    expect(matchLevel('table.load.*', 'table.load')).toBeGreaterThanOrEqual(0);
    expect(matchLevel('table.*', 'tablex.load')).toBe(-1);
    expect(matchLevel('table.load', 'table.load.votable')).toBe(-1);
  });

  it('returns the annotation of the most specific pattern', () => {
    const subs = { '*': { level: 'any' }, 'samp.hub.event.*': { level: 'events' }, 'samp.hub.event.shutdown': { level: 'exact' } };
    expect(matchSubscription(subs, 'samp.hub.event.shutdown')).toEqual({ level: 'exact' });
    expect(matchSubscription(subs, 'samp.hub.event.register')).toEqual({ level: 'events' });
    expect(matchSubscription(subs, 'coord.pointAt.sky')).toEqual({ level: 'any' });
    expect(matchSubscription({ 'table.*': {} }, 'coord.pointAt.sky')).toBeUndefined();
  });
});
