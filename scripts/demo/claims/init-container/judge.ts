// 5s's judge: an init container ran first and what it left in the queue was processed.
import { isObject } from '../../../lib/json.js';

/**
 * A classic init container ran to completion before the app started, and what
 * it left in the Pod's IPC namespace (a request in the queue it created) was
 * processed by the sidecar started after it.
 */
export function judgeInitContainer(seen: {
  name: string;
  exited: { exitCode: number; finishedAt?: string } | undefined;
  /** What it printed last: `at` is when, in milliseconds (finishedAt has whole seconds only). */
  left: { id?: string; pushed?: boolean; at?: string } | null;
  appStartedAt: number | undefined;
  status: { status: number; body: unknown };
  sha256: string;
}): string[] {
  const problems: string[] = [];
  if (!seen.exited) return [`no init container ${seen.name} ran to completion in this Pod`];
  if (seen.exited.exitCode !== 0) problems.push(`the init container ${seen.name} exited ${seen.exited.exitCode}`);
  if (!seen.left?.pushed)
    problems.push(`the init container ${seen.name} did not leave a request in the queue: ${JSON.stringify(seen.left)}`);
  // The init container's own last act, in milliseconds: the kubelet's
  // finishedAt has whole seconds, which would let a start within the same
  // second pass. Both clocks are the node's.
  const last = seen.left?.at === undefined ? NaN : Date.parse(seen.left.at);
  if (seen.appStartedAt === undefined || !(last <= seen.appStartedAt))
    problems.push(
      `the app started (${seen.appStartedAt === undefined ? 'unknown' : new Date(seen.appStartedAt).toISOString()}) before the init container's last act (${seen.left?.at ?? 'unknown'})`,
    );
  if (seen.status.status !== 200)
    problems.push(
      `the sidecar has no status for the init container's request ${seen.left?.id} (${seen.status.status}): it never found it in the queue`,
    );
  else if (!isObject(seen.status.body) || seen.status.body.sha256 !== seen.sha256)
    problems.push(
      `the sidecar processed ${seen.left?.id} into ${isObject(seen.status.body) ? String(seen.status.body.sha256) : 'no JSON'}, not the sha256 of the init container's text`,
    );
  return problems;
}
