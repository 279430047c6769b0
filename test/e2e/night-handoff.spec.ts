/**
 * "Send to ASPRO2" from Tonight hands over the whole plan (issue #11, #19), to a real JSAMP client
 * registered as Aspro2 (test/e2e/peers/Aspro2Receiver.java: it fetches the table from the message's
 * URL and answers, as ASPRO2 does): every CAL star of the plan is in the VOTable it received,
 * linked to the science target it calibrates, with the PoP set of its blocks; every science target
 * carries its sequence's PoP set; PERIOD and BEAMS are ones ASPRO2's CHARA.xml holds. The server's
 * hub is isolated with SAMP_HUB in a temp folder.
 */
import { XMLParser } from 'fast-xml-parser';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, shot, test } from './fixtures';

const JAR = '/usr/share/java/jsamp.jar';
const hasJdk = existsSync(JAR) && /^jdk\.compiler@/m.test(spawnSync('java', ['--list-modules'], { encoding: 'utf8' }).stdout ?? '');
const required = process.env.SPICA_REQUIRE_PEERS === '1';
const hubDir = mkdtempSync(join(tmpdir(), 'samp-handoff-'));
const SAMP_HUB = `std-lockurl:file://${join(hubDir, 'lockfile')}`;
const NIGHT = '2026-09-14';

test.use({ demoCount: 200, serverEnv: { SAMP_HUB } });
if (required && !hasJdk) throw new Error('JSAMP and a JDK are required (apt-get install jsamp openjdk-17-jdk-headless)');
test.skip(!hasJdk, 'JSAMP or a JDK compiler missing (apt-get install jsamp openjdk-17-jdk-headless)');

let receiver: ChildProcess | null = null;
let receiverOut = '';
test.afterAll(() => {
  receiver?.kill('SIGTERM');
  rmSync(hubDir, { recursive: true, force: true });
});

/** The Targets and TargetsCalibrators tables and the PARAMs of a VOTable, by column name. */
function readVotable(xml: string) {
  const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (n) => ['TABLE', 'FIELD', 'TR', 'TD', 'PARAM'].includes(n) }).parse(xml);
  const resource = doc.VOTABLE.RESOURCE;
  const params = Object.fromEntries((resource.PARAM as Array<{ name: string; value: string }>).map((p) => [p.name, p.value]));
  const table = (name: string) => {
    const t = (resource.TABLE as Array<Record<string, unknown>>).find((x) => x.name === name)!;
    const fields = (t.FIELD as Array<{ name: string }>).map((f) => f.name);
    const rows = ((t.DATA as { TABLEDATA: { TR?: Array<{ TD: unknown[] }> } }).TABLEDATA.TR ?? []).map((tr) =>
      Object.fromEntries(fields.map((f, i) => [f, typeof tr.TD[i] === 'object' || tr.TD[i] === undefined ? '' : String(tr.TD[i])])),
    );
    return rows;
  };
  return { params, targets: table('Targets'), links: table('TargetsCalibrators') };
}

