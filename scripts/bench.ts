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
import { benchBlocker, cpuSeconds, finished, Holder, peakRssKiB, waitForOutput } from './bench/pod.js';
import { ENDPOINTS, isCReference, type ChannelName, type ClientResult, type CReference, type PayloadResult, type RunPlan } from './bench/protocol.js';
import { buildReport, formatTable, LABELS, type ChannelRun, type ServiceLoad } from './bench/report.js';
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
  const result = spawnSync('gcc', ['-O2', '-Wall', '-Wextra', '-o', LIMIT_BINARY, LIMIT_SOURCE, '-lrt'], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`gcc could not build ${LIMIT_SOURCE}:\n${result.stderr}`);
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const closed = new Promise((done) => child.once('close', done));
  child.kill('SIGKILL');
  await closed;
}

/** Where the two sides run: one CPU each when there are two (the C references pin themselves, the Node processes run under taskset). */
function placement(): { client: number; peer: number } {
  return { client: 0, peer: cpus().length > 1 ? 1 : 0 };
}

async function runLimit(holder: Holder, reference: CReference, plan: RunPlan, round: number): Promise<ChannelRun> {
  const results: PayloadResult[] = [];
  let client = 0;
  let peer = 0;
  const [mode, prefix] = reference === 'c-limit' ? ['blocking', ENDPOINTS.limitPrefix] : ['busy', ENDPOINTS.busyPrefix];
  const cpu = placement();
  for (const payload of plan.payloads) {
    const argv = [LIMIT_BINARY, mode, cpu.client, cpu.peer, prefix, payload, plan.warmup, plan.latencyCount, plan.throughputCount, plan.window].map(String);
    const out = await finished(holder.run(argv), plan.budgetMs + 15_000);
    if (out.code !== 0) throw new Error(`the C ${mode} reference failed (${out.code ?? out.signal}): ${out.stderr}`);
    const parsed = JSON.parse(out.stdout) as Omit<PayloadResult, 'payload' | 'truncated'> & { peakRssKiB: { client: number; peer: number } };
    results.push({ payload, latencyNs: parsed.latencyNs, throughput: parsed.throughput, truncated: false });
    client = Math.max(client, parsed.peakRssKiB.client);
    peer = Math.max(peer, parsed.peakRssKiB.peer);
  }
  return { channel: reference, round, results, peakRssKiB: { client, peer } };
}

async function runNode(holder: Holder, channel: ChannelName, plan: RunPlan, round: number, redis: ChildProcess | null): Promise<ChannelRun> {
  // The path socket goes in a fresh folder of the emptyDir stand-in, which both processes see.
  const env: Record<string, string> = channel === 'uds-path' ? { [ENDPOINTS.unixFile]: join(holder.stateDir(), 'bench.sock') } : {};
  const cpu = placement();
  const peer = holder.run([process.execPath, join(BENCH_JS, 'peer.js'), channel, String(plan.window)], env, cpu.peer);
  try {
    await waitForOutput(peer, 'ready', 15_000, `${channel} peer`);
    const client = holder.run([process.execPath, join(BENCH_JS, 'client.js'), channel, JSON.stringify(plan)], env, cpu.client);
    const out = await finished(client, plan.budgetMs + 20_000);
    if (out.code !== 0) throw new Error(`the ${channel} client failed (${out.code ?? out.signal}): ${out.stderr.trim()}`);
    const result = JSON.parse(out.stdout) as ClientResult;
    const peakRss: ChannelRun['peakRssKiB'] = { client: result.clientPeakRssKiB, peer: peakRssKiB(peer.pid) };
    if (redis) peakRss.server = peakRssKiB(redis.pid);
    return { channel, round, results: result.results, peakRssKiB: peakRss };
  } finally {
    await stop(peer);
  }
}

async function startRedis(holder: Holder): Promise<ChildProcess> {
  const redis = holder.run([
    'redis-server',
    ...['--port', String(ENDPOINTS.redisPort), '--bind', '127.0.0.1', '--protected-mode', 'no'],
    ...['--save', '', '--appendonly', 'no', '--dir', '/tmp', '--loglevel', 'notice'],
  ]);
  await waitForOutput(redis, 'Ready to accept connections', 15_000, 'redis-server');
  return redis;
}

