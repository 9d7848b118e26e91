/**
 * The example project: SPEC §4's models. The repository's own `migrations/`
 * is this project's revision history, written by fastedgy itself; CI checks
 * that the two never drift apart (`fastedgy db check`).
 */
import { defineEnum, defineModel, defineView, fields, _t } from 'fastedgy';

export const UserStatus = defineEnum('UserStatus', ['active', 'inactive', 'suspended']);

export const User = defineModel('User', {
  tablename: 'users',
  fields: {
    name: fields.CharField({ maxLength: 100, label: _t('Name') }),
    status: fields.ChoiceField({ choices: UserStatus, default: 'active', label: _t('Status') }),
    email: fields.EmailField({ unique: true, null: true }),
  },
  indexes: [{ fields: ['name'] }],
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
  sql: `SELECT id, name FROM users WHERE status = 'active'`,
});
