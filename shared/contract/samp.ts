/** Contract of the samp domain: methods and events. */
import { z } from 'zod';
import { defineEvent, defineMethod, type EventMap, type MethodMap } from './define';

export const sampMethods = {} satisfies MethodMap;

export const sampEvents = {} satisfies EventMap;
