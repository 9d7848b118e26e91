#!/usr/bin/env node
// After `tsc`: the compiled files that draw a screen (those importing Ink or
// React) are bundled in place with their third-party imports, and Ink and
// React go into one shared chunk. Loading them as hundreds of small modules
// (es-toolkit's compat index alone is several hundred files, for one
// `throttle`) cost more than the database work before the wizard's first
// screen; one tree-shaken chunk loads about three times faster.
//
// Only bare imports are bundled: our own relative imports stay as they are,
// so each of our modules is still loaded once, shared with the rest of the
// CLI. The entries share one chunk, so there is one React, as hooks need.
// Tests render the components from source/ with the packages themselves;
// the benches, which render the compiled ones, take ink-testing-library
// from the same chunk (dist/ui-chunks/testing.js).
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const repo = fileURLToPath(new URL('..', import.meta.url));
const dist = join(repo, 'dist');
const UI_IMPORT = /from ['"](ink|react|react\/jsx-runtime)['"]/;
const MARK = '__fastedgyRequire';

function* jsFiles(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* jsFiles(p);
    else if (e.name.endsWith('.js')) yield p;
  }
}

const chunks = join(dist, 'ui-chunks');
const files = [...jsFiles(dist)].map((f) => ({ f, text: readFileSync(f, 'utf8') }));
const entries = files.filter((x) => UI_IMPORT.test(x.text)).map((x) => x.f);
if (entries.length === 0) {
  // Run twice without tsc in between: the files are bundled already.
  if (files.some((x) => x.text.includes(MARK))) process.exit(0);
  throw new Error('bundle-ui: no compiled file imports ink or react; was tsc run?');
}
rmSync(chunks, { recursive: true, force: true });

// The benches render the compiled screens: they get the testing library from the same chunk. It is a
// dev dependency, so an install without those builds without this entry.
const testing = join(repo, 'scripts', 'ui-testing-entry.js');
const hasTestingLibrary = existsSync(join(repo, 'node_modules', 'ink-testing-library'));

await build({
  entryPoints: [...entries, ...(hasTestingLibrary ? [{ in: testing, out: 'ui-chunks/testing' }] : [])],
  outdir: dist,
  outbase: dist,
  allowOverwrite: true,
  bundle: true,
  splitting: true,
  chunkNames: 'ui-chunks/[name]-[hash]',
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // React's and Ink's production code paths (no dev-only checks, no devtools hook).
  define: { 'process.env.NODE_ENV': '"production"' },
  // Ink imports the devtools only when DEV=true; the package is not installed.
  alias: { 'react-devtools-core': join(repo, 'scripts', 'no-devtools.js') },
  // CommonJS packages inside an ES module bundle still need a require for Node's built-ins.
  banner: { js: `import { createRequire as ${MARK} } from 'node:module'; const require = ${MARK}(import.meta.url);` },
  plugins: [
    {
      name: 'own-modules-stay-external',
      setup(b) {
        b.onResolve({ filter: /^\.\.?\// }, (args) => (args.importer.startsWith(dist + sep) ? { path: args.path, external: true } : undefined));
      },
    },
  ],
  logLevel: 'warning',
});
console.log(`bundle-ui: ${entries.map((f) => relative(dist, f)).join(', ')} with Ink and React in ${relative(repo, chunks)}/`);
