// From the runs of one bench to its report: summaries, multiples of the C limit,
// the issue's targets, the text table and the JSON. Pure, unit-tested.
import { channelInfo, type ChannelName } from './channels/index.js';
import type { PayloadResult } from './protocol.js';
import type { Where } from './sides.js';
import { median, summarize, type LatencySummary } from './stats.js';

/** One channel measured once (one round), in the box or between the compose Pod's containers. */
export interface ChannelRun {
  channel: ChannelName;
  where: Where;
  round: number;
  results: PayloadResult[];
  peakRssKiB: { client: number | null; peer: number | null; server?: number | null };
}

export interface PayloadReport {
  bytes: number;
  latencyUs: LatencySummary;
  throughput: { msgsPerSec: number; rounds: number[] };
  /** Multiples of the C limit, median of the ratios within each round: latency channel ÷ limit, throughput limit ÷ channel. */
  vsLimit: { p50: number; p90: number; p99: number; throughput: number; p50Rounds: number[] } | null;
  truncated: boolean;
}

export interface ChannelReport {
  channel: ChannelName;
  where: Where;
  label: string;
  payloads: PayloadReport[];
  peakRssKiB: { client: number | null; peer: number | null; server?: number | null };
}

export interface Target {
  payload: number;
  name: string;
  value: number;
  bound: number;
  kind: 'max' | 'min';
  met: boolean;
}

export interface ServiceLoad {
  where: Where;
  messages: number;
  window: number;
  payload: number;
  retried: number;
  seconds: number;
  msgsPerSec: number;
  app: { idleRssKiB: number | null; peakRssKiB: number | null };
  sidecar: { idleRssKiB: number | null; peakRssKiB: number | null };
  /** CPU seconds each process used during the run: what bounds the rate (a process near `seconds` is saturated). */
  cpuSeconds: { app: number | null; sidecar: number | null; load: number };
}

/** How much the C limit moved between rounds, and what a wake-up costs, for one payload. */
export interface LimitStability {
  payload: number;
  /** The blocking limit's p50 in each round, µs. */
  p50Rounds: number[];
  p50Median: number;
  /** The largest distance of a round's p50 from their median, as a fraction of it. */
  p50Spread: number;
  /** Half of (blocking p50 − busy p50), median over rounds: a wake-up on each side is what blocking adds to a round trip. */
  wakeUpUs: number;
}

export interface BenchReport {
  version: 2;
  date: string;
  host: { cpus: number; loadAverage: number[]; node: string; kernel: string };
  plan: {
    rounds: number;
    nice: number;
    payloads: number[];
    warmup: number;
    latencyCount: number;
    throughputCount: number;
    window: number;
    smoke: boolean;
  };
  /** The CPU each side runs on (taskset; the C references pin themselves), the same for every channel. */
  placement: { client: number; peer: number };
  channels: ChannelReport[];
  limit: LimitStability[];
  targets: Target[];
  /** The real services under load: in the box, and in the compose Pod with --target compose. */
  services: ServiceLoad[];
}

const maxOrNull = (values: Array<number | null | undefined>): number | null => {
  const present = values.filter((value): value is number => typeof value === 'number');
  return present.length ? Math.max(...present) : null;
};

/** One channel's summary of one payload in one round, or undefined when it did not run. */
interface RoundPoint {
  round: number;
  latency: LatencySummary;
  rate: number;
  truncated: boolean;
}

function roundPoints(runs: ChannelRun[], bytes: number): RoundPoint[] {
  return runs.flatMap((run) => {
    const result = run.results.find((entry) => entry.payload === bytes);
    if (!result) return [];
    return [
      {
        round: run.round,
        latency: summarize(result.latencyNs),
        rate: result.throughput.messages / result.throughput.seconds,
        truncated: result.truncated,
      },
    ];
  });
}

