import type { GlobalOptions } from '../session.js';
import { runMove } from './moves.js';
import type { MoveOptions } from './moves.js';

export async function run(args: unknown[], options: MoveOptions & { interactive?: boolean }, globals: GlobalOptions): Promise<number> {
  if (options.interactive) return (await import('./browse.js')).run([], { ignoreChecksums: options.ignoreChecksums }, globals);
  return runMove('upgrade', String(args[0] ?? 'head'), options, globals);
}
