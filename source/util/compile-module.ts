/**
 * Compiling a user's module (config, models, revision file; TypeScript or
 * JavaScript) to one plain ES module with esbuild, so it can be imported
 * without a loader: `fastedgy` and `fastedgy/migrations` become the URLs of
 * this package, `import.meta.url` stays the source's own, and every other
 * package import is left to Node. A module that imports files beside it is
 * not compiled (it is reported as `local`): the loader path handles those,
 * so a file two modules share stays one module.
 */
import type { Message, Plugin } from 'esbuild';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';

export type Compiled = { readonly kind: 'module'; readonly js: string } | { readonly kind: 'local' } | { readonly kind: 'error'; readonly message: string };

/** One line for an esbuild diagnostic: what, and where in the file. */
function describe(file: string, m: Message): string {
  const at = m.location;
  if (!at) return m.text;
  const where = `line ${at.line}, column ${at.column + 1}`;
  return at.file && !file.endsWith(at.file.replace(/^(\.\.\/)+/, '')) ? `${m.text} (${at.file}, ${where})` : `${m.text} (${where})`;
}

function externals(aliases: Readonly<Record<string, string>>, found: { local: boolean }): Plugin {
  return {
    name: 'fastedgy-externals',
    setup(build) {
      build.onResolve({ filter: /.*/ }, (args) => {
        if (args.kind === 'entry-point') return undefined;
        const alias = aliases[args.path];
        if (alias) return { path: alias, external: true };
        if (/^(\.|\/|file:)/.test(args.path)) found.local = true;
        return { path: args.path, external: true };
      });
    },
  };
}

/** Compiles each file (all at once: esbuild's one service process works through them in parallel). */
export async function compileModules(files: readonly string[], aliases: Readonly<Record<string, string>>): Promise<Compiled[]> {
  const esbuild = await import('esbuild');
  return Promise.all(
    files.map(async (file): Promise<Compiled> => {
      const found = { local: false };
      try {
        const result = await esbuild.build({
          entryPoints: [file],
          bundle: true,
          write: false,
          format: 'esm',
          platform: 'node',
          target: 'node20',
          logLevel: 'silent',
          // The compiled file lives in the cache; what the module sees of itself is its source's place.
          define: {
            'import.meta.url': JSON.stringify(pathToFileURL(file).href),
            'import.meta.filename': JSON.stringify(file),
            'import.meta.dirname': JSON.stringify(dirname(file)),
          },
          plugins: [externals(aliases, found)],
        });
        if (found.local) return { kind: 'local' };
        return { kind: 'module', js: result.outputFiles[0].text };
      } catch (e) {
        const errors = (e as { errors?: Message[] }).errors;
        return { kind: 'error', message: errors?.length ? describe(file, errors[0]) : (e as Error).message };
      }
    }),
  );
}

let version: string | undefined;

/** The compiler's name and version, part of every cache key; read from its package.json, so a cache hit never loads esbuild. */
export function compilerVersion(): string {
  if (version === undefined) {
    const path = createRequire(import.meta.url).resolve('esbuild/package.json');
    version = `esbuild@${(JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version}`;
  }
  return version;
}
