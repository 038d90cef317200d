// Reading the JSON of the probe's HTTP answer, whose body is unknown: through these a test
// names the type it expects instead of reaching into any.
import type { PodState } from '../../apps/app/pod-state.js';
import type { MessageView } from '../../apps/app/server.js';
import type { HttpResult } from '../../apps/probe/contract.js';

/** The JSON fields of an answer. */
export const fieldsOf = (answer: HttpResult): Record<string, unknown> => answer.body as Record<string, unknown>;

/** The id the app gave a message it accepted. */
export const idOf = (answer: HttpResult): string => fieldsOf(answer).id as string;

/** The namespace verdicts of a GET /pod answer: { net: 'shared', pid: 'separate', ... }. */
export const verdictOf = (answer: HttpResult): Record<string, string> => fieldsOf(answer).verdict as Record<string, string>;

/** GET /messages/:id of a message the app knows. */
export const messageOf = (answer: HttpResult): MessageView => answer.body as MessageView;

/** GET /api/state. */
export const stateOf = (answer: HttpResult): PodState => answer.body as PodState;
