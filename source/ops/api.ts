/**
 * The `op` object a revision's upgrade() and downgrade() receive. One method
 * per operation kind, each taking the operation's fields as one object, so a
 * generated revision is `await op.addColumn({ table: 'users', column: … })`
 * and a hand-written one uses the same API, plus `op.execute(sql)`.
 */
import type { Operation, OperationArgs, OperationKind } from './types.js';

type Sink = (op: Operation) => void | Promise<void>;
type Method<K extends OperationKind> = (args: OperationArgs<K>) => Promise<void>;

export class Operations {
  constructor(private readonly sink: Sink) {}

  private emit<K extends OperationKind>(kind: K): Method<K> {
    return async (args) => {
      await this.sink({ kind, ...args } as unknown as Operation);
    };
  }

  readonly createExtension = this.emit('createExtension');
  readonly dropExtension = this.emit('dropExtension');
  readonly createEnum = this.emit('createEnum');
  readonly dropEnum = this.emit('dropEnum');
  readonly renameEnum = this.emit('renameEnum');
  readonly addEnumValue = this.emit('addEnumValue');
  readonly renameEnumValue = this.emit('renameEnumValue');
  readonly rebuildEnum = this.emit('rebuildEnum');
  readonly createTable = this.emit('createTable');
  readonly dropTable = this.emit('dropTable');
  readonly renameTable = this.emit('renameTable');
  readonly renameConstraint = this.emit('renameConstraint');
  readonly renameIndex = this.emit('renameIndex');
  readonly renameSequence = this.emit('renameSequence');
  readonly addColumn = this.emit('addColumn');
  readonly dropColumn = this.emit('dropColumn');
  readonly renameColumn = this.emit('renameColumn');
  readonly alterColumn = this.emit('alterColumn');
  readonly createIndex = this.emit('createIndex');
  readonly dropIndex = this.emit('dropIndex');
  readonly addUnique = this.emit('addUnique');
  readonly dropUnique = this.emit('dropUnique');
  readonly addForeignKey = this.emit('addForeignKey');
  readonly dropForeignKey = this.emit('dropForeignKey');
  readonly addCheck = this.emit('addCheck');
  readonly dropCheck = this.emit('dropCheck');
  readonly setTableComment = this.emit('setTableComment');
  readonly createView = this.emit('createView');
  readonly dropView = this.emit('dropView');
  readonly replaceView = this.emit('replaceView');
  readonly deleteRows = this.emit('deleteRows');

  /** Raw SQL; `reverse` is what the way back runs (for hand-written revisions). */
  async execute(sql: string | OperationArgs<'execute'>, options: { reverse?: string } = {}): Promise<void> {
    const args = typeof sql === 'string' ? { sql, ...options } : sql;
    await this.sink({ kind: 'execute', ...args });
  }
}
