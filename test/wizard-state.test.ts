/** The wizard's state machine without a terminal: answers, back, re-diff, input checks. */
import { describe, expect, it } from 'vitest';
import type { Question } from '../source/diff/questions.js';
import type { Operation } from '../source/ops/types.js';
import { waitingOn } from '../source/wizard/overview-lines.js';
import { initialState, reducer } from '../source/wizard/wizard-state.js';
import type { Action, WizardState } from '../source/wizard/wizard-state.js';

const rename: Question = {
  id: 'rename-column:users.full_name->users.name', kind: 'rename-column', text: 'rename?',
  choices: [{ label: 'rename', answer: 'rename', id: 'rename-column:users.full_name->users.name' }, { label: 'drop', answer: 'drop', id: 'rename-column:users.full_name->users.name' }],
};
const backfill: Question = {
  id: 'backfill:users.age', kind: 'backfill', text: 'value?', columnType: 'integer',
  choices: [{ label: 'a value', answer: { input: 'value' } }, { label: 'an SQL expression', answer: { input: 'sql' } }],
};
const enumRemove: Question = {
  id: 'enum-remove:userstatus.suspended', kind: 'enum-remove', text: 'rows?', stake: '3 rows hold it',
  choices: [{ label: 'map to active', answer: { mapTo: 'active' } }, { label: 'delete', answer: { deleteRows: true } }],
};
const op: Operation = { kind: 'renameColumn', table: 'users', from: 'full_name', to: 'name' };

function run(s: WizardState, ...actions: Action[]): WizardState {
  return actions.reduce(reducer, s);
}

function start(questions: Question[]): WizardState {
  return { ...initialState({}, 'msg'), operations: [op], questions, needsPlan: false, screen: 'overview', walkAll: false };
}

describe('wizard state', () => {
  it('walks from the overview into the first question and records the answer, asking for a new plan', () => {
    const s = run(start([rename, backfill]), { type: 'start' }, { type: 'choose' });
    expect(s.answers).toEqual({ [rename.id]: 'rename' });
    expect(s.needsPlan).toBe(true);
    expect(s.screen).toBe('working');
    const next = run(s, { type: 'planned', operations: [op], questions: [backfill] });
    expect(next.screen).toBe('question');
    expect(next.questions[0].id).toBe(backfill.id);
  });

  it('goes back to the previous question with its answer selected, and keeps later answers that still apply', () => {
    let s = run(start([rename, enumRemove]), { type: 'start' }, { type: 'move', delta: 1 }, { type: 'choose' });
    expect(s.answers[rename.id]).toBe('drop');
    s = run(s, { type: 'planned', operations: [op], questions: [enumRemove] }, { type: 'choose' });
    expect(s.answers[enumRemove.id]).toEqual({ mapTo: 'active' });
    s = run(s, { type: 'planned', operations: [op], questions: [] });
    expect(s.screen).toBe('review');
    s = run(s, { type: 'back' });
    expect(s.answers).toEqual({ [rename.id]: 'drop' });
    s = run(s, { type: 'planned', operations: [op], questions: [enumRemove] });
    s = run(s, { type: 'back' });
    expect(s.answers).toEqual({});
    s = run(s, { type: 'planned', operations: [op], questions: [rename, enumRemove] });
    expect(s.cursor).toBe(1); // 'drop' was the answer before
    s = run(s, { type: 'move', delta: -1 }, { type: 'choose' }, { type: 'planned', operations: [op], questions: [enumRemove] });
    expect(s.cursor).toBe(0); // the remembered mapTo answer is pre-selected
  });

  it('asks twice before deleting rows', () => {
    let s = run(start([enumRemove]), { type: 'start' }, { type: 'move', delta: 1 }, { type: 'choose' });
    expect(s.screen).toBe('confirmDelete');
    s = run(s, { type: 'confirmDelete', yes: false });
    expect(s.screen).toBe('question');
    expect(s.answers).toEqual({});
    s = run(s, { type: 'choose' }, { type: 'confirmDelete', yes: true });
    expect(s.answers).toEqual({ [enumRemove.id]: { deleteRows: true } });
  });

  it('keeps invalid input on screen with the database message, then accepts a valid value', () => {
    let s = run(start([backfill]), { type: 'start' }, { type: 'choose' });
    expect(s.screen).toBe('input');
    s = run(s, { type: 'type', text: 'abc' }, { type: 'submitInput' });
    expect(s.input?.checking).toBe(true);
    s = run(s, { type: 'inputChecked', error: 'invalid input syntax for type integer: "abc"' });
    expect(s.screen).toBe('input');
    expect(s.input).toMatchObject({ text: 'abc', error: 'invalid input syntax for type integer: "abc"' });
    expect(s.answers).toEqual({});
    s = run(s, { type: 'type', text: '42' }, { type: 'submitInput' }, { type: 'inputChecked', error: null, value: 42 });
    expect(s.answers).toEqual({ [backfill.id]: { value: 42 } });
  });

  it('edits typed text one character at a time, even when keys arrive together', () => {
    let s = run(start([backfill]), { type: 'start' }, { type: 'choose' });
    s = run(s, { type: 'key', input: 'x12', key: {}, rows: 20 }, { type: 'key', input: '\u007f\u007f', key: {}, rows: 20 }, { type: 'key', input: '7', key: {}, rows: 20 });
    expect(s.input?.text).toBe('x7');
    s = run(s, { type: 'key', input: '', key: { delete: true }, rows: 20 });
    expect(s.input?.text).toBe('x');
  });

  it('walks every change before the decisions, and d skips to the decisions', () => {
    const two = { ...start([rename]), operations: [op, op], walkAll: true };
    let s = run(two, { type: 'start' });
    expect(s).toMatchObject({ screen: 'change', changeIndex: 0 });
    s = run(s, { type: 'key', input: '\r', key: { return: true }, rows: 20 });
    expect(s.changeIndex).toBe(1);
    s = run(s, { type: 'key', input: '', key: { leftArrow: true }, rows: 20 }, { type: 'key', input: '', key: { leftArrow: true }, rows: 20 });
    expect(s.screen).toBe('overview');
    s = run(s, { type: 'start' }, { type: 'key', input: 'd', key: {}, rows: 20 });
    expect(s).toMatchObject({ screen: 'question', walkAll: false });
  });

  it('presses keys that arrive in one chunk one by one', () => {
    const s = run({ ...start([rename]), walkAll: true }, { type: 'key', input: 'd\r', key: {}, rows: 20 });
    expect(s).toMatchObject({ screen: 'question', walkAll: false });
  });

  it('cancels from anywhere', () => {
    expect(run(start([rename]), { type: 'start' }, { type: 'cancel' }).screen).toBe('cancelled');
  });
});

