/**
 * The plain prompts (`--plain`, and wherever the wizard does not run): on a
 * terminal that can redraw, @inquirer/prompts (arrow keys, inline help); on
 * TERM=dumb or in CI, plain lines (line-prompts.ts), where nothing may be
 * redrawn. Both cancel with an error named `ExitPromptError`.
 */
import * as inquirer from '@inquirer/prompts';
import * as lines from './line-prompts.js';

function linesOnly(): boolean {
  const env = process.env;
  const inCi = env.CI !== undefined && env.CI !== '0' && env.CI !== 'false';
  return !process.stdout.isTTY || !process.stdin.isTTY || env.TERM === 'dumb' || inCi;
}

export const input: typeof lines.input = (o) => (linesOnly() ? lines.input(o) : inquirer.input(o));
export const confirm: typeof lines.confirm = (o) => (linesOnly() ? lines.confirm(o) : inquirer.confirm(o));
export const select = <T>(o: Parameters<typeof lines.select<T>>[0]): Promise<T> =>
  linesOnly() ? lines.select(o) : inquirer.select<T>({ ...o, choices: [...o.choices] });
