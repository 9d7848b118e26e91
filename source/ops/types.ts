/**
 * Operations: the diff's output, the revision file's content (`op.<kind>(…)`)
 * and the runner's input. Each one carries what it takes to be reversed
 * (a drop holds the full definition it drops, an alter holds both sides),
 * so a downgrade is `reverseAll(upgrade)`.
 */
import type { Check, Column, EnumType, ForeignKey, Identity, Index, Table, UniqueConstraint, View } from '../schema/types.js';

/** How the rows of a table get a value for a column that becomes NOT NULL. */
export type Backfill =
  | { readonly value: unknown }
  | { readonly sql: string }
  | { readonly useDefault: true };

/** What happens to rows that hold an enum value being removed. */
export type EnumValueFate =
  | { readonly mapTo: string }
  | { readonly setNull: true }
  | { readonly deleteRows: true };

export interface EnumColumnRef {
  readonly table: string;
  readonly column: string;
  readonly nullable: boolean;
  /** The column default, dropped while the type is rebuilt and set again. */
  readonly default?: string | null;
  /** For `type[]` columns. */
  readonly array?: boolean;
}

export interface CreateExtension { readonly kind: 'createExtension'; readonly name: string; readonly ifNotExists?: boolean }
export interface DropExtension { readonly kind: 'dropExtension'; readonly name: string }
export interface CreateEnum { readonly kind: 'createEnum'; readonly name: string; readonly values: readonly string[] }
export interface DropEnum { readonly kind: 'dropEnum'; readonly name: string; readonly values: readonly string[] }
export interface RenameEnum { readonly kind: 'renameEnum'; readonly from: string; readonly to: string }
export interface AddEnumValue {
  readonly kind: 'addEnumValue';
  readonly type: string;
  readonly value: string;
  readonly before?: string;
  readonly after?: string;
  /** The values before this one was added, and the columns using the type:
   * PostgreSQL cannot drop a value, so the way back rebuilds the type. */
  readonly existing?: readonly string[];
  readonly columns?: readonly EnumColumnRef[];
}
export interface RenameEnumValue { readonly kind: 'renameEnumValue'; readonly type: string; readonly from: string; readonly to: string }
/**
 * Replace an enum type's value list when values are removed: rows holding a
 * removed value are mapped, set to NULL or deleted first (`fates`), then every
 * column is converted to a new type with the new list.
 */
export interface RebuildEnum {
  readonly kind: 'rebuildEnum';
  readonly type: string;
  readonly from: readonly string[];
  readonly to: readonly string[];
  readonly columns: readonly EnumColumnRef[];
  readonly fates: Readonly<Record<string, EnumValueFate>>;
}
export interface CreateTable { readonly kind: 'createTable'; readonly table: Table }
export interface DropTable { readonly kind: 'dropTable'; readonly table: Table }
export interface RenameTable { readonly kind: 'renameTable'; readonly from: string; readonly to: string }
/**
 * A primary key, unique, foreign key or check constraint renamed (a primary
 * key's or unique's index takes the new name with it).
 */
export interface RenameConstraint { readonly kind: 'renameConstraint'; readonly table: string; readonly from: string; readonly to: string }
export interface RenameIndex { readonly kind: 'renameIndex'; readonly table: string; readonly from: string; readonly to: string }
/** An identity column's sequence renamed: PostgreSQL keeps the old name when the table or column is renamed. */
export interface RenameSequence {
  readonly kind: 'renameSequence';
  readonly table: string;
  readonly column: string;
  readonly from: string;
  readonly to: string;
}
export interface AddColumn {
  readonly kind: 'addColumn';
  readonly table: string;
  readonly column: Column;
  readonly backfill?: Backfill;
}
export interface DropColumn { readonly kind: 'dropColumn'; readonly table: string; readonly column: Column }
export interface RenameColumn { readonly kind: 'renameColumn'; readonly table: string; readonly from: string; readonly to: string }
/** The parts of a column an alter may change. */
export interface ColumnState {
  readonly type: string;
  readonly enumType?: string | null;
  readonly nullable: boolean;
  readonly default: string | null;
  readonly comment?: string | null;
  /**
   * Identity added (the sequence then starts past the column's highest
   * value), removed or switched. Absent means none: an alter changes it only
   * when the two sides differ.
   */
  readonly identity?: Identity | null;
  /**
   * A stored generated column's expression. Dropped, the column keeps its
   * values (`DROP EXPRESSION`); added, PostgreSQL can only drop the column
   * and add it generated again, its values computed anew.
   */
  readonly generated?: string | null;
}
export interface AlterColumn {
  readonly kind: 'alterColumn';
  readonly table: string;
  readonly column: string;
  readonly from: ColumnState;
  readonly to: ColumnState;
  /** `USING` expression for a type change without an implicit cast. */
  readonly using?: string;
  /** `USING` expression for the way back. */
  readonly reverseUsing?: string;
  /** Fills NULLs before SET NOT NULL. */
  readonly backfill?: Backfill;
}
export interface CreateIndex { readonly kind: 'createIndex'; readonly table: string; readonly index: Index; readonly concurrently?: boolean }
export interface DropIndex { readonly kind: 'dropIndex'; readonly table: string; readonly index: Index; readonly concurrently?: boolean }
export interface AddUnique { readonly kind: 'addUnique'; readonly table: string; readonly unique: UniqueConstraint }
export interface DropUnique { readonly kind: 'dropUnique'; readonly table: string; readonly unique: UniqueConstraint }
export interface AddForeignKey { readonly kind: 'addForeignKey'; readonly table: string; readonly foreignKey: ForeignKey }
export interface DropForeignKey { readonly kind: 'dropForeignKey'; readonly table: string; readonly foreignKey: ForeignKey }
/** A CHECK constraint; on a table that exists it is added NOT VALID, then validated. */
export interface AddCheck { readonly kind: 'addCheck'; readonly table: string; readonly check: Check }
export interface DropCheck { readonly kind: 'dropCheck'; readonly table: string; readonly check: Check }
export interface SetTableComment { readonly kind: 'setTableComment'; readonly table: string; readonly from: string | null; readonly to: string | null }
export interface CreateView { readonly kind: 'createView'; readonly view: View }
export interface DropView { readonly kind: 'dropView'; readonly view: View }
export interface ReplaceView { readonly kind: 'replaceView'; readonly from: View; readonly to: View }
/** Rows removed on purpose (an answer said so); the way back cannot bring them back. */
export interface DeleteRows { readonly kind: 'deleteRows'; readonly table: string; readonly where: string }
export interface Execute { readonly kind: 'execute'; readonly sql: string; readonly reverse?: string }

export type Operation =
  | CreateExtension | DropExtension
  | CreateEnum | DropEnum | RenameEnum | AddEnumValue | RenameEnumValue | RebuildEnum
  | CreateTable | DropTable | RenameTable | RenameConstraint | RenameIndex | RenameSequence
  | AddColumn | DropColumn | RenameColumn | AlterColumn
  | CreateIndex | DropIndex | AddUnique | DropUnique | AddForeignKey | DropForeignKey | AddCheck | DropCheck
  | SetTableComment
  | CreateView | DropView | ReplaceView
  | DeleteRows | Execute;

export type OperationKind = Operation['kind'];
export type OperationOf<K extends OperationKind> = Extract<Operation, { kind: K }>;
export type OperationArgs<K extends OperationKind> = Omit<OperationOf<K>, 'kind'>;

export type { Column, EnumType, Index, Table, View };
