// The phases of `npm run bench`, in the order scripts/bench.ts runs them:
// build the C references, measure every channel and the real services
// wherever the two sides run, then the report, its files and its table.
import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release } from 'node:os';
import { join, resolve } from 'node:path';
import { DIST, PROJECT_ROOT } from '../lib/project.js';
import { roundOrder, type BenchArgs } from './args.js';
import { channelInfo, isCReference, type ChannelName } from './channels/index.js';
import { latencyChart } from './chart.js';
import { ComposeSides } from './compose-sides.js';
import { KindSides } from './kind-sides.js';
import { waitForOutput } from './pod.js';
import { ENDPOINTS } from './protocol.js';
import { buildReport, formatTable, type BenchReport, type ChannelRun, type ServiceLoad } from './report.js';
import { runLimit, runNode, stop } from './runs.js';
import { measureLoad, startInBox, type LoadPlan } from './service-load.js';
import type { Settings } from './settings.js';
import { BoxSides, placement } from './sides.js';
import { cdfPoints } from './stats.js';

const LIMIT_SOURCE = join(PROJECT_ROOT, 'scripts/bench/mq-limit.c');
const LIMIT_BINARY = join(DIST, 'scripts/bench/mq-limit');

export const log = (line: string) => process.stderr.write(`bench: ${line}\n`);
export const secondsSince = (t0: number) => `${((Date.now() - t0) / 1000).toFixed(1)} s`;

/** The Pods --target brings up, beside the box. */
type PodSides = ComposeSides | KindSides;

/** What a run measured: every channel's rounds, and the services under load in each place. */
export interface Measured {
  runs: ChannelRun[];
  services: ServiceLoad[];
}

export function buildLimit(): void {
  // Static: the same binary runs on this host and in the Pod's containers (--target compose), whatever their libc.
  const result = spawnSync('gcc', ['-O2', '-Wall', '-Wextra', '-static', '-o', LIMIT_BINARY, LIMIT_SOURCE, '-lrt'], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`gcc could not build ${LIMIT_SOURCE}:\n${result.stderr}`);
}

/** The box, the Pods asked for, everything measured in them; each taken down afterwards, on a failure or Ctrl-C too. */
export async function measureEverywhere(args: BenchArgs, channels: ChannelName[], { plan, rounds, load }: Settings): Promise<Measured> {
  const box = await BoxSides.create(DIST, args.nice);
  const pods: PodSides[] = [];
  const cleanUp = () => Promise.all([box, ...pods].map((sides) => sides.dispose()));
  process.once('SIGINT', () => void cleanUp().finally(() => process.exit(130)));
  try {
    // The Pods --target names, each a place where the two sides run as the box's do.
    await bringUpPods(args, pods);
    // Every channel in every place, round after round.
    const runs = await measureChannels(box, pods, channels, plan, rounds);
    // The real app and sidecar under load, in every place.
    const services = await measureServices(box, pods, load);
    return { runs, services };
  } finally {
    await cleanUp();
  }
}

/** Brings up each Pod --target names, adding it to `pods` as soon as it is up, so that it is taken down whatever follows. */
async function bringUpPods(args: BenchArgs, pods: PodSides[]): Promise<void> {
  if (args.targets.includes('compose')) {
    log('bringing the compose Pod up (images built if needed), with the bench mounted in both containers');
    pods.push(await ComposeSides.create((line) => log(`compose: ${line}`)));
  }
  if (args.targets.includes('kind')) {
    log(
      `deploying podmates-bench on kind cluster ${args.cluster} (images built and loaded if needed), the bench copied into both containers`,
    );
    pods.push(await KindSides.create(args.cluster, DIST, (line) => log(`kind: ${line}`)));
  }
}

async function startRedis(box: BoxSides): Promise<ChildProcess> {
  const redis = box.run('peer', [
    'redis-server',
    ...['--port', String(ENDPOINTS.redisPort), '--bind', '127.0.0.1', '--protected-mode', 'no'],
    ...['--save', '', '--appendonly', 'no', '--dir', '/tmp', '--loglevel', 'notice'],
  ]);
  await waitForOutput(redis, 'Ready to accept connections', 15_000, 'redis-server');
  return redis;
}

