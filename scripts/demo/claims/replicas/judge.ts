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
