import type { GlobalOptions } from '../session.js';
import { listHeads } from './info.js';

export const run = (_a: unknown[], _o: unknown, globals: GlobalOptions) => listHeads(globals);
