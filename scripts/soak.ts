// `npm run soak`: the real app and sidecar in a Pod made of real namespaces,
// each in a memory cgroup of its own as a container is, under the highest rate
// they sustain (clients keep 8 messages in flight) for 10 minutes. Memory is
// sampled every 5 s and drawn; the peaks are compared with the containers'
// memory limits in manifests/base. The sidecar's exec health probe is measured
// beside a probe that loads what the services load.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseDocument } from 'yaml';
import { benchBlocker, finished, Holder, statusKiB, waitForOutput } from './bench/pod.js';
import { positiveWholeNumber } from './lib/cli.js';
import { PROJECT_ROOT } from './lib/project.js';
import { memoryChart } from './soak/chart.js';
import { MemoryCgroup } from './soak/cgroup.js';

const USAGE = `usage: npm run soak -- [options]
  --minutes N   how long the load runs (default 10)
  --window N    messages in flight (default 8)
  --out DIR     where soak.json and memory.svg go (default artifacts/soak)
  --json        print the report as JSON on stdout (progress on stderr)`;

const DIST = join(PROJECT_ROOT, 'dist');
const SAMPLE_MS = 5000;
const MIB = 1024 * 1024;

/** Peak RSS (KiB), CPU seconds and wall seconds of one run of a command, from getrusage(RUSAGE_CHILDREN). */
const MEASURE = `import resource, subprocess, sys, time
t = time.time(); code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
r = resource.getrusage(resource.RUSAGE_CHILDREN)
print(r.ru_maxrss, r.ru_utime + r.ru_stime, time.time() - t, code)`;

interface ProbeCost {
  peakRssKiB: number;
  cpuSeconds: number;
  wallSeconds: number;
  exitCode: number;
}

async function probeCost(holder: Holder, argv: string[]): Promise<ProbeCost> {
  // Debian's python3: a python3 found on root's PATH may live below /root, out of the service UID's reach.
  const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
  const out = await finished(holder.run([python, '-c', MEASURE, ...argv], { SIDECAR_PORT: '9090' }), 30_000);
  const [rss, cpu, wall, code] = out.stdout.trim().split(' ').map(Number);
  if (out.code !== 0 || code === undefined)
    throw new Error(`measuring ${argv.join(' ')} failed (${out.code ?? out.signal}): ${out.stderr.trim()}`);
  return { peakRssKiB: rss!, cpuSeconds: cpu!, wallSeconds: wall!, exitCode: code };
}

/** The containers' memory limits in manifests/base, in MiB. */
function manifestLimits(): Record<string, number> {
  const deployment = parseDocument(readFileSync(join(PROJECT_ROOT, 'manifests/base/deployment.yaml'), 'utf8')).toJS() as {
    spec: { template: { spec: { containers: Array<{ name: string; resources: { limits: { memory: string } } }> } } };
  };
  return Object.fromEntries(deployment.spec.template.spec.containers.map((c) => [c.name, Number.parseInt(c.resources.limits.memory, 10)]));
}

/** The ConfigMap's NODE_OPTIONS (the heap cap both containers run with), so the soak runs the services as the Pod does. */
function manifestNodeOptions(): string | undefined {
  const config = parseDocument(readFileSync(join(PROJECT_ROOT, 'manifests/base/configmap.yaml'), 'utf8')).toJS() as {
    data: Record<string, string>;
  };
  return config.data.NODE_OPTIONS;
}

