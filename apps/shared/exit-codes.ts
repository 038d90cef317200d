// Documented in README "Exit codes"; the harnesses assert on them.
export const ExitCode = {
  ok: 0,
  software: 70, // EX_SOFTWARE: an unexpected error
  queueUnavailable: 69, // EX_UNAVAILABLE: a message queue could not be opened
  config: 78, // EX_CONFIG: invalid environment
  portInUse: 98, // the same number as Linux's EADDRINUSE
} as const;
