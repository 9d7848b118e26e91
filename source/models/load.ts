/**
 * Imports the model modules a config names and compiles them. The importer
 * is passed in (tsx in the CLI, the test runner's own loader in tests).
 */
import { UserError } from '../errors.js';
import type { Schema } from '../schema/types.js';
import { compileModels, type ModelModule } from './compile.js';

export async function loadModels(
  files: string[],
  importModule: (file: string) => Promise<Record<string, unknown>>,
  notes: string[] = [],
): Promise<Schema> {
  const modules: ModelModule[] = [];
  for (const file of files) {
    let exports: Record<string, unknown>;
    try {
      exports = await importModule(file);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      throw new UserError(`cannot load models from ${file}: ${message}`, { cause: e });
    }
    modules.push({ file, exports });
  }
  return compileModels(modules, notes);
}
