import type { GlobalOptions } from '../session.js';
import { runMove } from './moves.js';
import type { MoveOptions } from './moves.js';

export async function run(args: unknown[], options: MoveOptions, globals: GlobalOptions): Promise<number> {
  return runMove('downgrade', String(args[0] ?? '-1'), options, globals);
}
