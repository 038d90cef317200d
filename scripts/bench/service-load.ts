// The real app and sidecar under a throughput run through POST /messages: the
// rate end to end, their memory, and the CPU time each process used (what
// bounds the rate). In the box the bench starts them; in the compose Pod they
// are the Pod's own, and the load generator runs in the app's container.
import { join } from 'node:path';
import { cpuSeconds, finished, peakRssKiB, waitForOutput } from './pod.js';
import type { ServiceLoad } from './report.js';
import { stop } from './runs.js';
import { benchScript, type BoxSides, type Sides } from './sides.js';

export interface LoadPlan {
  count: number;
  window: number;
  payload: number;
  budgetMs: number;
}

/** A service's CPU time so far (seconds) and peak memory (KiB), null when unknown. */
export interface ProcessStats {
  cpuSeconds: number | null;
  peakRssKiB: number | null;
}

/** The two services while they run: how to read their /proc, and how to stop them. */
export interface RunningServices {
  stats(service: 'app' | 'sidecar'): Promise<ProcessStats>;
  stop(): Promise<void>;
}

/** Stats of a process this host sees by its pid. */
export const statsOf = (pid: number | undefined): Promise<ProcessStats> =>
  Promise.resolve({ cpuSeconds: cpuSeconds(pid), peakRssKiB: peakRssKiB(pid) });

/** Starts the services in the box, as the Pod in a box does. */
export async function startInBox(box: BoxSides): Promise<RunningServices> {
  const env = { APP_PORT: '8080', SIDECAR_PORT: '9090', STATE_DIR: box.sharedDir() };
  const sidecar = box.run('peer', [box.node, join(box.dist, 'apps/sidecar/main.js')], env);
  const app = box.run('client', [box.node, join(box.dist, 'apps/app/main.js')], env);
  await waitForOutput(sidecar, '"event":"ready"', 15_000, 'sidecar');
  await waitForOutput(app, '"event":"ready"', 15_000, 'app');
  // Nobody reads their logs from here on: keep the pipes flowing.
  for (const child of [app, sidecar]) child.stdout?.resume();
  const pids = { app: app.pid, sidecar: sidecar.pid };
  return { stats: (service) => statsOf(pids[service]), stop: async () => void (await Promise.all([stop(app), stop(sidecar)])) };
}

export async function measureLoad(sides: Sides, services: RunningServices, load: LoadPlan): Promise<ServiceLoad> {
  const before = { app: await services.stats('app'), sidecar: await services.stats('sidecar') };
  const plan = { appUrl: 'http://127.0.0.1:8080', ...load };
  const out = await finished(
    sides.run('client', [sides.node, benchScript(sides, 'app-load.js'), JSON.stringify(plan)]),
    load.budgetMs + 20_000,
  );
  if (out.code !== 0) throw new Error(`the load on the app failed (${out.code ?? out.signal}): ${out.stderr.trim()}`);
  const result = JSON.parse(out.stdout) as { accepted: number; retried: number; processed: number; seconds: number; cpuSeconds: number };
  if (result.processed < result.accepted)
    throw new Error(`the app received ${result.processed} replies for ${result.accepted} accepted messages`);
  const after = { app: await services.stats('app'), sidecar: await services.stats('sidecar') };
  const used = (service: 'app' | 'sidecar') => {
    const [start, end] = [before[service].cpuSeconds, after[service].cpuSeconds];
    return start === null || end === null ? null : end - start;
  };
  return {
    where: sides.where,
    messages: result.processed,
    window: load.window,
    payload: load.payload,
    retried: result.retried,
    seconds: result.seconds,
    msgsPerSec: result.processed / result.seconds,
    app: { idleRssKiB: before.app.peakRssKiB, peakRssKiB: after.app.peakRssKiB },
    sidecar: { idleRssKiB: before.sidecar.peakRssKiB, peakRssKiB: after.sidecar.peakRssKiB },
    cpuSeconds: { app: used('app'), sidecar: used('sidecar'), load: result.cpuSeconds },
  };
}
