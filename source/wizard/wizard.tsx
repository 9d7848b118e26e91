/**
 * The Ink view of the wizard: renders the state, maps keys to actions, and
 * runs the effects the state asks for (re-plan after an answer, check a
 * typed value with the database). Only visible rows are rendered, so a
 * plan of hundreds of changes draws as fast as one of ten.
 */
import { Box, Text, useApp, useInput } from 'ink';
import { useEffect, useReducer } from 'react';
import type { ReactNode } from 'react';
import type { Answers, Question } from '../diff/questions.js';
import { describeOperation, isDestructive } from '../ops/describe.js';
import { questionCost } from '../ops/low-lock.js';
import { operationToSql } from '../ops/sql.js';
import type { Operation } from '../ops/types.js';
import { fold } from '../util/fold.js';
import { progressText } from '../util/progress-text.js';
import type { Progress } from '../util/progress-text.js';
import { FullScreen, KeysLine, useScreenSize } from '../util/full-screen.js';
import { Spinner } from '../util/spinner.js';
import { wrapRows } from '../util/wrap-rows.js';
import { overviewRows, waitingOn } from './overview-lines.js';
import type { Row } from './overview-lines.js';
import { currentQuestion, initialState, reducer } from './wizard-state.js';
import type { WizardState } from './wizard-state.js';

export interface WizardSession {
  plan(answers: Answers): Promise<{ operations: readonly Operation[]; questions: readonly Question[] }>;
  /** The database's verdict on typed input: an error message, or the value to store. */
  check(q: Question, kind: string, text: string): Promise<{ error: string | null; value?: unknown }>;
  preview(operations: readonly Operation[], message: string): { text: string; sql: readonly string[] };
  /** Proves the revision (upgrade -> downgrade -> upgrade on a scratch copy), then writes it; rejects, writing nothing, when the proof fails. */
  write(operations: readonly Operation[], message: string): Promise<{ file: string; proof?: string }>;
  /** The message a plan gets when none was given or typed. */
  defaultMessage?(operations: readonly Operation[]): string;
  /**
   * Applies the revision just written, inside the screen (no second prompt
   * library fighting Ink for the terminal): a line per statement with its
   * time, and where the database stands at the end or on failure.
   */
  apply?(line: (text: string) => void, progress?: (p: Progress) => void): Promise<{ ok: boolean; summary: string; error?: string }>;
  /** In a multi-database project: the database an operation belongs to, shown before it. */
  databaseOf?(op: Operation): string | undefined;
}

/** An operation in words, after its database's name when the project has several. */
function describe(session: WizardSession | undefined, op: Operation): string {
  const db = session?.databaseOf?.(op);
  return db ? `[${db}] ${describeOperation(op)}` : describeOperation(op);
}

export interface WizardResult {
  readonly status: 'written' | 'cancelled';
  readonly answers: Answers;
  readonly file?: string;
  /** Set when the revision was applied (or tried) from the screen. */
  readonly applied?: { readonly ok: boolean; readonly summary: string; readonly error?: string; readonly log: readonly string[] };
}

// What each screen's keys do; `? help · q quit` is added where those keys work, and is never cut.
const KEYS: Record<string, string> = {
  overview: 'enter walk through · d decisions only on/off',
  change: 'enter/→ next change · ← previous · d skip to the decisions',
  question: '↑↓ choose · enter answer · ← back',
  input: 'type · enter accept · esc back · ctrl-c quit',
  confirmDelete: 'y delete the rows · n choose again',
  review: 'enter write · tab file/SQL · ↑↓ scroll · ← back',
  message: 'type the message · enter write the file · esc back',
  applyAsk: 'y apply it now · n or enter leave it for `fastedgy db migrate`',
  applying: 'applying…',
  working: '',
};
const HELP_AND_QUIT = new Set(['overview', 'change', 'question', 'confirmDelete', 'review', 'working']);

const HELP = 'Keys: ↑/↓ or k/j move · enter/→ choose · ←/backspace back to the previous answer · d walk every change or only the decisions · tab switch file/SQL · ? this help · q or ctrl-c quit without writing';

