/**
 * Revision modules asked for in the same turn of the event loop are imported
 * together: the runner (`migrate`, `downgrade`) and the browser (the schema
 * at a revision) ask for every revision they need at once, and a few
 * hundred modules imported as one pack take a fraction of what they take
 * one by one. Fewer than a handful go one by one, as do those a pack cannot
 * hold (each then fails, if it does, under its own name).
 */
import { dirname } from 'node:path';
import { importModule, importTogether } from '../util/import-module.js';
import { listRevisionFiles } from './files.js';

/** Below this, one import per module costs less than looking the pack up. */
const TOGETHER = 8;

interface Waiting {
  readonly file: string;
  readonly fresh: boolean;
  readonly resolve: (mod: Record<string, unknown>) => void;
  readonly reject: (e: unknown) => void;
}

let waiting: Waiting[] = [];

/** Imports one file; a revision not in the module cache yet is compiled with its siblings, usually needed with it. */
function importAlone(w: Waiting): void {
  importModule(w.file, { fresh: w.fresh, batch: () => listRevisionFiles(dirname(w.file)) }).then(w.resolve, w.reject);
}

async function importBatch(batch: readonly Waiting[], fresh: boolean): Promise<void> {
  const none = new Map<string, Record<string, unknown>>();
  const packed = batch.length >= TOGETHER ? await importTogether(batch.map((w) => w.file), { fresh }).catch(() => none) : none;
  for (const w of batch) {
    const mod = packed.get(w.file);
    if (mod) w.resolve(mod);
    else importAlone(w);
  }
}

function flush(): void {
  const batch = waiting;
  waiting = [];
  void importBatch(batch.filter((w) => !w.fresh), false);
  void importBatch(batch.filter((w) => w.fresh), true);
}

/** `fresh`: imported again even if unchanged (the browser's refresh re-reads edited files). */
export function importRevisionModule(file: string, options: { fresh?: boolean }): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    if (!waiting.length) setImmediate(flush);
    waiting.push({ file, fresh: options.fresh === true, resolve, reject });
  });
}
