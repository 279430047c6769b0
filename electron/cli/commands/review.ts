/** `companion` commands of the review domain. */
import type { Command } from '../command';

export const reviewCommands: Command[] = [];
