#!/usr/bin/env node
// Entry of the `companion` CLI: registers tsx so the TypeScript services run straight from the
// checkout (no build step after `npm install`), then hands over to main.ts.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./main.ts');
process.exitCode = await main(process.argv.slice(2));
