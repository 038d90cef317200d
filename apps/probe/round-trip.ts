// Sends messages through the app and follows each one until the sidecar's reply
// came back, so a caller can tell lost and duplicated messages apart.
import { Agent } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import fetch from 'node-fetch';
import { parseBody } from '../shared/http-get.js';

const agent = new Agent({ keepAlive: true, maxSockets: 16 });

export interface HttpResult {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** `timeoutMs`: give up (reject) when no answer came by then; none by default. `extra`: more request headers. */
export async function httpJson(
  method: string,
  url: string,
  body?: string,
  type = 'application/json',
  timeoutMs?: number,
  extra: Record<string, string> = {},
): Promise<HttpResult> {
  const signal = timeoutMs === undefined ? {} : { signal: AbortSignal.timeout(timeoutMs) };
  const headers = body === undefined ? extra : { 'content-type': type, ...extra };
  const init = body === undefined ? { method, agent, headers, ...signal } : { method, agent, body, headers, ...signal };
  const response = await fetch(url, init);
  return { status: response.status, headers: Object.fromEntries(response.headers.entries()), body: parseBody(await response.text()) };
}

export interface Delivered {
  id: string;
  sentAt: string;
  processedAt: string;
}

export interface RoundTripResult {
  requested: number;
  accepted: number;
  /** 503 answers (queue full) that were retried: backpressure, not loss. */
  retried: number;
  processed: number;
  lost: string[];
  duplicated: string[];
  refused: Array<{ status: number; body: unknown }>;
  elapsedMs: number;
  /** When each processed message was accepted by the app and processed by the sidecar. */
  delivered: Delivered[];
}

/**
 * A message the sidecar took more often than the app pushed it: a copy came
 * from somewhere else (or the app pushed one while another waited), and the
 * work may have been done twice. The sidecar's own count is where a
 * duplicate shows: it answers every copy it takes, so the app's reply count
 * cannot exceed what it pushed plus what others pushed.
 */
export function takenTooOften(status: { deliveries?: number | null; sidecar?: unknown }): boolean {
  return ((status.sidecar as { deliveries?: number } | null | undefined)?.deliveries ?? 0) > (status.deliveries ?? 1);
}

/** `paceMs` spreads the sends out in time, e.g. across a sidecar restart. */
export async function roundTrip(appUrl: string, count: number, timeoutMs: number, paceMs = 0): Promise<RoundTripResult> {
  const started = Date.now();
  const deadline = started + timeoutMs;
  const ids: string[] = [];
  const refused: RoundTripResult['refused'] = [];
  let retried = 0;
  for (let i = 0; i < count && Date.now() < deadline;) {
    const reply = await httpJson('POST', `${appUrl}/messages`, JSON.stringify({ text: `message ${i} of ${count} through the pod` }));
    if (reply.status === 202) {
      ids.push((reply.body as { id: string }).id);
      i += 1;
      if (paceMs > 0) await sleep(paceMs);
    } else if (reply.status === 503) {
      retried += 1;
      await sleep(5);
    } else {
      refused.push({ status: reply.status, body: reply.body });
      i += 1;
    }
  }
  // Follow every accepted id until processed with exactly one reply, or the deadline.
  let pending = ids;
  const duplicated = new Set<string>();
  const delivered: Delivered[] = [];
  while (pending.length > 0 && Date.now() < deadline) {
    const next: string[] = [];
    for (const id of pending) {
      const status = await httpJson('GET', `${appUrl}/messages/${id}`);
      const body = status.body as {
        state?: string;
        replies?: number | null;
        deliveries?: number | null;
        sidecar?: unknown;
        sentAt?: string;
        processedAt?: string;
      };
      if (status.status === 200 && body.state === 'processed' && (body.replies ?? 0) >= 1) {
        if (takenTooOften(body)) duplicated.add(id);
        delivered.push({ id, sentAt: body.sentAt!, processedAt: body.processedAt! });
      } else {
        next.push(id);
      }
    }
    pending = next;
    if (pending.length > 0) await sleep(20);
  }
  return {
    requested: count,
    accepted: ids.length,
    retried,
    processed: ids.length - pending.length,
    lost: pending,
    duplicated: [...duplicated],
    refused,
    elapsedMs: Date.now() - started,
    delivered,
  };
}
