// Load with verification: `concurrency` clients post `count` messages, retrying
// what the app refuses for now (503) and what fails because it is restarting
// (connection refused or reset), then every accepted id is followed until it is
// processed, and its result is checked against the digest computed here. This
// is what the crash tests run inside the Pod while they kill its containers.
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { countWords } from '../sidecar/worker.js';
import { httpJson, type HttpResult } from './round-trip.js';

export type LoadMode = 'verify' | 'until-shutdown';

export interface Expected {
  id: string;
  /** The Pod that accepted it (its app answers with its hostname). */
  pod: string;
  sha256: string;
  words: number;
}

export interface LoadResult {
  mode: LoadMode;
  requested: number;
  accepted: number;
  /** 503 answers retried: backpressure, not loss. */
  retriedBusy: number;
  /** Requests that failed on the connection (the app was down) and were sent again. */
  retriedConnection: number;
  refused: Array<{ status: number; body: unknown }>;
  processed: number;
  /** Accepted but still not processed at the deadline. */
  lost: string[];
  /** Accepted, and then unknown to the app (404). */
  notFound: string[];
  /** How many messages each Pod accepted, and how many of those were then unknown (404): behind a Service, Pods come and go. */
  acceptedBy: Record<string, number>;
  notFoundBy: Record<string, number>;
  /** Given up by the app after its last redelivery. */
  failed: string[];
  /** Processed with another result than the one computed here. */
  wrong: string[];
  /** Replies beyond the first (a redelivery answered too). */
  extraReplies: number;
  postMs: number;
  elapsedMs: number;
  /** With mode until-shutdown: what was accepted, to be checked by the caller. */
  acceptedMessages?: Expected[];
}

function textFor(i: number): string {
  // Different lengths and words, so a mixed-up result cannot pass.
  return `message ${i} ${'through the pod '.repeat(i % 40)}end`;
}

function expected(id: string, pod: string, text: string): Expected {
  return { id, pod, sha256: createHash('sha256').update(text, 'utf8').digest('hex'), words: countWords(text) };
}

const ATTEMPT_MS = 5000;
/** The follower's rounds, and when it asks about a message: first, and at the longest between two asks. */
const ROUND_MS = 200;
const FIRST_ASK_MS = 500;
const LATEST_ASK_MS = 2000;

interface Followed {
  want: Expected;
  /** When to ask about it next, and how long it waited since the last ask. */
  due: number;
  wait: number;
}

/** A request that cannot reach the app (it is restarting, or gone) resolves to null. */
async function attempt(method: string, url: string, body?: string): Promise<HttpResult | null> {
  try {
    // Behind a Service, a connection to a Pod that has just gone can hang for
    // minutes (the SYN gets no answer): give up and ask again instead.
    return await httpJson(method, url, body, undefined, ATTEMPT_MS);
  } catch {
    return null;
  }
}

/**
 * `perSecond` (0: as fast as the app takes them) paces the posts, so that a
 * load spans what a test does meanwhile (restarts, a rollout) on any machine.
 */
