/**
 * A fuzz child process: reads cases (one JSON per line) on stdin and, for each, writes a "start"
 * line and then its outcome on stdout. The harness that started it enforces the time budget by
 * killing this process, and the memory cap through the process's resource limits.
 */
import { createInterface } from 'node:readline';
import { runCase, type FuzzCase } from './run-case';

const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  if (!line.trim()) return;
  const c = JSON.parse(line) as FuzzCase;
  process.stdout.write(`${JSON.stringify({ id: c.id, start: true })}\n`);
  const outcome = runCase(c);
  process.stdout.write(`${JSON.stringify({ id: c.id, outcome })}\n`);
});