/** The real services under a throughput run through POST /messages: their peak RSS. */
async function loadServices(holder: Holder, load: Settings['load']): Promise<ServiceLoad> {
  const env = { APP_PORT: '8080', SIDECAR_PORT: '9090', STATE_DIR: holder.stateDir() };
  const sidecar = holder.run([process.execPath, join(DIST, 'apps/sidecar/main.js')], env);
  const app = holder.run([process.execPath, join(DIST, 'apps/app/main.js')], env);
  try {
    await waitForOutput(sidecar, '"event":"ready"', 15_000, 'sidecar');
    await waitForOutput(app, '"event":"ready"', 15_000, 'app');
    // Nobody reads their logs from here on: keep the pipes flowing.
    for (const child of [app, sidecar]) child.stdout?.resume();
    const idle = { app: peakRssKiB(app.pid), sidecar: peakRssKiB(sidecar.pid) };
    const cpuBefore = { app: cpuSeconds(app.pid), sidecar: cpuSeconds(sidecar.pid) };
    const cpuUsed = (name: 'app' | 'sidecar', pid: number | undefined) => {
      const [before, after] = [cpuBefore[name], cpuSeconds(pid)];
      return before === null || after === null ? null : after - before;
    };
    const plan = { appUrl: 'http://127.0.0.1:8080', ...load };
    const out = await finished(holder.run([process.execPath, join(BENCH_JS, 'app-load.js'), JSON.stringify(plan)]), load.budgetMs + 20_000);
    if (out.code !== 0) throw new Error(`the load on the app failed (${out.code ?? out.signal}): ${out.stderr.trim()}`);
    const result = JSON.parse(out.stdout) as { accepted: number; retried: number; processed: number; seconds: number; cpuSeconds: number };
    if (result.processed < result.accepted) throw new Error(`the app received ${result.processed} replies for ${result.accepted} accepted messages`);
    return {
      messages: result.processed,
      window: load.window,
      payload: load.payload,
      retried: result.retried,
      seconds: result.seconds,
      msgsPerSec: result.processed / result.seconds,
      app: { idleRssKiB: idle.app, peakRssKiB: peakRssKiB(app.pid) },
      sidecar: { idleRssKiB: idle.sidecar, peakRssKiB: peakRssKiB(sidecar.pid) },
      cpuSeconds: { app: cpuUsed('app', app.pid), sidecar: cpuUsed('sidecar', sidecar.pid), load: result.cpuSeconds },
    };
  } finally {
    await Promise.all([stop(app), stop(sidecar)]);
  }
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
  if (args.target !== 'box') {
    const what = args.target === 'compose' ? 'the compose Pod (container images and docker-compose.yml)' : 'the kind harness (images loaded into a kind cluster)';
    log(`--target ${args.target} is not available yet: it needs ${what}, which the project does not have yet. Run without --target (the namespace box).`);
    return UNAVAILABLE;
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
  const holder = await Holder.create(DIST, args.nice);
  const cleanup = () => holder.dispose();
  process.once('SIGINT', () => {
    cleanup();
    process.exit(130);
  });
  const runs: ChannelRun[] = [];
  let services: ServiceLoad | null = null;
  try {
    const redis = channels.includes('redis') ? await startRedis(holder) : null;
    redis?.stdout?.resume();
    for (let round = 0; round < rounds; round++) {
      for (const channel of roundOrder(channels, round)) {
        const t0 = Date.now();
        const run = isCReference(channel) ? await runLimit(holder, channel, plan, round) : await runNode(holder, channel, plan, round, channel === 'redis' ? redis : null);
        runs.push(run);
        const cut = run.results.some((result) => result.truncated) ? ' (budget ran out: counts cut)' : '';
        log(`round ${round + 1}/${rounds} ${LABELS[channel]}: ${((Date.now() - t0) / 1000).toFixed(1)} s${cut}`);
      }
    }
    if (redis) await stop(redis);
    const t0 = Date.now();
    services = await loadServices(holder, load);
    log(`real app + sidecar under load: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  } finally {
    cleanup();
  }

  // Ratios need every round's limit; channels keep the order of the issue, the limit first.
  runs.sort((a, b) => channels.indexOf(a.channel) - channels.indexOf(b.channel));
  const report = buildReport(
    runs,
    {
      date: new Date().toISOString(),
      host: { cpus: cpus().length, loadAverage: loadavg().map((value) => Number(value.toFixed(2))), node: process.version, kernel: release() },
      plan: { rounds, nice: args.nice, payloads: plan.payloads, warmup: plan.warmup, latencyCount: plan.latencyCount, throughputCount: plan.throughputCount, window: plan.window, smoke: args.smoke },
      placement: placement(),
    },
    services,
  );
  const outDir = resolve(args.outDir);
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'bench.json'), `${JSON.stringify(report, null, 2)}\n`);
  const panels = plan.payloads.map((payload) => ({
    payload,
    curves: channels.map((channel) => ({
      channel,
      points: cdfPoints(runs.filter((run) => run.channel === channel).flatMap((run) => run.results.find((r) => r.payload === payload)?.latencyNs ?? [])),
    })),
  }));
  writeFileSync(join(outDir, 'latency.svg'), latencyChart(panels, `podmates bench ${report.date}: round-trip latency, ${report.host.cpus} CPUs, load ${report.host.loadAverage[0]}`));

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
