/** `node --import <this file>` installs the stand-in's resolution hook (see hooks.mjs). */
import { register } from 'node:module';

register('./hooks.mjs', import.meta.url);
