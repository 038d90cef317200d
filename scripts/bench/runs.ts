// One channel measured once, on the two sides of a Sides: the echo peer
// started and ready first, then the measuring client, each pinned to its CPU.
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { finished, peakRssKiB, waitForOutput } from './pod.js';
import type { CReference, NodeChannelName } from './channels/index.js';
import { ENDPOINTS, type ClientResult, type PayloadResult, type RunPlan } from './protocol.js';
import type { ChannelRun } from './report.js';
import { benchScript, placement, type Sides } from './sides.js';

export async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const closed = new Promise((done) => child.once('close', done));
  child.kill('SIGKILL');
  await closed;
}

/** A C reference (scripts/bench/mq-limit.c): its peer, then its client, for each payload. */
export async function runLimit(sides: Sides, reference: CReference, plan: RunPlan, round: number): Promise<ChannelRun> {
  const results: PayloadResult[] = [];
  let client = 0;
  const [mode, prefix] = reference === 'c-limit' ? ['blocking', ENDPOINTS.limitPrefix] : ['busy', ENDPOINTS.busyPrefix];
  const binary = benchScript(sides, 'mq-limit');
  const cpu = placement();
  for (const payload of plan.payloads) {
    const peer = sides.run('peer', [binary, mode, 'peer', prefix], {}, cpu.peer);
    try {
      await waitForOutput(peer, 'ready', 15_000, `the C ${mode} peer`);
      const argv = [
        binary,
        mode,
        'client',
        prefix,
        ...[payload, plan.warmup, plan.latencyCount, plan.throughputCount, plan.window].map(String),
      ];
      const out = await finished(sides.run('client', argv, {}, cpu.client), plan.budgetMs + 15_000);
      if (out.code !== 0) throw new Error(`the C ${mode} reference failed (${out.code ?? out.signal}): ${out.stderr}`);
      const parsed = JSON.parse(out.stdout) as Omit<PayloadResult, 'payload' | 'truncated'> & { peakRssKiB: number };
      results.push({ payload, latencyNs: parsed.latencyNs, throughput: parsed.throughput, truncated: false });
      client = Math.max(client, parsed.peakRssKiB);
    } finally {
      await stop(peer);
    }
  }
  return { channel: reference, where: sides.where, round, results, peakRssKiB: { client, peer: null } };
}

/** A Node channel: peer.js, then client.js. */
export async function runNode(
  sides: Sides,
  channel: NodeChannelName,
  plan: RunPlan,
  round: number,
  redis: ChildProcess | null,
): Promise<ChannelRun> {
  // The path socket goes in a folder both sides mount, as the Pod's emptyDir.
  const env: Record<string, string> = channel === 'uds-path' ? { [ENDPOINTS.unixFile]: join(sides.sharedDir(), 'bench.sock') } : {};
  const cpu = placement();
  const peer = sides.run('peer', [sides.node, benchScript(sides, 'peer.js'), channel, String(plan.window)], env, cpu.peer);
  try {
    await waitForOutput(peer, 'ready', 15_000, `${channel} peer`);
    const client = sides.run('client', [sides.node, benchScript(sides, 'client.js'), channel, JSON.stringify(plan)], env, cpu.client);
    const out = await finished(client, plan.budgetMs + 20_000);
    if (out.code !== 0) throw new Error(`the ${channel} client failed (${out.code ?? out.signal}): ${out.stderr.trim()}`);
    const result = JSON.parse(out.stdout) as ClientResult;
    // In a container, the pid here is the docker CLI's: the peer's memory is not read.
    const peakRss: ChannelRun['peakRssKiB'] = {
      client: result.clientPeakRssKiB,
      peer: sides.where === 'box' ? peakRssKiB(peer.pid) : null,
    };
    if (redis) peakRss.server = peakRssKiB(redis.pid);
    return { channel, where: sides.where, round, results: result.results, peakRssKiB: peakRss };
  } finally {
    await stop(peer);
  }
}
