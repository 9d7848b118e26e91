/**
 * Module resolution hooks (run in Node's loader thread): `fastedgy` and
 * `fastedgy/migrations` always resolve to this copy of fastedgy, so a model
 * file or revision in any project can import them without installing the
 * package there.
 */
interface AliasData {
  readonly aliases: Record<string, string>;
}

let aliases: Record<string, string> = {};

export async function initialize(data: AliasData): Promise<void> {
  aliases = data.aliases;
}

type NextResolve = (specifier: string, context: unknown) => Promise<{ url: string }>;

/**
 * A project without `"type": "module"` would have its .ts files loaded as
 * CommonJS, where `import … from 'fastedgy'` cannot reach this ES module
 * package. Config, model and revision files are written as ES modules
 * (SPEC §3, §7), so they are loaded as such wherever they live.
 */
const USER_TS = /\.(ts|mts|tsx)(\?.*)?$/;

export async function resolve(
  specifier: string,
  context: unknown,
  nextResolve: NextResolve,
): Promise<{ url: string; shortCircuit?: boolean; format?: string }> {
  const target = aliases[specifier];
  if (target) return { url: target, shortCircuit: true };
  const resolved = (await nextResolve(specifier, context)) as { url: string; format?: string };
  if (resolved.url.startsWith('file:') && USER_TS.test(resolved.url) && !resolved.url.includes('/node_modules/'))
    return { ...resolved, format: 'module' };
  return resolved;
}
