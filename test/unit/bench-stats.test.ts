// The bench's arithmetic: percentiles, summaries, the chart's points, and the parsers it relies on.
import { expect, test } from 'vitest';
import { parseArgs, roundOrder, selectedChannels } from '../../scripts/bench/args.js';
import { FrameReader, frame } from '../../scripts/bench/channels/stream.js';
import { encodeCommand, parseValue, RespError } from '../../scripts/bench/resp.js';
import { cdfPoints, median, percentile, summarize } from '../../scripts/bench/stats.js';

test('percentiles are nearest-rank: the smallest value with at least p% at or below it', () => {
  const values = Float64Array.from({ length: 100 }, (_, i) => i + 1); // 1..100
  expect(percentile(values, 50)).toBe(50);
  expect(percentile(values, 90)).toBe(90);
  expect(percentile(values, 99)).toBe(99);
  expect(percentile(values, 100)).toBe(100);
  expect(percentile(values, 0)).toBe(1);
  expect(percentile([7], 99)).toBe(7);
  expect(percentile([1, 2, 3], 50)).toBe(2);
  expect(percentile([1, 2, 3, 4], 50)).toBe(2);
  expect(percentile([], 50)).toBeNaN();
});

test('a summary is in microseconds, from unsorted nanoseconds', () => {
  const ns = [5000, 1000, 3000, 2000, 4000];
  expect(summarize(ns)).toEqual({ count: 5, p50: 3, p90: 5, p99: 5, mean: 3, min: 1, max: 5 });
});

test('a single slow sample moves p99 of 100 samples, not p50 or p90', () => {
  const ns = [...Array.from({ length: 99 }, () => 10_000), 5_000_000];
  const summary = summarize(ns);
  expect(summary.p50).toBe(10);
  expect(summary.p90).toBe(10);
  expect(summary.p99).toBe(10);
  expect(summary.max).toBe(5000);
  expect(summarize([...ns, 5_000_000]).p99).toBe(5000);
});

test('the median of an even count is the mean of the two middle values', () => {
  expect(median([3, 1, 2])).toBe(2);
  expect(median([4, 1, 3, 2])).toBe(2.5);
  expect(median([])).toBeNaN();
});

test('chart points climb from the fastest sample to the slowest', () => {
  const points = cdfPoints(
    Array.from({ length: 1000 }, (_, i) => (i + 1) * 1000),
    50,
  );
  expect(points[0]).toEqual([1, 0.001]);
  expect(points.at(-1)).toEqual([1000, 1]);
  for (let i = 1; i < points.length; i++) {
    expect(points[i]![0]).toBeGreaterThanOrEqual(points[i - 1]![0]);
    expect(points[i]![1]).toBeGreaterThanOrEqual(points[i - 1]![1]);
  }
  expect(cdfPoints([])).toEqual([]);
});

test('frames split across chunks and several frames in one chunk are both read whole', () => {
  const frames: string[] = [];
  const reader = new FrameReader((whole) => frames.push(whole.subarray(4).toString()));
  const stream = Buffer.concat([frame(Buffer.from('one')), frame(Buffer.from('')), frame(Buffer.from('three'))]);
  reader.push(stream.subarray(0, 2));
  reader.push(stream.subarray(2, 9));
  reader.push(stream.subarray(9));
  expect(frames).toEqual(['one', '', 'three']);
});

test('RESP: commands are arrays of bulk strings; replies parse whole or not at all', () => {
  expect(encodeCommand(['RPUSH', 'k', Buffer.from('v\r\n')]).toString()).toBe('*3\r\n$5\r\nRPUSH\r\n$1\r\nk\r\n$3\r\nv\r\n\r\n');
  const blpop = Buffer.from('*2\r\n$1\r\nk\r\n$3\r\nabc\r\n:7\r\n');
  const first = parseValue(blpop, 0);
  expect(first).not.toBe(parseValue(Buffer.from('*2\r\n$1\r\nk\r\n$3\r\nab'), 0));
  if (typeof first === 'symbol') throw new Error('incomplete');
  expect((first.value as Buffer[]).map(String)).toEqual(['k', 'abc']);
  expect(parseValue(blpop, first.next)).toEqual({ value: 7, next: blpop.length });
  expect(typeof parseValue(Buffer.from('$3\r\nab'), 0)).toBe('symbol');
  expect(parseValue(Buffer.from('$-1\r\n'), 0)).toEqual({ value: null, next: 5 });
  const error = parseValue(Buffer.from('-ERR wrong\r\n'), 0);
  expect(typeof error !== 'symbol' && error.value).toBeInstanceOf(RespError);
});

test('the command line: defaults, flags, and refusals that say what is wrong', () => {
  expect(parseArgs([])).toMatchObject({
    targets: [],
    cluster: 'podmates',
    smoke: false,
    json: false,
    rounds: null,
    nice: 0,
    channels: null,
  });
  expect(parseArgs(['--smoke', '--json', '--rounds', '2', '--out=x', '--nice=-5'])).toMatchObject({
    smoke: true,
    json: true,
    rounds: 2,
    outDir: 'x',
    nice: -5,
  });
  expect(parseArgs(['--target', 'kind']).targets).toEqual(['kind']);
  expect(parseArgs(['--target', 'compose,kind', '--cluster', 'other'])).toMatchObject({ targets: ['compose', 'kind'], cluster: 'other' });
  expect(parseArgs(['--target', 'box']).targets).toEqual([]);
  expect(parseArgs(['--channels', 'redis,mq']).channels).toEqual(['c-limit', 'c-busy', 'mq', 'redis']);
  expect(() => parseArgs(['--target', 'docker'])).toThrow(/--target takes compose, kind or both \(compose,kind\), not "docker"/);
  expect(() => parseArgs(['--channels', 'pigeon'])).toThrow(/unknown channel pigeon/);
  expect(() => parseArgs(['--rounds', '0'])).toThrow(/--rounds must be/);
  // node:util's parseArgs words these two.
  expect(() => parseArgs(['--rounds'])).toThrow(/'--rounds <value>' argument missing/);
  expect(() => parseArgs(['--fast'])).toThrow(/Unknown option '--fast'/);
  expect(() => parseArgs(['--out='])).toThrow(/--out needs a value/);
  expect(selectedChannels({ channels: null, smoke: true })).not.toContain('mq-raw');
  expect(selectedChannels({ channels: null, smoke: false })).toContain('mq-raw');
});

test('each round starts with another channel', () => {
  expect(roundOrder(['a', 'b', 'c'], 0)).toEqual(['a', 'b', 'c']);
  expect(roundOrder(['a', 'b', 'c'], 1)).toEqual(['b', 'c', 'a']);
  expect(roundOrder(['a', 'b', 'c'], 3)).toEqual(['a', 'b', 'c']);
  expect(roundOrder([], 2)).toEqual([]);
});
