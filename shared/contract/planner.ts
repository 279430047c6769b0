/** Contract of the planner domain: methods and events. */
import { z } from 'zod';
import { defineEvent, defineMethod, type EventMap, type MethodMap } from './define';

export const plannerMethods = {} satisfies MethodMap;

export const plannerEvents = {} satisfies EventMap;
