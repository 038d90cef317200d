// Checks more than one step runs inside the Pod under test.
import { assertCheck, judgeNamespaces, judgeRoundTrip, type NamespaceExpectation } from '../lib/checks.js';
import type { MeasuredNamespaces } from '../lib/report-picture.js';
import { APP, type Http, type PodTarget } from './context.js';

/** GET /pod from the app container: which namespaces are shared and which are not. */
export async function checkNamespaces(
  target: PodTarget,
  expected: NamespaceExpectation,
): Promise<{ verdict: string; seen: MeasuredNamespaces }> {
  const answer = (await target.probeIn('app', 'http', 'GET', `${APP}/pod`)) as Http;
  assertCheck('namespaces', judgeNamespaces(answer.body, expected));
  const of = (container: string) => (answer.body[container] as { namespaces: Record<string, string> }).namespaces;
  return { verdict: JSON.stringify(answer.body.verdict), seen: { app: of('app'), sidecar: of('sidecar') } };
}

/** `count` messages through the queues, from inside the app container. */
export async function checkRoundTrip(target: PodTarget, count: number): Promise<string> {
  // About 5 ms a message in a healthy Pod; a broken one never answers, so the wait is bounded.
  const timeoutMs = Math.max(15_000, count * 150);
  const result = (await target.probeIn('app', 'roundtrip', APP, String(count), String(timeoutMs))) as {
    elapsedMs: number;
    retried: number;
  };
  assertCheck('round trip', judgeRoundTrip(result, count));
  return `${count} of ${count} back, none duplicated, ${result.retried} retries after 503, ${result.elapsedMs} ms`;
}

/** A service's structured log lines with this event. */
export function logEvents(log: string, event: string): Array<Record<string, unknown>> {
  return log
    .split('\n')
    .filter((line) => line.startsWith('{') && line.includes(`"event":"${event}"`))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** When the process that wrote this log was exec'd (its first "starting" line), in ms. */
export function processStartedAt(log: string): number | undefined {
  const at = logEvents(log, 'starting')[0]?.processStartedAt;
  return typeof at === 'string' ? Date.parse(at) : undefined;
}

/** Their timestamps, in ms. */
export function eventTimes(log: string, event: string): number[] {
  return logEvents(log, event).map((record) => Date.parse(String(record.ts)));
}
