/** Contract of the calibrators domain: methods and events. */
import { z } from 'zod';
import { defineEvent, defineMethod, type EventMap, type MethodMap } from './define';

export const calibratorsMethods = {} satisfies MethodMap;

export const calibratorsEvents = {} satisfies EventMap;
