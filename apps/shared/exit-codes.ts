// Documented in README "Exit codes"; the harnesses assert on them.
export const ExitCode = {
  ok: 0,
  software: 70, // EX_SOFTWARE: an unexpected error
  queueUnavailable: 69, // EX_UNAVAILABLE: a message queue could not be opened
  cantCreate: 73, // EX_CANTCREAT: the journal cannot be read or written
  config: 78, // EX_CONFIG: invalid environment
  portInUse: 98, // the same number as Linux's EADDRINUSE
} as const;

/** A start-up failure with its own exit code and log event. */
export class ExitError extends Error {
  constructor(
    readonly exitCode: number,
    readonly event: string,
    message: string,
  ) {
    super(message);
  }
}
