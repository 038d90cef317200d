// 5u's judge: replicas spread over nodes, each Pod whole and on its own.
import { isObject } from '../../../lib/json.js';

export interface ReplicaSeen {
  pod: string;
  node: string;
  /** GET /pod on this replica: its app's verdicts against its own sidecar, reached over 127.0.0.1. */
  verdict: unknown;
  net: string | null;
  /** The message sent to this replica's app: how it ended there. */
  sent: { id: string | null; state: string };
  /** The same id asked of every other replica's app (which asks its own sidecar): the HTTP status. */
  elsewhere: Array<{ pod: string; status: number }>;
}

/**
 * Replicas spread over nodes: each Pod whole (its app and sidecar in one
 * network and IPC namespace, the loopback reaching its own sidecar), no two
 * replicas in one network namespace, and each message processed by the
 * replica that took it and unknown to every other.
 */
/**
 * `schedulable`: how many nodes can take these Pods (no NoSchedule taint),
 * or null when the nodes cannot be read: with two or more, the replicas must
 * be on at least two of them, or the spread did not spread.
 */
export function judgeSpread(replicas: ReplicaSeen[], expected: number, schedulable: number | null): string[] {
  const problems: string[] = [];
  if (replicas.length !== expected) problems.push(`${replicas.length} replicas running, expected ${expected}`);
  const nodes = new Set(replicas.map((replica) => replica.node));
  if (schedulable !== null && schedulable >= 2 && nodes.size < 2) {
    problems.push(
      `all ${replicas.length} replicas are on ${[...nodes].join(', ')} although ${schedulable} nodes can take Pods: the spread did not spread`,
    );
  }
  for (const replica of replicas) {
    for (const kind of ['net', 'ipc']) {
      const said = isObject(replica.verdict) ? replica.verdict[kind] : undefined;
      if (said !== 'shared')
        problems.push(
          `${replica.pod}: its app and sidecar are not in one ${kind} namespace (GET /pod: ${typeof said === 'string' ? said : 'no answer'})`,
        );
    }
    if (replica.sent.state !== 'processed')
      problems.push(`${replica.pod}: the message sent to its app ended ${replica.sent.state}, not processed`);
    for (const other of replica.elsewhere) {
      if (other.status !== 404)
        problems.push(`${other.pod} answered ${other.status} for ${replica.pod}'s message ${replica.sent.id}: it should not know it (404)`);
    }
  }
  const byNet = new Map<string, string>();
  for (const replica of replicas) {
    if (!replica.net) continue;
    const first = byNet.get(replica.net);
    if (first) problems.push(`${first} and ${replica.pod} share ${replica.net}: each replica must have its own loopback`);
    else byNet.set(replica.net, replica.pod);
  }
  return problems;
}
