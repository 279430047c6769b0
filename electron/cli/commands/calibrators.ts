/** `companion` commands of the calibrators domain. */
import type { Command } from '../command';

export const calibratorsCommands: Command[] = [];