/** Keys as the terminal sends them: one chunk may hold several. */
const keys = (input: string, key: Action extends infer A ? (A extends { type: 'key' } ? A['key'] : never) : never = {}): Action => ({ type: 'key', input, key, rows: 20 });

describe('wizard state: every key typed acts, in order (issue 11)', () => {
  it('"Enter y" in one chunk in the message field writes, then answers the apply question', () => {
    let s: WizardState = { ...start([]), screen: 'message', message: 'm' };
    s = run(s, keys('\ry'));
    // Enter wrote; the "y" waited for the file and then answered "apply it now?".
    expect(s.screen).toBe('writing');
    expect(s.message).toBe('m');
    s = run(s, { type: 'written', file: 'f.ts', canApply: true });
    expect(s.screen).toBe('applying');
  });

  it('keys typed while the plan is recomputed act on the new plan, not lost', () => {
    let s = run(start([rename, enumRemove]), { type: 'start' });
    s = run(s, keys('', { return: true })); // answer the rename: re-planning
    expect(s.screen).toBe('working');
    s = run(s, keys('j'), keys('', { return: true })); // typed during the re-plan
    expect(s.pending).toHaveLength(2);
    s = run(s, { type: 'planned', operations: [op], questions: [enumRemove] });
    // j moved to "delete", Enter chose it: the confirmation asks.
    expect(s.screen).toBe('confirmDelete');
    expect(s.pending).toHaveLength(0);
  });

  it('after ← and a quick answer, the new answer is kept', () => {
    let s = run(start([rename, enumRemove]), { type: 'start' }, { type: 'choose' }, { type: 'planned', operations: [op], questions: [enumRemove] });
    s = run(s, keys('', { leftArrow: true }), keys('j'), keys('', { return: true }));
    s = run(s, { type: 'planned', operations: [op], questions: [rename, enumRemove] });
    expect(s.answers[rename.id]).toBe('drop');
  });

  it('a value typed while the previous one is checked waits for the verdict', () => {
    let s = run(start([backfill]), { type: 'start' }, { type: 'choose' });
    expect(s.screen).toBe('input');
    s = run(s, keys('x\r'));
    expect(s.input?.checking).toBe(true);
    s = run(s, keys('\u007f5\r'));
    s = run(s, { type: 'inputChecked', error: 'invalid input syntax for type integer: "x"' });
    // The error came back; the keys typed meanwhile fixed the value and submitted again.
    expect(s.input?.text).toBe('5');
    expect(s.input?.checking).toBe(true);
  });

  it('an Enter typed before the screen was up (a lone line feed, after an arrow) chooses', () => {
    // The terminal was not in raw mode yet: "↓ Enter" arrives as the arrow, then "\n" on its own.
    const s = run(start([rename]), { type: 'start' }, keys('', { downArrow: true }), keys('\n'));
    expect(s.answers[rename.id]).toBe('drop');
  });

  it('"Tab Tab Tab" in one chunk on the review toggles three times', () => {
    expect(run({ ...start([]), screen: 'review' }, keys('\t\t\t')).reviewTab).toBe('sql');
    expect(run({ ...start([]), screen: 'review' }, keys('\t\t')).reviewTab).toBe('file');
    expect(run({ ...start([]), screen: 'review' }, keys('', { tab: true })).reviewTab).toBe('sql');
  });

  it('Ctrl-C while the file is being written does not claim nothing was written', () => {
    const writing = run({ ...start([]), screen: 'message', message: 'm' }, keys('', { return: true }));
    expect(writing.screen).toBe('writing');
    expect(run(writing, keys('c', { ctrl: true })).screen).toBe('writing');
  });

  it('the apply question waits for a key: n (or Enter) leaves without applying, Ctrl-C too', () => {
    const written = run({ ...start([]), screen: 'writing' }, { type: 'written', file: 'f.ts', canApply: true });
    expect(written.screen).toBe('applyAsk');
    expect(run(written, keys('n')).screen).toBe('done');
    expect(run(written, keys('', { return: true })).screen).toBe('done');
    expect(run(written, keys('c', { ctrl: true })).screen).toBe('done');
    const ran = run(written, keys('y'), { type: 'runLine', text: 'ALTER TABLE …' }, { type: 'ran', ok: true, summary: 'Database is now at abc.' });
    expect(ran.screen).toBe('done');
    expect(ran.runLines).toEqual(['ALTER TABLE …']);
    expect(ran.outcome).toEqual({ ok: true, summary: 'Database is now at abc.' });
  });
});

