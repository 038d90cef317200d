import { Counter } from 'prom-client';
import { createRegistry, queueDepthGauge } from '../shared/observability.js';

export function createSidecarMetrics(requestQueueDepth: () => number) {
  const registry = createRegistry();
  return {
    registry,
    processed: new Counter({ name: 'podmates_sidecar_processed_total', help: 'Messages processed', registers: [registry] }),
    redeliveries: new Counter({
      name: 'podmates_sidecar_redeliveries_total',
      help: 'Redelivered requests answered again from memory, without redoing the work',
      registers: [registry],
    }),
    repliesNotDelivered: new Counter({
      name: 'podmates_sidecar_replies_not_delivered_total',
      help: 'Replies given up at shutdown: the app had gone and the reply queue was full',
      registers: [registry],
    }),
    malformed: new Counter({
      name: 'podmates_sidecar_malformed_total',
      help: 'Queue messages that were not a valid envelope',
      registers: [registry],
    }),
    replyWaits: new Counter({
      name: 'podmates_sidecar_reply_queue_full_total',
      help: 'Times the reply queue was full and the sidecar waited for room',
      registers: [registry],
    }),
    queueDepth: queueDepthGauge(registry, 'podmates_sidecar_request_queue_depth', requestQueueDepth),
  };
}

export type SidecarMetrics = ReturnType<typeof createSidecarMetrics>;
