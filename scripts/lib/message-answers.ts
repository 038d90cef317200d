// Reading the app's answers about a message, wherever they come from (a
// probe, a port-forward, a Pod in a box): the id a POST was given, and
// asking GET /messages/:id until the message is settled, the same way for
// the demo's steps and the tests.
import { setTimeout as sleep } from 'node:timers/promises';
import { isSettled } from '../../apps/shared/pod-view.js';
import { isObject } from './json.js';

/** An answer to GET /messages/:id, however the caller reached the app. */
export interface MessageAnswer {
  status: number;
  body: unknown;
}

export interface Settled<Answer extends MessageAnswer> {
  /** The last answer's state ("processed", "failed"), or what it was when the time ran out. */
  state: string;
  answer: Answer;
}

/** The id a 202 to POST /messages carries, or null when the answer has none. */
export function messageIdOf(body: unknown): string | null {
  return isObject(body) && typeof body.id === 'string' ? body.id : null;
}

const stateOf = (body: unknown): string => (isObject(body) && typeof body.state === 'string' ? body.state : 'unknown');

/** Asks every `intervalMs` until the message is processed or failed, or `timeoutMs` passed: the last answer either way. */
export async function untilSettled<Answer extends MessageAnswer>(
  ask: (id: string) => Promise<Answer>,
  id: string,
  timeoutMs: number,
  intervalMs = 100,
): Promise<Settled<Answer>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answer = await ask(id);
    const state = answer.status === 200 ? stateOf(answer.body) : `unknown to the app (${answer.status})`;
    if (isSettled(state) || Date.now() > deadline) return { state, answer };
    await sleep(intervalMs);
  }
}
