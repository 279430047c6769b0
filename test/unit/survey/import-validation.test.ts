/**
 * Hostile and implausible import input (issue #18, #10): out-of-range magnitudes, hexadecimal,
 * 50 MB names refused with the row named; completion above 1 accepted and a NULL PI priority kept
 * NULL; only regular files read, bounded by the bytes read (a FIFO, a directory, /dev/zero); CSV
 * export guarded against formula injection without breaking numbers.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../../electron/cli/main';
import { readImportFile } from '../../../electron/files/read-import-file';
import { targetsToCsv } from '../../../shared/survey/export';
import { MAX_NAME_CHARS, parseImport } from '../../../shared/survey/import-rows';
import { Sandbox } from './helpers';

const box = new Sandbox();
afterEach(() => box.cleanup());

const HEADER = 'name,ra_deg,dec_deg,vmag,hmag,completion_rate,progname,priority_pi,progname2,priority_pi2\n';

describe('plausible values', () => {
  it('refuses V = 1e+308, V = −99999, hexadecimal and over-long names, naming row and column', () => {
    const huge = 'x'.repeat(50 * 1024 * 1024);
    const r = parseImport(
      'bad.csv',
      HEADER +
        'ok,10,20,5,4,0,S01,0,,\n' +
        'far,10,20,1e+308,4,0,S01,0,,\n' +
        'sentinel,10,20,-99999,4,0,S01,0,,\n' +
        'hex,10,20,0x10,4,0,S01,0,,\n' +
        `${huge},10,20,5,4,0,S01,0,,\n` +
        'inf,10,20,Infinity,4,0,S01,0,,\n',
    );
    expect(r.targets.map((t) => t.name)).toEqual(['ok']);
    expect(r.skipped).toEqual([
      { row: 2, name: 'far', reason: 'vmag 1e+308 is outside -10..30' },
      { row: 3, name: 'sentinel', reason: 'vmag -99999 is outside -10..30' },
      { row: 4, name: 'hex', reason: 'vmag "0x10" is not a number' },
      { row: 5, name: null, reason: `name is ${huge.length} characters long (limit ${MAX_NAME_CHARS})` },
      { row: 6, name: 'inf', reason: 'vmag "Infinity" is not a number' },
    ]);
  });

  it('accepts completion above 1 (SPICA-DB holds 1.05–1.45) and keeps a missing PI priority NULL', async () => {
    const s = box.services();
    const report = await s.call('survey.import', {
      fileName: 'nss.csv',
      content: HEADER + 'done,10,20,5,4,1.25,S01,,S02,1\nhigh,30,40,5,4,0.5,S01,0,,\n',
    });
    expect(report).toMatchObject({ added: 2, skipped: [] });
    const { rows } = await s.call('survey.list', { filter: {}, sort: { key: 'name', direction: 'asc' } });
    expect(rows.map((t) => [t.name, t.completionRate, t.programmes.map((m) => m.piPriority)])).toEqual([
      ['done', 1.25, [null, 1]],
      ['high', 0.5, [0]],
    ]);
    expect(s.store.sqlite.prepare("select pi_priority from memberships m join programmes p on p.id = m.programme_id where p.code = 'S01' order by m.created_at_ms, m.rowid").all()).toEqual([
      { pi_priority: null },
      { pi_priority: 0 },
    ]);
  });

  it('says in the import report what was skipped', async () => {
    const s = box.services();
    const report = await s.call('survey.import', { fileName: 'x.csv', content: HEADER + 'a,10,20,99999,4,0,S01,0,,\nb,11,20,5,4,0,S01,0,,\n' });
    expect(report).toMatchObject({ added: 1, skipped: [{ row: 1, name: 'a', reason: 'vmag 99999 is outside -10..30' }] });
    const batch = (await s.call('survey.batches.list', { kinds: ['import'] }))[0];
    expect(batch).toMatchObject({ added: 1, skipped: 1 });
  });
});

describe('errors name where they are', () => {
  it('a DOCTYPE by line and column; missing columns by the header that lacks them (CSV and VOTable)', () => {
    const vot = '<?xml version="1.0"?>\n  <!DOCTYPE v [<!ENTITY a "aaaa">]>\n<VOTABLE><RESOURCE><TABLE><FIELD name="x"/><DATA><TABLEDATA/></DATA></TABLE></RESOURCE></VOTABLE>';
    expect(() => parseImport('a.vot', vot)).toThrow(/^line 2, column 3: DOCTYPE declarations are not accepted$/);
    const noRa = '<VOTABLE><RESOURCE><TABLE><FIELD name="name"/><FIELD name="x"/><DATA><TABLEDATA><TR><TD>a</TD><TD>1</TD></TR></TABLEDATA></DATA></TABLE></RESOURCE></VOTABLE>';
    expect(() => parseImport('a.vot', noRa)).toThrow(/^TABLE #1 FIELDs: no RA\/Dec columns: .*\(found: name, x\)$/);
    expect(() => parseImport('a.csv', 'star,alpha,delta\nHD 1,10,20\n')).toThrow(/^CSV line 1 \(the header\): no RA\/Dec columns/);
    expect(() => parseImport('a.csv', 'ra_deg,dec_deg\n10,20\n')).toThrow(/^CSV line 1 \(the header\): no name column/);
  });
});

describe('reading files to import', () => {
  it('refuses a FIFO at once, a directory, a device, and a file over the limit by bytes read', () => {
    const dir = box.dir();
    const fifo = join(dir, 'pipe.csv');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    expect(() => readImportFile(fifo)).toThrow(`${fifo}: is a named pipe (FIFO), not a file to import`);
    mkdirSync(join(dir, 'folder.vot'));
    expect(() => readImportFile(join(dir, 'folder.vot'))).toThrow(/folder.vot: is a folder, not a file to import/);
    expect(() => readImportFile('/dev/zero')).toThrow('/dev/zero: is a device, not a file to import');
    expect(() => readImportFile(join(dir, 'missing.csv'))).toThrow(/missing.csv: no such file/);
    const big = join(dir, 'big.csv');
    writeFileSync(big, 'x'.repeat(3 * 1024 * 1024));
    expect(() => readImportFile(big, 2 * 1024 * 1024)).toThrow(/big.csv: more than 2 MB \(the import limit; nothing was imported\) \(3145728 bytes\)$/);
    expect(readImportFile(big, 4 * 1024 * 1024)).toHaveLength(3 * 1024 * 1024);
  });

  it('`companion import /dev/zero` stops with one line and exit 2, and so does a directory', async () => {
    const dir = box.dir();
    let err = '';
    const io = { out: () => undefined, err: (t: string) => (err += `${t}\n`) };
    expect(await main(['import', '/dev/zero', '--data-dir', dir], io)).toBe(2);
    expect(err).toBe('companion import: /dev/zero: is a device, not a file to import\n');
    err = '';
    expect(await main(['import', dir, '--data-dir', dir], io)).toBe(2);
    expect(err).toMatch(/^companion import: .*: is a folder, not a file to import\n$/);
    expect(existsSync(join(dir, 'survey.sqlite'))).toBe(true);
  });
});

describe('CSV export', () => {
  it('guards formula-like text (OWASP) and leaves numbers, negative Dec and angles alone; an export re-imports unchanged', async () => {
    const s = box.services();
    await s.call('survey.import', {
      fileName: 'evil.csv',
      content:
        'name,ra_deg,dec_deg,vmag,progname,piname,comments\n' +
        '"=HYPERLINK(""http://evil.example"",""x"")",10,-28.5,5,S01,@PI,"+cmd|\' /C calc\'!A0"\n' +
        '-alpha,20,-0.25,-1.46,S01,PI B,fine\n',
    });
    const csv = (await s.call('survey.export', { filter: {}, format: 'csv' })).content;
    const rows = Papa.parse<Record<string, string>>(csv, { header: true, skipEmptyLines: true }).data;
    const evil = rows.find((r) => r.target_main_id.includes('HYPERLINK')) as Record<string, string>;
    expect(evil.target_main_id).toBe('\'=HYPERLINK("http://evil.example","x")');
    expect(evil.piname).toBe("'@PI");
    expect(evil.comments).toBe("'+cmd|' /C calc'!A0");
    expect(evil.dec).toBe('-28.5');
    expect(evil.dec_dms).toBe('-28:30:00.00');
    const minus = rows.find((r) => r.target_main_id.endsWith('alpha')) as Record<string, string>;
    expect(minus.target_main_id).toBe("'-alpha");
    expect(minus.vmag).toBe('-1.46');
    for (const r of rows) for (const cell of Object.values(r)) expect(/^[=+@\t\r]/.test(cell) || /^-[^\d.]/.test(cell)).toBe(false);

    const copy = box.services();
    await copy.call('survey.import', { fileName: 'export.csv', content: csv });
    const names = (d: typeof s) => d.call('survey.list', { filter: {}, sort: { key: 'name', direction: 'asc' } }).then((x) => x.rows.map((t) => [t.name, t.decDeg, t.vmag, t.programmes[0]?.pi, t.programmes[0]?.comments]));
    expect(await names(copy)).toEqual(await names(s));
  });

  it('guards a formula cell through targetsToCsv directly', () => {
    const csv = targetsToCsv([
      {
        id: 'x', name: '=1+1', spicadbId: null, raDeg: 1, decDeg: -2, vmag: null, hmag: null, spType: null, mode: null,
        programmes: [{ programme: 'S01', pi: '\tPI', piPriority: null, mode: null, comments: '\r=2', rank: 1 }],
        completionRate: 0, finalPriority: 4, observationCount: 0, lastObservedNight: null, isDemo: false,
      },
    ]);
    const [row] = Papa.parse<Record<string, string>>(csv, { header: true }).data;
    expect([row.target_main_id, row.dec, row.piname, row.comments, row.priority_pi]).toEqual(["'=1+1", '-2', "'\tPI", "'\r=2", '']);
  });
});
