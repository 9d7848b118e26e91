import type { GlobalOptions } from '../session.js';
import { listHistory } from './info.js';

export const run = (_a: unknown[], _o: unknown, globals: GlobalOptions) => listHistory(globals);
