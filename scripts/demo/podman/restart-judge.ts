// A container of a Podman pod killed from the node (as the OOM killer does):
// Podman's restart policy (the Deployment's restartPolicy: Always) starts it
// again in the infra container's namespaces, so the queue it left is the one
// it finds, with what was sent meanwhile.
import type { NamespaceIds } from '../../../apps/shared/namespaces.js';
import type { Delivered } from '../../../apps/probe/round-trip.js';

export interface Restart {
  /** The sidecar's namespaces before the kill and after its restart. */
  before: NamespaceIds;
  after: NamespaceIds;
  /** When it was killed and when its new process started (ms). */
  killedAt: number;
  startedAt: number;
  delivered: Delivered[];
}

export function judgeRestart(seen: Restart): { problems: string[]; waited: number } {
  const problems: string[] = [];
  for (const kind of ['net', 'ipc'] as const)
    if (seen.before[kind] !== seen.after[kind])
      problems.push(
        `the restarted sidecar is in ${seen.after[kind]}, not ${seen.before[kind]}: it did not rejoin the Pod's ${kind} namespace`,
      );
  const during = seen.delivered.filter(({ sentAt }) => Date.parse(sentAt) > seen.killedAt && Date.parse(sentAt) < seen.startedAt);
  const early = during.filter(({ processedAt }) => Date.parse(processedAt) < seen.startedAt);
  if (during.length === 0) problems.push(`no message was accepted during the ${seen.startedAt - seen.killedAt} ms the sidecar was down`);
  if (early.length > 0)
    problems.push(`${early.length} messages were processed before the sidecar restarted: impossible unless another consumer exists`);
  return { problems, waited: during.length };
}
