/**
 * The demo's prepared change to models.ts, one of each kind of question:
 * - `name` becomes `display_name` (a rename, or a drop and add?),
 * - 'suspended' leaves UserStatus while rows hold it (map them, NULL them, delete them?),
 * - `karma` is a new NOT NULL column on a table with rows (what value do they get?).
 */
import { defineEnum, defineModel, defineView, fields, _t } from 'fastedgy';

export const UserStatus = defineEnum('UserStatus', ['active', 'inactive']);

export const User = defineModel('User', {
  tablename: 'users',
  fields: {
    display_name: fields.CharField({ maxLength: 100, label: _t('Name') }),
    status: fields.ChoiceField({ choices: UserStatus, default: 'active', label: _t('Status') }),
    email: fields.EmailField({ unique: true, null: true }),
    karma: fields.IntegerField({ label: _t('Karma') }),
  },
  indexes: [{ fields: ['display_name'] }],
});

export const Document = defineModel('Document', {
  tablename: 'documents',
  fields: {
    title: fields.CharField({ maxLength: 255, label: _t('Title') }),
    embedding: fields.VectorField({ dimensions: 1536, label: _t('AI Embedding') }),
    owner: fields.ForeignKey(() => User, { onDelete: 'cascade', null: true }),
  },
  indexes: [{ fields: ['embedding'], using: 'hnsw', opclass: 'vector_cosine_ops' }],
});

export const ActiveUsers = defineView('ActiveUsers', {
  viewname: 'active_users',
  sql: `SELECT id, display_name FROM users WHERE status = 'active'`,
});
