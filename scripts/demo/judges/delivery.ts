// Nothing lost whatever happens to the containers: the judge of the load
// that runs while 5h kills them and 5i rolls the Deployment, and of the
// chaos tests.
import { isObject } from '../../lib/json.js';

/**
 * Judges the probe's `load` result: every message answered 202 was processed,
 * once in effect, with the right result, whatever happened to the containers.
 */
export function judgeDelivery(result: unknown, count: number): string[] {
  if (!isObject(result)) return [`the load produced no result: ${JSON.stringify(result)}`];
  const list = (field: string) => (Array.isArray(result[field]) ? (result[field] as unknown[]) : []);
  const first = (items: unknown[]) => `first: ${String(items[0])}`;
  const problems: string[] = [];
  if (result.accepted !== count) problems.push(`only ${String(result.accepted)} of ${count} messages were accepted before the deadline`);
  const refused = list('refused');
  if (refused.length > 0) problems.push(`${refused.length} messages were refused for good, first: ${JSON.stringify(refused[0])}`);
  const notFound = list('notFound');
  if (notFound.length > 0) {
    problems.push(
      `${notFound.length} accepted messages are unknown to the app (404): its record of what it accepted did not survive (${first(notFound)})`,
    );
  }
  const lost = list('lost');
  if (lost.length > 0) {
    problems.push(
      `${lost.length} accepted messages were never processed (${first(lost)}): ` +
        'a request taken by a sidecar that died, or a reply read by an app that died, was not delivered again',
    );
  }
  const failed = list('failed');
  if (failed.length > 0) problems.push(`${failed.length} accepted messages were given up after their last redelivery (${first(failed)})`);
  const wrong = list('wrong');
  if (wrong.length > 0) problems.push(`${wrong.length} messages were processed with a wrong result (${first(wrong)})`);
  return problems;
}
