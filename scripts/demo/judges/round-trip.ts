// Messages through the Pod's two queues and back: the judge of 5c, 5e and
// 5j, and of the Pod-in-a-box tests.
import { isObject } from '../../lib/json.js';

/** Judges the probe's `roundtrip` result: every message accepted, processed once, none lost. */
export function judgeRoundTrip(result: unknown, count: number): string[] {
  if (!isObject(result)) return [`round trip produced no result: ${JSON.stringify(result)}`];
  const problems: string[] = [];
  const lost = Array.isArray(result.lost) ? result.lost : [];
  const duplicated = Array.isArray(result.duplicated) ? result.duplicated : [];
  const refused = Array.isArray(result.refused) ? result.refused : [];
  if (result.accepted !== count) problems.push(`only ${String(result.accepted)} of ${count} messages were accepted`);
  if (refused.length > 0) problems.push(`${refused.length} messages were refused, first: ${JSON.stringify(refused[0])}`);
  if (lost.length > 0) {
    problems.push(
      `${lost.length} of ${String(result.accepted)} accepted messages never came back through the reply queue (first: ${String(lost[0])}); ` +
        'is the sidecar reading the same queue, in the same IPC namespace?',
    );
  }
  if (duplicated.length > 0)
    problems.push(
      `${duplicated.length} messages were taken by the sidecar more often than the app pushed them (first: ${String(duplicated[0])}): a copy came from elsewhere, and the work may have been done twice`,
    );
  return problems;
}
