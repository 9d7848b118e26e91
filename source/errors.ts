/**
 * Errors a user can cause are values with a message and a hint, mapped to an
 * exit code in one place (the CLI's edge). Anything else is a bug and is
 * shown with its stack only under --debug.
 */
export const ExitCode = {
  ok: 0,
  failure: 1,
  usage: 2,
  differences: 3,
  interrupted: 130,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export class UserError extends Error {
  readonly hint?: string;
  readonly exitCode: ExitCodeValue;
  constructor(message: string, options: { hint?: string; exitCode?: ExitCodeValue; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'UserError';
    this.hint = options.hint;
    this.exitCode = options.exitCode ?? ExitCode.failure;
  }
}

export class UsageError extends UserError {
  constructor(message: string, hint?: string) {
    super(message, { hint, exitCode: ExitCode.usage });
    this.name = 'UsageError';
  }
}

export function isUserError(e: unknown): e is UserError {
  return e instanceof UserError;
}
