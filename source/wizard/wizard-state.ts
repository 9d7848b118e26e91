/**
 * The makemigrations wizard as a pure state machine: no React, no I/O. The
 * Ink view renders it and maps keys to its actions; re-diffing and checking
 * a typed value are effects the view performs, feeding results back as
 * actions (`planned`, `inputChecked`). Answers are keyed by question id, so
 * going back and changing one answer keeps every later answer whose
 * question still comes up.
 */
import type { Answer, Answers, Choice, Question } from '../diff/questions.js';
import type { Operation } from '../ops/types.js';
import { chunkKeys, isChunk } from '../util/key-chunk.js';

export type Screen =
  | 'working'
  | 'overview'
  | 'change'
  | 'question'
  | 'input'
  | 'confirmDelete'
  | 'review'
  | 'message'
  | 'writing'
  | 'applyAsk'
  | 'applying'
  | 'done'
  | 'cancelled';
export type InputKind = 'value' | 'sql' | 'using' | 'renameTo';

export interface WizardState {
  readonly screen: Screen;
  readonly operations: readonly Operation[];
  readonly questions: readonly Question[];
  readonly answers: Answers;
  /** Ids answered in this session, in order: what ← steps back through. */
  readonly trail: readonly string[];
  /** The last answer given to each id, to pre-select it when coming back. */
  readonly remembered: Answers;
  readonly cursor: number;
  readonly input: { readonly kind: InputKind; readonly text: string; readonly error: string | null; readonly checking: boolean } | null;
  /** Set when answers changed and the diff must run again (the view runs it). */
  readonly needsPlan: boolean;
  readonly reviewTab: 'file' | 'sql';
  readonly scroll: number;
  /**
   * The furthest the current screen can scroll (its rows less the window), as
   * the view last measured it: scrolling stops there, so ↑ after overshooting
   * moves at once and "N above, M below" changes with every key.
   */
  readonly scrollMax: number;
  readonly message: string;
  /** The message was given (-m) or typed: a new plan no longer rewrites it. */
  readonly messageEdited: boolean;
  readonly showHelp: boolean;
  /** Walk every change (with its SQL) before the decisions, or only the decisions. */
  readonly walkAll: boolean;
  readonly changeIndex: number;
  /** Keys typed while the screen was busy (re-planning, checking a value, writing): pressed, in order, once it is not. */
  readonly pending: readonly { readonly input: string; readonly key: KeyInfo; readonly rows: number }[];
  /** The revision file written, once it is. */
  readonly file: string | null;
  /** `proven: up -> down -> up (N ms)`, once the file is written. */
  readonly proof: string | null;
  /** Why the revision was not written (its proof failed): shown on the message screen, which stays open. */
  readonly writeError: string | null;
  /** Lines of the apply-now run, as they come. */
  readonly runLines: readonly string[];
  /** The bar of a long step of the run (a batched backfill, an index build), while it goes. */
  readonly progress: string | null;
  readonly outcome: { readonly ok: boolean; readonly summary: string; readonly error?: string } | null;
}

/** The keys the wizard reads (Ink's `Key`, reduced to what matters here). */
export interface KeyInfo {
  readonly upArrow?: boolean;
  readonly downArrow?: boolean;
  readonly leftArrow?: boolean;
  readonly rightArrow?: boolean;
  readonly pageDown?: boolean;
  readonly pageUp?: boolean;
  readonly home?: boolean;
  readonly end?: boolean;
  readonly shift?: boolean;
  readonly return?: boolean;
  readonly escape?: boolean;
  readonly ctrl?: boolean;
  readonly meta?: boolean;
  readonly tab?: boolean;
  readonly backspace?: boolean;
  readonly delete?: boolean;
}

export type Action =
  | { type: 'key'; input: string; key: KeyInfo; rows: number }
  | { type: 'planned'; operations: readonly Operation[]; questions: readonly Question[]; message?: string }
  | { type: 'start' }
  | { type: 'nextChange' }
  | { type: 'toggleWalk' }
  | { type: 'move'; delta: number }
  | { type: 'choose' }
  | { type: 'back' }
  | { type: 'type'; text: string }
  | { type: 'submitInput' }
  | { type: 'inputChecked'; error: string | null; value?: unknown }
  | { type: 'confirmDelete'; yes: boolean }
  | { type: 'toggleTab' }
  | { type: 'scroll'; delta: number }
  | { type: 'scrollRoom'; max: number }
  | { type: 'review' }
  | { type: 'setMessage'; text: string }
  | { type: 'toggleHelp' }
  | { type: 'cancel' }
  | { type: 'write' }
  | { type: 'written'; file: string; proof?: string; canApply: boolean }
  | { type: 'writeFailed'; error: string }
  | { type: 'apply'; yes: boolean }
  | { type: 'runLine'; text: string }
  | { type: 'progress'; text: string | null }
  | { type: 'ran'; ok: boolean; summary: string; error?: string }
  | { type: 'finish' };

