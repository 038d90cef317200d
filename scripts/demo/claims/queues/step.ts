// One IPC namespace: the app's requests reach the sidecar through a POSIX
// queue and its replies come back through another, none lost or duplicated.
import { checkRoundTrip } from '../../in-pod.js';
import type { Claim } from '../../context.js';
import { byHand } from './by-hand.js';

export const step: Claim = {
  byHand,
  title: (context) => `queues: ${context.messages} messages through the request and reply queues`,
  run: async (context, progress) => checkRoundTrip(await context.target(progress), context.messages),
};
