/**
 * Imports a user's TypeScript or JavaScript module (config, models, revision
 * files) with tsx, and with `fastedgy` resolving to this very package.
 */
import { register } from 'node:module';
import { pathToFileURL } from 'node:url';

let ready: Promise<void> | null = null;

async function setUp(): Promise<void> {
  // Under vitest the test runner already transforms TypeScript.
  if (process.env.VITEST) return;
  const { register: registerTsx } = await import('tsx/esm/api');
  registerTsx();
  const here = import.meta.url;
  register(new URL('./alias-hooks.js', here), {
    data: {
      aliases: {
        fastedgy: new URL('../index.js', here).href,
        'fastedgy/migrations': new URL('../migrations.js', here).href,
      },
    },
  });
}

let generation = 0;

/**
 * `fresh` re-reads a file that changed since it was first imported (ES
 * modules are cached by URL, so a query string makes a new one).
 */
export async function importModule(file: string, options: { fresh?: boolean } = {}): Promise<Record<string, unknown>> {
  ready ??= setUp();
  await ready;
  let url = pathToFileURL(file).href;
  if (options.fresh) url += `?v=${++generation}`;
  return (await import(url)) as Record<string, unknown>;
}
