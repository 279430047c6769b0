/**
 * `readRegularFile`, the one way the review service reads a file a user or a peer named: regular
 * files only, and a limit counted in bytes actually read (a /proc file reports size 0 and still
 * has content; a file may grow between stat and read).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileReadError, readRegularFile } from '../../../electron/files/read-regular-file';
import { fifo } from './hostile';

const dir = mkdtempSync(join(tmpdir(), 'read-regular-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function refusal(path: string, max = 1024): FileReadError {
  try {
    readRegularFile(path, max);
  } catch (e) {
    return e as FileReadError;
  }
  throw new Error('read without an error');
}

describe('readRegularFile', () => {
  it('reads a regular file whole', () => {
    writeFileSync(join(dir, 'a'), 'x'.repeat(100_000));
    expect(readRegularFile(join(dir, 'a'), 200_000).length).toBe(100_000);
  });

  it('counts the bytes it reads: a /proc file of stat size 0 is read, and refused past the limit', () => {
    const status = readRegularFile('/proc/self/status', 1_000_000);
    expect(new TextDecoder().decode(status)).toContain('VmRSS');
    expect(refusal('/proc/self/status', 16).message).toBe('/proc/self/status: more than the 16-byte limit (the file grew while it was read)');
  });

  it('refuses a file over the limit before reading it', () => {
    writeFileSync(join(dir, 'big'), Buffer.alloc(5000));
    expect(refusal(join(dir, 'big'), 4096).message).toBe(`${join(dir, 'big')}: more than the 4096-byte limit (5000 bytes)`);
  });

  it('refuses what is not a regular file, at once: device, FIFO, folder; names a missing file', () => {
    expect(refusal('/dev/zero')).toMatchObject({ code: 'invalid-input', message: '/dev/zero: is a device, not a regular file' });
    const pipe = fifo(join(dir, 'pipe'));
    expect(refusal(pipe).message).toBe(`${pipe}: is a named pipe (FIFO), not a regular file`);
    expect(refusal(dir).message).toBe(`${dir}: is a folder, not a regular file`);
    expect(refusal(join(dir, 'none'))).toMatchObject({ code: 'not-found', message: `${join(dir, 'none')}: no such file` });
  });
});
