/** The Ink wizard as a whole flow: keys in, frames and the written file out (a fake session). */
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import type { Answers, Question } from '../source/diff/questions.js';
import type { Operation } from '../source/ops/types.js';
import { Wizard } from '../source/wizard/wizard.js';
import type { WizardResult, WizardSession } from '../source/wizard/wizard.js';
import { batchProgress } from '../source/util/progress-text.js';
import { initialState } from '../source/wizard/wizard-state.js';
import type { WizardState } from '../source/wizard/wizard-state.js';

const rename: Question = {
  id: 'rename-column:users.full_name->users.name', kind: 'rename-column', text: 'Column users.full_name is gone: rename it?', stake: '2 rows in users',
  choices: [{ label: 'rename users.full_name to name', answer: 'rename', id: 'rename-column:users.full_name->users.name' }, { label: 'drop and add', answer: 'drop', id: 'rename-column:users.full_name->users.name' }],
};
const backfill: Question = {
  id: 'backfill:users.age', kind: 'backfill', text: 'New NOT NULL column users.age: what value?', columnType: 'integer',
  choices: [{ label: 'a value', answer: { input: 'value' } }],
};
const renameOp: Operation = { kind: 'renameColumn', table: 'users', from: 'full_name', to: 'name' };
const addOp: Operation = { kind: 'addColumn', table: 'users', column: { name: 'age', type: 'integer', nullable: false, default: null } };

/** A session whose plan follows the answers, as the real diff would. */
function fakeSession(written: { file?: string; message?: string; ops?: readonly Operation[] }, failWrites = 0): WizardSession {
  let failures = failWrites;
  return {
    plan: async (answers: Answers) => {
      const questions = [rename, backfill].filter((q) => !(q.id in answers));
      return { operations: answers[rename.id] === 'drop' ? [addOp] : [renameOp, addOp], questions };
    },
    check: async (_q, _kind, text) => (/^\d+$/.test(text) ? { error: null, value: Number(text) } : { error: `invalid input syntax for type integer: "${text}"` }),
    preview: (ops, message) => ({ text: `/** ${message} */\n${ops.map((o) => o.kind).join('\n')}`, sql: ['ALTER TABLE users RENAME COLUMN full_name TO name'] }),
    write: async (ops, message) => {
      if (failures-- > 0) throw Object.assign(new Error('the revision failed its proof in downgrade: boom\n  statement: DROP TABLE nope'), { hint: 'nothing was written' });
      Object.assign(written, { file: '/tmp/x.ts', message, ops });
      return { file: '/tmp/x.ts', proof: 'proven: up -> down -> up (12 ms)' };
    },
  };
}

async function frame(app: ReturnType<typeof render>, text: string): Promise<string> {
  const started = Date.now();
  while (!(app.lastFrame() ?? '').includes(text)) {
    if (Date.now() - started > 5000) throw new Error(`not in the frame: ${text}\n${app.lastFrame()}`);
    await new Promise((r) => setTimeout(r, 10));
  }
  return app.lastFrame() ?? '';
}

function mount(session: WizardSession, done: (r: WizardResult) => void) {
  const initial = { ...initialState({}, 'rename and age'), operations: [renameOp, addOp], questions: [rename, backfill], needsPlan: false, screen: 'overview' as const };
  return render(<Wizard session={session} initial={initial} onDone={done} />);
}

const ENTER = '\r';
const LEFT = '\u001b[D';
const DOWN = '\u001b[B';