function Footer({ state, help }: { state: WizardState; help: readonly string[] }) {
  return (
    <Box flexDirection="column">
      {help.map((row, i) => (
        <Text key={i} dimColor>
          {row}
        </Text>
      ))}
      <KeysLine keys={KEYS[state.screen] ?? ''} always={HELP_AND_QUIT.has(state.screen) ? '? help · q quit' : undefined} />
    </Box>
  );
}

/** The header's rows: folded, not cut, so the count of destructive changes is there at any width. */
function headerRows(state: WizardState, width: number): string[] {
  const destructive = state.operations.filter(isDestructive).length;
  const n = state.operations.length;
  const open = state.questions.length;
  const counts = `${n} change${n === 1 ? '' : 's'} · ${open} decision${open === 1 ? '' : 's'} open${destructive ? ` · ${destructive} destructive` : ''}${state.walkAll ? '' : ' · decisions only'}`;
  return fold(`fastedgy makemigrations  ${counts}`, width);
}

function Header({ rows }: { rows: readonly string[] }) {
  const title = 'fastedgy makemigrations';
  return (
    <Box flexDirection="column">
      {rows.map((row, i) =>
        i === 0 && row.startsWith(title) ? (
          <Text key={i}>
            <Text bold>{title}</Text>
            <Text dimColor>{row.slice(title.length)}</Text>
          </Text>
        ) : (
          <Text key={i} dimColor>
            {row}
          </Text>
        ),
      )}
    </Box>
  );
}

/** Rows in a window of `height`, with where the window is when not all fit: true of every scroll position. */
function Window({ rows, height, scroll }: { rows: readonly Row[]; height: number; scroll: number }) {
  const fits = rows.length <= height;
  const shown = fits ? rows.length : Math.max(1, height - 1);
  const start = Math.min(scroll, Math.max(0, rows.length - shown));
  const below = rows.length - start - shown;
  return (
    <Box flexDirection="column">
      {rows.slice(start, start + shown).map((r, i) => (
        <Text key={start + i} color={r.color}>
          {r.text || ' '}
        </Text>
      ))}
      {/* One row, whatever the width: the rows above are counted on it. */}
      {fits ? null : <Text dimColor wrap="truncate-end">{`  rows ${start + 1}–${start + shown} of ${rows.length}: ${start > 0 ? `${start} above, ` : ''}${below} below (↑↓)`}</Text>}
    </Box>
  );
}

/** How far a window of `height` over `count` rows can scroll (one row goes to the position line). */
function scrollRoom(count: number, height: number): number {
  return count <= height ? 0 : count - Math.max(1, height - 1);
}

function QuestionView({ q, cursor }: { q: Question; cursor: number }) {
  return (
    <Box flexDirection="column">
      <Text color="yellow">{q.id}</Text>
      <Text wrap="wrap">{q.text}</Text>
      {q.stake ? <Text color="red">at stake: {q.stake}</Text> : null}
      {questionCost(q) ? <Text dimColor wrap="wrap">cost: {questionCost(q)}</Text> : null}
      <Box flexDirection="column" marginTop={1}>
        {q.choices.map((c, i) => (
          <Text key={i} color={i === cursor ? 'cyan' : undefined} wrap="wrap">
            {i === cursor ? '❯ ' : '  '}
            {c.label}
            {c.hint ? <Text dimColor> — {c.hint}</Text> : null}
          </Text>
        ))}
      </Box>
    </Box>
  );
}

