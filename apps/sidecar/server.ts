// The sidecar's loopback API: what the app asks it over 127.0.0.1.
import express, { type Express } from 'express';
import type { Registry } from 'prom-client';
import { isMessageId } from '../shared/envelope.js';
import type { Logger } from '../shared/log.js';
import { readNamespaces } from '../shared/namespaces.js';
import { addHealthAndMetrics } from '../shared/observability.js';
import type { Worker } from './worker.js';

export function createSidecarServer(worker: Worker, registry: Registry, log: Logger): Express {
  const app = express();
  app.disable('x-powered-by');

  addHealthAndMetrics(app, registry, log);

  app.get('/ns', async (_req, res) => {
    res.json({ pid: process.pid, namespaces: await readNamespaces() });
  });

  app.get('/status/:id', (req, res) => {
    const { id } = req.params;
    if (!isMessageId(id)) {
      res.status(400).json({ error: 'id must be a UUID' });
      return;
    }
    const status = worker.statuses.get(id);
    if (!status) {
      res.status(404).json({ error: `no message ${id} has been processed (or it was evicted from the last ${worker.statuses.capacity})` });
      return;
    }
    res.json(status);
  });

  return app;
}
