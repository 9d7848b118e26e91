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

export async function resolve(specifier: string, context: unknown, nextResolve: NextResolve): Promise<{ url: string; shortCircuit?: boolean }> {
  const target = aliases[specifier];
  if (target) return { url: target, shortCircuit: true };
  return nextResolve(specifier, context);
}
