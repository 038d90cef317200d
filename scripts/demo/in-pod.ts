// Checks more than one step runs inside the Pod under test.
import { assertCheck, judgeNamespaces, judgeRoundTrip, POD_NAMESPACES } from '../lib/checks.js';
import type { Kube } from '../lib/kube.js';
import { APP, type Http } from './context.js';

/** GET /pod from the app container: net, ipc and uts shared, pid and mnt separate. */
export async function checkNamespaces(kube: Kube, pod: string): Promise<string> {
  const answer = (await kube.probe(pod, 'app', 'http', 'GET', `${APP}/pod`)) as Http;
  assertCheck('namespaces', judgeNamespaces(answer.body, POD_NAMESPACES));
  return JSON.stringify(answer.body.verdict);
}

/** `count` messages through the queues, from inside the app container. */
export async function checkRoundTrip(kube: Kube, pod: string, count: number): Promise<string> {
  const timeoutMs = Math.max(15_000, count * 150);
  const result = (await kube.probe(pod, 'app', 'roundtrip', APP, String(count), String(timeoutMs))) as { elapsedMs: number; retried: number };
  assertCheck('round trip', judgeRoundTrip(result, count));
  return `${count} of ${count} back, none duplicated, ${result.retried} retries after 503, ${result.elapsedMs} ms`;
}

/** Timestamps of a service's structured log lines with this event, in ms. */
export function eventTimes(log: string, event: string): number[] {
  return log
    .split('\n')
    .filter((line) => line.startsWith('{') && line.includes(`"event":"${event}"`))
    .map((line) => Date.parse((JSON.parse(line) as { ts: string }).ts));
}
