import type { GlobalOptions } from '../session.js';
import { current } from './info.js';

export const run = (_a: unknown[], _o: unknown, globals: GlobalOptions) => current(globals);
