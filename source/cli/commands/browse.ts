import { UserError } from '../../errors.js';
import type { GlobalOptions } from '../session.js';

export async function run(_args: unknown[], _options: unknown, _globals: GlobalOptions): Promise<number> {
  if (!process.stdin.isTTY || !process.stdout.isTTY)
    throw new UserError('the revision browser needs a terminal', { hint: 'use `fastedgy db migrate [TARGET]` or `fastedgy db downgrade [TARGET]`' });
  throw new UserError('the revision browser is not available in this version', {
    hint: 'use `fastedgy db history`, `fastedgy db migrate [TARGET]` and `fastedgy db downgrade [TARGET]`',
  });
}
