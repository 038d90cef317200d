// The bench's report: ratios within each round, the targets, the table and the chart.
import { expect, test } from 'vitest';
import { latencyChart } from '../../scripts/bench/chart.js';
import type { ChannelName } from '../../scripts/bench/channels/index.js';
import { buildReport, formatBytes, formatRatio, formatTable, formatUs, type ChannelRun } from '../../scripts/bench/report.js';
import type { Where } from '../../scripts/bench/sides.js';

/** A run whose latency samples are all `us` microseconds and whose throughput is `rate` msg/s. */
function run(channel: ChannelName, round: number, us: number, rate: number, payloads = [64], where: Where = 'box'): ChannelRun {
  return {
    channel,
    where,
    round,
    results: payloads.map((payload) => ({
      payload,
      latencyNs: Array.from({ length: 100 }, () => us * 1000),
      throughput: { messages: rate, seconds: 1 },
      truncated: false,
    })),
    peakRssKiB: { client: 2048, peer: 1024 },
  };
}

const meta = (rounds: number, payloads = [64]) => ({
  date: '2026-11-27T00:00:00.000Z',
  host: { cpus: 2, loadAverage: [1, 1, 1], node: 'v20', kernel: '6' },
  plan: { rounds, nice: 0, payloads, warmup: 1, latencyCount: 100, throughputCount: 10, window: 8, smoke: false },
  placement: { client: 0, peer: 1 },
});

test('each channel is a multiple of the C limit of its own round, and the median of rounds is reported', () => {
  // Round 1 ran on a machine twice as slow: absolute times double, ratios do not move.
  const runs = [
    run('c-limit', 0, 10, 100_000),
    run('mq', 0, 20, 50_000),
    run('c-limit', 1, 20, 50_000),
    run('mq', 1, 40, 25_000),
    run('c-limit', 2, 10, 100_000),
    run('mq', 2, 20, 50_000),
  ];
  const report = buildReport(runs, meta(3));
  const mq = report.channels.find((c) => c.channel === 'mq')!.payloads[0]!;
  expect(mq.vsLimit).toEqual({ p50: 2, p90: 2, p99: 2, throughput: 2, p50Rounds: [2, 2, 2] });
  expect(mq.latencyUs.p50).toBe(20);
  expect(mq.latencyUs.count).toBe(300);
  expect(mq.throughput.msgsPerSec).toBe(50_000);
  expect(report.channels.find((c) => c.channel === 'c-limit')!.payloads[0]!.vsLimit!.p50).toBe(1);
});

test('the targets of the issue are judged per payload, met or missed', () => {
  const runs = [run('c-limit', 0, 10, 100_000), run('mq', 0, 25, 40_000), run('http', 0, 200, 10_000)];
  const targets = buildReport(runs, meta(1)).targets;
  expect(targets.map((t) => [t.name, t.value, t.met])).toEqual([
    ['MQ p50 ÷ HTTP p50', 0.125, true],
    ['MQ throughput ÷ HTTP throughput', 4, false],
    ['MQ p50 ÷ C limit p50', 2.5, false],
    ['MQ p99 ÷ C limit p99', 2.5, true],
    ['MQ msg/s ÷ C limit msg/s', 0.4, true],
  ]);
});

test("the limit's spread over rounds, and the wake-up cost it carries over the busy floor", () => {
  // p50 by round 10, 12, 9, 10, 10 µs; the busy floor 4 µs: a wake-up on each side costs 3 µs.
  const runs = [10, 12, 9, 10, 10].flatMap((us, round) => [run('c-limit', round, us, 100_000), run('c-busy', round, 4, 300_000)]);
  const report = buildReport(runs, meta(5));
  expect(report.limit).toEqual([{ payload: 64, p50Rounds: [10, 12, 9, 10, 10], p50Median: 10, p50Spread: 0.2, wakeUpUs: 3 }]);
  expect(formatTable(report)).toContain(
    'C limit at 64 B: p50 10.0, 12.0, 9.00, 10.0, 10.0 µs by round, median 10.0, each within 20 % of it; wake-up latency 3.00 µs',
  );
  expect(formatTable(report)).toContain('placement: every client on CPU 0, every echo peer on CPU 1');
});

test('a channel that did not run has no targets and no ratio', () => {
  const report = buildReport([run('c-limit', 0, 10, 1), run('tcp', 0, 30, 1)], meta(1));
  expect(report.targets).toEqual([]);
  const lonely = buildReport([run('tcp', 0, 30, 1)], meta(1));
  expect(lonely.channels[0]!.payloads[0]!.vsLimit).toBeNull();
});

