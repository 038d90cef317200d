// 5v's judge on synthetic Jobs: each way the contrast can fail is named.
import { expect, test } from 'vitest';
import { type JobSeen, judgeJobs, judgeReverseStop } from './judge.js';
import type { LifecycleLine } from '../../../../apps/shared/lifecycle.js';

const native: JobSeen = { job: 'podmates-job-native', complete: true, workExit: 0, running: [] };
const regular: JobSeen = { job: 'podmates-job-regular', complete: false, workExit: 0, running: ['sidecar', 'app'] };

test('the native Job completes, the regular one runs on after its work', () => {
  expect(judgeJobs({ native, regular, watchedMs: 15_000 })).toEqual([]);
});

test('a native Job that never completes, or leaves a sidecar running, is named', () => {
  expect(judgeJobs({ native: { ...native, complete: false, running: ['sidecar'] }, regular, watchedMs: 15_000 })).toEqual([
    'podmates-job-native did not complete: its sidecars were not stopped after work exited',
    'podmates-job-native: sidecar still running after the Job ended',
  ]);
});

test('work that failed or never ran proves nothing about the sidecars', () => {
  expect(judgeJobs({ native: { ...native, workExit: 1 }, regular: { ...regular, workExit: undefined }, watchedMs: 15_000 })).toEqual([
    'podmates-job-native: work exited 1, not 0',
    'podmates-job-regular: work never exited, not 0',
  ]);
});

test('a regular Job that completes, or whose sidecars stopped, is not the contrast', () => {
  expect(judgeJobs({ native, regular: { ...regular, complete: true, running: [] }, watchedMs: 15_000 })).toEqual([
    expect.stringContaining('podmates-job-regular completed: its regular sidecar containers exited by themselves'),
  ]);
  expect(judgeJobs({ native, regular: { ...regular, running: ['app'] }, watchedMs: 15_000 })).toEqual([
    'podmates-job-regular: app and sidecar should still run 15 s after work exited, running: app',
  ]);
});

test('two native sidecars are stopped in the reverse order of their start, after the work', () => {
  const t0 = Date.parse('2026-12-06T23:22:50.000Z');
  // From a --only v run: sidecar started first, app second; after work exited, the app's SIGTERM, then the sidecar's.
  const life = (swap: boolean): LifecycleLine[] =>
    (
      [
        ['sidecar', 'starting', 0],
        ['app', 'starting', 1666],
        ['work', 'starting', 3747],
        ['work', 'exiting', 5235],
        [swap ? 'sidecar' : 'app', 'stopping', 5591],
        [swap ? 'app' : 'sidecar', 'stopping', 5689],
      ] as const
    ).map(([container, event, ms]) => ({ ts: new Date(t0 + ms).toISOString(), container, event, pid: 1 }));
  expect(judgeReverseStop(life(false))).toEqual([]);
  expect(judgeReverseStop(life(true))).toEqual([
    'the sidecar got SIGTERM 98 ms before the app: not the reverse of their start order (sidecar, then app)',
  ]);
  expect(judgeReverseStop(life(false).filter((line) => line.event !== 'stopping'))).toEqual([
    'the app or the sidecar never logged its SIGTERM ("stopping")',
  ]);
});
