// Checks more than one step runs inside the Pod under test.
import { judgeNamespaces, readPodNamespaces, type NamespaceExpectation } from './judges/namespaces.js';
import { judgeRoundTrip } from './judges/round-trip.js';
import { assertCheck } from '../lib/check-failed.js';
import type { MeasuredNamespaces } from '../lib/report-picture.js';
import { APP, type PodTarget } from './context.js';

/** GET /pod from the app container: which namespaces are shared and which are not. */
export async function checkNamespaces(
  target: PodTarget,
  expected: NamespaceExpectation,
): Promise<{ verdict: string; seen: MeasuredNamespaces }> {
  const { body } = await target.probe('app').http('GET', `${APP}/pod`);
  assertCheck('namespaces', judgeNamespaces(body, expected));
  // The judge has found both containers' namespaces in it.
  const { app, sidecar, verdict } = readPodNamespaces(body)!;
  return { verdict: JSON.stringify(verdict), seen: { app, sidecar } };
}

/** `count` messages through the queues, from inside the app container. */
export async function checkRoundTrip(target: PodTarget, count: number): Promise<string> {
  // About 5 ms a message in a healthy Pod; a broken one never answers, so the wait is bounded.
  const timeoutMs = Math.max(15_000, count * 150);
  const result = await target.probe('app').roundtrip(APP, count, timeoutMs);
  assertCheck('round trip', judgeRoundTrip(result, count));
  return `${count} of ${count} back, none duplicated, ${result.retried} retries after 503, ${result.elapsedMs} ms`;
}