describe('wizard state: the default message follows the plan (issue 11)', () => {
  it('a new plan rewrites the message until it is typed or given', () => {
    let s = run(start([rename]), { type: 'start' }, { type: 'choose' }, { type: 'planned', operations: [op], questions: [], message: 'rename column users.full_name to name' });
    expect(s.message).toBe('rename column users.full_name to name');
    s = run(s, { type: 'review' }, keys('!'));
    expect(s.message).toBe('rename column users.full_name to name!');
    s = run(s, { type: 'planned', operations: [op], questions: [], message: 'something else' });
    expect(s.message).toBe('rename column users.full_name to name!');
    const given = run({ ...start([rename]), messageEdited: true }, { type: 'planned', operations: [op], questions: [], message: 'other' });
    expect(given.message).toBe('msg');
  });

  it('scrolling stops at the end the view measured: ↑ after too many ↓ moves at once', () => {
    const down = { type: 'key', input: '', key: { downArrow: true }, rows: 5 } as const;
    const up = { type: 'key', input: '', key: { upArrow: true }, rows: 5 } as const;
    let s = run(start([rename]), { type: 'scrollRoom', max: 2 }, down, down, down, down);
    expect(s.scroll).toBe(2);
    s = run(s, up);
    expect(s.scroll).toBe(1);
    // Another screen has other rows: the old limit does not hold it back until they are measured.
    s = run({ ...s, walkAll: true }, { type: 'key', input: '\r', key: { return: true }, rows: 5 }, down, down, down);
    expect(s).toMatchObject({ screen: 'change', scroll: 3 });
  });

  it('knows which walk-through changes wait on which open decision', () => {
    const ids = (o: Operation) => waitingOn(o, [rename, backfill, enumRemove]).map((q) => q.id);
    expect(ids({ kind: 'dropColumn', table: 'users', column: { name: 'full_name', type: 'text', nullable: true, default: null } })).toEqual([rename.id]);
    expect(ids({ kind: 'addColumn', table: 'users', column: { name: 'name', type: 'text', nullable: true, default: null } })).toEqual([rename.id]);
    expect(ids({ kind: 'addColumn', table: 'users', column: { name: 'age', type: 'integer', nullable: false, default: null } })).toEqual([backfill.id]);
    expect(ids({ kind: 'rebuildEnum', type: 'userstatus', from: ['a', 'suspended'], to: ['a'], columns: [], fates: {} })).toEqual([enumRemove.id]);
    expect(ids({ kind: 'addColumn', table: 'posts', column: { name: 'age', type: 'integer', nullable: true, default: null } })).toEqual([]);
  });
});
