// Percentiles and summaries of latency samples; pure, unit-tested.

/** Nearest-rank percentile of ascending `sorted` values: the smallest value with at least p% of the values at or below it. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  if (p <= 0) return sorted[0]!;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, rank) - 1]!;
}

export function sortedCopy(values: ArrayLike<number>): Float64Array {
  return Float64Array.from(values).sort();
}

export function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = sortedCopy(values);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export interface LatencySummary {
  count: number;
  /** Microseconds. */
  p50: number;
  p90: number;
  p99: number;
  mean: number;
  min: number;
  max: number;
}

/** Summary in microseconds of samples in nanoseconds. */
export function summarize(samplesNs: ArrayLike<number>): LatencySummary {
  const sorted = sortedCopy(samplesNs);
  let sum = 0;
  for (const value of sorted) sum += value;
  const us = (ns: number) => ns / 1000;
  return {
    count: sorted.length,
    p50: us(percentile(sorted, 50)),
    p90: us(percentile(sorted, 90)),
    p99: us(percentile(sorted, 99)),
    mean: sorted.length ? us(sum / sorted.length) : Number.NaN,
    min: us(sorted[0] ?? Number.NaN),
    max: us(sorted[sorted.length - 1] ?? Number.NaN),
  };
}

/** Points of the empirical distribution for a chart: [latency µs, cumulative fraction], at most about `points` of them. */
export function cdfPoints(samplesNs: ArrayLike<number>, points = 200): Array<[number, number]> {
  const sorted = sortedCopy(samplesNs);
  if (sorted.length === 0) return [];
  const out: Array<[number, number]> = [];
  // Evenly spaced in "number of nines" so the tail gets as many points as the body.
  const maxNines = Math.log10(sorted.length);
  for (let i = 0; i <= points; i++) {
    const fraction = 1 - Math.pow(10, -(maxNines * i) / points);
    const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1));
    out.push([sorted[index]! / 1000, (index + 1) / sorted.length]);
  }
  out.push([sorted[sorted.length - 1]! / 1000, 1]);
  return out;
}
