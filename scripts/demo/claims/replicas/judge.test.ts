// 5j's judge on synthetic Pods: the boundary where the budget says, and each
// way of missing it named.
import { expect, test } from 'vitest';
import { expectedFailures, judgeBudget, judgeReplacement, oldPodsAt, oldPodsGoneAt, type Replacement, type ReplicaEnd } from './judge.js';

const BUDGET =
  'app exited 69: cannot open message queue /podmates.replies: Too many open files (RLIMIT_MSGQUEUE of UID 10001 is used up: …)';
const replica = (i: number, node: string, failure: string | null = null): ReplicaEnd => ({
  pod: `podmates-5j-${i}`,
  node,
  ready: failure === null,
  failure,
});
/** Nine replicas beside the base Pod: the last `failing` of them failed with `failure`. */
const nine = (failing: number, node = 'kind-control-plane', failure = BUDGET) =>
  Array.from({ length: 9 }, (_, i) => replica(i, node, i >= 9 - failing ? failure : null));

test('on kind, one kernel: the base Pod and 8 replicas fit, the ninth fails on the budget', () => {
  const seen = { replicas: nine(1), othersByNode: { 'kind-control-plane': 1 }, fit: 9, oneKernel: true };
  expect(expectedFailures(seen)).toBe(1);
  expect(judgeBudget(seen)).toEqual([]);
});

test('one kernel for all nodes on kind, one per node elsewhere', () => {
  const spread = [
    ...Array.from({ length: 5 }, (_, i) => replica(i, 'worker')),
    ...Array.from({ length: 4 }, (_, i) => replica(i + 5, 'worker2')),
  ];
  expect(expectedFailures({ replicas: spread, othersByNode: { worker: 1 }, fit: 9, oneKernel: true })).toBe(1);
  expect(expectedFailures({ replicas: spread, othersByNode: { worker: 1 }, fit: 9, oneKernel: false })).toBe(0);
});

test('more failures than the budget allows: each Pod is charged more than computed, with the first failure', () => {
  const [problem] = judgeBudget({ replicas: nine(6), othersByNode: { 'kind-control-plane': 1 }, fit: 9, oneKernel: true });
  expect(problem).toMatch(
    /^6 of 9 replicas failed to start where the budget computed from RLIMIT_MSGQUEUE .* lets 1 fail: the kernel held fewer/,
  );
  expect(problem).toContain('RLIMIT_MSGQUEUE of UID 10001 is used up');
});

test('fewer failures than the budget makes: the kernel held more than computed', () => {
  expect(judgeBudget({ replicas: nine(0), othersByNode: { 'kind-control-plane': 1 }, fit: 9, oneKernel: true })).toEqual([
    "only 0 of 9 replicas failed to start where the budget computed from RLIMIT_MSGQUEUE and the ConfigMap's queue sizes (9 Pods per kernel, one for all nodes on kind) makes 1 fail: the kernel held more than computed",
  ]);
});

test('a Pod that failed for another reason, or neither failed nor became Ready, is named', () => {
  const replicas = [...nine(0).slice(0, 8), replica(8, 'kind-control-plane', 'app exited 1: ENOENT /state')];
  expect(judgeBudget({ replicas, othersByNode: { 'kind-control-plane': 1 }, fit: 9, oneKernel: true })).toEqual([
    'podmates-5j-8 failed to start, but not on the queue budget: app exited 1: ENOENT /state',
  ]);
  const stuck = [
    ...nine(1)
      .slice(0, 8)
      .map((r, i) => (i === 0 ? { ...r, ready: false } : r)),
    replica(8, 'kind-control-plane', BUDGET),
  ];
  expect(judgeBudget({ replicas: stuck, othersByNode: { 'kind-control-plane': 1 }, fit: 9, oneKernel: true })).toEqual([
    'podmates-5j-0 neither failed nor became Ready',
  ]);
});

const replacement = (over: Partial<Replacement> = {}): Replacement => ({
  pod: 'podmates-5j-new',
  failure: BUDGET,
  oldTerminating: 1,
  failedAfterMs: 3700,
  oldGoneAfterMs: 6500,
  ready: true,
  kernelFull: true,
  ...over,
});

test('a rollout at the edge: the replacement fails on the budget while the old Pod terminates, then starts', () => {
  expect(judgeReplacement(replacement())).toEqual([]);
  // On a node with room (not kind), starting at once is right.
  expect(judgeReplacement(replacement({ failure: null, kernelFull: false }))).toEqual([]);
});

test('a replacement that starts on a full budget beside a terminating Pod means the charge went early', () => {
  expect(judgeReplacement(replacement({ failure: null }))).toEqual([
    expect.stringContaining('created its queues on a full budget while 1 old Pod(s) were terminating'),
  ]);
});

test('a replacement that started only once the old Pod had gone measured nothing', () => {
  expect(judgeReplacement(replacement({ failure: null, oldTerminating: 0 }))).toEqual([
    expect.stringContaining('the overlap this check measures did not happen'),
  ]);
});

test('a replacement that fails for another reason, or never starts, is named', () => {
  expect(judgeReplacement(replacement({ failure: 'app exited 1: boom' }))).toEqual([
    expect.stringContaining('not on the queue budget: app exited 1'),
  ]);
  expect(judgeReplacement(replacement({ oldTerminating: 0, failedAfterMs: 8000 }))).toEqual([
    expect.stringContaining('failed on the queue budget 8.0 s into the rollout, after the old Pods had gone (6.5 s in)'),
  ]);
  expect(judgeReplacement(replacement({ ready: false }))).toEqual([
    expect.stringContaining('never became Ready after the old Pod had gone'),
  ]);
});

test('the old Pods at the failure: the last look asked before it, not the look that showed it', () => {
  // The kubelet reported the failure (3.7 s) only after the old Pod had gone (6.5 s).
  const looks = [
    { at: 20, count: 0 },
    { at: 100, count: 1 },
    { at: 3500, count: 1 },
    { at: 6500, count: 0 },
    { at: 6800, count: 0 },
  ];
  expect(oldPodsAt(looks, 3700)).toBe(1);
  expect(oldPodsAt(looks, 7000)).toBe(0);
  // Before the first look, the first look counts.
  expect(oldPodsAt(looks, 10)).toBe(0);
  expect(oldPodsGoneAt(looks)).toBe(6500);
  // A look before the controller deleted the old Pod is not its going.
  expect(oldPodsGoneAt(looks.slice(0, 3))).toBeNull();
});
