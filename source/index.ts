/**
 * The `fastedgy` package entry: what a project's models and config import.
 */
export { defineModel, defineEnum, defineView, defaultTablename } from './models/define.js';
export type {
  EnumDef,
  EnumOptions,
  FieldRef,
  IndexDefinition,
  IndexMethod,
  InferRow,
  Model,
  ModelDefinition,
  UniqueTogether,
  ViewDef,
} from './models/define.js';
export { fields, _t } from './models/fields.js';
export type * from './models/fields.js';
export { defineConfig } from './config/types.js';
export type { DatabaseConfig, FastedgyConfig } from './config/types.js';
export type * from './schema/types.js';
