/**
 * Django's migration autodetector tests (tests/migrations/test_autodetector.py),
 * ported to our models: each case is the change a Django test makes to its
 * model states, with the answers Django's questioner would have been given,
 * run up, down and up again on both engines (see support/peer-case.ts for
 * what every case must show).
 */
import { expect } from 'vitest';
import type { PeerCase } from './support/peer-case.js';
import { model, peerSuite } from './support/peer-case.js';

const AD = 'django test_autodetector.py::';

const name200 = `name: fields.CharField({ maxLength: 200 })`;
const author = (f = name200, extra = '') => model('Author', 'authors', f, extra);
const book = (f: string, extra = '') => model('Book', 'books', f, extra);
const bookFields = `author: fields.ForeignKey(() => Author, { onDelete: 'cascade' }), title: fields.CharField({ maxLength: 200 })`;
const seedAuthor = `INSERT INTO authors (name) VALUES ('ada')`;
const seedBook = `${seedAuthor}; INSERT INTO books (author_id, title) VALUES (1, 'notes')`;

const cases: PeerCase[] = [
  {
    name: 'a new model',
    peer: `${AD}test_new_model`,
    v1: author(),
    v2: author() + book(`title: fields.CharField({ maxLength: 200 })`),
  },
  {
    name: 'a model removed, rows and all',
    peer: `${AD}test_old_model`,
    v1: author() + book(`title: fields.CharField({ maxLength: 200 })`),
    seed: `INSERT INTO books (title) VALUES ('gone')`,
    v2: author(),
    answers: { 'destructive:table:books': { confirm: true } },
  },
  {
    name: 'two new models, one with a foreign key to the other',
    peer: `${AD}test_fk_dependency`,
    v1: '',
    v2: author() + book(bookFields),
  },
  {
    name: 'two new models referencing each other',
    peer: `${AD}test_circular_fk_dependency`,
    v1: '',
    v2: author(`${name200}, favourite: fields.ForeignKey(() => Book, { null: true, onDelete: 'set null' })`) + book(bookFields),
  },
  {
    name: 'a nullable field added',
    peer: `${AD}test_add_field`,
    v1: author(),
    seed: seedAuthor,
    v2: author(`${name200}, age: fields.IntegerField({ null: true })`),
  },
  {
    name: 'a NOT NULL field with a default added to a table with rows',
    peer: `${AD}test_add_field_with_default`,
    v1: author(),
    seed: seedAuthor,
    v2: author(`${name200}, age: fields.IntegerField({ default: 18 })`),
    answers: { 'backfill:authors.age': { useDefault: true } },
    verify: async (p) => expect(await p.rows('SELECT age FROM authors')).toEqual([{ age: 18 }]),
  },
  {
    name: 'a NOT NULL field with a server default added',
    peer: `${AD}test_add_not_null_field_with_db_default`,
    v1: author(),
    seed: seedAuthor,
    v2: author(`${name200}, nickname: fields.CharField({ maxLength: 200, serverDefault: "'Ada Lovelace'" })`),
    verify: async (p) => expect(await p.rows('SELECT nickname FROM authors')).toEqual([{ nickname: 'Ada Lovelace' }]),
  },
  {
    name: 'NOT NULL timestamps defaulting to now() added to a table with rows',
    peer: `${AD}test_add_date_fields_with_auto_now_not_asking_for_default`,
    v1: author(),
    seed: seedAuthor,
    v2: author(`${name200}, added: fields.DateField({ serverDefault: 'CURRENT_DATE' }), stamped: fields.DateTimeField({ serverDefault: 'now()' })`),
  },
  {
    name: 'a field removed from a table with rows',
    peer: `${AD}test_remove_field`,
    v1: author(`${name200}, age: fields.IntegerField({ null: true })`),
    seed: `INSERT INTO authors (name, age) VALUES ('ada', 36)`,
    v2: author(),
    answers: { 'destructive:column:authors.age': { confirm: true } },
  },
  {
    name: "a field's max length changed",
    peer: `${AD}test_alter_field`,
    v1: author(),
    seed: seedAuthor,
    v2: author(`name: fields.CharField({ maxLength: 400 })`),
    verify: async (p) => expect(await p.rows('SELECT name FROM authors')).toEqual([{ name: 'ada' }]),
  },
  {
    name: 'a nullable field made NOT NULL, NULLs filled from its default',
    peer: `${AD}test_alter_field_to_not_null_with_default`,
    v1: author(`name: fields.CharField({ maxLength: 200, null: true })`),
    seed: `INSERT INTO authors (name) VALUES (NULL), ('ada')`,
    v2: author(`name: fields.CharField({ maxLength: 200, default: 'Ada Lovelace' })`),
    answers: { 'backfill:authors.name': { useDefault: true } },
    verify: async (p) => expect(await p.rows('SELECT name FROM authors ORDER BY id')).toEqual([{ name: 'Ada Lovelace' }, { name: 'ada' }]),
  },
  {
    name: 'a nullable field made NOT NULL with a server default',
    peer: `${AD}test_alter_field_to_not_null_with_db_default`,
    v1: author(`name: fields.CharField({ maxLength: 200, null: true })`),
    seed: `INSERT INTO authors (name) VALUES (NULL)`,
    v2: author(`name: fields.CharField({ maxLength: 200, serverDefault: "'Ada Lovelace'" })`),
    answers: { 'backfill:authors.name': { useDefault: true } },
    verify: async (p) => expect(await p.rows('SELECT name FROM authors')).toEqual([{ name: 'Ada Lovelace' }]),
  },
  {
    name: 'a nullable field made NOT NULL with a one-off value',
    peer: `${AD}test_alter_field_to_not_null_oneoff_default`,
    v1: author(`name: fields.CharField({ maxLength: 200, null: true })`),
    seed: `INSERT INTO authors (name) VALUES (NULL)`,
    v2: author(),
    answers: { 'backfill:authors.name': { value: 'Some Name' } },
    verify: async (p) => expect(await p.rows('SELECT name FROM authors')).toEqual([{ name: 'Some Name' }]),
  },
  {
    name: 'a field renamed, its rows kept',
    peer: `${AD}test_rename_field`,
    v1: author(),
    seed: seedAuthor,
    v2: author(`names: fields.CharField({ maxLength: 200 })`),
    answers: { 'rename-column:authors.name->authors.names': 'rename' },
    verify: async (p) => expect(await p.rows('SELECT names FROM authors')).toEqual([{ names: 'ada' }]),
  },
  {
    name: 'a field renamed while its column name is kept',
    peer: `${AD}test_rename_field_preserved_db_column`,
    v1: model('Foo', 'foos', `field: fields.IntegerField()`),
    v2: model('Foo', 'foos', `renamed_field: fields.IntegerField({ column: 'field' })`),
    noChange: true,
  },
  {
    name: 'a foreign key field renamed while its column name is kept',
    peer: `${AD}test_rename_related_field_preserved_db_column`,
    v1: model('Foo', 'foos', '') + model('Bar', 'bars', `foo: fields.ForeignKey(() => Foo, { onDelete: 'cascade' })`),
    v2: model('Foo', 'foos', '') + model('Bar', 'bars', `renamed_foo: fields.ForeignKey(() => Foo, { onDelete: 'cascade', column: 'foo_id' })`),
    noChange: true,
  },
  {
    name: 'the unique field a foreign key points at (toField) renamed',
    peer: `${AD}test_rename_field_foreign_key_to_field`,
    v1: model('Foo', 'foos', `field: fields.IntegerField({ unique: true })`)
      + model('Bar', 'bars', `foo: fields.ForeignKey(() => Foo, { toField: 'field', onDelete: 'cascade' })`),
    seed: `INSERT INTO foos (field) VALUES (7); INSERT INTO bars (foo_id) VALUES (7)`,
    v2: model('Foo', 'foos', `renamed_field: fields.IntegerField({ unique: true })`)
      + model('Bar', 'bars', `foo: fields.ForeignKey(() => Foo, { toField: 'renamed_field', onDelete: 'cascade' })`),
    answers: { 'rename-column:foos.field->foos.renamed_field': 'rename' },
  },
  {
    name: 'a model renamed, rows and incoming foreign keys kept',
    peer: `${AD}test_rename_model`,
    v1: author() + book(bookFields),
    seed: seedBook,
    v2: model('Writer', 'writers', name200) + book(bookFields.replace('Author', 'Writer')),
    answers: { 'rename-table:authors->writers': 'rename' },
    verify: async (p) => {
      expect(await p.rows('SELECT w.name FROM books b JOIN writers w ON w.id = b.author_id')).toEqual([{ name: 'ada' }]);
      // Not in the compared schema, but SPEC §4.1: the identity sequence follows the table's name.
      expect(await p.rows(`SELECT pg_get_serial_sequence('writers', 'id') AS seq`)).toEqual([{ seq: 'public.writers_id_seq' }]);
    },
  },
  {
    name: 'a model renamed together with the foreign key field pointing at it',
    peer: `${AD}test_rename_model_with_renamed_rel_field`,
    v1: author() + book(bookFields),
    seed: seedBook,
    v2: model('Writer', 'writers', name200) + book(`writer: fields.ForeignKey(() => Writer, { onDelete: 'cascade' }), title: fields.CharField({ maxLength: 200 })`),
    answers: { 'rename-table:authors->writers': 'rename', 'rename-column:books.author_id->books.writer_id': 'rename' },
  },
  {
    name: 'a model renamed that several foreign keys point at',
    peer: `${AD}test_rename_model_with_fks_in_different_position`,
    v1: model('EntityA', 'entity_a', '') + model('EntityB', 'entity_b', `some_label: fields.CharField({ maxLength: 255 }), entity_a: fields.ForeignKey(() => EntityA, { onDelete: 'cascade' })`)
      + model('EntityC', 'entity_c', `entity_b: fields.ForeignKey(() => EntityB, { onDelete: 'cascade' })`),
    v2: model('EntityA', 'entity_a', '') + model('RenamedEntityB', 'renamed_entity_b', `some_label: fields.CharField({ maxLength: 255 }), entity_a: fields.ForeignKey(() => EntityA, { onDelete: 'cascade' })`)
      + model('EntityC', 'entity_c', `entity_b: fields.ForeignKey(() => RenamedEntityB, { onDelete: 'cascade', column: 'entity_b_id' })`),
    answers: { 'rename-table:entity_b->renamed_entity_b': 'rename' },
  },
  {
    name: 'a model and one of its fields renamed at once',
    peer: `${AD}test_rename_field_with_renamed_model`,
    v1: author(),
    seed: seedAuthor,
    v2: model('Writer', 'writers', `renamed_name: fields.CharField({ maxLength: 200 })`),
    answers: { 'rename-table:authors->writers': 'rename', 'rename-column:writers.name->writers.renamed_name': 'rename' },
    verify: async (p) => expect(await p.rows('SELECT renamed_name FROM writers')).toEqual([{ renamed_name: 'ada' }]),
  },
  {
    name: 'a model renamed while its table is kept',
    peer: `${AD}test_keep_db_table_with_model_change`,
    v1: author(),
    v2: model('NewAuthor', 'authors', name200),
    noChange: true,
  },
  {
    name: 'a table name set on a model that had the default',
    peer: `${AD}test_alter_db_table_add`,
    v1: `\nexport const Author = defineModel('Author', { timestamps: false, fields: { ${name200} } });\n`,
    seed: seedAuthor,
    v2: model('Author', 'author_one', name200),
    answers: { 'rename-table:authors->author_one': 'rename' },
  },
  {
    name: "a model's table name changed",
    peer: `${AD}test_alter_db_table_change`,
    v1: model('Author', 'author_one', name200),
    v2: model('Author', 'author_two', name200),
    answers: { 'rename-table:author_one->author_two': 'rename' },
  },
  {
    name: "a model's table name removed, back to the default",
    peer: `${AD}test_alter_db_table_remove`,
    v1: model('Author', 'author_one', name200),
    v2: `\nexport const Author = defineModel('Author', { timestamps: false, fields: { ${name200} } });\n`,
    answers: { 'rename-table:author_one->authors': 'rename' },
  },
  {
    name: 'a table comment added',
    peer: `${AD}test_alter_db_table_comment_add`,
    v1: author(),
    v2: author(name200, `comment: 'Table comment'`),
  },
  {
    name: 'a table comment changed',
    peer: `${AD}test_alter_db_table_comment_change`,
    v1: author(name200, `comment: 'Table comment'`),
    v2: author(name200, `comment: 'New table comment'`),
  },
  {
    name: 'a table comment removed',
    peer: `${AD}test_alter_db_table_comment_remove`,
    v1: author(name200, `comment: 'Table comment'`),
    v2: author(),
  },
  {
    name: 'unique together added',
    peer: `${AD}test_add_foo_together`,
    v1: author() + book(bookFields),
    seed: seedBook,
    v2: author() + book(bookFields, `uniqueTogether: [['author', 'title']]`),
  },
  {
    name: 'unique together removed',
    peer: `${AD}test_remove_foo_together`,
    v1: author() + book(bookFields, `uniqueTogether: [['author', 'title']]`),
    v2: author() + book(bookFields),
  },
  {
    name: 'the fields of a unique together reordered',
    peer: `${AD}test_foo_together_ordering`,
    v1: author() + book(bookFields, `uniqueTogether: [['author', 'title']]`),
    v2: author() + book(bookFields, `uniqueTogether: [['title', 'author']]`),
  },
  {
    name: 'a field added together with a unique together naming it',
    peer: `${AD}test_add_field_and_unique_together`,
    v1: author() + book(bookFields),
    v2: author() + book(`${bookFields}, newfield: fields.IntegerField({ null: true })`, `uniqueTogether: [['title', 'newfield']]`),
  },
  {
    name: 'a field removed together with the unique together naming it',
    peer: `${AD}test_remove_field_and_foo_together`,
    v1: author() + book(`${bookFields}, newfield: fields.IntegerField({ null: true })`, `uniqueTogether: [['title', 'newfield']]`),
    seed: `${seedBook}`,
    v2: author() + book(bookFields),
    answers: { 'destructive:column:books.newfield': { confirm: true } },
  },
  {
    name: 'a field renamed that a unique together names',
    peer: `${AD}test_rename_field_and_foo_together`,
    v1: author() + book(`${bookFields}, newfield: fields.IntegerField({ null: true })`, `uniqueTogether: [['title', 'newfield']]`),
    seed: seedBook,
    v2: author() + book(`${bookFields}, newfield2: fields.IntegerField({ null: true })`, `uniqueTogether: [['title', 'newfield2']]`),
    answers: { 'rename-column:books.newfield->books.newfield2': 'rename' },
  },
  {
    name: 'a new model with indexes',
    peer: `${AD}test_create_model_with_indexes`,
    v1: '',
    v2: author(name200, `indexes: [{ fields: ['name'], name: 'create_model_with_indexes_idx' }]`),
  },
  {
    name: 'an index added',
    peer: `${AD}test_add_indexes`,
    v1: author() + book(bookFields),
    seed: seedBook,
    v2: author() + book(bookFields, `indexes: [{ fields: ['author', 'title'], name: 'book_title_author_idx' }]`),
  },
  {
    name: 'an index removed',
    peer: `${AD}test_remove_indexes`,
    v1: author() + book(bookFields, `indexes: [{ fields: ['author', 'title'], name: 'book_title_author_idx' }]`),
    v2: author() + book(bookFields),
  },
  {
    name: 'an index renamed',
    peer: `${AD}test_rename_indexes`,
    v1: author() + book(bookFields, `indexes: [{ fields: ['author', 'title'], name: 'book_title_author_idx' }]`),
    v2: author() + book(bookFields, `indexes: [{ fields: ['author', 'title'], name: 'renamed_book_title_author_idx' }]`),
  },
  {
    name: "an index's fields reordered",
    peer: `${AD}test_order_fields_indexes`,
    v1: author() + book(bookFields, `indexes: [{ fields: ['author', 'title'], name: 'book_author_title_idx' }]`),
    v2: author() + book(bookFields, `indexes: [{ fields: ['title', 'author'], name: 'book_author_title_idx' }]`),
  },
  {
    name: 'a new model with a check constraint',
    peer: `${AD}test_create_model_with_check_constraint`,
    v1: '',
    v2: author(name200, `checks: [{ name: 'name_contains_bob', sql: "name LIKE '%bob%'" }]`),
  },
  {
    name: 'a check constraint added to a table with rows',
    peer: `${AD}test_add_constraints`,
    v1: author(),
    seed: `INSERT INTO authors (name) VALUES ('bobby')`,
    v2: author(name200, `checks: [{ name: 'name_contains_bob', sql: "name LIKE '%bob%'" }]`),
  },
  {
    name: 'a check constraint removed',
    peer: `${AD}test_remove_constraints`,
    v1: author(name200, `checks: [{ name: 'name_contains_bob', sql: "name LIKE '%bob%'" }]`),
    v2: author(),
  },
  {
    name: 'a many-to-many field added',
    peer: `${AD}test_add_many_to_many`,
    v1: model('Publisher', 'publishers', name200) + author(),
    v2: model('Publisher', 'publishers', name200) + author(`${name200}, publishers: fields.ManyToManyField(() => Publisher)`),
  },
  {
    name: 'a plain field replaced by a many-to-many one',
    peer: `${AD}test_concrete_field_changed_to_many_to_many`,
    v1: model('Publisher', 'publishers', name200) + author(`${name200}, publisher_names: fields.CharField({ maxLength: 100, null: true })`),
    v2: model('Publisher', 'publishers', name200) + author(`${name200}, publishers: fields.ManyToManyField(() => Publisher)`),
    answers: { 'rename-column:authors.publisher_names->authors.publishers': 'drop' },
  },
  {
    name: 'a many-to-many field replaced by a plain one',
    peer: `${AD}test_many_to_many_changed_to_concrete_field`,
    v1: model('Publisher', 'publishers', name200) + author(`${name200}, publishers: fields.ManyToManyField(() => Publisher)`),
    v2: model('Publisher', 'publishers', name200) + author(`${name200}, publisher_names: fields.CharField({ maxLength: 100, null: true })`),
  },
  {
    name: "a foreign key retargeted, then its old target's model removed",
    peer: `${AD}test_alter_fk_before_model_deletion`,
    v1: author() + model('Publisher', 'publishers', `author: fields.ForeignKey(() => Author, { onDelete: 'cascade' })`),
    v2: model('NewAuthor', 'new_authors', name200) + model('Publisher', 'publishers', `author: fields.ForeignKey(() => NewAuthor, { onDelete: 'cascade' })`),
    answers: { 'rename-table:authors->new_authors': 'drop' },
  },
];

peerSuite('Django autodetector cases', cases);