test('the table shows every channel per payload, the ratios and the targets', () => {
  const runs = [run('c-limit', 0, 7.5, 150_000, [64, 4096]), run('mq', 0, 30, 30_000, [64, 4096]), run('http', 0, 480, 1_500, [64, 4096])];
  const table = formatTable(buildReport(runs, meta(1, [64, 4096])));
  expect(table).toContain('payload 64 B: round trip with 1 in flight; throughput with 8 in flight');
  expect(table).toContain('payload 4 KiB');
  expect(table).toMatch(/C limit: blocking mq_receive\s+7\.50\s+7\.50\s+7\.50\s+1\.00x\s+1\.00x\s+150,000\s+1\.00x\s+2\.0\/1\.0/);
  expect(table).toMatch(/POSIX MQ, project path\s+30\.0\s+30\.0\s+30\.0\s+4\.00x\s+4\.00x\s+30,000\s+5\.00x/);
  expect(table).toMatch(/HTTP, project path\s+480\s+480\s+480\s+64\.0x/);
  expect(table).toMatch(/MISSED\s+64 B\s+MQ p50 ÷ C limit p50\s+4\.00 \(≤ 2\)/);
  expect(table).toMatch(/met\s+4 KiB\s+MQ throughput ÷ HTTP throughput\s+20\.00 \(≥ 5\)/);
});

test('numbers are short and never print NaN', () => {
  expect([formatUs(7.314), formatUs(42.66), formatUs(385.2), formatUs(Number.NaN)]).toEqual(['7.31', '42.7', '385', '-']);
  expect([formatRatio(1), formatRatio(12.34), formatRatio(undefined), formatRatio(Number.POSITIVE_INFINITY)]).toEqual([
    '1.00x',
    '12.3x',
    '-',
    '-',
  ]);
  expect([formatBytes(64), formatBytes(4096), formatBytes(1000)]).toEqual(['64 B', '4 KiB', '1000 B']);
});

test('the chart is one SVG with a curve and a legend entry per channel', () => {
  const svg = latencyChart(
    [
      {
        payload: 64,
        curves: [
          {
            channel: 'c-limit',
            points: [
              [5, 0.5],
              [9, 1],
            ],
          },
          {
            channel: 'mq',
            points: [
              [20, 0.5],
              [300, 1],
            ],
          },
        ],
      },
    ],
    'title <&>',
  );
  expect(svg.startsWith('<svg')).toBe(true);
  expect(svg).toContain('title &lt;&amp;>');
  expect(svg.match(/<path /g)).toHaveLength(2);
  expect(svg).toContain('POSIX MQ, project path');
  expect(svg).not.toContain('NaN');
});

test("the services' line says the end-to-end rate and how busy each process was", () => {
  const services = {
    where: 'box' as const,
    messages: 10_000,
    window: 8,
    payload: 64,
    retried: 12,
    seconds: 4,
    msgsPerSec: 2500,
    app: { idleRssKiB: 60 * 1024, peakRssKiB: 130 * 1024 },
    sidecar: { idleRssKiB: 58 * 1024, peakRssKiB: 70 * 1024 },
    cpuSeconds: { app: 3.9, sidecar: 1.2, load: 2 },
  };
  const table = formatTable(buildReport([run('c-limit', 0, 10, 1)], meta(1), [services, { ...services, where: 'compose' }]));
  expect(table).toContain(
    'real app + sidecar in the box, 10000 POST /messages (64 B text, 8 in flight): 2,500 msg/s end to end, 12 retried 503s',
  );
  expect(table).toContain("real app + sidecar in the compose Pod (the load generator in the app's container)");
  expect(table).toContain('CPU over the 4.0 s: app 98 %, sidecar 30 %, load generator 50 % (of 2 cores');
});

test("the compose Pod's rows sit under the box's, each a multiple of the box's limit; targets and the limit's spread are the box's", () => {
  const runs = [
    run('c-limit', 0, 10, 100_000),
    run('c-limit', 0, 14, 80_000, [64], 'compose'),
    run('mq', 0, 15, 60_000),
    run('mq', 0, 30, 30_000, [64], 'compose'),
  ];
  const report = buildReport(runs, meta(1));
  expect(report.channels.map((c) => c.label)).toEqual([
    'C limit: blocking mq_receive',
    'C limit: blocking mq_receive (compose)',
    'POSIX MQ, project path',
    'POSIX MQ, project path (compose)',
  ]);
  expect(report.channels.map((c) => c.payloads[0]!.vsLimit!.p50)).toEqual([1, 1.4, 1.5, 3]);
  expect(report.targets.find((t) => t.name === 'MQ p50 ÷ C limit p50')!.value).toBe(1.5);
  expect(report.limit[0]!.p50Rounds).toEqual([10]);
});

test("the chart draws the compose Pod's curves dashed in their channel's colour, with one legend entry for them all", () => {
  const points: Array<[number, number]> = [
    [20, 0.5],
    [300, 1],
  ];
  const svg = latencyChart(
    [
      {
        payload: 64,
        curves: [
          { channel: 'mq', where: 'box', points },
          { channel: 'mq', where: 'compose', points },
          { channel: 'tcp', where: 'compose', points },
        ],
      },
    ],
    'title',
  );
  expect(svg.match(/<path [^>]*stroke-dasharray/g)).toHaveLength(2);
  expect(svg.match(/<text [^>]*>POSIX MQ, project path<\/text>/g)).toHaveLength(1);
  expect(svg).toContain('dashed: in the compose Pod');
});
