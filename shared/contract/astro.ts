/** Contract of the astro domain: methods and events. */
import { z } from 'zod';
import { defineEvent, defineMethod, type EventMap, type MethodMap } from './define';

export const astroMethods = {} satisfies MethodMap;

export const astroEvents = {} satisfies EventMap;
