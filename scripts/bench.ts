// `npm run bench`: the in-Pod channels measured side by side in one run, inside
// the same network and IPC namespaces, each as a multiple of a C ping-pong over
// POSIX queues with blocking receives (the limit), beside a busy-polling one
// (the floor). Every client runs on one CPU and every echo peer on another.
// See scripts/bench/ and `npm run bench -- --help`.
import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, roundOrder, selectedChannels, USAGE, type BenchArgs } from './bench/args.js';
import { latencyChart } from './bench/chart.js';
import { ComposeSides } from './bench/compose-sides.js';
import { KindSides } from './bench/kind-sides.js';
import { benchBlocker, waitForOutput } from './bench/pod.js';
import { channelInfo, isCReference } from './bench/channels/index.js';
import { ENDPOINTS, type RunPlan } from './bench/protocol.js';
import { buildReport, formatTable, type ChannelRun, type ServiceLoad } from './bench/report.js';
import { runLimit, runNode, stop } from './bench/runs.js';
import { measureLoad, startInBox } from './bench/service-load.js';
import { BoxSides, placement, type Sides } from './bench/sides.js';
import { cdfPoints } from './bench/stats.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DIST = join(ROOT, 'dist');
const BENCH_JS = join(DIST, 'scripts/bench');
const LIMIT_SOURCE = join(ROOT, 'scripts/bench/mq-limit.c');
const LIMIT_BINARY = join(BENCH_JS, 'mq-limit');
/** Exit code when the bench cannot run here (sysexits EX_UNAVAILABLE, as the services' queue failures). */
const UNAVAILABLE = 69;

const log = (line: string) => process.stderr.write(`bench: ${line}\n`);

interface Settings {
  plan: RunPlan;
  rounds: number;
  load: { count: number; window: number; payload: number; budgetMs: number };
}

function settings(args: BenchArgs): Settings {
  // Counts are fixed; the budgets only bound a run on a machine far slower than expected.
  const window = 8; // below the queues' 10 messages, so a producer never waits for room
  if (args.smoke) {
    return {
      plan: { payloads: [64, 4096], warmup: 100, latencyCount: 300, throughputCount: 1000, window, budgetMs: 8_000 },
      rounds: args.rounds ?? 1,
      load: { count: 500, window, payload: 64, budgetMs: 10_000 },
    };
  }
  return {
    plan: { payloads: [64, 4096], warmup: 1000, latencyCount: 3000, throughputCount: 10_000, window, budgetMs: 30_000 },
    // Five rounds: how far the limit moves from round to round is part of the report.
    rounds: args.rounds ?? 5,
    load: { count: 10_000, window, payload: 64, budgetMs: 30_000 },
  };
}

function buildLimit(): void {
  // Static: the same binary runs on this host and in the Pod's containers (--target compose), whatever their libc.
  const result = spawnSync('gcc', ['-O2', '-Wall', '-Wextra', '-static', '-o', LIMIT_BINARY, LIMIT_SOURCE, '-lrt'], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`gcc could not build ${LIMIT_SOURCE}:\n${result.stderr}`);
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

async function main(): Promise<number> {
  let args: BenchArgs;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const blocker = benchBlocker();
  if (blocker) {
    log(`cannot run: ${blocker}`);
    return UNAVAILABLE;
  }
  const { plan, rounds, load } = settings(args);
  const started = Date.now();
  buildLimit();
  const channels = selectedChannels(args);
  const box = await BoxSides.create(DIST, args.nice);
  const everywhere: Sides[] = [box];
  const cleanup = () => Promise.all(everywhere.map((sides) => sides.dispose()));
  process.once('SIGINT', () => void cleanup().finally(() => process.exit(130)));
  const runs: ChannelRun[] = [];
  const services: ServiceLoad[] = [];
  try {
    if (args.targets.includes('compose')) {
      log('bringing the compose Pod up (images built if needed), with the bench mounted in both containers');
      everywhere.push(await ComposeSides.create((line) => log(`compose: ${line}`)));
    }
    if (args.targets.includes('kind')) {
      log(
        `deploying podmates-bench on kind cluster ${args.cluster} (images built and loaded if needed), the bench copied into both containers`,
      );
      everywhere.push(await KindSides.create(args.cluster, DIST, (line) => log(`kind: ${line}`)));
    }
    const redis = channels.includes('redis') ? await startRedis(box) : null;
    redis?.stdout?.resume();
    for (let round = 0; round < rounds; round++) {
      for (const channel of roundOrder(channels, round)) {
        for (const sides of everywhere) {
          // redis-server is not in the Pod's images: its row is the box's alone.
          if (channel === 'redis' && sides.where !== 'box') continue;
          const t0 = Date.now();
          const run = isCReference(channel)
            ? await runLimit(sides, channel, plan, round)
            : await runNode(sides, channel, plan, round, channel === 'redis' ? redis : null);
          runs.push(run);
          const cut = run.results.some((result) => result.truncated) ? ' (budget ran out: counts cut)' : '';
          log(
            `round ${round + 1}/${rounds} ${channelInfo(channel).label}${sides.where === 'box' ? '' : ` (${sides.where})`}: ${((Date.now() - t0) / 1000).toFixed(1)} s${cut}`,
          );
        }
      }
    }
    if (redis) await stop(redis);
    for (const sides of everywhere) {
      const t0 = Date.now();
      const running = sides instanceof BoxSides ? await startInBox(box) : await (sides as ComposeSides | KindSides).services();
      try {
        services.push(await measureLoad(sides, running, load));
      } finally {
        await running.stop();
      }
      log(`real app + sidecar under load (${sides.where}): ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    }
  } finally {
    await cleanup();
  }

  // Ratios need every round's limit; channels keep the order of the issue, the limit first.
  runs.sort((a, b) => channels.indexOf(a.channel) - channels.indexOf(b.channel));
  const report = buildReport(
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
  const outDir = resolve(args.outDir);
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'bench.json'), `${JSON.stringify(report, null, 2)}\n`);
  const panels = plan.payloads.map((payload) => ({
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
    join(outDir, 'latency.svg'),
    latencyChart(panels, `podmates bench ${report.date}: round-trip latency, ${report.host.cpus} CPUs, load ${report.host.loadAverage[0]}`),
  );

  const table = formatTable(report);
  if (args.json) {
    process.stderr.write(`${table}\n`);
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    process.stdout.write(`${table}\n`);
  }
  log(`${((Date.now() - started) / 1000).toFixed(1)} s; wrote ${join(outDir, 'bench.json')} and ${join(outDir, 'latency.svg')}`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    log(`failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
