import { Counter, Histogram } from 'prom-client';
import { createRegistry, queueDepthGauge, scrapeGauge } from '../shared/observability.js';

export interface AppGauges {
  requestQueueDepth: () => number;
  inFlight: () => number;
  journalBytes: () => number;
  journalHealthy: () => number;
}

export function createAppMetrics(gauges: AppGauges) {
  const registry = createRegistry();
  return {
    registry,
    accepted: new Counter({ name: 'podmates_app_accepted_total', help: 'Messages accepted onto the request queue', registers: [registry] }),
    rejected: new Counter({
      name: 'podmates_app_rejected_total',
      help: 'Messages refused, by reason',
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
    processed: new Counter({
      name: 'podmates_app_processed_total',
      help: 'Messages answered: first replies received over the reply queue',
      registers: [registry],
    }),
    duplicateReplies: new Counter({
      name: 'podmates_app_duplicate_replies_total',
      help: 'Replies for a message that already had one (a redelivery answered too)',
      registers: [registry],
    }),
    unknownReplies: new Counter({
      name: 'podmates_app_unknown_replies_total',
      help: 'Replies for an id this app never recorded',
      registers: [registry],
    }),
    malformedReplies: new Counter({
      name: 'podmates_app_malformed_replies_total',
      help: 'Reply queue messages that were not a valid envelope',
      registers: [registry],
    }),
    redelivered: new Counter({
      name: 'podmates_app_redelivered_total',
      help: 'Requests pushed again: their copy was taken by a sidecar that died before answering',
      registers: [registry],
    }),
    failed: new Counter({
      name: 'podmates_app_quarantined_total',
      help: 'Messages quarantined: taken QUARANTINE_AFTER_LOST times by a sidecar that died',
      registers: [registry],
    }),
    lateReplies: new Counter({
      name: 'podmates_app_late_replies_total',
      help: 'Replies for a quarantined message: its result is recorded and it counts as processed',
      registers: [registry],
    }),
    repeatedPosts: new Counter({
      name: 'podmates_app_idempotent_repeats_total',
      help: 'POSTs with an Idempotency-Key seen before: answered with the first message',
      registers: [registry],
    }),
    journalErrors: new Counter({
      name: 'podmates_app_journal_errors_total',
      help: 'Journal writes that failed (full or failing disk): new messages are refused until a rewrite succeeds',
      registers: [registry],
    }),
    journalCorrupt: new Counter({
      name: 'podmates_app_journal_corrupt_records_total',
      help: 'Journal lines that could not be read at replay (logged with their offsets)',
      registers: [registry],
    }),
    queueDepth: queueDepthGauge(registry, 'podmates_app_request_queue_depth', gauges.requestQueueDepth),
    inFlight: scrapeGauge(registry, 'podmates_app_in_flight', 'Accepted messages waiting for their reply', gauges.inFlight),
    journalBytes: scrapeGauge(registry, 'podmates_app_journal_bytes', 'Size of the journal in the Pod volume', gauges.journalBytes),
    journalHealthy: scrapeGauge(
      registry,
      'podmates_app_journal_healthy',
      '1 while journal writes succeed, 0 while new messages are refused for want of it',
      gauges.journalHealthy,
    ),
    loopbackSeconds: new Histogram({
      name: 'podmates_app_loopback_http_seconds',
      help: 'Latency of app-to-sidecar HTTP calls over 127.0.0.1',
      buckets: [0.0002, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.05, 0.25, 1],
      registers: [registry],
    }),
    roundTripSeconds: new Histogram({
      name: 'podmates_app_queue_round_trip_seconds',
      help: 'From push onto the request queue to the reply read from the reply queue',
      buckets: [0.0001, 0.0002, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.05, 0.25, 1, 5],
      registers: [registry],
    }),
  };
}

export type AppMetrics = ReturnType<typeof createAppMetrics>;
