// Fault injection for the crash tests: with PODMATES_FAILPOINT=<name>, the
// process SIGKILLs itself when it reaches that point, so a test can kill it at
// an exact place (e.g. after the journal write, before the 202) instead of
// hoping a timed kill lands there. Unset, this is one string comparison.
import type { Logger } from './log.js';

export type Failpoint = 'app-after-journal' | 'sidecar-after-take';

export function failpoint(name: Failpoint, log: Logger): void {
  if (process.env.PODMATES_FAILPOINT !== name) return;
  log.warn('failpoint', { name, signal: 'SIGKILL' });
  process.kill(process.pid, 'SIGKILL');
}
