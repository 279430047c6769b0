/**
 * `companion serve` through the CLI bundle: browser mode's services run as the browser
 * transport (review watching, calibrator warm-up and SAMP depend on it), and the page's
 * start-up status is reachable over its HTTP API.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../../..');
const dataDir = mkdtempSync(join(tmpdir(), 'spica-serve-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('companion serve', () => {
  it('serves the services as the browser transport', async () => {
    const child = spawn(process.execPath, [join(ROOT, 'electron/cli/bin.mjs'), 'serve', '--data-dir', dataDir, '--no-demo'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, SPICA_SAMP: 'off' } });
    try {
      const openUrl = await new Promise<string>((resolveUrl, reject) => {
        let out = '';
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          const m = /(http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(out);
          if (m) resolveUrl(m[1]);
        });
        child.on('exit', (code) => reject(new Error(`serve exited with ${code}`)));
      });
      const url = new URL(openUrl);
      const call = async (method: string) => {
        const r = await fetch(`${url.origin}/api/call/${method}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${url.searchParams.get('token')}` }, body: '{}' });
        return (await r.json()) as { ok: boolean; result: Record<string, unknown> };
      };
      expect(await call('app.info')).toMatchObject({ ok: true, result: { transport: 'browser', dataDir } });
      expect(await call('app.startup')).toMatchObject({ ok: true, result: { state: 'idle' } });
    } finally {
      child.kill('SIGTERM');
    }
  });
});
