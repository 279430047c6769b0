import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchUrl, filePathOfUrl } from '../../../electron/samp/fetch-url';

describe('fetching a url parameter', () => {
  let dir: string;
  let server: http.Server;
  let origin: string;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'samp-fetch-'));
    server = http.createServer((req, res) => {
      if (req.url === '/big') {
        res.writeHead(200);
        for (let i = 0; i < 64; i++) res.write(Buffer.alloc(1024, 65));
        res.end();
      } else if (req.url === '/t.vot') res.end('<VOTABLE/>');
      else {
        res.writeHead(404);
        res.end();
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('accepts the file: forms peers send and refuses other hosts', () => {
    expect(filePathOfUrl('file:///tmp/a%20b.vot')).toBe('/tmp/a b.vot');
    expect(filePathOfUrl('file://localhost/tmp/a.vot')).toBe('/tmp/a.vot');
    expect(filePathOfUrl('file:/tmp/a.vot')).toBe('/tmp/a.vot');
    expect(() => filePathOfUrl('file://elsewhere/tmp/a.vot')).toThrow(/another host/);
  });

  it('reads http and file URLs within the size limit', async () => {
    expect((await fetchUrl(`${origin}/t.vot`)).bytes.toString()).toBe('<VOTABLE/>');
    const file = path.join(dir, 't.vot');
    writeFileSync(file, 'x'.repeat(100));
    const local = await fetchUrl(`file://${file}`);
    expect(local.localPath).toBe(file);
    await expect(fetchUrl(`file://${file}`, 50)).rejects.toThrow(/more than the limit of 50/);
    await expect(fetchUrl(`${origin}/big`, 10_000)).rejects.toThrow(/limit of 10000 bytes/);
  });

  it('refuses other schemes, missing files and HTTP errors, naming the URL', async () => {
    await expect(fetchUrl('ftp://127.0.0.1/x')).rejects.toThrow(/ftp: is not accepted/);
    await expect(fetchUrl('data:text/plain,hi')).rejects.toThrow(/not accepted/);
    await expect(fetchUrl(`file://${dir}/missing.vot`)).rejects.toThrow(/missing.vot .*not a readable file/);
    await expect(fetchUrl(`${origin}/nope`)).rejects.toThrow(/HTTP 404/);
    await expect(fetchUrl('not a url')).rejects.toThrow(/is not a URL/);
  });
});
