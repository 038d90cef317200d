// What the live page shows, as one JSON document (GET /api/state, and once a
// second on GET /api/events): the namespaces (and so whether the sidecar
// answers over loopback), both queues' depths, the counters /metrics has,
// and the last round trips.
import { hostname } from 'node:os';
import type { Counter } from 'prom-client';
import { lifecycleBytes } from '../shared/lifecycle.js';
import type { MessageQueue } from '../shared/message-queue.js';
import type { PodState, QueueState } from '../shared/pod-view.js';
import type { Journal } from './journal.js';
import type { Ledger } from './ledger.js';
import type { AppMetrics } from './metrics.js';
import { podNamespaces } from './pod-namespaces.js';
import type { RecentRoundTrips } from './recent-round-trips.js';
import type { SidecarClient } from './sidecar-client.js';

/** The Pod's name: containers of a Pod share its UTS namespace, so its hostname. */
export const POD = hostname();

export type { PodState, QueueState };

export interface PodStateSources {
  requests: MessageQueue;
  replies: MessageQueue;
  sidecar: SidecarClient;
  ledger: Ledger;
  journal: Journal;
  metrics: AppMetrics;
  roundTrips: RecentRoundTrips;
  accepting: () => boolean;
  lifecycleFile: string | null;
}

function queueState(queue: MessageQueue): QueueState {
  let depth: number | null = null;
  try {
    depth = queue.depth;
  } catch {
    // Closed: the page says "unknown" rather than a number it did not read.
  }
  return { name: queue.spec.name, depth, capacity: queue.spec.maxMessages };
}

async function total(counter: Counter): Promise<number> {
  return (await counter.get()).values.reduce((sum, value) => sum + value.value, 0);
}

async function byReason(counter: Counter): Promise<Record<string, number>> {
  const values = (await counter.get()).values;
  return Object.fromEntries(values.map((value) => [String(value.labels.reason), value.value]));
}

export async function readPodState(from: PodStateSources): Promise<PodState> {
  const { metrics } = from;
  // The queues and the messages in flight in one turn of the event loop: a
  // consistent picture (the request queue never holds more copies than there
  // are unanswered messages, which the tests check against this).
  const queues = { requests: queueState(from.requests), replies: queueState(from.replies) };
  const inFlight = from.ledger.inFlight;
  return {
    pod: POD,
    at: new Date().toISOString(),
    accepting: from.accepting(),
    namespaces: await podNamespaces(from.sidecar),
    queues,
    counters: {
      accepted: await total(metrics.accepted),
      rejected: await byReason(metrics.rejected),
      processed: await total(metrics.processed),
      redelivered: await total(metrics.redelivered),
      failed: await total(metrics.failed),
      lateReplies: await total(metrics.lateReplies),
      inFlight,
    },
    quarantined: from.ledger.quarantined(),
    journal: {
      healthy: from.journal.healthy,
      error: from.journal.error,
      bytes: from.journal.bytes,
      corruptRecords: from.ledger.corrupt.length,
      firstCorrupt: from.ledger.corrupt.slice(0, 5),
    },
    roundTrips: from.roundTrips.list(),
    lifecycleBytes: from.lifecycleFile === null ? null : lifecycleBytes(from.lifecycleFile),
  };
}
