// The soak's report: soak.json, memory.svg, the summary it prints, and whether
// a service went over its container's memory limit.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { memoryChart } from './chart.js';
import type { LoadResult, Sample } from './load.js';
import { manifestLimits } from './manifests.js';
import type { SoakOptions } from './options.js';
import type { ProbeCost, ProbesAtRest } from './probe.js';
import type { ServiceName, Services, SoakService } from './services.js';

/** A service's memory over the soak, in MiB; its limit from manifests/base. */
export interface ServiceMemory {
  peakRssMiB: number;
  cgroupPeakMiB: number | null;
  /** The mean resident set over the first and the last fifth of the samples: a leak shows as a rise. */
  rss: { firstFifthMiB: number; lastFifthMiB: number };
  limitMiB: number | undefined;
}

export interface SoakReport {
  date: string;
  minutes: number;
  window: number;
  messages: number;
  accepted: number;
  msgsPerSec: number;
  retriedAfter503: number;
  app: ServiceMemory;
  sidecar: ServiceMemory;
  healthProbe: { idle: ProbeCost; underLoadMaxRssKiB: number; underLoadMaxWallSeconds: number };
  probeCli: ProbeCost;
  samples: Sample[];
}

const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / Math.max(1, values.length);

/** The report, read while the services still run (their peak resident sets are in their /proc). */
export function soakReport(
  { minutes, window }: Pick<SoakOptions, 'minutes' | 'window'>,
  services: Services,
  probes: ProbesAtRest,
  { result, samples, probeDuringLoad }: LoadResult,
): SoakReport {
  const limits = manifestLimits();
  const fifth = Math.max(1, Math.floor(samples.length / 5));
  const memory = (service: SoakService, pickRss: (s: Sample) => number, limitMiB: number | undefined): ServiceMemory => ({
    peakRssMiB: service.peakRssMiB,
    cgroupPeakMiB: service.cgroupPeakMiB,
    rss: { firstFifthMiB: mean(samples.slice(0, fifth).map(pickRss)), lastFifthMiB: mean(samples.slice(-fifth).map(pickRss)) },
    limitMiB,
  });
  return {
    date: new Date().toISOString(),
    minutes,
    window,
    messages: result.processed,
    accepted: result.accepted,
    msgsPerSec: result.processed / result.seconds,
    retriedAfter503: result.retried,
    app: memory(services.app, (s) => s.appRssMiB, limits.app),
    sidecar: memory(services.sidecar, (s) => s.sidecarRssMiB, limits.sidecar),
    healthProbe: {
      idle: probes.health,
      underLoadMaxRssKiB: Math.max(...probeDuringLoad.map((p) => p.peakRssKiB), 0),
      underLoadMaxWallSeconds: Math.max(...probeDuringLoad.map((p) => p.wallSeconds), 0),
    },
    probeCli: probes.probeCli,
    samples,
  };
}

/** soak.json and memory.svg in `out`; the paths written. */
export function writeReport(report: SoakReport, out: string): string[] {
  mkdirSync(out, { recursive: true });
  const [json, svg] = [join(out, 'soak.json'), join(out, 'memory.svg')];
  writeFileSync(json, `${JSON.stringify(report, null, 2)}\n`);
  const series = (label: string, color: string, pick: (s: Sample) => number | null) => ({
    label,
    color,
    points: report.samples.filter((s) => pick(s) !== null).map((s) => [s.t, pick(s)!] as [number, number]),
  });
  writeFileSync(
    svg,
    memoryChart(
      `podmates soak ${report.date.slice(0, 16)}: ${report.msgsPerSec.toFixed(0)} msg/s for ${report.minutes} min`,
      [
        series('app RSS', '#d62728', (s) => s.appRssMiB),
        series('app cgroup', '#ff9896', (s) => s.appCgroupMiB),
        series('sidecar RSS', '#1f77b4', (s) => s.sidecarRssMiB),
        series('sidecar cgroup', '#aec7e8', (s) => s.sidecarCgroupMiB),
      ],
      [
        { label: `app limit ${report.app.limitMiB} MiB`, color: '#d62728', mib: report.app.limitMiB! },
        { label: `sidecar limit ${report.sidecar.limitMiB} MiB`, color: '#1f77b4', mib: report.sidecar.limitMiB! },
      ],
    ),
  );
  return [json, svg];
}

/** The lines the soak prints at the end: the rate, each service's memory against its limit, the probes' cost. */
export function summaryLines(report: SoakReport): string[] {
  const line = (name: ServiceName) => {
    const r = report[name];
    return `${name}: RSS ${r.rss.firstFifthMiB.toFixed(0)} → ${r.rss.lastFifthMiB.toFixed(0)} MiB (first → last fifth), peak ${r.peakRssMiB.toFixed(0)} MiB RSS, ${r.cgroupPeakMiB?.toFixed(0) ?? '?'} MiB cgroup, limit ${r.limitMiB} MiB`;
  };
  const { idle: health } = report.healthProbe;
  const heavy = report.probeCli;
  return [
    `\n${report.messages} messages in ${report.minutes} min: ${report.msgsPerSec.toFixed(0)} msg/s, ${report.retriedAfter503} retries after 503`,
    line('app'),
    line('sidecar'),
    `health probe: ${(health.peakRssKiB / 1024).toFixed(0)} MiB, ${health.cpuSeconds.toFixed(2)} CPU-s (the probe CLI: ${(heavy.peakRssKiB / 1024).toFixed(0)} MiB, ${heavy.cpuSeconds.toFixed(2)} CPU-s: ${(heavy.peakRssKiB / health.peakRssKiB).toFixed(2)}x the memory)`,
  ];
}

/** The services whose peak (the cgroup's where there is one) went over their container's memory limit. */
export function overLimit(report: SoakReport): ServiceName[] {
  return (['app', 'sidecar'] as const).filter((name) => (report[name].cgroupPeakMiB ?? report[name].peakRssMiB) > report[name].limitMiB!);
}
