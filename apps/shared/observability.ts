// What both containers expose the same way: a Prometheus registry with Node's
// default metrics, and the /healthz and /metrics routes.
import type { Express } from 'express';
import { Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { Logger } from './log.js';

export function createRegistry(): Registry {
  const registry = new Registry();
  // Precision 0 (patches/prom-client+15.1.3.patch): the event-loop lag is
  // measured at scrape time, not by a histogram whose 10 ms timer would wake
  // an idle container 100 times a second.
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 0 });
  return registry;
}

/** A gauge whose value is read at scrape time. */
export function scrapeGauge(registry: Registry, name: string, help: string, read: () => number): Gauge {
  return new Gauge({
    name,
    help,
    registers: [registry],
    collect() {
      this.set(read());
    },
  });
}

export function queueDepthGauge(registry: Registry, name: string, depth: () => number): Gauge {
  return scrapeGauge(registry, name, 'Messages waiting in the request queue', depth);
}

/**
 * GET /healthz says which service answered: in a Pod every container reaches
 * 127.0.0.1, so a port may be held by another container than the one asked
 * for (step 5g), and the exec probe (apps/health/health.sh) checks the name.
 */
export function addHealthAndMetrics(app: Express, registry: Registry, log: Logger, service: 'app' | 'sidecar'): void {
  let checked = false;
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', service });
    // Once: when something (the kubelet's startup probe, the app) first found
    // this server answering. The native-sidecar step (5f) compares it with
    // the app's start.
    if (!checked) log.info('first_health_check', {});
    checked = true;
  });
  app.get('/metrics', async (_req, res) => {
    res.type(registry.contentType).send(await registry.metrics());
  });
}
