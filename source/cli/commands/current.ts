import type { GlobalOptions } from '../session.js';
import { current } from './info.js';

export const run = (_a: unknown[], o: { database?: string }, globals: GlobalOptions) => current(globals, o);
