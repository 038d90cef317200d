import { setTimeout as sleep } from 'node:timers/promises';
import type { Progress } from './report.js';

/** Polls `check` until it returns true, reporting progress every few seconds; fails with `what` on timeout. */
export async function pollUntil(
  check: () => Promise<boolean>,
  options: { timeoutMs: number; what: string; progress?: Progress; intervalMs?: number },
): Promise<void> {
  const started = Date.now();
  let lastError = '';
  let lastProgress = started;
  for (;;) {
    try {
      if (await check()) return;
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error);
    }
    const now = Date.now();
    if (now - started > options.timeoutMs) {
      throw new Error(
        `timed out after ${options.timeoutMs} ms waiting for ${options.what}${lastError ? ` (last error: ${lastError})` : ''}`,
      );
    }
    if (options.progress && now - lastProgress >= 5000) {
      options.progress(`waiting for ${options.what}`);
      lastProgress = now;
    }
    await sleep(options.intervalMs ?? 500);
  }
}

/**
 * Work started now and awaited later, after other awaits that may throw:
 * marked as handled at once, so that when the step fails before it awaits
 * this, its later failure does not crash the whole run as an unhandled
 * rejection. Awaiting it still throws.
 */
export function inBackground<T>(work: Promise<T>): Promise<T> {
  work.catch(() => undefined);
  return work;
}
