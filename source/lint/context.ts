/**
 * What the lint knows while it reads a revision in order: the tables the
 * revision created (empty, so nothing on them is flagged), the NOT NULL
 * checks validated, the constraints added NOT VALID, whether the revision
 * runs in one transaction, and — from earlier revisions when `check` has
 * them — each column's type, so that a raw `ALTER … TYPE` can be judged
 * against the type it changes from.
 */
import { bareName } from './sql-scan.js';

export class LintContext {
  /** Tables created (or renamed from one created) earlier in the revision: empty, so safe. */
  readonly created = new Set<string>();
  /** Indexes created earlier in the revision (dropping one again is harmless). */
  readonly createdIndexes = new Set<string>();
  /** Per table, the columns a validated `CHECK (col IS NOT NULL)` covers; '*' after a VALIDATE CONSTRAINT (of an unknown check). */
  readonly notNullChecked = new Map<string, Set<string>>();
  /** `table.constraint` added NOT VALID earlier in the revision: validating it in the same transaction keeps the ADD's lock. */
  readonly addedNotValid = new Set<string>();

  /**
   * @param transactional whether the revision runs in one transaction (`export const transactional = false` says not)
   * @param columnTypes table → column → type (an enum column: the enum's name), as earlier revisions left them; shared and kept up to date
   */
  constructor(
    readonly transactional = true,
    readonly columnTypes = new Map<string, Map<string, string>>(),
  ) {}

  existing(table: string): boolean {
    return !this.created.has(bareName(table));
  }

  rename(from: string, to: string): void {
    if (this.created.delete(bareName(from))) this.created.add(bareName(to));
    const cols = this.columnTypes.get(bareName(from));
    if (cols) {
      this.columnTypes.delete(bareName(from));
      this.columnTypes.set(bareName(to), cols);
    }
  }

  checked(table: string, column: string): boolean {
    const cols = this.notNullChecked.get(bareName(table));
    return !!cols && (cols.has('*') || cols.has(bareName(column)));
  }

  markChecked(table: string, column: string): void {
    const t = bareName(table);
    const cols = this.notNullChecked.get(t) ?? new Set<string>();
    cols.add(column === '*' ? '*' : bareName(column));
    this.notNullChecked.set(t, cols);
  }

  /** The column's type as known, or undefined. */
  columnType(table: string, column: string): string | undefined {
    return this.columnTypes.get(bareName(table))?.get(bareName(column));
  }

  setColumnType(table: string, column: string, type: string | null): void {
    const t = bareName(table);
    const cols = this.columnTypes.get(t) ?? new Map<string, string>();
    if (type === null) cols.delete(bareName(column));
    else cols.set(bareName(column), type);
    this.columnTypes.set(t, cols);
  }

  renameColumn(table: string, from: string, to: string): void {
    const type = this.columnType(table, from);
    this.setColumnType(table, from, null);
    if (type !== undefined) this.setColumnType(table, to, type);
  }

  dropTable(table: string): void {
    this.columnTypes.delete(bareName(table));
    this.created.delete(bareName(table));
  }
}
