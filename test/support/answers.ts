// Reading the JSON of the probe's HTTP answer, whose body is unknown: through these a test
// names the type it expects instead of reaching into any.
import type { PodState } from '../../apps/app/pod-state.js';
import type { MessageView } from '../../apps/app/server.js';
import type { HttpResult } from '../../apps/probe/contract.js';
import { messageIdOf } from '../../scripts/lib/message-answers.js';

/** The JSON fields of an answer. */
export const fieldsOf = (answer: HttpResult): Record<string, unknown> => answer.body as Record<string, unknown>;

/** The id the app gave a message it accepted; a test that gets none stops there, saying what came instead. */
export function idOf(answer: HttpResult): string {
  const id = messageIdOf(answer.body);
  if (id === null) throw new Error(`the app gave no message id: ${answer.status} ${JSON.stringify(answer.body)}`);
  return id;
}

/** The namespace verdicts of a GET /pod answer: { net: 'shared', pid: 'separate', ... }. */
export const verdictOf = (answer: HttpResult): Record<string, string> => fieldsOf(answer).verdict as Record<string, string>;

/** GET /messages/:id of a message the app knows. */
export const messageOf = (answer: HttpResult): MessageView => answer.body as MessageView;

/** GET /api/state. */
export const stateOf = (answer: HttpResult): PodState => answer.body as PodState;
