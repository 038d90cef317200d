// The bench's arithmetic (scripts/bench/stats.ts): percentiles, summaries, and the chart's points.
import { expect, test } from 'vitest';
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
