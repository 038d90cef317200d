// Waiting for a reused cluster's API server. A kind node whose container has
// just started again (after a reboot, or Docker's restart) runs its control
// plane anew: for some seconds the API server refuses connections, then
// answers 500 to /readyz while its start-up hooks run. A kubectl apply in
// that window fails ("failed to download openapi"), so the demo asks
// /readyz first.
import type { Kube } from './kube.js';
import type { Progress } from './report.js';
import { pollUntil } from './wait.js';

/** How long a restarted control plane may take on a slow machine (about 10 s on 2 cores here). */
export const API_READY_TIMEOUT_MS = 180_000;

/**
 * What keeps /readyz from answering ok, from kubectl's stderr: the checks it
 * marks failed ("[-]name failed"), else kubectl's last line (no connection,
 * a timeout).
 */
export function readyzProblem(stderr: string): string {
  const failed = [...stderr.matchAll(/\[-\]([^\s\\]+) failed/g)].map((match) => match[1]!);
  if (failed.length) return `checks not yet passing: ${failed.join(', ')}`;
  const lines = stderr.trim().split('\n');
  return lines[lines.length - 1] || 'no answer';
}

/** Waits until the API server answers /readyz with ok; returns how long that took. */
export async function apiServerReady(kube: Kube, progress: Progress, timeoutMs = API_READY_TIMEOUT_MS): Promise<number> {
  const started = Date.now();
  await pollUntil(
    async () => {
      const output = await kube.kubectl(['get', '--raw', '/readyz'], { allowFailure: true, timeoutMs: 10_000 });
      if (output.exitCode === 0) return true;
      throw new Error(readyzProblem(output.stderr));
    },
    { timeoutMs, what: `the API server of ${kube.context} (GET /readyz)`, progress, intervalMs: 1000 },
  );
  return Date.now() - started;
}
