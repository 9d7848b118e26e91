/**
 * Rename detection, one kind at a time (enums, tables, columns), as
 * drizzle-kit does: something disappeared and something compatible appeared,
 * so ask. Each decision is applied to the "before" schema before the next
 * level is compared, so a renamed table's column changes are still found.
 */
import type { DiffContext } from './context.js';
import type { QuestionKind, RenameCandidate } from './questions.js';

export interface RenameSpec<T> {
  readonly kind: Extract<QuestionKind, 'rename-table' | 'rename-column' | 'rename-enum'>;
  name(item: T): string;
  /** Display name inside the question id (`users.full_name`). */
  label(item: T): string;
  /** Higher is likelier; null when the two cannot be the same thing. */
  score(removed: T, added: T): number | null;
  typeOf?(item: T): string;
  /** The sentence of the question. */
  text(removed: T): string;
  stake?(removed: T): string | undefined;
}

export interface RenameResult<T> {
  readonly renames: readonly (readonly [T, T])[];
  readonly removed: readonly T[];
  readonly added: readonly T[];
}

export function resolveRenames<T>(ctx: DiffContext, spec: RenameSpec<T>, removed: readonly T[], added: readonly T[]): RenameResult<T> {
  const renames: (readonly [T, T])[] = [];
  const stillRemoved: T[] = [];
  const taken = new Set<T>();

  for (const r of removed) {
    const candidates = added
      .filter((a) => !taken.has(a))
      .map((a) => ({ item: a, score: spec.score(r, a) }))
      .filter((c): c is { item: T; score: number } => c.score !== null)
      .sort((x, y) => y.score - x.score || spec.name(x.item).localeCompare(spec.name(y.item)));
    if (candidates.length === 0) {
      stillRemoved.push(r);
      continue;
    }
    const idOf = (a: T) => `${spec.kind}:${spec.label(r)}->${spec.label(a)}`;
    const chosen = candidates.find((c) => ctx.answer(idOf(c.item)) === 'rename');
    if (chosen) {
      taken.add(chosen.item);
      renames.push([r, chosen.item]);
      continue;
    }
    stillRemoved.push(r);
    const open = candidates.filter((c) => ctx.answer(idOf(c.item)) !== 'drop');
    if (open.length === 0) continue; // every candidate answered "drop"
    const list: RenameCandidate[] = open.map((c) => ({
      id: idOf(c.item),
      name: spec.name(c.item),
      type: spec.typeOf?.(c.item),
      score: Math.round(c.score * 100) / 100,
    }));
    for (const c of open) ctx.pending.add(pendingKey(spec.kind, spec.label(c.item)));
    ctx.pending.add(pendingKey(spec.kind, spec.label(r)));
    const what = spec.kind === 'rename-table' ? 'table' : spec.kind === 'rename-column' ? 'column' : 'enum type';
    ctx.ask({
      id: list[0].id,
      kind: spec.kind,
      text: spec.text(r),
      stake: spec.stake?.(r),
      candidates: list,
      choices: [
        ...list.map((c) => ({
          label: `rename ${spec.label(r)} to ${c.name}${c.type ? ` (${c.type})` : ''}`,
          answer: 'rename' as const,
          id: c.id,
        })),
        {
          label: `drop ${spec.label(r)} and create ${list.length === 1 ? list[0].name : 'the new ' + what}`,
          answer: 'drop' as const,
          id: list[0].id,
          hint: 'the data in it is lost',
        },
      ],
    });
  }
  return { renames, removed: stillRemoved, added: added.filter((a) => !taken.has(a)) };
}

/** What is only on the "before" side and what is only on the "after" side, by name. */
export function unmatched<T extends { readonly name: string }>(before: readonly T[], after: readonly T[]): { removed: T[]; added: T[] } {
  const afterNames = new Set(after.map((x) => x.name));
  const beforeNames = new Set(before.map((x) => x.name));
  return { removed: before.filter((x) => !afterNames.has(x.name)), added: after.filter((x) => !beforeNames.has(x.name)) };
}

/** Key under which a pending rename silences other questions about the same thing. */
export function pendingKey(kind: string, label: string): string {
  const k = kind === 'rename-table' || kind === 'table' ? 'table' : kind === 'rename-column' || kind === 'column' ? 'column' : 'enum';
  return `${k}:${label}`;
}
