/**
 * Compiling a user's module (config, models, revision file) to a plain ES
 * module with esbuild's transform (one file, no bundling: a thousand
 * revisions compile in about the time a thousand builds would spend on
 * setting up), so it can be imported without a loader: `fastedgy` and
 * `fastedgy/migrations` become the URLs of this package, `import.meta.url`
 * stays the source's own, and every other package import is left to Node.
 *
 * A module that imports files beside it, or whose imports cannot be read
 * for sure, is reported as `loader`: the loader path handles it, so a file
 * two modules share stays one module.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname } from 'node:path';
import { pathToFileURL } from 'node:url';

export type Compiled = { readonly kind: 'module'; readonly js: string } | { readonly kind: 'loader' } | { readonly kind: 'error'; readonly message: string };

const LOADERS: Readonly<Record<string, 'ts' | 'tsx' | 'js'>> = { '.ts': 'ts', '.mts': 'ts', '.tsx': 'tsx', '.mjs': 'js' };

/** Whether a file is compiled at all (a `.js` file may be CommonJS, depending on its package.json: Node decides). */
export function compilable(file: string): boolean {
  return extname(file) in LOADERS;
}

// esbuild prints each import and re-export on one line at the start of a line, with double quotes.
const STATIC = /^((?:import|export)\b[^\n]*? from |import )"([^"\n]+)";$/gm;
const DYNAMIC = /\bimport\(("([^"\n]+)")?/g;
const LOCAL = /^(\.|\/|file:)/;

/**
 * esbuild's output with the aliases put in, or null when the module must go
 * through the loader: it imports a file beside it, or imports something
 * this cannot read (`import(name)` with a computed name).
 */
export function linked(js: string, aliases: Readonly<Record<string, string>>): string | null {
  let needsLoader = false;
  const target = (specifier: string): string => {
    if (LOCAL.test(specifier)) needsLoader = true;
    return aliases[specifier] ?? specifier;
  };
  const out = js
    .replace(STATIC, (_, head: string, specifier: string) => `${head}${JSON.stringify(target(specifier))};`)
    .replace(DYNAMIC, (whole, literal: string | undefined, specifier: string | undefined) => {
      if (literal === undefined || specifier === undefined) needsLoader = true;
      return literal === undefined ? whole : `import(${JSON.stringify(target(specifier!))}`;
    });
  return needsLoader ? null : out;
}

interface EsbuildMessage {
  readonly text: string;
  readonly location: { readonly line: number; readonly column: number } | null;
}

/** One line for esbuild's first complaint: what, and where in the file. */
function describe(e: unknown): string {
  const first = (e as { errors?: EsbuildMessage[] }).errors?.[0];
  if (!first) return (e as Error).message;
  return first.location ? `${first.text} (line ${first.location.line}, column ${first.location.column + 1})` : first.text;
}

/** Compiles each file; all at once, which esbuild's one service process works through in parallel. */
export async function compileModules(files: readonly { file: string; source: Buffer }[], aliases: Readonly<Record<string, string>>): Promise<Compiled[]> {
  const esbuild = await import('esbuild');
  return Promise.all(
    files.map(async ({ file, source }): Promise<Compiled> => {
      try {
        const { code } = await esbuild.transform(source.toString('utf8'), {
          loader: LOADERS[extname(file)],
          format: 'esm',
          target: 'node20',
          sourcefile: file,
          logLevel: 'silent',
          // The compiled file lives in the cache; what the module sees of itself is its source's place.
          define: {
            'import.meta.url': JSON.stringify(pathToFileURL(file).href),
            'import.meta.filename': JSON.stringify(file),
            'import.meta.dirname': JSON.stringify(dirname(file)),
          },
        });
        const js = linked(code, aliases);
        return js === null ? { kind: 'loader' } : { kind: 'module', js };
      } catch (e) {
        return { kind: 'error', message: describe(e) };
      }
    }),
  );
}

/**
 * Loads the compiler and starts its service process now, for a command that
 * will compile a file it has yet to write (pull) and meanwhile waits on the
 * database. A failure here is left to the compile that follows to report.
 */
export function warmCompiler(): void {
  import('esbuild')
    .then((esbuild) => esbuild.transform('', { loader: 'ts' }))
    .catch(() => undefined);
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