export function Wizard({ session, initial, onDone }: { session: WizardSession; initial: WizardState; onDone: (r: WizardResult) => void }) {
  const [state, dispatch] = useReducer(reducer, initial);
  const { exit } = useApp();
  const size = useScreenSize();
  const columns = Math.max(20, size.columns - 1);
  // Every row is counted (header and help folded here, not by Ink), so the body is exactly what is left.
  const header = headerRows(state, size.columns);
  const help = state.showHelp ? fold(HELP, size.columns) : [];
  const rows = Math.max(3, size.rows - header.length - 1 - help.length);
  // The change screen: the body less the change's position, its description and what it waits on (folded), and a blank.
  const changeOp = state.operations[state.changeIndex];
  const described = changeOp ? fold(`${isDestructive(changeOp) ? '! ' : ''}${describe(session, changeOp)}`, size.columns) : [];
  const waits = changeOp ? waitingOn(changeOp, state.questions) : [];
  const waitNote = waits.length ? fold(`waits on ${waits.map((q) => q.id).join(', ')}: shown as planned before you answer; the answer may change it`, size.columns) : [];
  const changeHeight = Math.max(2, rows - 1 - described.length - waitNote.length - 1);

  useEffect(() => {
    if (!state.needsPlan) return;
    let live = true;
    void session
      .plan(state.answers)
      .then((p) => live && dispatch({ type: 'planned', operations: p.operations, questions: p.questions, message: session.defaultMessage?.(p.operations) }));
    return () => {
      live = false;
    };
  }, [state.needsPlan, state.answers, session]);

  useEffect(() => {
    const q = currentQuestion(state);
    if (!state.input?.checking || !q) return;
    void session.check(q, state.input.kind, state.input.text).then((r) => dispatch({ type: 'inputChecked', error: r.error, value: r.value }));
  }, [state.input?.checking]);

  useEffect(() => {
    if (state.screen === 'cancelled') {
      onDone({ status: 'cancelled', answers: state.answers });
      exit();
    }
    if (state.screen === 'done') {
      onDone({ status: 'written', answers: state.answers, file: state.file ?? undefined, ...(state.outcome ? { applied: { ...state.outcome, log: state.runLines } } : {}) });
      exit();
    }
  }, [state.screen]);

  useEffect(() => {
    if (state.screen !== 'writing') return;
    void session.write(state.operations, state.message.trim()).then(
      (w) => dispatch({ type: 'written', file: w.file, proof: w.proof, canApply: !!session.apply }),
      (e: Error & { hint?: string }) => dispatch({ type: 'writeFailed', error: `Not written: ${e.message}${e.hint ? `\n(${e.hint})` : ''}` }),
    );
  }, [state.screen]);

  useEffect(() => {
    if (state.screen !== 'applying' || !session.apply) return;
    void session
      .apply(
        (text) => dispatch({ type: 'runLine', text }),
        (p) => dispatch({ type: 'progress', text: p.finished ? null : progressText(p) }),
      )
      .then((r) => dispatch({ type: 'ran', ...r }), (e: Error) => dispatch({ type: 'ran', ok: false, summary: 'Failed.', error: e.message }));
  }, [state.screen]);

  useInput((input, key) => dispatch({ type: 'key', input, key, rows }));

  const q = currentQuestion(state);
  let body: ReactNode;
  // How far this screen's rows can scroll, once measured: the reducer stops there.
  let room: number | undefined;
  switch (state.screen) {
    case 'working':
      body = <Spinner label="Comparing again with your answers…" />;
      break;
    case 'change': {
      const op = changeOp;
      const sql = wrapRows(op ? operationToSql(op).flatMap((x) => (x + ';').split('\n')) : [], columns).map((text): Row => ({ text, color: 'cyan' }));
      room = scrollRoom(sql.length, changeHeight);
      body = op ? (
        <Box flexDirection="column">
          <Text dimColor>{`change ${state.changeIndex + 1} of ${state.operations.length}`}</Text>
          {described.map((row, i) => (
            <Text key={i} color={isDestructive(op) ? 'red' : 'green'} bold>
              {row}
            </Text>
          ))}
          {waitNote.map((row, i) => (
            <Text key={i} color="yellow">
              {row}
            </Text>
          ))}
          <Box marginTop={1}>
            <Window rows={sql} height={changeHeight} scroll={state.scroll} />
          </Box>
        </Box>
      ) : (
        <Text>…</Text>
      );
      break;
    }
    case 'writing':
      body = <Spinner label="Proving the revision (upgrade, downgrade, upgrade on a scratch copy) and writing it…" />;
      break;
    case 'applyAsk':
    case 'applying':
      body = (
        <Box flexDirection="column">
          <Text color="green">{`Written: ${state.file ?? ''}`}</Text>
          {state.proof ? <Text color="green">{state.proof}</Text> : null}
          {state.screen === 'applyAsk' ? <Text bold>Apply it now? (y/N)</Text> : null}
          {state.runLines.slice(-Math.max(1, rows - 4)).map((l, i) => (
            <Text key={i} dimColor wrap="wrap">
              {l}
            </Text>
          ))}
          {state.screen === 'applying' && state.progress ? (
            <Text color="cyan" wrap="wrap">
              {state.progress}
            </Text>
          ) : null}
          {state.screen === 'applying' ? <Spinner label="Applying…" /> : null}
          {state.outcome?.error ? <Text color="red" wrap="wrap">{state.outcome.error}</Text> : null}
          {state.outcome ? <Text color={state.outcome.ok ? 'green' : 'red'} bold>{state.outcome.summary}</Text> : null}
        </Box>
      );
      break;
    case 'overview': {
      const all = overviewRows(state.operations, state.questions, (op) => describe(session, op), size.columns);
      room = scrollRoom(all.length, rows);
      body = <Window rows={all} height={rows} scroll={state.scroll} />;
      break;
    }
    case 'question':
    case 'confirmDelete':
      body = q ? (
        <Box flexDirection="column">
          <QuestionView q={q} cursor={state.cursor} />
          {state.screen === 'confirmDelete' ? <Text color="red" bold>{`Delete those rows for good${q.stake ? ` (${q.stake})` : ''}? y/n`}</Text> : null}
        </Box>
      ) : (
        <Text>…</Text>
      );
      break;
    case 'input':
      body = (
        <Box flexDirection="column">
          {q ? <QuestionView q={q} cursor={state.cursor} /> : null}
          <Text>
            <Text color="cyan">{state.input?.kind === 'value' ? `value (${q?.columnType ?? ''})` : state.input?.kind}: </Text>
            {state.input?.text}
            <Text inverse> </Text>
          </Text>
          {state.input?.checking ? <Spinner label="checking with the database…" color="gray" /> : null}
          {state.input?.error ? <Text color="red">{state.input.error}</Text> : null}
        </Box>
      );
      break;
    case 'review':
    case 'message': {
      const preview = session.preview(state.operations, state.message || 'new revision');
      // Wrapped to the width, never cut: a USING or a backfill at the end of a long line decides the data.
      const lines = wrapRows(state.reviewTab === 'file' ? preview.text.split('\n') : preview.sql.flatMap((s) => (s + ';').split('\n')), columns);
      const errorRows = state.screen === 'message' && state.writeError ? wrapRows(state.writeError.split('\n'), columns).length : 0;
      // The window less the header, the footer (and help), the tabs line, the message line and why the last write failed.
      const height = Math.max(3, rows - 1 - (state.screen === 'message' ? 1 + errorRows : 0));
      room = Math.max(0, lines.length - height);
      const start = Math.min(state.scroll, room);
      body = (
        <Box flexDirection="column">
          <Text>
            <Text inverse={state.reviewTab === 'file'}> revision file </Text> <Text inverse={state.reviewTab === 'sql'}> SQL </Text>
            <Text dimColor>{`  lines ${start + 1}–${Math.min(lines.length, start + height)} of ${lines.length}`}</Text>
          </Text>
          {lines.slice(start, start + height).map((l, i) => (
            <Text key={i} wrap="truncate-end">
              {l || ' '}
            </Text>
          ))}
          {state.screen === 'message' && state.writeError ? (
            <Text color="red" wrap="wrap">
              {state.writeError}
            </Text>
          ) : null}
          {state.screen === 'message' ? (
            <Text>
              <Text color="cyan">message: </Text>
              {state.message}
              <Text inverse> </Text>
            </Text>
          ) : null}
        </Box>
      );
      break;
    }
    default:
      body = <Text />;
  }
  useEffect(() => {
    if (room !== undefined && room !== state.scrollMax) dispatch({ type: 'scrollRoom', max: room });
  }, [room, state.scrollMax]);
  if (state.screen === 'done' || state.screen === 'cancelled') return null;
  return (
    <FullScreen size={size} header={<Header rows={header} />} footer={<Footer state={state} help={help} />}>
      {body}
    </FullScreen>
  );
}

export { initialState };
