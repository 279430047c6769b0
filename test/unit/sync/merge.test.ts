/**
 * The pure parts of lane A: canonical values (normalize-space, NULLs, float tolerance, JSON),
 * `lastmods` as the catalog API writes it (the SQL of emulate_catalogapi_update.sql), and the
 * three-way merge table of sync.md §5, checked case by case and as properties.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonValue, normalizeSpace, sameCanon, type CanonValue } from '../../../shared/sync/canon';
import { entriesSince, lastmodsHead, lastWriteOf, parseLastmods } from '../../../shared/sync/lastmods';
import { editPending, mergePending } from '../../../shared/sync/merge';
import { piNamesOf, primaryKeyOf, lastmodsColumnOf, endpointsOf } from '../../../shared/sync/jmmc';

describe('canonical values', () => {
  it('applies normalize-space and maps "" to NULL, as the API stores text', () => {
    expect(normalizeSpace('  a  b\nc\t d\r\n')).toBe('a b c d');
    expect(canonValue('text', 'a  b\nc')).toBe('a b c');
    expect(canonValue('text', '   ')).toBeNull();
    expect(canonValue('text', null)).toBeNull();
  });

  it('parses numbers, keeps integers exact and compares floats to 1e-6', () => {
    expect(canonValue('int', '1')).toBe(1);
    expect(canonValue('int', ' 0 ')).toBe(0);
    expect(canonValue('int', '')).toBeNull();
    expect(canonValue('double', '0.25')).toBe(0.25);
    expect(canonValue('double', 'NaN')).toBeNull();
    expect(canonValue('int', 'abc')).toBe('abc');
    expect(sameCanon('float', 7.8, Math.fround(7.8))).toBe(true);
    expect(sameCanon('double', 7.8, Math.fround(7.8))).toBe(false);
    expect(sameCanon('int', 0, null)).toBe(false);
  });

  it('compares JSON columns parsed', () => {
    expect(canonValue('json', '[{"type": "disk",  "diameter": 0.27}]')).toBe(canonValue('json', '[{"type":"disk","diameter":0.27}]'));
  });
});

describe('lastmods', () => {
  // What the two PUTs of emulate_catalogapi_update.sql leave in PostgreSQL (sync.md §2.3).
  const text =
    '[{"history":"API"},{"utc":"2026-12-07T01:00:00.000+01:00", "by":"spica-qcs@jmmc.fr", "priority_pi":"0"},{"utc":"2026-12-06T23:00:00.000+01:00", "by":"pi@example.org", "priority_pi":"2", "comments":"a b c"} ]';

  it('reads the entries newest first and finds who last wrote a column', () => {
    const entries = parseLastmods(text);
    expect(entries.map((e) => e.by)).toEqual(['spica-qcs@jmmc.fr', 'pi@example.org']);
    expect(lastWriteOf(entries, 'comments')).toMatchObject({ by: 'pi@example.org', utc: '2026-12-06T23:00:00.000+01:00' });
    expect(lastWriteOf(entries, 'priority_pi')?.by).toBe('spica-qcs@jmmc.fr');
    expect(lastmodsHead(text)).toEqual({ utc: '2026-12-07T01:00:00.000+01:00', by: 'spica-qcs@jmmc.fr' });
    expect(entriesSince(entries, { utc: '2026-12-06T23:00:00.000+01:00', by: 'pi@example.org' }).map((e) => e.by)).toEqual(['spica-qcs@jmmc.fr']);
    expect(parseLastmods('not json')).toEqual([]);
    expect(parseLastmods(null)).toEqual([]);
  });
});

describe('JMMC catalogue rules', () => {
  it('keys, audit columns and PI names as app.xql decides them', () => {
    expect(primaryKeyOf('spica')).toBe('spicadb_id');
    expect(primaryKeyOf('spica_2022_03_30')).toBe('spicadb_id');
    expect(primaryKeyOf('spica_calprim')).toBe('id');
    expect(primaryKeyOf('badcal')).toBe('id');
    expect(primaryKeyOf('spica_followup')).toBe('tpl_start');
    expect(lastmodsColumnOf('spica')).toBe('lastmods');
    expect(lastmodsColumnOf('spica_calprim')).toBeNull();
    expect(piNamesOf({ piname: 'PI_A / PI_D', piname2: ' PI_B ' }, 'spica')).toEqual(['PI_A', 'PI_D', 'PI_B']);
    expect(endpointsOf('preprod')).toEqual({ tapUrl: 'https://tap-preprod.jmmc.fr/vollt/tap', apiUrl: 'https://oidb-beta.jmmc.fr/restxq/catalogs' });
    expect(endpointsOf('prod').apiUrl).toBe('https://oidb.jmmc.fr/restxq/catalogs');
  });
});

describe('three-way merge (sync.md §5)', () => {
  const kind = () => 'text' as const;
  it('pushes L when only L changed, takes R when only R changed, converges when R = L, conflicts otherwise', () => {
    const base = { comments: 'b' };
    expect(mergePending(kind, base, { comments: 'b' }, { comments: { local: 'l', base: 'b' } })).toEqual({ keep: { comments: { local: 'l', base: 'b' } }, converged: [], conflicts: [], missing: [] });
    expect(mergePending(kind, base, { comments: 'l' }, { comments: { local: 'l', base: 'b' } }).converged).toEqual(['comments']);
    expect(mergePending(kind, base, { comments: 'r' }, { comments: { local: 'l', base: 'b' } }).conflicts).toEqual([{ column: 'comments', base: 'b', local: 'l', remote: 'r' }]);
    expect(mergePending(kind, base, {}, { comments: { local: 'l', base: 'b' } }).missing).toEqual(['comments']);
    // No pulled base: the value the edit started from decides.
    expect(mergePending(kind, null, { comments: 'b' }, { comments: { local: 'l', base: 'b' } }).keep.comments).toEqual({ local: 'l', base: 'b' });
  });

  it('an edit back to the base leaves nothing to push; a second edit keeps the first base', () => {
    expect(editPending('text', undefined, 'b', 'b')).toBeNull();
    expect(editPending('text', undefined, 'b', 'x')).toEqual({ local: 'x', base: 'b' });
    expect(editPending('text', { local: 'x', base: 'b' }, 'x', 'y')).toEqual({ local: 'y', base: 'b' });
    expect(editPending('text', { local: 'x', base: 'b' }, 'x', 'b')).toBeNull();
  });

  it('as properties: every pending column has exactly one outcome, and a kept one is pushed over an unchanged remote', () => {
    const value = fc.oneof(fc.constant(null), fc.constantFrom('a', 'b', 'c')) as fc.Arbitrary<CanonValue>;
    fc.assert(
      fc.property(value, value, value, (b, l, r) => {
        fc.pre(l !== b);
        const m = mergePending(kind, { comments: b }, { comments: r }, { comments: { local: l, base: b } });
        const outcomes = [m.converged.length, Object.keys(m.keep).length, m.conflicts.length];
        expect(outcomes.reduce((x, y) => x + y)).toBe(1);
        if (r === l) expect(m.converged).toEqual(['comments']);
        else if (r === b) expect(m.keep.comments).toEqual({ local: l, base: r });
        else expect(m.conflicts[0]).toEqual({ column: 'comments', base: b, local: l, remote: r });
      }),
    );
  });
});
