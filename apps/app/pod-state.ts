// What the live page shows, as one JSON document (GET /api/state, and once a
// second on GET /api/events): the namespaces, the sidecar's health, both
// queues' depths, the counters /metrics has, and the last round trips.
import { hostname } from 'node:os';
import type { Counter } from 'prom-client';
import type { MessageQueue } from '../shared/message-queue.js';
import type { Ledger } from './ledger.js';
import type { AppMetrics } from './metrics.js';
import { podNamespaces, type PodNamespaces } from './pod-namespaces.js';
import type { RecentRoundTrips, RoundTrip } from './recent-round-trips.js';
import type { SidecarClient } from './sidecar-client.js';

export interface QueueState {
  name: string;
  /** null when the queue cannot be read (closed while stopping). */
  depth: number | null;
  capacity: number;
}

export interface PodState {
  pod: string;
  at: string;
  /** False once the app is stopping: it refuses new messages. */
  accepting: boolean;
  sidecar: { up: true; url: string } | { up: false; url: string; error: string };
  namespaces: PodNamespaces;
  queues: { requests: QueueState; replies: QueueState };
  counters: { accepted: number; rejected: Record<string, number>; processed: number; redelivered: number; failed: number; inFlight: number };
  roundTrips: RoundTrip[];
}

export interface PodStateSources {
  requests: MessageQueue;
  replies: MessageQueue;
  sidecar: SidecarClient;
  ledger: Ledger;
  metrics: AppMetrics;
  roundTrips: RecentRoundTrips;
  accepting: () => boolean;
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
  const namespaces = await podNamespaces(from.sidecar);
  const url = from.sidecar.baseUrl;
  return {
    pod: hostname(),
    at: new Date().toISOString(),
    accepting: from.accepting(),
    // /ns is the sidecar's answer over loopback: no answer, no sidecar.
    sidecar: namespaces.ok ? { up: true, url } : { up: false, url, error: namespaces.error },
    namespaces,
    queues: { requests: queueState(from.requests), replies: queueState(from.replies) },
    counters: {
      accepted: await total(metrics.accepted),
      rejected: await byReason(metrics.rejected),
      processed: await total(metrics.processed),
      redelivered: await total(metrics.redelivered),
      failed: await total(metrics.failed),
      inFlight: from.ledger.inFlight,
    },
    roundTrips: from.roundTrips.list(),
  };
}
