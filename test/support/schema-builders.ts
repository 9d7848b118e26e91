/** Small builders for literal schemas in tests. */
import type { Column, EnumType, Schema, Table, View } from '../../source/schema/types.js';

export function col(name: string, type: string, opts: Partial<Column> = {}): Column {
  return { name, type, nullable: false, default: null, identity: null, comment: null, ...opts };
}

export function enumCol(name: string, enumType: string, opts: Partial<Column> = {}): Column {
  return col(name, enumType, { enumType, ...opts });
}

export function idCol(): Column {
  return col('id', 'bigint', { identity: 'by default' });
}

export function table(name: string, columns: Column[], opts: Partial<Table> = {}): Table {
  return {
    name,
    columns: [idCol(), ...columns],
    primaryKey: { name: `${name}_pkey`, columns: ['id'] },
    uniques: [],
    indexes: [],
    foreignKeys: [],
    checks: [],
    comment: null,
    ...opts,
  };
}

export function schema(parts: { tables?: Table[]; enums?: EnumType[]; views?: View[]; extensions?: string[] } = {}): Schema {
  return { extensions: parts.extensions ?? [], enums: parts.enums ?? [], tables: parts.tables ?? [], views: parts.views ?? [] };
}
