// How many Pods like the base one fit on a node at once: all run as one UID,
// and the kernel charges every POSIX queue to that UID's RLIMIT_MSGQUEUE
// across the node (apps/shared/queue-budget.ts). Steps 5j and the runner,
// which starts steps side by side only while their Pods fit, read it here.
import { EnvReader, readQueueConfig } from '../../apps/shared/config.js';
import { parseMsgqueueLimit, podQueueBytes } from '../../apps/shared/queue-budget.js';
import type { Kube } from '../lib/kube.js';
import { renderDirectory } from '../lib/manifests.js';
import type { QueueBudget } from './context.js';

/** The limit as the base Pod's app container has it, and the queue sizes of the base's ConfigMap. */
export async function readQueueBudget(kube: Kube, pod: string, base: string): Promise<QueueBudget> {
  const limits = (await kube.exec(pod, 'app', ['cat', '/proc/self/limits'])).stdout;
  const limit = parseMsgqueueLimit(limits);
  if (limit === null) throw new Error(`no "Max msgqueue size" in the app container's /proc/self/limits: ${limits}`);
  const config = (await renderDirectory(base)).find((object) => object.kind === 'ConfigMap') as
    { data?: Record<string, string> } | undefined;
  // Read the way the services read it: their defaults and limits.
  const queues = readQueueConfig(new EnvReader(config?.data ?? {}));
  const perPod = podQueueBytes(queues.maxMessages, queues.messageSize);
  return { limit, perPod, pods: Math.floor(limit / perPod) };
}
