import type { GlobalOptions } from '../session.js';
import { showRevision } from './info.js';

export const run = (args: unknown[], _o: unknown, globals: GlobalOptions) => showRevision(String(args[0]), globals);
