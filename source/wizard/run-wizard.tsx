/** Mounts the wizard on the terminal and resolves when it ends (written or cancelled). */
import { render } from 'ink';
import { enterAlternateScreen } from '../util/alternate-screen.js';
import type { Answers, Question } from '../diff/questions.js';
import type { Operation } from '../ops/types.js';
import { Wizard } from './wizard.js';
import type { WizardResult, WizardSession } from './wizard.js';
import { initialState } from './wizard-state.js';

export async function runWizard(
  session: WizardSession,
  start: { answers: Answers; message: string; messageGiven?: boolean; operations: readonly Operation[]; questions: readonly Question[] },
): Promise<WizardResult> {
  let result: WizardResult = { status: 'cancelled', answers: start.answers };
  const initial = { ...initialState(start.answers, start.message, !!start.messageGiven), operations: start.operations, questions: start.questions, needsPlan: false, screen: 'overview' as const };
  // Ctrl-C is a key the wizard handles (cancel, write nothing), not a signal.
  // Full screen while it runs; what it did is printed on the normal screen afterwards.
  const leave = enterAlternateScreen();
  try {
    const app = render(<Wizard session={session} initial={initial} onDone={(r) => (result = r)} />, { exitOnCtrlC: false });
    await app.waitUntilExit();
  } finally {
    leave();
  }
  return result;
}
