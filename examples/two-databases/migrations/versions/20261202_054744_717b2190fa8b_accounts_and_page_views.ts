/** accounts and page views
 *
 * Revision ID: 717b2190fa8b
 * Revises: <base>
 * Create Date: 2026-12-02 05:47:44
 */
import type { Operations } from 'fastedgy/migrations';

export const revision = '717b2190fa8b';
export const downRevision: string | string[] | null = null;
export const message = 'accounts and page views';

// One section per database that this revision changes; `migrate` moves them together.
export const upgrade = {
  async main(op: Operations): Promise<void> {
    await op.createEnum({ name: 'plan', values: ['free', 'pro'] });
    await op.createTable({
      table: {
        name: 'accounts',
        columns: [
          { name: 'id', type: 'bigint', nullable: false, identity: 'by default' },
          { name: 'name', type: 'character varying(100)', nullable: false },
          { name: 'plan', type: 'plan', enumType: 'plan', nullable: false, default: "'free'" },
          { name: 'created_at', type: 'timestamp with time zone', nullable: false, default: 'now()' },
          { name: 'updated_at', type: 'timestamp with time zone', nullable: false, default: 'now()' },
        ],
        primaryKey: { name: 'accounts_pkey', columns: ['id'] },
        uniques: [],
        indexes: [],
        foreignKeys: [],
        checks: [],
      },
    });
  },
  async analytics(op: Operations): Promise<void> {
    await op.createTable({
      table: {
        name: 'page_views',
        columns: [
          { name: 'id', type: 'bigint', nullable: false, identity: 'by default' },
          { name: 'path', type: 'character varying(500)', nullable: false },
          { name: 'account_id', type: 'bigint', nullable: true },
          { name: 'created_at', type: 'timestamp with time zone', nullable: false, default: 'now()' },
          { name: 'updated_at', type: 'timestamp with time zone', nullable: false, default: 'now()' },
        ],
        primaryKey: { name: 'page_views_pkey', columns: ['id'] },
        uniques: [],
        indexes: [{ name: 'page_views_account_id_idx', columns: ['account_id'], unique: false, using: 'btree' }],
        foreignKeys: [],
        checks: [],
      },
    });
  },
};

export const downgrade = {
  async main(op: Operations): Promise<void> {
    await op.dropTable({
      table: {
        name: 'accounts',
        columns: [
          { name: 'id', type: 'bigint', nullable: false, identity: 'by default' },
          { name: 'name', type: 'character varying(100)', nullable: false },
          { name: 'plan', type: 'plan', enumType: 'plan', nullable: false, default: "'free'" },
          { name: 'created_at', type: 'timestamp with time zone', nullable: false, default: 'now()' },
          { name: 'updated_at', type: 'timestamp with time zone', nullable: false, default: 'now()' },
        ],
        primaryKey: { name: 'accounts_pkey', columns: ['id'] },
        uniques: [],
        indexes: [],
        foreignKeys: [],
        checks: [],
      },
    });
    await op.dropEnum({ name: 'plan', values: ['free', 'pro'] });
  },
  async analytics(op: Operations): Promise<void> {
    await op.dropTable({
      table: {
        name: 'page_views',
        columns: [
          { name: 'id', type: 'bigint', nullable: false, identity: 'by default' },
          { name: 'path', type: 'character varying(500)', nullable: false },
          { name: 'account_id', type: 'bigint', nullable: true },
          { name: 'created_at', type: 'timestamp with time zone', nullable: false, default: 'now()' },
          { name: 'updated_at', type: 'timestamp with time zone', nullable: false, default: 'now()' },
        ],
        primaryKey: { name: 'page_views_pkey', columns: ['id'] },
        uniques: [],
        indexes: [{ name: 'page_views_account_id_idx', columns: ['account_id'], unique: false, using: 'btree' }],
        foreignKeys: [],
        checks: [],
      },
    });
  },
};
