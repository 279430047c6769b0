/** `companion` commands of the planner domain. */
import type { Command } from '../command';

export const plannerCommands: Command[] = [];
