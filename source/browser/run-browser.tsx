/** Mounts the browser on the terminal and resolves when the user quits. */
import { render } from 'ink';
import { enterAlternateScreen } from '../util/alternate-screen.js';
import { Browser } from './browser.js';
import { initialState } from './browser-state.js';
import type { BrowserSession } from './session.js';
import type { Snapshot } from './snapshot.js';

export async function runBrowser(session: BrowserSession, snapshot: Snapshot): Promise<void> {
  // Ctrl-C is a key the browser handles: never in the middle of a revision.
  const leave = enterAlternateScreen();
  try {
    const app = render(<Browser session={session} initial={initialState(snapshot)} />, { exitOnCtrlC: false });
    await app.waitUntilExit();
  } finally {
    leave();
  }
}