export async function load(
  appUrl: string,
  count: number,
  concurrency: number,
  timeoutMs: number,
  mode: LoadMode,
  perSecond = 0,
): Promise<LoadResult> {
  const started = Date.now();
  const deadline = started + timeoutMs;
  const accepted: Expected[] = [];
  const result: LoadResult = {
    mode,
    requested: count,
    accepted: 0,
    retriedBusy: 0,
    retriedConnection: 0,
    refused: [],
    processed: 0,
    lost: [],
    notFound: [],
    acceptedBy: {},
    notFoundBy: {},
    failed: [],
    wrong: [],
    extraReplies: 0,
    postMs: 0,
    elapsedMs: 0,
  };
  let next = 0;
  let shuttingDown = false;

  const post = async () => {
    while (next < count && Date.now() < deadline && !shuttingDown) {
      const i = next++;
      const due = perSecond > 0 ? started + (i * 1000) / perSecond - Date.now() : 0;
      if (due > 0) await sleep(due);
      const text = textFor(i);
      for (;;) {
        const answer = await attempt('POST', `${appUrl}/messages`, JSON.stringify({ text }));
        const reason = (answer?.body as { reason?: string } | undefined)?.reason;
        if (answer?.status === 202) {
          const { id, pod } = answer.body as { id: string; pod: string };
          accepted.push(expected(id, pod, text));
          result.acceptedBy[pod] = (result.acceptedBy[pod] ?? 0) + 1;
        } else if (mode === 'until-shutdown' && (reason === 'shutting_down' || (answer === null && accepted.length > 0))) {
          shuttingDown = true;
        } else if (answer === null || answer.status === 503) {
          if (answer === null) result.retriedConnection += 1;
          else result.retriedBusy += 1;
          if (Date.now() < deadline) {
            await sleep(answer === null ? 100 : 10);
            continue;
          }
        } else {
          result.refused.push({ status: answer.status, body: answer.body });
        }
        break;
      }
    }
  };
  let postingDone = false;
  const posting = Promise.all(Array.from({ length: concurrency }, post)).then(() => {
    postingDone = true;
    result.postMs = Date.now() - started;
  });
  if (mode === 'until-shutdown') {
    await posting;
    result.accepted = accepted.length;
    result.acceptedMessages = accepted;
    result.elapsedMs = Date.now() - started;
    return result;
  }

  // Follow every accepted message until it is settled, or the deadline. This
  // starts with the first 202, beside the posts, so that little is left to
  // follow when they end. A message is first asked about FIRST_ASK_MS after
  // the follower took it, then, each time it is not settled yet, after twice
  // as long as before, up to LATEST_ASK_MS: while a container is down
  // hundreds wait, and asking about each of them every round took the probe
  // and the app more CPU than the messages themselves.
  let followed = 0;
  let pending: Followed[] = [];
  while (Date.now() < deadline) {
    // Read before taking the new ones: once it is true, nothing more comes.
    const last = postingDone;
    const now = Date.now();
    pending = [...pending, ...accepted.slice(followed).map((want) => ({ want, due: now + FIRST_ASK_MS, wait: FIRST_ASK_MS }))];
    followed = accepted.length;
    if (last && pending.length === 0) break;
    const due = pending.filter((entry) => entry.due <= now);
    const unsettled = pending.filter((entry) => entry.due > now);
    let cursor = 0;
    const follow = async () => {
      while (cursor < due.length) {
        const entry = due[cursor++]!;
        const { want } = entry;
        const answer = await attempt('GET', `${appUrl}/messages/${want.id}`);
        const body = answer?.body as { state?: string; result?: { sha256: string; words: number } | null; replies?: number } | undefined;
        if (answer?.status === 200 && body?.state === 'processed') {
          result.processed += 1;
          result.extraReplies += Math.max(0, (body.replies ?? 1) - 1);
          if (body.result?.sha256 !== want.sha256 || body.result?.words !== want.words) result.wrong.push(want.id);
        } else if (answer?.status === 200 && body?.state === 'failed') {
          result.failed.push(want.id);
        } else if (answer?.status === 404 && last) {
          // Only once the posts have ended: behind a Service, while Pods come
          // and go, a 404 may come from a Pod that never had the message.
          result.notFound.push(want.id);
          result.notFoundBy[want.pod] = (result.notFoundBy[want.pod] ?? 0) + 1;
        } else {
          const wait = Math.min(entry.wait * 2, LATEST_ASK_MS);
          unsettled.push({ want, due: Date.now() + wait, wait });
        }
      }
    };
    await Promise.all(Array.from({ length: concurrency }, follow));
    pending = unsettled;
    await sleep(ROUND_MS);
  }
  await posting;
  result.accepted = accepted.length;
  // At the deadline, what was accepted after the last round is not settled either.
  result.lost = [...pending.map((entry) => entry.want.id), ...accepted.slice(followed).map((want) => want.id)];
  result.elapsedMs = Date.now() - started;
  return result;
}
