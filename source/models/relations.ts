/** Relations: which fields point at another model, and calling their `() => Target` thunks. */
import { isModel, type Model } from './define.js';
import { fail, isFieldObject, type RawField, type Where } from './compile-field.js';

export const RELATIONAL = new Set(['ForeignKey', 'OneToOneField']);

export function isRelational(f: unknown): f is RawField {
  return isFieldObject(f) && (RELATIONAL.has(f.kind) || f.kind === 'ManyToManyField');
}

/** Calls a relation's `() => Target` thunk; the target must be a model. */
export function resolveTarget(f: RawField, where: Where): Model {
  if (typeof f.target !== 'function') fail(where, `${f.kind} needs a target: fields.${f.kind}(() => Model)`);
  let target: unknown;
  try {
    target = f.target();
  } catch (e) {
    fail(where, `the ${f.kind} target could not be read: ${(e as Error)?.message ?? String(e)}`);
  }
  if (!isModel(target)) fail(where, `the ${f.kind} target is not a model defined with defineModel(…)`);
  return target;
}
