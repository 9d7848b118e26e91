#!/usr/bin/env node
// The wizard with 500 detected changes: time from mounting to the first
// frame, and from a keypress to the next frame (median of 50), measured with
// ink-testing-library on the compiled UI. Reference in the same run: the
// time to describe the 500 operations as text (what the first frame must
// at least do).
import { createElement, render } from '../dist/ui-chunks/testing.js';
import { describeOperation } from '../dist/ops/describe.js';
import { Wizard } from '../dist/wizard/wizard.js';
import { initialState } from '../dist/wizard/wizard-state.js';

const N = Number(process.argv[2] ?? 500);
const operations = Array.from({ length: N }, (_, i) => ({
  kind: 'addColumn', table: `t${i % 50}`, column: { name: `c${i}`, type: 'integer', nullable: true, default: null },
}));
const questions = Array.from({ length: 5 }, (_, i) => ({
  id: `backfill:t${i}.x`, kind: 'backfill', text: 'value?', columnType: 'integer', choices: [{ label: 'a value', answer: { input: 'value' } }, { label: 'sql', answer: { input: 'sql' } }],
}));
const session = {
  plan: async () => ({ operations, questions }),
  check: async () => ({ error: null }),
  preview: () => ({ text: 'x', sql: [] }),
  write: async () => ({ file: '' }),
};

let t = performance.now();
operations.map(describeOperation);
const reference = performance.now() - t;

const waitFrame = async (app, predicate) => {
  const started = performance.now();
  while (!predicate(app.lastFrame() ?? '')) {
    if (performance.now() - started > 5000) throw new Error(`no frame:\n${app.lastFrame()}`);
    await new Promise((r) => setImmediate(r));
  }
  return performance.now();
};

t = performance.now();
const initial = { ...initialState({}, 'bench'), operations, questions, needsPlan: false, screen: 'overview' };
const app = render(createElement(Wizard, { session, initial, onDone: () => {} }));
// The overview's header; the list under it (500 changes, then the decisions) scrolls.
const firstFrame = (await waitFrame(app, (f) => f.includes('decisions open'))) - t;

const latencies = [];
for (let i = 0; i < 50; i++) {
  const before = app.lastFrame();
  const started = performance.now();
  app.stdin.write(i % 2 ? '\u001b[A' : '\u001b[B');
  latencies.push((await waitFrame(app, (f) => f !== before)) - started);
}
latencies.sort((a, b) => a - b);
app.unmount();
console.log(`${N} changes: first frame ${firstFrame.toFixed(1)} ms after mounting (describing them all: ${reference.toFixed(1)} ms); keypress → next frame: median ${latencies[25].toFixed(1)} ms, worst ${latencies.at(-1).toFixed(1)} ms`);
process.exit(0);
