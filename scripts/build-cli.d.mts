/** Types of build-cli.mjs. */
export function buildCli(root?: string): Promise<string>;