/** Median over rounds of `value(a, b)` for the rounds both ran: ratios stay within a round. */
function pairedMedian(
  a: RoundPoint[],
  b: RoundPoint[],
  value: (a: RoundPoint, b: RoundPoint) => number,
): { median: number; rounds: number[] } {
  const rounds = a.flatMap((point) => {
    const other = b.find((entry) => entry.round === point.round);
    return other ? [value(point, other)] : [];
  });
  return { median: median(rounds), rounds };
}

/**
 * Each percentile is the median over rounds of that round's percentile, and each
 * ratio the median of the ratios within each round: a round that a busy machine
 * slowed down moves neither much.
 */
function payloadReport(points: RoundPoint[], limit: RoundPoint[], bytes: number): PayloadReport {
  const of = (pick: (s: LatencySummary) => number) => median(points.map((point) => pick(point.latency)));
  const latencyUs: LatencySummary = {
    count: points.reduce((sum, point) => sum + point.latency.count, 0),
    p50: of((s) => s.p50),
    p90: of((s) => s.p90),
    p99: of((s) => s.p99),
    mean: of((s) => s.mean),
    min: Math.min(...points.map((point) => point.latency.min)),
    max: Math.max(...points.map((point) => point.latency.max)),
  };
  const rounds = points.map((point) => point.rate);
  let vsLimit: PayloadReport['vsLimit'] = null;
  if (limit.length > 0 && points.length > 0) {
    const p50 = pairedMedian(points, limit, (own, c) => own.latency.p50 / c.latency.p50);
    vsLimit = {
      p50: p50.median,
      p90: pairedMedian(points, limit, (own, c) => own.latency.p90 / c.latency.p90).median,
      p99: pairedMedian(points, limit, (own, c) => own.latency.p99 / c.latency.p99).median,
      throughput: pairedMedian(points, limit, (own, c) => c.rate / own.rate).median,
      p50Rounds: p50.rounds,
    };
  }
  return {
    bytes,
    latencyUs,
    throughput: { msgsPerSec: median(rounds), rounds },
    vsLimit,
    truncated: points.some((point) => point.truncated),
  };
}

export function evaluateTargets(runs: ChannelRun[], payloads: number[]): Target[] {
  // The targets are the box's: one Pod's two processes with nothing between them.
  const points = (name: ChannelName, bytes: number) =>
    roundPoints(
      runs.filter((run) => run.channel === name && run.where === 'box'),
      bytes,
    );
  const targets: Target[] = [];
  for (const bytes of payloads) {
    const mq = points('mq', bytes);
    const http = points('http', bytes);
    const limit = points('c-limit', bytes);
    const add = (name: string, value: number, bound: number, kind: 'max' | 'min') =>
      targets.push({
        payload: bytes,
        name,
        value,
        bound,
        kind,
        met: Number.isFinite(value) && (kind === 'max' ? value <= bound : value >= bound),
      });
    if (mq.length && http.length) {
      add('MQ p50 ÷ HTTP p50', pairedMedian(mq, http, (a, b) => a.latency.p50 / b.latency.p50).median, 0.25, 'max');
      add('MQ throughput ÷ HTTP throughput', pairedMedian(mq, http, (a, b) => a.rate / b.rate).median, 5, 'min');
    }
    if (mq.length && limit.length) {
      add('MQ p50 ÷ C limit p50', pairedMedian(mq, limit, (a, b) => a.latency.p50 / b.latency.p50).median, 2, 'max');
      add('MQ p99 ÷ C limit p99', pairedMedian(mq, limit, (a, b) => a.latency.p99 / b.latency.p99).median, 4, 'max');
      add('MQ msg/s ÷ C limit msg/s', pairedMedian(mq, limit, (a, b) => a.rate / b.rate).median, 0.3, 'min');
    }
  }
  return targets;
}

