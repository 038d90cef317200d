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

/** The two services as the host sees them: their pids (for /proc) and how to stop them. */
export interface RunningServices {
  pids: { app: number | undefined; sidecar: number | undefined };
  stop(): Promise<void>;
}

/** Starts the services in the box, as the Pod in a box does. */
export async function startInBox(box: BoxSides): Promise<RunningServices> {
  const env = { APP_PORT: '8080', SIDECAR_PORT: '9090', STATE_DIR: box.sharedDir() };
  const sidecar = box.run('peer', [box.node, join(box.dist, 'apps/sidecar/main.js')], env);
  const app = box.run('client', [box.node, join(box.dist, 'apps/app/main.js')], env);
  await waitForOutput(sidecar, '"event":"ready"', 15_000, 'sidecar');
  await waitForOutput(app, '"event":"ready"', 15_000, 'app');
  // Nobody reads their logs from here on: keep the pipes flowing.
  for (const child of [app, sidecar]) child.stdout?.resume();
  return { pids: { app: app.pid, sidecar: sidecar.pid }, stop: async () => void (await Promise.all([stop(app), stop(sidecar)])) };
}

export async function measureLoad(sides: Sides, services: RunningServices, load: LoadPlan): Promise<ServiceLoad> {
  const { app, sidecar } = services.pids;
  const idle = { app: peakRssKiB(app), sidecar: peakRssKiB(sidecar) };
  const before = { app: cpuSeconds(app), sidecar: cpuSeconds(sidecar) };
  const used = (start: number | null, pid: number | undefined) => {
    const end = cpuSeconds(pid);
    return start === null || end === null ? null : end - start;
  };
  const plan = { appUrl: 'http://127.0.0.1:8080', ...load };
  const out = await finished(sides.run('client', [sides.node, benchScript(sides, 'app-load.js'), JSON.stringify(plan)]), load.budgetMs + 20_000);
  if (out.code !== 0) throw new Error(`the load on the app failed (${out.code ?? out.signal}): ${out.stderr.trim()}`);
  const result = JSON.parse(out.stdout) as { accepted: number; retried: number; processed: number; seconds: number; cpuSeconds: number };
  if (result.processed < result.accepted) throw new Error(`the app received ${result.processed} replies for ${result.accepted} accepted messages`);
  return {
    where: sides.where,
    messages: result.processed,
    window: load.window,
    payload: load.payload,
    retried: result.retried,
    seconds: result.seconds,
    msgsPerSec: result.processed / result.seconds,
    app: { idleRssKiB: idle.app, peakRssKiB: peakRssKiB(app) },
    sidecar: { idleRssKiB: idle.sidecar, peakRssKiB: peakRssKiB(sidecar) },
    cpuSeconds: { app: used(before.app, app), sidecar: used(before.sidecar, sidecar), load: result.cpuSeconds },
  };
}