describe('the Ink wizard', () => {
  it('walks through, goes back to change an answer, rejects an invalid value, and writes', async () => {
    const written: { file?: string; message?: string; ops?: readonly Operation[] } = {};
    let result: WizardResult | null = null;
    const app = mount(fakeSession(written), (r) => (result = r));
    const overview = await frame(app, 'Needs a decision');
    expect(overview).toContain('2 changes · 2 decisions open');
    expect(overview).toContain('rename column users.full_name to name');
    app.stdin.write(ENTER);
    const first = await frame(app, 'change 1 of 2');
    expect(first).toContain('ALTER TABLE users RENAME COLUMN full_name TO name;');
    app.stdin.write(ENTER);
    await frame(app, 'change 2 of 2');
    app.stdin.write(ENTER);
    await frame(app, '2 rows in users');
    app.stdin.write(ENTER); // rename
    await frame(app, 'New NOT NULL column users.age');
    app.stdin.write(LEFT); // back: the rename question again, 'rename' still selected
    const back = await frame(app, 'Column users.full_name is gone');
    expect(back).toContain('❯ rename users.full_name to name');
    app.stdin.write(DOWN);
    await frame(app, '❯ drop and add');
    app.stdin.write(ENTER);
    await frame(app, 'New NOT NULL column users.age');
    app.stdin.write(ENTER);
    await frame(app, 'value (integer)');
    app.stdin.write('abc');
    await frame(app, 'abc');
    app.stdin.write(ENTER);
    await frame(app, 'invalid input syntax for type integer');
    for (let i = 0; i < 3; i++) app.stdin.write('\u007f');
    app.stdin.write('7');
    await frame(app, 'value (integer): 7');
    app.stdin.write(ENTER);
    const review = await frame(app, 'revision file');
    expect(review).toContain('addColumn');
    expect(review).not.toContain('renameColumn');
    app.stdin.write(ENTER);
    await frame(app, 'message: rename and age');
    app.stdin.write(ENTER);
    const started = Date.now();
    while (!result && Date.now() - started < 5000) await new Promise((r) => setTimeout(r, 10));
    expect(result).toMatchObject({ status: 'written', file: '/tmp/x.ts', answers: { [rename.id]: 'drop', [backfill.id]: { value: 7 } } });
    expect(written.message).toBe('rename and age');
  });

  it('a revision that fails its proof is not written: the message screen says why and stays, and a second try can write', async () => {
    const written: { file?: string } = {};
    let result: WizardResult | null = null;
    const app = mount(fakeSession(written, 1), (r) => (result = r));
    await frame(app, 'Needs a decision');
    // Through the walk-through and both decisions (rename, value 7), to the message.
    for (const key of [ENTER, ENTER, ENTER, ENTER]) app.stdin.write(key);
    await frame(app, 'New NOT NULL column users.age');
    app.stdin.write(ENTER);
    await frame(app, 'value (integer)');
    app.stdin.write('7');
    await frame(app, 'value (integer): 7');
    app.stdin.write(ENTER);
    await frame(app, 'revision file');
    app.stdin.write(ENTER);
    await frame(app, 'message: rename and age');
    app.stdin.write(ENTER);
    const failed = await frame(app, 'Not written');
    expect(failed).toContain('failed its proof in downgrade: boom');
    expect(failed).toContain('statement: DROP TABLE nope');
    expect(failed).toContain('message: rename and age');
    expect(written.file).toBeUndefined();
    expect(result).toBeNull();
    app.stdin.write(ENTER);
    const started = Date.now();
    while (!result && Date.now() - started < 5000) await new Promise((r) => setTimeout(r, 10));
    expect(result).toMatchObject({ status: 'written', file: '/tmp/x.ts' });
  });

  it('Ctrl-C writes nothing', async () => {
    const written: { file?: string } = {};
    let result: WizardResult | null = null;
    const app = mount(fakeSession(written), (r) => (result = r));
    await frame(app, 'Needs a decision');
    app.stdin.write('\u0003');
    const started = Date.now();
    while (!result && Date.now() - started < 5000) await new Promise((r) => setTimeout(r, 10));
    expect(result).toMatchObject({ status: 'cancelled' });
    expect(written.file).toBeUndefined();
  });

  describe('in a small window', () => {
    // Long names and types, and more decisions than fit: what a person meets on a real project at 50x14.
    const longAdd: Operation = {
      kind: 'addColumn', table: 'customer_subscriptions',
      column: { name: 'cancellation_reason_details', type: 'character varying(250)', nullable: false, default: null },
    };
    const dropName: Operation = { kind: 'dropColumn', table: 'users', column: { name: 'full_name', type: 'text', nullable: true, default: null } };
    const questions: Question[] = [rename, ...['a', 'b', 'c', 'd', 'e', 'f'].map((c): Question => ({ ...backfill, id: `backfill:users.${c}`, stake: `${c.charCodeAt(0)} rows in users need a value` }))];

    function mountSized(columns: number, rows: number, initial: WizardState) {
      const app = render(<Wizard session={fakeSession({})} initial={initial} onDone={() => undefined} />);
      Object.defineProperty(app.stdout, 'columns', { value: columns });
      Object.defineProperty(app.stdout, 'rows', { value: rows });
      app.stdout.emit('resize');
      return app;
    }
    const overview = { ...initialState({}, 'm'), operations: [longAdd, dropName, addOp], questions, needsPlan: false, screen: 'overview' as const };

    it('folds long changes instead of cutting them, lists every open decision, and says truly where the window is', async () => {
      const app = mountSized(50, 14, overview);
      let seen = await frame(app, 'below (↑↓)');
      // Only the footer's keys may be cut; the whole description is there, folded: the type and NOT NULL decide the data.
      expect(seen.split('\n').slice(0, -1).join('\n')).not.toContain('…');
      expect(seen.replace(/\s+/g, '')).toContain('addcolumncustomer_subscriptions.cancellation_reason_detailscharactervarying(250)NOTNULL');
      expect(seen.replace(/\s+/g, ' ')).toContain('7 decisions open');
      const positions = new Set<string>();
      const decisions = new Set<string>();
      for (let i = 0; i < 12; i++) {
        positions.add(seen.match(/rows \d+–\d+ of \d+[^\n]*/)?.[0] ?? '');
        for (const m of seen.matchAll(/^\? (\S+)/gm)) decisions.add(m[1]);
        app.stdin.write(DOWN);
        await new Promise((r) => setTimeout(r, 20));
        seen = app.lastFrame() ?? '';
      }
      // Every decision the header counts can be reached; the position line changed with the keys, and ends at the bottom.
      expect([...decisions].sort()).toEqual(questions.map((q) => q.id).sort());
      expect(positions.size).toBeGreaterThan(3);
      expect(seen).toContain(', 0 below');
      // One ↑ after overshooting moves at once.
      app.stdin.write('\u001b[A');
      await frame(app, ', 1 below');
    });

    it('in the walk-through, a change an open decision may undo says so', async () => {
      const app = mountSized(60, 20, { ...overview, operations: [dropName, addOp] });
      await frame(app, 'Needs a decision');
      app.stdin.write(ENTER);
      const change = await frame(app, 'change 1 of 2');
      expect(change).toContain('ALTER TABLE users DROP COLUMN full_name;');
      expect(change.replace(/\n/g, ' ')).toContain(`waits on ${rename.id}: shown as planned before you answer`);
      app.stdin.write(ENTER);
      const next = await frame(app, 'change 2 of 2');
      expect(next).not.toContain(`waits on ${rename.id}`);
    });
  });

  it('applying from the screen shows a long step\'s bar while it runs, and the outcome after', async () => {
    let result: WizardResult | null = null;
    let finish: () => void = () => undefined;
    const session: WizardSession = {
      ...fakeSession({}),
      apply: async (line, progress) => {
        line('Running upgrade <base> -> x, rename and age');
        progress?.(batchProgress({ kind: 'batches', table: 'users', column: 'age', rows: 5000, pagesDone: 10, pagesTotal: 40, elapsedMs: 500, done: false }));
        await new Promise<void>((r) => (finish = r));
        progress?.(batchProgress({ kind: 'batches', table: 'users', column: 'age', rows: 20000, pagesDone: 40, pagesTotal: 40, elapsedMs: 2000, done: true }));
        return { ok: true, summary: 'Database is now at x.' };
      },
    };
    const app = render(<Wizard session={session} initial={{ ...initialState({}, 'm'), operations: [addOp], questions: [], needsPlan: false, screen: 'review' }} onDone={(r) => (result = r)} />);
    await frame(app, 'revision file');
    app.stdin.write(ENTER);
    await frame(app, 'message: m');
    app.stdin.write(ENTER);
    await frame(app, 'Apply it now?');
    app.stdin.write('y');
    const running = await frame(app, 'filling users.age');
    expect(running).toContain('25% · 5,000 of ~20,000 rows · 10,000 rows/s · about 1.5 s left');
    finish();
    const started = Date.now();
    while (!result && Date.now() - started < 5000) await new Promise((r) => setTimeout(r, 10));
    expect(result).toMatchObject({ status: 'written', applied: { ok: true, summary: 'Database is now at x.' } });
  });
});
