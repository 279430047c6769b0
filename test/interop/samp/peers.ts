/**
 * Real SAMP peers for the interop tests: JSAMP (Debian `jsamp`) and astropy (Debian
 * `python3-astropy`). Each test isolates its hub with SAMP_HUB=std-lockurl:file://<temp>/lockfile,
 * and every process started here is tracked so `stopAll()` can end it, also after a failure.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEBIAN_PYTHON, JSAMP_JAR, peerMissing } from '../require-peer';

export { JSAMP_JAR } from '../require-peer';
export const PYTHON = DEBIAN_PYTHON;
export const FIXTURES = path.join(import.meta.dirname, '../../fixtures/samp');

/** Why JSAMP cannot run here, or null when it can (throws under SPICA_REQUIRE_PEERS=1). */
export function jsampMissing(): string | null {
  return peerMissing('jsamp');
}

/** Why JSAMP programs given as Java source (single-file launch) cannot run here, or null. */
export function javaSourceMissing(): string | null {
  return jsampMissing() ?? peerMissing('jdk');
}

/** Why STILTS cannot run here, or null when it can. */
export function stiltsMissing(): string | null {
  return peerMissing('stilts');
}

/** Why astropy's SAMP cannot run here, or null when it can (throws under SPICA_REQUIRE_PEERS=1). */
export function astropyMissing(): string | null {
  return peerMissing('astropy');
}

/** A private hub location for one test (or one shared suite). */
export interface HubSandbox {
  dir: string;
  lockPath: string;
  env: NodeJS.ProcessEnv;
  cleanup(): void;
}

export function hubSandbox(): HubSandbox {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'samp-interop-'));
  const lockPath = path.join(dir, 'lockfile');
  return {
    dir,
    lockPath,
    env: { ...process.env, SAMP_HUB: `std-lockurl:file://${lockPath}` },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A started peer process with its collected output. */
export interface Peer {
  proc: ChildProcess;
  out(): string;
  err(): string;
  exited: Promise<number | null>;
}

const running = new Set<ChildProcess>();

/** Start a process, tracked for `stopAll`. */
export function startPeer(cmd: string, args: string[], env: NodeJS.ProcessEnv): Peer {
  const proc = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(proc);
  let out = '';
  let err = '';
  proc.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  proc.stderr?.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<number | null>((resolve) => {
    proc.on('exit', (code) => {
      running.delete(proc);
      resolve(code);
    });
    proc.on('error', () => {
      running.delete(proc);
      resolve(null);
    });
  });
  return { proc, out: () => out, err: () => err, exited };
}

/** Run a peer to completion (with a deadline); resolves to its exit code and output. */
export async function runPeer(cmd: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs = 60_000): Promise<{ code: number | null; out: string; err: string }> {
  const peer = startPeer(cmd, args, env);
  const timer = setTimeout(() => peer.proc.kill('SIGKILL'), timeoutMs);
  const code = await peer.exited;
  clearTimeout(timer);
  return { code, out: peer.out(), err: peer.err() };
}

/** Arguments to run a JSAMP tool through the JAR (the /usr/bin/jsamp wrapper breaks spaced args). */
export function jsampArgs(tool: string, ...args: string[]): string[] {
  return ['-Djava.awt.headless=true', '-cp', JSAMP_JAR, 'org.astrogrid.samp.JSamp', tool, ...args];
}

/** Stop a peer with `signal`, then SIGKILL after `graceMs`. */
export async function stopPeer(peer: Peer, signal: NodeJS.Signals = 'SIGTERM', graceMs = 5000): Promise<void> {
  if (peer.proc.exitCode !== null || peer.proc.signalCode !== null) return;
  peer.proc.kill(signal);
  const timer = setTimeout(() => peer.proc.kill('SIGKILL'), graceMs);
  await peer.exited;
  clearTimeout(timer);
}

/** End every process still running (afterEach/afterAll safety net). */
export async function stopAll(): Promise<void> {
  await Promise.all(
    [...running].map(
      (proc) =>
        new Promise<void>((resolve) => {
          if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
          proc.once('exit', () => resolve());
          proc.kill('SIGTERM');
          setTimeout(() => proc.kill('SIGKILL'), 3000).unref();
        }),
    ),
  );
}

/** Poll until `cond` holds. */
export async function waitFor(cond: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Start the JSAMP hub (Standard Profile, no GUI) and wait for its lockfile. */
export async function startJsampHub(box: HubSandbox): Promise<Peer> {
  const hub = startPeer('java', jsampArgs('hub', '-mode', 'no-gui', '-profiles', 'std'), box.env);
  await waitFor(() => existsSync(box.lockPath) && readFileSync(box.lockPath, 'latin1').includes('samp.hub.xmlrpc.url'), 20_000, 'the JSAMP hub lockfile');
  return hub;
}

/** Start a JSAMP snooper named `name` and wait until it answers a ping. */
export async function startSnooper(box: HubSandbox, name: string, ...mtypes: string[]): Promise<Peer> {
  const snoop = startPeer('java', jsampArgs('snooper', '-clientname', name, ...mtypes.flatMap((m) => ['-mtype', m])), box.env);
  await waitFor(
    async () => (await runPeer('java', jsampArgs('messagesender', '-mtype', 'samp.app.ping', '-targetname', name, '-mode', 'sync'), box.env, 20_000)).code === 0,
    30_000,
    `the snooper "${name}"`,
  );
  return snoop;
}
