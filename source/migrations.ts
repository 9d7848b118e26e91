/** `fastedgy/migrations`: what revision files import. */
export { Operations } from './ops/api.js';
export type * from './ops/types.js';