/** Each round visits the channels from another one; each channel runs in the box, then in each Pod. */
async function measureChannels(
  box: BoxSides,
  pods: PodSides[],
  channels: ChannelName[],
  plan: Settings['plan'],
  rounds: number,
): Promise<ChannelRun[]> {
  const runs: ChannelRun[] = [];
  const redis = channels.includes('redis') ? await startRedis(box) : null;
  redis?.stdout?.resume();
  for (let round = 0; round < rounds; round++) {
    for (const channel of roundOrder(channels, round)) {
      for (const sides of [box, ...pods]) {
        // redis-server is not in the Pod's images: its row is the box's alone.
        if (channel === 'redis' && sides.where !== 'box') continue;
        const t0 = Date.now();
        const run = isCReference(channel)
          ? await runLimit(sides, channel, plan, round)
          : await runNode(sides, channel, plan, round, channel === 'redis' ? redis : null);
        runs.push(run);
        const cut = run.results.some((result) => result.truncated) ? ' (budget ran out: counts cut)' : '';
        log(
          `round ${round + 1}/${rounds} ${channelInfo(channel).label}${sides.where === 'box' ? '' : ` (${sides.where})`}: ${secondsSince(t0)}${cut}`,
        );
      }
    }
  }
  if (redis) await stop(redis);
  // Ratios need every round's limit; channels keep the order of the issue, the limit first.
  return runs.sort((a, b) => channels.indexOf(a.channel) - channels.indexOf(b.channel));
}

/** The real services under load: started in the box, the Pod's own in a Pod. */
async function measureServices(box: BoxSides, pods: PodSides[], load: LoadPlan): Promise<ServiceLoad[]> {
  const services: ServiceLoad[] = [];
  for (const sides of [box, ...pods]) {
    const t0 = Date.now();
    const running = sides instanceof BoxSides ? await startInBox(sides) : await sides.services();
    try {
      services.push(await measureLoad(sides, running, load));
    } finally {
      await running.stop();
    }
    log(`real app + sidecar under load (${sides.where}): ${secondsSince(t0)}`);
  }
  return services;
}

/** The report of the runs: the medians over rounds, the multiples of the limit, the targets, and where and how it ran. */
export function reportOf(args: BenchArgs, { plan, rounds }: Settings, { runs, services }: Measured): BenchReport {
  return buildReport(
    runs,
    {
      date: new Date().toISOString(),
      host: {
        cpus: cpus().length,
        loadAverage: loadavg().map((value) => Number(value.toFixed(2))),
        node: process.version,
        kernel: release(),
      },
      plan: {
        rounds,
        nice: args.nice,
        payloads: plan.payloads,
        warmup: plan.warmup,
        latencyCount: plan.latencyCount,
        throughputCount: plan.throughputCount,
        window: plan.window,
        smoke: args.smoke,
      },
      placement: placement(),
    },
    services,
  );
}

/** bench.json, and latency.svg drawn from every sample of every round; the paths written. */
export function writeReport(report: BenchReport, runs: ChannelRun[], outDir: string): string[] {
  const folder = resolve(outDir);
  mkdirSync(folder, { recursive: true });
  const [json, svg] = [join(folder, 'bench.json'), join(folder, 'latency.svg')];
  writeFileSync(json, `${JSON.stringify(report, null, 2)}\n`);
  const panels = report.plan.payloads.map((payload) => ({
    payload,
    curves: report.channels.map(({ channel, where }) => ({
      channel,
      where,
      points: cdfPoints(
        runs
          .filter((run) => run.channel === channel && run.where === where)
          .flatMap((run) => run.results.find((r) => r.payload === payload)?.latencyNs ?? []),
      ),
    })),
  }));
  writeFileSync(
    svg,
    latencyChart(panels, `podmates bench ${report.date}: round-trip latency, ${report.host.cpus} CPUs, load ${report.host.loadAverage[0]}`),
  );
  return [json, svg];
}

/** The table on stdout; with --json, the JSON there and the table on stderr. */
export function printReport(report: BenchReport, json: boolean): void {
  const table = formatTable(report);
  if (json) {
    process.stderr.write(`${table}\n`);
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    process.stdout.write(`${table}\n`);
  }
}
