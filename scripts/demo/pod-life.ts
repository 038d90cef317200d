// A Pod's lifecycle record (apps/shared/lifecycle.ts) as the steps read it:
// through one of its running containers, which all mount the volume it is
// on; or, once they have all exited, from their logs, which hold the same
// events.
import { LIFECYCLE_RECORD, lifecycleOfLogs, type LifecycleLine } from '../../apps/shared/lifecycle.js';
import type { Kube } from '../lib/kube.js';

/** The record, read by the probe in `container`. */
export function recordOf(kube: Kube, pod: string, container: string): Promise<LifecycleLine[]> {
  return kube.probe(pod, container).lifecycle(LIFECYCLE_RECORD);
}

/** The same events from the containers' current logs. */
export async function lifeFromLogs(kube: Kube, pod: string, containers: string[]): Promise<LifecycleLine[]> {
  const logs = await Promise.all(containers.map(async (container) => [container, await kube.logs(pod, container)] as const));
  return lifecycleOfLogs(Object.fromEntries(logs));
}