const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / Math.max(1, values.length);

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      minutes: { type: 'string', default: '10' },
      window: { type: 'string', default: '8' },
      out: { type: 'string', default: join(PROJECT_ROOT, 'artifacts/soak') },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const minutes = positiveWholeNumber('--minutes', values.minutes, USAGE);
  const window = positiveWholeNumber('--window', values.window, USAGE);
  const blocker = benchBlocker();
  if (blocker) throw new Error(`the soak cannot run here: ${blocker}`);
  // With --json, stdout is the report alone.
  const log = (line: string) => (values.json ? process.stderr : process.stdout).write(`${line}\n`);

  const holder = await Holder.create(DIST);
  const cgroups: MemoryCgroup[] = [];
  try {
    const nodeOptions = manifestNodeOptions();
    const env = {
      APP_PORT: '8080',
      SIDECAR_PORT: '9090',
      STATE_DIR: holder.stateDir(),
      ...(nodeOptions ? { NODE_OPTIONS: nodeOptions } : {}),
    };
    const groups = {
      app: MemoryCgroup.create(`podmates-soak-app-${process.pid}`),
      sidecar: MemoryCgroup.create(`podmates-soak-sidecar-${process.pid}`),
    };
    for (const group of Object.values(groups)) if (group) cgroups.push(group);
    const sidecar = holder.run([process.execPath, join(DIST, 'apps/sidecar/main.js')], env);
    groups.sidecar?.join(sidecar.pid!);
    const app = holder.run([process.execPath, join(DIST, 'apps/app/main.js')], env);
    groups.app?.join(app.pid!);
    await waitForOutput(sidecar, '"event":"ready"', 15_000, 'sidecar');
    await waitForOutput(app, '"event":"ready"', 15_000, 'app');
    for (const child of [app, sidecar]) child.stdout?.resume();

    const health = await probeCost(holder, [process.execPath, join(DIST, 'apps/health/main.js'), 'sidecar']);
    const heavy = await probeCost(holder, [
      process.execPath,
      join(DIST, 'apps/probe/main.js'),
      'http',
      'GET',
      'http://127.0.0.1:9090/healthz',
    ]);
    log(
      `exec probe: health entrypoint ${health.peakRssKiB} KiB, ${health.cpuSeconds.toFixed(2)} CPU-s; probe CLI ${heavy.peakRssKiB} KiB, ${heavy.cpuSeconds.toFixed(2)} CPU-s`,
    );

    const budgetMs = minutes * 60_000;
    const plan = { appUrl: 'http://127.0.0.1:8080', count: 1e9, window, payload: 64, budgetMs };
    const started = Date.now();
    const load = finished(holder.run([process.execPath, join(DIST, 'scripts/bench/app-load.js'), JSON.stringify(plan)]), budgetMs + 60_000);
    const samples: Array<{
      t: number;
      appRssMiB: number;
      sidecarRssMiB: number;
      appCgroupMiB: number | null;
      sidecarCgroupMiB: number | null;
    }> = [];
    const probeDuringLoad: ProbeCost[] = [];
    let done = false;
    void load.finally(() => (done = true));
    while (!done) {
      await sleep(SAMPLE_MS);
      const t = (Date.now() - started) / 1000;
      samples.push({
        t,
        appRssMiB: (statusKiB(app.pid, 'VmRSS') ?? NaN) / 1024,
        sidecarRssMiB: (statusKiB(sidecar.pid, 'VmRSS') ?? NaN) / 1024,
        appCgroupMiB: groups.app ? groups.app.currentBytes / MIB : null,
        sidecarCgroupMiB: groups.sidecar ? groups.sidecar.currentBytes / MIB : null,
      });
      if (samples.length % 6 === 0) {
        // The kubelet runs the exec probe inside the sidecar container, under load.
        probeDuringLoad.push(await probeCost(holder, [process.execPath, join(DIST, 'apps/health/main.js'), 'sidecar']));
        const last = samples.at(-1)!;
        log(`${(t / 60).toFixed(1)} min: app ${last.appRssMiB.toFixed(0)} MiB, sidecar ${last.sidecarRssMiB.toFixed(0)} MiB RSS`);
      }
    }
    const out = await load;
    if (out.code !== 0) throw new Error(`the load failed (${out.code ?? out.signal}): ${out.stderr.trim()}`);
    const result = JSON.parse(out.stdout) as { accepted: number; retried: number; processed: number; seconds: number };

    const limits = manifestLimits();
    const fifth = Math.max(1, Math.floor(samples.length / 5));
    const level = (pick: (s: (typeof samples)[number]) => number) => ({
      firstFifthMiB: mean(samples.slice(0, fifth).map(pick)),
      lastFifthMiB: mean(samples.slice(-fifth).map(pick)),
    });
    const report = {
      date: new Date().toISOString(),
      minutes,
      window,
      messages: result.processed,
      accepted: result.accepted,
      msgsPerSec: result.processed / result.seconds,
      retriedAfter503: result.retried,
      app: {
        peakRssMiB: (statusKiB(app.pid, 'VmHWM') ?? NaN) / 1024,
        cgroupPeakMiB: groups.app ? groups.app.peakBytes / MIB : null,
        rss: level((s) => s.appRssMiB),
        limitMiB: limits.app,
      },
      sidecar: {
        peakRssMiB: (statusKiB(sidecar.pid, 'VmHWM') ?? NaN) / 1024,
        cgroupPeakMiB: groups.sidecar ? groups.sidecar.peakBytes / MIB : null,
        rss: level((s) => s.sidecarRssMiB),
        limitMiB: limits.sidecar,
      },
      healthProbe: {
        idle: health,
        underLoadMaxRssKiB: Math.max(...probeDuringLoad.map((p) => p.peakRssKiB), 0),
        underLoadMaxWallSeconds: Math.max(...probeDuringLoad.map((p) => p.wallSeconds), 0),
      },
      probeCli: heavy,
      samples,
    };
    mkdirSync(values.out, { recursive: true });
    writeFileSync(join(values.out, 'soak.json'), `${JSON.stringify(report, null, 2)}\n`);
    const series = (label: string, color: string, pick: (s: (typeof samples)[number]) => number | null) => ({
      label,
      color,
      points: samples.filter((s) => pick(s) !== null).map((s) => [s.t, pick(s)!] as [number, number]),
    });
    writeFileSync(
      join(values.out, 'memory.svg'),
      memoryChart(
        `podmates soak ${report.date.slice(0, 16)}: ${report.msgsPerSec.toFixed(0)} msg/s for ${minutes} min`,
        [
          series('app RSS', '#d62728', (s) => s.appRssMiB),
          series('app cgroup', '#ff9896', (s) => s.appCgroupMiB),
          series('sidecar RSS', '#1f77b4', (s) => s.sidecarRssMiB),
          series('sidecar cgroup', '#aec7e8', (s) => s.sidecarCgroupMiB),
        ],
        [
          { label: `app limit ${limits.app} MiB`, color: '#d62728', mib: limits.app! },
          { label: `sidecar limit ${limits.sidecar} MiB`, color: '#1f77b4', mib: limits.sidecar! },
        ],
      ),
    );
    const line = (name: 'app' | 'sidecar') => {
      const r = report[name];
      return `${name}: RSS ${r.rss.firstFifthMiB.toFixed(0)} → ${r.rss.lastFifthMiB.toFixed(0)} MiB (first → last fifth), peak ${r.peakRssMiB.toFixed(0)} MiB RSS, ${r.cgroupPeakMiB?.toFixed(0) ?? '?'} MiB cgroup, limit ${r.limitMiB} MiB`;
    };
    log(
      `\n${report.messages} messages in ${minutes} min: ${report.msgsPerSec.toFixed(0)} msg/s, ${report.retriedAfter503} retries after 503`,
    );
    log(line('app'));
    log(line('sidecar'));
    log(
      `health probe: ${(health.peakRssKiB / 1024).toFixed(0)} MiB, ${health.cpuSeconds.toFixed(2)} CPU-s (the probe CLI: ${(heavy.peakRssKiB / 1024).toFixed(0)} MiB, ${heavy.cpuSeconds.toFixed(2)} CPU-s: ${(heavy.peakRssKiB / health.peakRssKiB).toFixed(2)}x the memory)`,
    );
    log(`artifacts: ${join(values.out, 'soak.json')}, ${join(values.out, 'memory.svg')}`);
    if (values.json) process.stdout.write(`${JSON.stringify(report)}\n`);
    const over = (['app', 'sidecar'] as const).filter(
      (name) => (report[name].cgroupPeakMiB ?? report[name].peakRssMiB) > report[name].limitMiB!,
    );
    if (over.length > 0) {
      log(`over the memory limit: ${over.join(', ')}`);
      return 1;
    }
    return 0;
  } finally {
    holder.dispose();
    await sleep(200);
    for (const group of cgroups) group.remove();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`soak: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  },
);
