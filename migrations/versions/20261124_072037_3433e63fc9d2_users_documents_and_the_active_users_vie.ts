/** Users, documents and the active users view
 *
 * Revision ID: 3433e63fc9d2
 * Revises: <base>
 * Create Date: 2026-11-24 07:20:37
 */
import type { Operations } from 'fastedgy/migrations';

export const revision = '3433e63fc9d2';
export const downRevision: string | string[] | null = null;
export const message = 'Users, documents and the active users view';

export async function upgrade(op: Operations): Promise<void> {
  await op.createExtension({ name: 'vector', ifNotExists: true });
  await op.createEnum({ name: 'userstatus', values: ['active', 'inactive', 'suspended'] });
  await op.createTable({
    table: {
      name: 'documents',
      columns: [
        { name: 'id', type: 'bigint', nullable: false, identity: 'by default' },
        { name: 'title', type: 'character varying(255)', nullable: false, comment: 'Title' },
        { name: 'embedding', type: 'vector(1536)', nullable: false, comment: 'AI Embedding' },
        { name: 'owner_id', type: 'bigint', nullable: true },
        { name: 'created_at', type: 'timestamp with time zone', nullable: false, default: 'now()' },
        { name: 'updated_at', type: 'timestamp with time zone', nullable: false, default: 'now()' },
      ],
      primaryKey: { name: 'documents_pkey', columns: ['id'] },
      uniques: [],
      indexes: [
        {
          name: 'documents_embedding_idx',
          columns: ['embedding'],
          unique: false,
          using: 'hnsw',
          opclasses: ['vector_cosine_ops'],
        },
      ],
      foreignKeys: [],
      checks: [],
    },
  });
  await op.createTable({
    table: {
      name: 'users',
      columns: [
        { name: 'id', type: 'bigint', nullable: false, identity: 'by default' },
        { name: 'name', type: 'character varying(100)', nullable: false, comment: 'Name' },
        {
          name: 'status',
          type: 'userstatus',
          enumType: 'userstatus',
          nullable: false,
          default: "'active'",
          comment: 'Status',
        },
        { name: 'email', type: 'character varying(255)', nullable: true },
        { name: 'created_at', type: 'timestamp with time zone', nullable: false, default: 'now()' },
        { name: 'updated_at', type: 'timestamp with time zone', nullable: false, default: 'now()' },
      ],
      primaryKey: { name: 'users_pkey', columns: ['id'] },
      uniques: [{ name: 'users_email_key', columns: ['email'] }],
      indexes: [{ name: 'users_name_idx', columns: ['name'], unique: false, using: 'btree' }],
      foreignKeys: [],
      checks: [],
    },
  });
  await op.addForeignKey({
    table: 'documents',
    foreignKey: {
      name: 'documents_owner_id_fkey',
      columns: ['owner_id'],
      refTable: 'users',
      refColumns: ['id'],
      onDelete: 'cascade',
      onUpdate: 'no action',
    },
  });
  await op.createView({
    view: {
      name: 'active_users',
      sql: "SELECT id, name FROM users WHERE status = 'active'",
      definition: "SELECT id, name FROM users WHERE status = 'active'",
    },
  });
}

export async function downgrade(op: Operations): Promise<void> {
  await op.dropView({
    view: {
      name: 'active_users',
      sql: "SELECT id, name FROM users WHERE status = 'active'",
      definition: "SELECT id, name FROM users WHERE status = 'active'",
    },
  });
  await op.dropForeignKey({
    table: 'documents',
    foreignKey: {
      name: 'documents_owner_id_fkey',
      columns: ['owner_id'],
      refTable: 'users',
      refColumns: ['id'],
      onDelete: 'cascade',
      onUpdate: 'no action',
    },
  });
  await op.dropTable({
    table: {
      name: 'users',
      columns: [
        { name: 'id', type: 'bigint', nullable: false, identity: 'by default' },
        { name: 'name', type: 'character varying(100)', nullable: false, comment: 'Name' },
        {
          name: 'status',
          type: 'userstatus',
          enumType: 'userstatus',
          nullable: false,
          default: "'active'",
          comment: 'Status',
        },
        { name: 'email', type: 'character varying(255)', nullable: true },
        { name: 'created_at', type: 'timestamp with time zone', nullable: false, default: 'now()' },
        { name: 'updated_at', type: 'timestamp with time zone', nullable: false, default: 'now()' },
      ],
      primaryKey: { name: 'users_pkey', columns: ['id'] },
      uniques: [{ name: 'users_email_key', columns: ['email'] }],
      indexes: [{ name: 'users_name_idx', columns: ['name'], unique: false, using: 'btree' }],
      foreignKeys: [],
      checks: [],
    },
  });
  await op.dropTable({
    table: {
      name: 'documents',
      columns: [
        { name: 'id', type: 'bigint', nullable: false, identity: 'by default' },
        { name: 'title', type: 'character varying(255)', nullable: false, comment: 'Title' },
        { name: 'embedding', type: 'vector(1536)', nullable: false, comment: 'AI Embedding' },
        { name: 'owner_id', type: 'bigint', nullable: true },
        { name: 'created_at', type: 'timestamp with time zone', nullable: false, default: 'now()' },
        { name: 'updated_at', type: 'timestamp with time zone', nullable: false, default: 'now()' },
      ],
      primaryKey: { name: 'documents_pkey', columns: ['id'] },
      uniques: [],
      indexes: [
        {
          name: 'documents_embedding_idx',
          columns: ['embedding'],
          unique: false,
          using: 'hnsw',
          opclasses: ['vector_cosine_ops'],
        },
      ],
      foreignKeys: [],
      checks: [],
    },
  });
  await op.dropEnum({ name: 'userstatus', values: ['active', 'inactive', 'suspended'] });
  await op.dropExtension({ name: 'vector' });
}