export function initialState(answers: Answers, message: string, messageEdited = false): WizardState {
  return {
    screen: 'working', operations: [], questions: [], answers, trail: [], remembered: answers, cursor: 0, input: null,
    needsPlan: true, reviewTab: 'file', scroll: 0, scrollMax: Number.MAX_SAFE_INTEGER, message, messageEdited, showHelp: false, walkAll: true, changeIndex: 0,
    pending: [], file: null, proof: null, writeError: null, runLines: [], progress: null, outcome: null,
  };
}

/** After the changes: the first open decision, or the review when none is left. */
function toDecisions(s: WizardState): WizardState {
  if (s.questions.length > 0) return { ...s, screen: 'question', cursor: preselect(s.questions[0], s.remembered) };
  return { ...s, screen: 'review', scroll: 0 };
}

export function currentQuestion(s: WizardState): Question | undefined {
  return s.questions[0];
}

function sameAnswer(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Where the cursor starts on a question: the answer given before, if any. */
function preselect(q: Question | undefined, remembered: Answers): number {
  if (!q) return 0;
  const i = q.choices.findIndex((c) => {
    const id = c.id ?? q.id;
    return id in remembered && !('input' in (typeof c.answer === 'object' ? c.answer : {})) && sameAnswer(remembered[id], c.answer);
  });
  return Math.max(0, i);
}

function answer(s: WizardState, id: string, value: Answer): WizardState {
  return {
    ...s,
    answers: { ...s.answers, [id]: value },
    remembered: { ...s.remembered, [id]: value },
    trail: [...s.trail, id],
    input: null,
    needsPlan: true,
    screen: 'working',
  };
}

/**
 * Keys to actions, decided on the state the key arrives in: keys go through
 * the reducer, so a key typed before the screen redraws still acts on the
 * latest state.
 */
export function keyAction(s: WizardState, input: string, key: KeyInfo, rows: number): Action | null {
  // Once the file is written, Ctrl-C no longer cancels it: it leaves without applying.
  // While the file is written or the revision runs, Ctrl-C waits: "nothing was written" must stay true.
  if (key.ctrl && input === 'c') return s.screen === 'applyAsk' ? { type: 'finish' } : s.screen === 'applying' || s.screen === 'writing' ? null : { type: 'cancel' };
  if (s.screen === 'input' || s.screen === 'message') {
    if (key.escape) return { type: 'back' };
    if (key.return) return s.screen === 'input' ? { type: 'submitInput' } : s.message.trim() ? { type: 'write' } : null;
    const current = s.screen === 'input' ? s.input?.text ?? '' : s.message;
    const next = key.backspace || key.delete ? current.slice(0, -1) : key.ctrl || key.meta || key.tab ? current : edit(current, input);
    return s.screen === 'input' ? { type: 'type', text: next } : { type: 'setMessage', text: next };
  }
  if (s.screen === 'applyAsk') return { type: 'apply', yes: input === 'y' || input === 'Y' };
  if (busy(s)) return null;
  if (input === 'q') return { type: 'cancel' };
  if (input === '?') return { type: 'toggleHelp' };
  if (s.screen === 'confirmDelete') return { type: 'confirmDelete', yes: input === 'y' };
  if (input === 'd' && (s.screen === 'overview' || s.screen === 'change')) return { type: 'toggleWalk' };
  if (key.leftArrow || key.backspace || key.delete) return { type: 'back' };
  if (s.screen === 'change' && (key.return || key.rightArrow)) return { type: 'nextChange' };
  const up = key.upArrow || input === 'k';
  const down = key.downArrow || input === 'j';
  if (s.screen === 'question') {
    if (up) return { type: 'move', delta: -1 };
    if (down) return { type: 'move', delta: 1 };
    if (key.return || key.rightArrow) return { type: 'choose' };
    return null;
  }
  if (up) return { type: 'scroll', delta: -1 };
  if (down) return { type: 'scroll', delta: 1 };
  if (key.pageDown || input === ' ') return { type: 'scroll', delta: rows };
  if (s.screen === 'overview' && (key.return || key.rightArrow)) return { type: 'start' };
  if (s.screen === 'review' && key.tab) return { type: 'toggleTab' };
  if (s.screen === 'review' && key.return) return { type: 'review' };
  return null;
}

/**
 * Typed text, one character at a time: keys sent together (a paste, two
 * quick backspaces) arrive as one chunk, and a DEL inside it still deletes.
 */
function edit(text: string, chunk: string): string {
  let out = text;
  for (const ch of chunk) {
    if (ch === '\u007f' || ch === '\b') out = out.slice(0, -1);
    else if (ch >= ' ') out += ch;
  }
  return out;
}

/** A screen that is waiting for an effect (a new plan, the database's verdict on a value, the file, the run). */
export function busy(s: WizardState): boolean {
  return s.screen === 'working' || s.screen === 'writing' || s.screen === 'applying' || !!s.input?.checking;
}

/** The keys that waited while the screen was busy, pressed now in order. */
function replay(s: WizardState): WizardState {
  if (busy(s) || s.pending.length === 0) return s;
  const [first, ...rest] = s.pending;
  return replay(reducer({ ...s, pending: rest }, { type: 'key', ...first }));
}

export function reducer(s: WizardState, a: Action): WizardState {
  const next = newContent(s, step(s, a));
  // An effect's result ends a busy screen: the keys typed meanwhile act now.
  return a.type === 'key' ? next : replay(next);
}

/** Other rows on screen: the old limit no longer applies until the view measures the new rows. */
function newContent(s: WizardState, next: WizardState): WizardState {
  const same = next.screen === s.screen && next.changeIndex === s.changeIndex && next.reviewTab === s.reviewTab && next.operations === s.operations;
  return same || next.scrollMax === Number.MAX_SAFE_INTEGER ? next : { ...next, scrollMax: Number.MAX_SAFE_INTEGER };
}

function step(s: WizardState, a: Action): WizardState {
  if (a.type === 'key') {
    // Keys that arrive together ("d" and Enter, or "Enter y", in one read) are pressed one by one.
    if (isChunk(a.input)) return chunkKeys(a.input).reduce<WizardState>((st, k) => reducer(st, { ...a, ...k }), s);
    // A key typed while the screen is busy waits for it, and then acts on the state it leads to.
    if (busy(s) && !(a.key.ctrl && a.input === 'c')) return { ...s, pending: [...s.pending, { input: a.input, key: a.key, rows: a.rows }] };
    const action = keyAction(s, a.input, a.key, a.rows);
    return action ? reducer(s, action) : s;
  }
  if (a.type === 'cancel') return { ...s, screen: 'cancelled' };
  if (a.type === 'toggleHelp') return { ...s, showHelp: !s.showHelp };
  switch (a.type) {
    case 'planned': {
      // The default message describes the plan as it stands, not as it was before the answers.
      const message = !s.messageEdited && a.message ? a.message : s.message;
      const next = { ...s, operations: a.operations, questions: a.questions, needsPlan: false, scroll: 0, message };
      // The first plan shows the overview; after an answer, the next open question (or the review).
      if (s.trail.length === 0 && s.screen === 'working' && s.operations.length === 0 && s.questions.length === 0)
        return { ...next, screen: 'overview', cursor: 0 };
      if (a.questions.length > 0) return { ...next, screen: 'question', cursor: preselect(a.questions[0], s.remembered) };
      return { ...next, screen: 'review', cursor: 0 };
    }
    case 'start':
      if (s.walkAll && s.operations.length > 0) return { ...s, screen: 'change', changeIndex: 0, scroll: 0 };
      return toDecisions(s);
    case 'nextChange':
      return s.changeIndex + 1 < s.operations.length ? { ...s, changeIndex: s.changeIndex + 1, scroll: 0 } : toDecisions(s);
    case 'toggleWalk': {
      const next = { ...s, walkAll: !s.walkAll };
      return s.screen === 'change' && !next.walkAll ? toDecisions(next) : next;
    }
    case 'move': {
      const q = currentQuestion(s);
      if (s.screen !== 'question' || !q) return s;
      const n = q.choices.length;
      return { ...s, cursor: (s.cursor + a.delta + n) % n };
    }
    case 'choose': {
      const q = currentQuestion(s);
      if (s.screen !== 'question' || !q) return s;
      const choice: Choice = q.choices[s.cursor];
      const id = choice.id ?? q.id;
      if (typeof choice.answer === 'object' && 'input' in choice.answer) {
        const kind = choice.answer.input;
        const given = s.remembered[id] as Record<string, unknown> | undefined;
        const prefill = kind === 'using' ? (q.choices.find((c) => typeof c.answer === 'object' && 'using' in c.answer)?.answer as { using: string } | undefined)?.using ?? '' : '';
        const previous = given && typeof given === 'object' && kind in given ? String(given[kind]) : prefill;
        return { ...s, screen: 'input', input: { kind, text: previous, error: null, checking: false } };
      }
      if (typeof choice.answer === 'object' && 'deleteRows' in choice.answer) return { ...s, screen: 'confirmDelete' };
      return answer(s, id, choice.answer as Answer);
    }
    case 'confirmDelete': {
      const q = currentQuestion(s);
      if (!q || s.screen !== 'confirmDelete') return s;
      return a.yes ? answer(s, q.id, { deleteRows: true }) : { ...s, screen: 'question' };
    }
    case 'type':
      return s.input ? { ...s, input: { ...s.input, text: a.text, error: null } } : s;
    case 'submitInput':
      if (!s.input) return s;
      if (s.input.text.trim() === '') return { ...s, input: { ...s.input, error: 'type something first' } };
      return { ...s, input: { ...s.input, checking: true, error: null } };
    case 'inputChecked': {
      const q = currentQuestion(s);
      if (!s.input || !q) return s;
      if (a.error) return { ...s, input: { ...s.input, checking: false, error: a.error } };
      const kind = s.input.kind;
      const value: Answer =
        kind === 'value' ? { value: a.value ?? s.input.text } : kind === 'sql' ? { sql: s.input.text } : kind === 'using' ? { using: s.input.text } : { renameTo: s.input.text };
      const choice = q.choices[s.cursor];
      return answer(s, choice?.id ?? q.id, value);
    }
    case 'back': {
      if (s.screen === 'input' || s.screen === 'confirmDelete') return { ...s, screen: 'question', input: null };
      if (s.screen === 'change') return s.changeIndex > 0 ? { ...s, changeIndex: s.changeIndex - 1, scroll: 0 } : { ...s, screen: 'overview', scroll: 0 };
      if (s.screen === 'message') return { ...s, screen: 'review' };
      if (s.trail.length === 0) return s.screen === 'overview' ? s : { ...s, screen: 'overview', cursor: 0 };
      const last = s.trail[s.trail.length - 1];
      const answers = { ...s.answers };
      delete answers[last];
      return { ...s, answers, trail: s.trail.slice(0, -1), needsPlan: true, screen: 'working' };
    }
    case 'toggleTab':
      return s.screen === 'review' ? { ...s, reviewTab: s.reviewTab === 'file' ? 'sql' : 'file', scroll: 0 } : s;
    case 'scroll':
      return { ...s, scroll: Math.max(0, Math.min(s.scrollMax, s.scroll + a.delta)) };
    case 'scrollRoom':
      return { ...s, scrollMax: a.max, scroll: Math.min(s.scroll, a.max) };
    case 'review':
      return { ...s, screen: 'message' };
    case 'setMessage':
      return { ...s, message: a.text, messageEdited: true };
    case 'write':
      return s.screen === 'message' ? { ...s, screen: 'writing', writeError: null } : s;
    case 'written':
      return { ...s, file: a.file, proof: a.proof ?? null, screen: a.canApply ? 'applyAsk' : 'done' };
    case 'writeFailed':
      return s.screen === 'writing' ? { ...s, screen: 'message', writeError: a.error } : s;
    case 'apply':
      return s.screen === 'applyAsk' ? { ...s, screen: a.yes ? 'applying' : 'done' } : s;
    case 'runLine':
      return { ...s, runLines: [...s.runLines, a.text] };
    case 'progress':
      return s.screen === 'applying' ? { ...s, progress: a.text } : s;
    case 'ran':
      // The outcome is printed below once the screen closes: nothing left to wait for.
      return { ...s, screen: 'done', outcome: { ok: a.ok, summary: a.summary, ...(a.error ? { error: a.error } : {}) } };
    case 'finish':
      return s.screen === 'applyAsk' ? { ...s, screen: 'done' } : s;
    default:
      return s;
  }
}