/** The blocking limit round by round, and the wake-up cost it carries over the busy floor. */
export function limitStability(runs: ChannelRun[], payloads: number[]): LimitStability[] {
  return payloads.flatMap((bytes) => {
    const limit = roundPoints(
      runs.filter((run) => run.channel === 'c-limit' && run.where === 'box'),
      bytes,
    );
    if (limit.length === 0) return [];
    const p50Rounds = limit.map((point) => point.latency.p50);
    const p50Median = median(p50Rounds);
    const busy = roundPoints(
      runs.filter((run) => run.channel === 'c-busy' && run.where === 'box'),
      bytes,
    );
    return [
      {
        payload: bytes,
        p50Rounds,
        p50Median,
        p50Spread: Math.max(...p50Rounds.map((p50) => Math.abs(p50 - p50Median))) / p50Median,
        wakeUpUs: busy.length
          ? pairedMedian(limit, busy, (blocking, polling) => (blocking.latency.p50 - polling.latency.p50) / 2).median
          : NaN,
      },
    ];
  });
}

export function buildReport(
  runs: ChannelRun[],
  meta: Omit<BenchReport, 'version' | 'channels' | 'limit' | 'targets' | 'services'>,
  services: ServiceLoad[] = [],
): BenchReport {
  // Each channel, the box's row first, then the compose Pod's: side by side.
  const order: Array<{ channel: ChannelName; where: Where }> = [];
  for (const run of runs) if (!order.some((row) => row.channel === run.channel && row.where === run.where)) order.push(run);
  order.sort(
    (a, b) =>
      runs.findIndex((run) => run.channel === a.channel) - runs.findIndex((run) => run.channel === b.channel) ||
      (a.where === 'box' ? -1 : 1),
  );
  // Every row, wherever it ran, is a multiple of the box's limit of its round: what the container boundary adds shows.
  const limitRuns = runs.filter((run) => run.channel === 'c-limit' && run.where === 'box');
  const channels = order.map(({ channel, where }): ChannelReport => {
    const own = runs.filter((run) => run.channel === channel && run.where === where);
    const peakRssKiB: ChannelReport['peakRssKiB'] = {
      client: maxOrNull(own.map((run) => run.peakRssKiB.client)),
      peer: maxOrNull(own.map((run) => run.peakRssKiB.peer)),
    };
    if (own.some((run) => run.peakRssKiB.server !== undefined)) peakRssKiB.server = maxOrNull(own.map((run) => run.peakRssKiB.server));
    const payloads = meta.plan.payloads.map((bytes) => payloadReport(roundPoints(own, bytes), roundPoints(limitRuns, bytes), bytes));
    const { label } = channelInfo(channel);
    return { channel, where, label: where === 'box' ? label : `${label} (${where})`, payloads, peakRssKiB };
  });
  return {
    version: 2,
    ...meta,
    channels,
    limit: limitStability(runs, meta.plan.payloads),
    targets: evaluateTargets(runs, meta.plan.payloads),
    services,
  };
}

/** Microseconds, short: 7.31, 42.7, 385. */
export function formatUs(us: number): string {
  if (!Number.isFinite(us)) return '-';
  return us < 10 ? us.toFixed(2) : us < 100 ? us.toFixed(1) : us.toFixed(0);
}

export function formatRatio(ratio: number | undefined): string {
  if (ratio === undefined || !Number.isFinite(ratio)) return '-';
  return ratio < 10 ? `${ratio.toFixed(2)}x` : `${ratio.toFixed(1)}x`;
}

export function formatRate(perSecond: number): string {
  if (!Number.isFinite(perSecond)) return '-';
  return Math.round(perSecond).toLocaleString('en-US');
}

export function formatBytes(bytes: number): string {
  return bytes >= 1024 && bytes % 1024 === 0 ? `${bytes / 1024} KiB` : `${bytes} B`;
}

/** CPU seconds as a share of one core over `seconds`. */
const busy = (cpu: number | null, seconds: number) => (cpu === null ? '-' : `${Math.round((cpu / seconds) * 100)} %`);

const mib = (kib: number | null | undefined) => (typeof kib === 'number' ? (kib / 1024).toFixed(kib < 10 * 1024 ? 1 : 0) : '-');

function pad(cells: string[], widths: number[]): string {
  return cells
    .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
    .join('  ')
    .trimEnd();
}

