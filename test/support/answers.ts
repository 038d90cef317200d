// Reading the JSON of an HttpAnswer, whose body is any: through these a test
// names the type it expects instead of reaching into any.
import type { PodState } from '../../apps/app/pod-state.js';
import type { MessageView } from '../../apps/app/server.js';
import type { HttpAnswer } from './pod-box.js';

/** The JSON fields of an answer. */
export const fieldsOf = (answer: HttpAnswer): Record<string, unknown> => answer.body as Record<string, unknown>;

/** The id the app gave a message it accepted. */
export const idOf = (answer: HttpAnswer): string => fieldsOf(answer).id as string;

/** The namespace verdicts of a GET /pod answer: { net: 'shared', pid: 'separate', ... }. */
export const verdictOf = (answer: HttpAnswer): Record<string, string> => fieldsOf(answer).verdict as Record<string, string>;

/** GET /messages/:id of a message the app knows. */
export const messageOf = (answer: HttpAnswer): MessageView => answer.body as MessageView;

/** GET /api/state. */
export const stateOf = (answer: HttpAnswer): PodState => answer.body as PodState;