test('the ASPRO2 VOTable a real JSAMP client receives holds every CAL star of the plan and its PoP sets', async ({ page, app }) => {
  test.setTimeout(240_000);
  await page.getByRole('dialog', { name: 'Import finished' }).waitFor({ state: 'visible', timeout: 3_000 }).then(() => page.keyboard.press('Escape'), () => undefined);
  await app.services.call('samp.connect', {});
  receiver = spawn('java', ['-Djava.awt.headless=true', '-cp', JAR, join(import.meta.dirname, 'peers/Aspro2Receiver.java'), hubDir], { env: { ...process.env, SAMP_HUB }, stdio: ['ignore', 'pipe', 'pipe'] });
  receiver.stdout?.on('data', (d: Buffer) => (receiverOut += d.toString()));
  receiver.stderr?.on('data', (d: Buffer) => (receiverOut += d.toString()));
  await expect.poll(() => receiverOut, { timeout: 60_000 }).toContain('REGISTERED');
  await expect(page.getByTestId('samp-status')).toContainText('SAMP: Aspro2', { timeout: 30_000 });

  await page.getByTestId('nav-tonight').click();
  await page.getByTestId('tonight-screen').getByTestId('night-input').fill(NIGHT);
  await page.getByTestId('plan-button').click();
  await expect(page.getByTestId('next-block')).toBeVisible({ timeout: 120_000 });
  const plan = (await app.services.call('planner.latest', { night: NIGHT }))!;
  const cal = plan.blocks.filter((b) => b.kind === 'CAL');
  const sci = plan.blocks.filter((b) => b.kind === 'SCI');

  await page.getByTestId('send-aspro2').click();
  const modal = page.getByTestId('send-plan-modal');
  await expect(modal.getByTestId('send-plan-summary')).toContainText(`${sci.length} science target`);
  await expect(modal.getByTestId('send-plan-summary')).toContainText('CHARA 2026A, SPICA E1 W2 W1 S2 S1 E2 (beams V1 V2 V3 V4 V5 V6)');
  await expect(modal.getByTestId('send-plan-notes')).toContainText('no 2026B configuration');
  await shot(page, 'night-handoff-modal');
  await modal.getByTestId('send-plan-submit').click();
  await expect(page.getByText(/^Aspro2 received \d+ targets? and \d+ calibrators?/)).toBeVisible({ timeout: 30_000 });
  await expect.poll(() => /RECEIVED (\S+) \d+/.exec(receiverOut)?.[1] ?? null, { timeout: 15_000 }).not.toBeNull();
  const file = /RECEIVED (\S+) \d+/.exec(receiverOut)![1];
  const vot = readVotable(readFileSync(file, 'utf8'));

  // PERIOD, stations and BEAMS as CHARA.xml's SPICA 2026A 6T configuration.
  expect(vot.params).toMatchObject({ PERIOD: 'CHARA 2026A', CONFIGURATIONS: 'E1 W2 W1 S2 S1 E2', BEAMS: 'V1 V2 V3 V4 V5 V6', DATE: NIGHT, INSTRUMENT: 'SPICA_6T' });
  const order = vot.params.CONFIGURATIONS.split(' ');
  const inOrder = (pops: string) => order.map((s) => pops[plan.config.stations.indexOf(s)]).join('');
  const byName = new Map(vot.targets.map((t) => [t.NAME, t]));
  // Every CAL star of the plan, linked to what it calibrates, with its blocks' PoPs.
  for (const b of cal) {
    const row = byName.get(b.name);
    expect(row, `CAL ${b.name} in the VOTable`).toBeDefined();
    for (const s of b.calibrates) expect(vot.links).toContainEqual({ SCIENCE_TARGET_NAME: s, CALIBRATOR_NAME: b.name });
    if (row!.nss_type === 'CAL') expect(row!.pops.split('/'), b.name).toContain(inOrder(b.pops));
  }
  // Every science target with its sequence's PoP set; the plan's PoP sets are all there.
  for (const b of sci) expect(byName.get(b.name)?.pops, b.name).toBe(inOrder(b.pops));
  const sets = new Set(sci.map((b) => inOrder(b.pops)));
  expect(new Set(vot.targets.filter((t) => t.nss_type === 'SCI').map((t) => t.pops))).toEqual(sets);
  if (sets.size === 1) expect(vot.params.POPS).toBe([...sets][0]);
  else expect(vot.params.POPS).toBeUndefined();
  // Each star once.
  expect(vot.targets.length).toBe(new Set(vot.targets.map((t) => t.NAME)).size);
  expect(vot.targets.filter((t) => / \(\d+\)$/.test(t.NAME))).toEqual([]);

  // One PoP set as one observation: POPS fixed, only its sequences.
  if (sets.size > 1) {
    const one = [...sets][0];
    await page.getByTestId('send-aspro2').click();
    await page.getByTestId('send-plan-popset').click();
    await page.getByRole('option', { name: new RegExp(`^only ${one}`) }).click();
    await page.getByTestId('send-plan-submit').click();
    await expect.poll(() => (receiverOut.match(/RECEIVED/g) ?? []).length, { timeout: 30_000 }).toBe(2);
    const second = readVotable(readFileSync([...receiverOut.matchAll(/RECEIVED (\S+) \d+/g)][1][1], 'utf8'));
    expect(second.params.POPS).toBe(one);
    expect(second.targets.filter((t) => t.nss_type === 'SCI').map((t) => t.NAME).sort()).toEqual(sci.filter((b) => inOrder(b.pops) === one).map((b) => b.name).sort());
  }
});
