// The load: app-load.js (the bench's load generator) at the highest rate the
// services sustain for --minutes, while their memory is sampled every 5 s and
// the health probe measured every 30 s, as the kubelet runs it under load.
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DIST } from '../lib/project.js';
import { finished, type Holder } from '../bench/pod.js';
import { healthProbeCost, type ProbeCost } from './probe.js';
import type { Services } from './services.js';

const SAMPLE_MS = 5000;

/** The services' memory at `t` seconds into the load, in MiB. */
export interface Sample {
  t: number;
  appRssMiB: number;
  sidecarRssMiB: number;
  appCgroupMiB: number | null;
  sidecarCgroupMiB: number | null;
}

export interface LoadResult {
  /** What app-load.js counted. */
  result: { accepted: number; retried: number; processed: number; seconds: number };
  samples: Sample[];
  probeDuringLoad: ProbeCost[];
}

export async function runLoad(
  holder: Holder,
  { app, sidecar }: Services,
  { minutes, window }: { minutes: number; window: number },
  log: (line: string) => void,
): Promise<LoadResult> {
  const budgetMs = minutes * 60_000;
  const plan = { appUrl: 'http://127.0.0.1:8080', count: 1e9, window, payload: 64, budgetMs };
  const started = Date.now();
  const load = finished(holder.run([process.execPath, join(DIST, 'scripts/bench/app-load.js'), JSON.stringify(plan)]), budgetMs + 60_000);
  const samples: Sample[] = [];
  const probeDuringLoad: ProbeCost[] = [];
  let done = false;
  void load.finally(() => (done = true));
  while (!done) {
    await sleep(SAMPLE_MS);
    const t = (Date.now() - started) / 1000;
    samples.push({
      t,
      appRssMiB: app.rssMiB,
      sidecarRssMiB: sidecar.rssMiB,
      appCgroupMiB: app.cgroupMiB,
      sidecarCgroupMiB: sidecar.cgroupMiB,
    });
    if (samples.length % 6 === 0) {
      // The kubelet runs the exec probe inside the sidecar container, under load.
      probeDuringLoad.push(await healthProbeCost(holder));
      const last = samples.at(-1)!;
      log(`${(t / 60).toFixed(1)} min: app ${last.appRssMiB.toFixed(0)} MiB, sidecar ${last.sidecarRssMiB.toFixed(0)} MiB RSS`);
    }
  }
  const out = await load;
  if (out.code !== 0) throw new Error(`the load failed (${out.code ?? out.signal}): ${out.stderr.trim()}`);
  const result = JSON.parse(out.stdout) as LoadResult['result'];
  return { result, samples, probeDuringLoad };
}
