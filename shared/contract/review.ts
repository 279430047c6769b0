/** Contract of the review domain: methods and events. */
import { z } from 'zod';
import { defineEvent, defineMethod, type EventMap, type MethodMap } from './define';

export const reviewMethods = {} satisfies MethodMap;

export const reviewEvents = {} satisfies EventMap;
