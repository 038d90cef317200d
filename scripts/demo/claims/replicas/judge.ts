// 5j's judge: the queue budget found, not computed. Every Pod of UID 10001
// charges its queues to one count per kernel; on kind every node is a
// container on one kernel, elsewhere each node has its own.

/** One Pod of the step's Deployment, as it ended. */
export interface ReplicaEnd {
  pod: string;
  /** The node it runs on; on kind all nodes share one kernel. */
  node: string;
  ready: boolean;
  /** What the container that failed to start said, when one did. */
  failure: string | null;
}

export interface BudgetSeen {
  replicas: ReplicaEnd[];
  /** The demo's other Pods of the UID (the base Pod), by node: they hold their share throughout. */
  othersByNode: Record<string, number>;
  /** How many Pods fit in one kernel's budget, computed from RLIMIT_MSGQUEUE and the ConfigMap. */
  fit: number;
  /** True on kind: one kernel, so one budget, for every node. */
  oneKernel: boolean;
}

/** How many Pods each kernel cannot start: those beyond `fit`. */
export function expectedFailures({ replicas, othersByNode, fit, oneKernel }: BudgetSeen): number {
  const kernelOf = (node: string) => (oneKernel ? 'kernel' : node);
  const perKernel = new Map<string, number>();
  for (const [node, count] of Object.entries(othersByNode)) perKernel.set(kernelOf(node), (perKernel.get(kernelOf(node)) ?? 0) + count);
  for (const { node } of replicas) perKernel.set(kernelOf(node), (perKernel.get(kernelOf(node)) ?? 0) + 1);
  return [...perKernel.values()].reduce((sum, count) => sum + Math.max(0, count - fit), 0);
}

/**
 * As many Pods start as the budget holds and no more: the ones beyond it fail
 * naming RLIMIT_MSGQUEUE, every other is Ready.
 */
export function judgeBudget(seen: BudgetSeen): string[] {
  const failed = seen.replicas.filter((replica) => replica.failure !== null);
  const expected = expectedFailures(seen);
  const problems: string[] = [];
  const per = seen.oneKernel ? 'kernel, one for all nodes on kind' : 'node';
  const computed = `the budget computed from RLIMIT_MSGQUEUE and the ConfigMap's queue sizes (${seen.fit} Pods per ${per})`;
  if (failed.length > expected)
    problems.push(
      `${failed.length} of ${seen.replicas.length} replicas failed to start where ${computed} lets ${expected} fail: ` +
        `the kernel held fewer, so each Pod is charged more than computed (first: ${failed[0]!.failure})`,
    );
  if (failed.length < expected)
    problems.push(
      `only ${failed.length} of ${seen.replicas.length} replicas failed to start where ${computed} makes ${expected} fail: the kernel held more than computed`,
    );
  for (const replica of failed) {
    if (!replica.failure!.includes('RLIMIT_MSGQUEUE'))
      problems.push(`${replica.pod} failed to start, but not on the queue budget: ${replica.failure}`);
  }
  for (const replica of seen.replicas) {
    if (replica.failure === null && !replica.ready) problems.push(`${replica.pod} neither failed nor became Ready`);
  }
  return problems;
}

/** The first Pod a rollout started on a full budget, as seen while the old Pods were going. */
export interface Replacement {
  pod: string;
  /** What its container said when it could not start, or null when it started at once. */
  failure: string | null;
  /** Old Pods still there (terminating) when it failed, or when it started. */
  oldTerminating: number;
  /** When it failed, and when the terminating old Pods were first seen gone, in ms since the rollout began. */
  failedAfterMs: number | null;
  oldGoneAfterMs: number | null;
  /** Ready in the end, once the old Pod had gone. */
  ready: boolean;
  /** True when its kernel's budget was full of Ready Pods before the rollout (on kind, always). */
  kernelFull: boolean;
}

/**
 * A rollout that never adds a Pod (maxSurge 0) still has no room: the
 * controller starts the replacement while the old Pod is terminating, and
 * the old Pod keeps its queues, and their charge, until its containers have
 * stopped. So the replacement fails on the budget first, then starts.
 */
export function judgeReplacement(seen: Replacement): string[] {
  const problems: string[] = [];
  if (seen.failure === null && seen.oldTerminating === 0)
    problems.push(`${seen.pod} started after the old Pod had gone: the overlap this check measures did not happen`);
  else if (seen.failure === null && seen.kernelFull)
    problems.push(
      `${seen.pod} created its queues on a full budget while ${seen.oldTerminating} old Pod(s) were terminating: ` +
        'their charge was given back before their containers stopped, or the budget was not full',
    );
  if (seen.failure !== null && !seen.failure.includes('RLIMIT_MSGQUEUE'))
    problems.push(`${seen.pod} failed to start, but not on the queue budget: ${seen.failure}`);
  else if (seen.failure !== null && seen.oldTerminating === 0)
    problems.push(
      `${seen.pod} failed on the queue budget ${seconds(seen.failedAfterMs)} into the rollout, after the old Pods had gone ` +
        `(${seconds(seen.oldGoneAfterMs)} in): something else holds the budget (${seen.failure})`,
    );
  if (!seen.ready)
    problems.push(`${seen.pod} never became Ready after the old Pod had gone: its charge was not given back when it stopped`);
  return problems;
}

const seconds = (ms: number | null) => (ms === null ? '? s' : `${(ms / 1000).toFixed(1)} s`);

/** What one look at the API saw: when it was asked (ms since the rollout began), and how many old Pods it listed as terminating. */
export interface OldPodsSeen {
  at: number;
  count: number;
}

/**
 * How many old Pods were there at a moment, from the looks taken while
 * waiting: the last look asked at or before it. The kubelet reports a failed
 * container a moment after it exits, so the failure's own time (its log line)
 * is compared, not the time the status showed it. Before the first look the
 * rollout had only just begun, so the first look counts.
 */
export function oldPodsAt(looks: OldPodsSeen[], at: number): number {
  const before = looks.filter((look) => look.at <= at);
  return (before.at(-1) ?? looks[0])?.count ?? 0;
}

/** The first look that listed no terminating old Pod after one had been, if any did. */
export function oldPodsGoneAt(looks: OldPodsSeen[]): number | null {
  const first = looks.findIndex((look) => look.count > 0);
  return first < 0 ? null : (looks.slice(first).find((look) => look.count === 0)?.at ?? null);
}
