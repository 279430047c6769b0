/** `companion` commands of the astro domain. */
import type { Command } from '../command';

export const astroCommands: Command[] = [];
