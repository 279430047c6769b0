/**
 * Hybrid logical clocks against the rules of Kulkarni et al. (2014) as Actual Budget implements
 * them: strictly increasing values for local events, receive() above both clocks, drift refused,
 * string order = causal order; and the store stamps every change with one.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ClockDriftError, formatHlc, HLC_MAX_COUNTER, HybridLogicalClock, parseHlc } from '../../../shared/sync/hlc';
import { Sandbox } from './helpers';

const NODE_A = '0123456789abcdef';
const NODE_B = 'fedcba9876543210';

describe('hybrid logical clock', () => {
  it('formats as Actual does and parses back', () => {
    const text = formatHlc({ millis: Date.UTC(2026, 11, 7, 1, 2, 3, 456), counter: 10, node: NODE_A });
    expect(text).toBe('2026-12-07T01:02:03.456Z-000A-0123456789abcdef');
    expect(parseHlc(text)).toEqual({ millis: Date.UTC(2026, 11, 7, 1, 2, 3, 456), counter: 10, node: NODE_A });
    expect(() => parseHlc('yesterday')).toThrow(/not a hybrid logical clock value/);
  });

  it('increases strictly for local events, even when the wall clock stands still or goes back', () => {
    const c = new HybridLogicalClock(NODE_A);
    const t = 1_800_000_000_000;
    const values = [c.send(t), c.send(t), c.send(t - 5000), c.send(t + 1)];
    expect(values).toEqual([...values].sort());
    expect(new Set(values).size).toBe(4);
    expect(parseHlc(values[2])).toMatchObject({ millis: t, counter: 2 });
    expect(parseHlc(values[3])).toMatchObject({ millis: t + 1, counter: 0 });
  });

  it('moves one millisecond on when the counter is full instead of failing', () => {
    const c = new HybridLogicalClock(NODE_A, formatHlc({ millis: 1000, counter: HLC_MAX_COUNTER, node: NODE_A }));
    expect(parseHlc(c.send(1000))).toEqual({ millis: 1001, counter: 0, node: NODE_A });
  });

  it('receives a remote value above both clocks and refuses one far in the future', () => {
    const a = new HybridLogicalClock(NODE_A);
    const b = new HybridLogicalClock(NODE_B);
    const now = 1_800_000_000_000;
    const fromB = b.send(now + 2000);
    const merged = a.receive(fromB, now);
    expect(merged > fromB).toBe(true);
    expect(parseHlc(merged)).toMatchObject({ millis: now + 2000, counter: 1, node: NODE_A });
    expect(a.send(now) > merged).toBe(true);
    expect(() => a.receive(b.send(now + 10 * 60_000), now)).toThrow(ClockDriftError);
  });
});

describe('the store stamps every change', () => {
  const box = new Sandbox();
  afterEach(() => box.cleanup());

  it('with an increasing HLC, the node id, the origin and the batch', async () => {
    const s = box.services();
    const r = await s.call('survey.import', { fileName: 'a.csv', content: 'name,ra_deg,dec_deg,progname\nA,1,2,S01\nB,3,4,S01\n' });
    await s.call('settings.set', { key: 'ui.theme', value: 'night' });
    const rows = s.store.sqlite.prepare('select hlc, node_id, origin, batch_id from change_log order by seq').all() as Array<Record<string, string | null>>;
    expect(rows.length).toBe(6);
    expect(rows.map((x) => x.hlc)).toEqual([...rows.map((x) => x.hlc)].sort());
    expect(new Set(rows.map((x) => x.hlc)).size).toBe(rows.length);
    expect(new Set(rows.map((x) => x.node_id))).toEqual(new Set([s.store.nodeId]));
    expect(rows.slice(0, 5).every((x) => x.origin === 'import' && x.batch_id === r.batchId)).toBe(true);
    expect(rows[5]).toMatchObject({ origin: 'local', batch_id: null });
    const persisted = s.store.sqlite.prepare("select value from sync_state where key = 'hlc_last'").get() as { value: string };
    expect(persisted.value).toBe(rows[5].hlc);
  });
});