/** The human-readable table: one block per payload size, then the targets and the services' memory. */
export function formatTable(report: BenchReport): string {
  const lines: string[] = [];
  const header = ['channel', 'p50 µs', 'p90 µs', 'p99 µs', 'p50 ×C', 'p99 ×C', 'msg/s', 'tput ×C', 'RSS MiB'];
  const widths = [38, 8, 8, 8, 7, 7, 10, 8, 12];
  for (const bytes of report.plan.payloads) {
    lines.push(`payload ${formatBytes(bytes)}: round trip with 1 in flight; throughput with ${report.plan.window} in flight`);
    lines.push(pad(header, widths));
    for (const channel of report.channels) {
      const p = channel.payloads.find((entry) => entry.bytes === bytes);
      if (!p) continue;
      const rss = channel.peakRssKiB;
      lines.push(
        pad(
          [
            `${channel.label}${p.truncated ? ' (cut)' : ''}`,
            formatUs(p.latencyUs.p50),
            formatUs(p.latencyUs.p90),
            formatUs(p.latencyUs.p99),
            formatRatio(p.vsLimit?.p50),
            formatRatio(p.vsLimit?.p99),
            formatRate(p.throughput.msgsPerSec),
            formatRatio(p.vsLimit?.throughput),
            `${mib(rss.client)}/${mib(rss.peer)}${rss.server !== undefined ? `+${mib(rss.server)}` : ''}`,
          ],
          widths,
        ),
      );
    }
    lines.push('');
  }
  lines.push(
    `percentiles and msg/s: median over ${report.plan.rounds} round(s); ×C: multiple of the C limit within each round, median (latency: channel ÷ limit; throughput: limit ÷ channel).`,
  );
  lines.push('RSS: peak (VmHWM) of the measuring process / the echo peer (+ redis-server).');
  lines.push(
    `placement: every client on CPU ${report.placement.client}, every echo peer on CPU ${report.placement.peer} (redis-server unpinned).`,
  );
  for (const limit of report.limit) {
    lines.push(
      `C limit at ${formatBytes(limit.payload)}: p50 ${limit.p50Rounds.map(formatUs).join(', ')} µs by round, ` +
        `median ${formatUs(limit.p50Median)}, each within ${(limit.p50Spread * 100).toFixed(0)} % of it; ` +
        `wake-up latency ${formatUs(limit.wakeUpUs)} µs (half of blocking − busy p50)`,
    );
  }
  if (report.targets.length > 0) {
    lines.push('', 'targets:');
    for (const target of report.targets) {
      const bound = `${target.kind === 'max' ? '≤' : '≥'} ${target.bound}`;
      lines.push(
        `  ${target.met ? 'met   ' : 'MISSED'}  ${formatBytes(target.payload).padEnd(6)} ${target.name.padEnd(32)} ${target.value.toFixed(2).padStart(6)} (${bound})`,
      );
    }
  }
  for (const services of report.services) {
    const where = services.where === 'box' ? 'in the box' : `in the ${services.where} Pod (the load generator in the app's container)`;
    lines.push(
      '',
      `real app + sidecar ${where}, ${services.messages} POST /messages (${formatBytes(services.payload)} text, ${services.window} in flight): ` +
        `${formatRate(services.msgsPerSec)} msg/s end to end, ${services.retried} retried 503s`,
      `  peak RSS: app ${mib(services.app.peakRssKiB)} MiB (idle ${mib(services.app.idleRssKiB)}), sidecar ${mib(services.sidecar.peakRssKiB)} MiB (idle ${mib(services.sidecar.idleRssKiB)})`,
      `  CPU over the ${services.seconds.toFixed(1)} s: ${(['app', 'sidecar', 'load'] as const)
        .map((name) => `${name === 'load' ? 'load generator' : name} ${busy(services.cpuSeconds[name], services.seconds)}`)
        .join(', ')} (of ${report.host.cpus} cores; 100 % is one core: a single event loop at its limit)`,
    );
  }
  return lines.join('\n');
}
