// 5d's judge: what the Pod shares is not visible from outside it.
import { isObject } from '../../../lib/json.js';

export interface IsolationObservation {
  /** The probe's `mq-open` result for the Pod's request queue, seen from outside the Pod. */
  queue: unknown;
  /** The probe's `connect` result for the sidecar's port, seen from outside the Pod. */
  sidecarPort: unknown;
  sidecarAddress: string;
}

/** From outside the Pod, its queue must not exist and its sidecar must not answer. */
export function judgeIsolation(seen: IsolationObservation): string[] {
  const problems: string[] = [];
  if (!isObject(seen.queue) || seen.queue.ok !== false) {
    problems.push(
      `the Pod's message queue can be opened from outside the Pod (${JSON.stringify(seen.queue)}): the IPC namespace is shared with it`,
    );
  } else if (!String(seen.queue.error).includes('No such file or directory')) {
    problems.push(`opening the Pod's queue from outside failed, but not because it does not exist there: ${String(seen.queue.error)}`);
  }
  if (!isObject(seen.sidecarPort) || seen.sidecarPort.ok !== false) {
    problems.push(
      `the sidecar at ${seen.sidecarAddress} accepted a connection from outside the Pod: it should only be reachable on the Pod's loopback`,
    );
  } else if (seen.sidecarPort.code !== 'ECONNREFUSED') {
    problems.push(
      `connecting to the sidecar at ${seen.sidecarAddress} from outside failed with ${String(seen.sidecarPort.code)}, expected ECONNREFUSED`,
    );
  }
  return problems;
}
