/** Types of freshness.mjs (plain JS so the CLI launcher can use it before any build). */
export interface BuildFiles {
  outputs: string[];
  sources: string[];
}
export function newestMtimeMs(paths: readonly string[]): number;
export function isStale(outputs: readonly string[], sources: readonly string[]): boolean;
export function cliBuild(root: string): BuildFiles;
export function appBuild(root: string): BuildFiles;
