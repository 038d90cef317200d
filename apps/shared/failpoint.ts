// Fault injection for the crash tests: with PODMATES_FAILPOINT=<name>, the
// process SIGKILLs itself when it reaches that point, so a test can kill it at
// an exact place (e.g. after the journal write, before the 202) instead of
// hoping a timed kill lands there. Two optional narrowings:
// - PODMATES_FAILPOINT_TEXT: only for a message with exactly this text (a
//   poison message, which kills every sidecar that takes it);
// - PODMATES_FAILPOINT_ONCE: a file path; the point fires only if the file is
//   absent, and creates it first, so it fires once per Pod when the file is in
//   a volume of the Pod (a restarted container finds it).
// Unset, this is one string comparison.
import { existsSync, writeFileSync } from 'node:fs';
import type { Logger } from './log.js';

export type Failpoint = 'app-after-journal' | 'sidecar-after-take';

export function failpoint(name: Failpoint, log: Logger, text?: string): void {
  if (process.env.PODMATES_FAILPOINT !== name) return;
  const onlyText = process.env.PODMATES_FAILPOINT_TEXT;
  if (onlyText !== undefined && onlyText !== text) return;
  const once = process.env.PODMATES_FAILPOINT_ONCE;
  if (once) {
    if (existsSync(once)) return;
    writeFileSync(once, `${name}\n`);
  }
  log.warn('failpoint', { name, signal: 'SIGKILL', ...(onlyText === undefined ? {} : { text: onlyText }) });
  // A container's main process is PID 1 of its pid namespace, and the kernel
  // ignores a SIGKILL it sends itself: there it exits at once with the code a
  // SIGKILL gives (128 + 9), running no handler and pushing nothing more.
  if (process.pid === 1) process.exit(137);
  process.kill(process.pid, 'SIGKILL');
}
